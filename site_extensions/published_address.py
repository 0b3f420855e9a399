"""The address the site is published at, and what is made from it.

The Pages workflow publishes the site on GitHub Pages, at an address that
follows from the repository: GitHub Actions tells the build its repository
in GITHUB_REPOSITORY (``owner/name``; site_extensions.build_inputs checks it and
keeps it as the config value ``github_repository``), and GitHub Pages serves
it at ``https://owner.github.io/name/``, the owner in lower case (a
repository named ``owner.github.io`` is served at the root). From that
address come

- each page's canonical link (Sphinx's ``html_baseurl``), the one address
  search engines should list it under;
- link previews: the og: tags that sphinxext-opengraph writes (page by page,
  site_extensions.link_previews gives it the description and the figure);
- ``sitemap.xml``, every page's address for search engines (sphinx-sitemap).
  It lists the pages that the build wrote, so only a clean build lists them
  all, as the Pages workflow's is (sphinx-sitemap's issue 13).

A build told no repository has no published address, and then none of these:
each would have to name an address that is not the site's. The two
extensions are not even loaded then, so neither can warn about the missing
address, and such a build is exactly as strict as it was before them.
"""


def published_address(repository):
    """The address, ending in "/", at which GitHub Pages serves the site of
    ``repository`` (``owner/name``); None for None."""
    if repository is None:
        return None
    owner, name = repository.split("/")
    host = f"{owner.lower()}.github.io"
    return f"https://{host}/" if name.lower() == host else f"https://{host}/{name}/"


def publish(app, config):
    """With a published address: load sphinxext-opengraph and sphinx-sitemap,
    and point them and the canonical links at it."""
    address = published_address(config.github_repository)
    if address is None:
        return
    app.setup_extension("sphinxext.opengraph")
    app.setup_extension("sphinx_sitemap")
    config.html_baseurl = address
    config.ogp_site_url = address


def setup(app):
    # After site_extensions.build_inputs (priority 5) has checked GITHUB_REPOSITORY.
    app.connect("config-inited", publish, priority=6)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
