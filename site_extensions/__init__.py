"""The site's own Sphinx extensions, each switched on by name in conf.py.

Every module here that hooks into Sphinx is an extension with its own
``setup(app)``, named in conf.py's ``extensions``; the others are what
sphinx-gallery calls by name (the image scraper) and the modules it uses.

Some extensions reach into what sphinx-gallery writes or keeps, beyond its
options: text of its pages (install_lines, colab_links), its figures' HTML
(image_html) and reST (figure_scraper), a private function (notebook_links),
private keys of its configuration and its checksum files (dark_thumbnails,
build_inputs). Each was checked against the sphinx-gallery versions that
pyproject.toml allows, SPHINX_GALLERY_KNOWN_TO_WORK; one that finds nothing
of what it expects fails the build with gallery_changed(), naming it.
"""

from importlib.metadata import version

# pyproject.toml's range for sphinx-gallery: what the extensions take from it
# was checked against 0.22.
SPHINX_GALLERY_KNOWN_TO_WORK = ">=0.22,<0.23"


def gallery_changed(extension: str, what: str):
    """The error (ExtensionError) of ``extension``, a module's name, that did
    not find ``what`` of sphinx-gallery's: one line naming the installed
    sphinx-gallery and the versions known to work."""
    from sphinx.errors import ExtensionError

    return ExtensionError(
        f"{extension}: {what} (sphinx-gallery changed? {version('sphinx-gallery')} "
        f"is installed; the site's extensions are known to work with "
        f"sphinx-gallery{SPHINX_GALLERY_KNOWN_TO_WORK})"
    )


def gallery_private_key(gallery_conf: dict, key: str, extension: str):
    """``gallery_conf[key]``, a key that sphinx-gallery keeps for itself and
    does not document; gallery_changed() if it has none."""
    try:
        return gallery_conf[key]
    except KeyError:
        raise gallery_changed(
            extension, f"sphinx-gallery's configuration has no {key!r}"
        ) from None
