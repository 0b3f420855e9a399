"""The gallery's thumbnails in furo's dark theme: made from the dark figures.

sphinx-gallery makes each example's thumbnail (``images/thumb/
sphx_glr_<example>_thumb.png``) from one of its light figures, and the
gallery's index, the "Related examples" panels and the lists of examples by
function all show it, light in the dark theme too. site_extensions.figure_scraper
already saves a dark copy of every figure; this extension

- makes ``sphx_glr_<example>_thumb_dark.png`` from the dark copy of the
  figure the thumbnail shows (``sphinx_gallery_thumbnail_number``, else the
  first), scaled as sphinx-gallery scales its own (``scale_image``, the
  ``thumbnail_size`` box). That happens when sphinx-gallery is done with the
  examples (``builder-inited``, after its own handler): for each example that
  ran and passed, and for any without a dark thumbnail yet. One made again
  byte for byte the same is not rewritten, so the pages that show it are not
  read again. An example that failed loses its dark thumbnail, so the "broken"
  thumbnail sphinx-gallery puts in its place shows in both themes;
- puts the dark thumbnail beside the light one in every document, as it is
  read (``doctree-read``, before Sphinx collects the images to copy), with
  the classes furo shows or hides by theme, ``only-light`` and ``only-dark``:
  the pair the example pages use for figures. furo hides the other with
  ``display: none``, so a screen reader meets one image, with the alt text
  sphinx-gallery gave it, and the browser never loads the hidden one.

Pillow and sphinx-gallery's helpers are imported only when a thumbnail is
made, not on a build that runs no example.
"""

import re
from pathlib import Path

from docutils import nodes

from . import gallery_private_key
from .figure_scraper import theme_paths
from .install_lines import gallery_dirs

THUMBNAIL = re.compile(r"^sphx_glr_(?P<example>.+)_thumb\.png$")


def dark_thumbnail(thumbnail):
    """The dark thumbnail's path, named as the scraper names dark figures."""
    return theme_paths(Path(thumbnail))["dark"]


def light_thumbnails(gallery_dir):
    """Every thumbnail sphinx-gallery made under ``gallery_dir``, with the name
    of its example."""
    for path in sorted(Path(gallery_dir).glob("**/images/thumb/sphx_glr_*_thumb.png")):
        yield path, THUMBNAIL.match(path.name)["example"]


def thumbnail_figure(thumbnail):
    """The dark figure to make the dark copy of ``thumbnail`` from, or None.

    The figure sphinx-gallery took, by the example's own settings: the
    ``sphinx_gallery_thumbnail_number``-th (counted from the end when
    negative), the first by default; None for a thumbnail given as a file
    (``sphinx_gallery_thumbnail_path``), which has no dark copy.
    """
    from sphinx_gallery.py_source_parser import extract_file_config

    thumbnail = Path(thumbnail)
    example = THUMBNAIL.match(thumbnail.name)["example"]
    images = thumbnail.parent.parent
    # sphinx-gallery keeps a copy of the example beside its page.
    file_conf = extract_file_config(
        (images.parent / f"{example}.py").read_text(encoding="utf-8")
    )
    number = file_conf.get("thumbnail_number")
    if number is None and "thumbnail_path" in file_conf:
        return None
    number = 1 if number is None else number
    if number < 0:
        figures = [
            path
            for path in images.glob(f"sphx_glr_{example}_*.png")
            if re.fullmatch(rf"sphx_glr_{re.escape(example)}_\d{{3}}\.png", path.name)
        ]
        number += len(figures) + 1
    return theme_paths(images / f"sphx_glr_{example}_{number:03}.png")["dark"]


def save_dark_thumbnail(figure, target, gallery_conf):
    """Scale ``figure`` into ``target`` as sphinx-gallery makes a thumbnail;
    leave ``target`` untouched if it already holds the same bytes."""
    from sphinx_gallery.utils import optipng, scale_image

    new = target.with_name(f"{target.stem}.new{target.suffix}")
    scale_image(figure, new, *gallery_conf["thumbnail_size"])
    if "thumbnails" in gallery_conf["compress_images"]:
        optipng(new, gallery_conf["compress_images_args"])
    if target.is_file() and target.read_bytes() == new.read_bytes():
        new.unlink()
    else:
        new.replace(target)


def make_dark_thumbnails(app):
    """A dark thumbnail for every example whose figures the build has; an
    error if sphinx-gallery no longer keeps the examples that passed and
    failed in its configuration."""
    gallery_conf = app.config.sphinx_gallery_conf
    passing = gallery_private_key(gallery_conf, "passing_examples", __name__)
    failing = gallery_private_key(gallery_conf, "failing_examples", __name__)
    ran = {Path(path).stem for path in passing}
    failed = {Path(path).stem for path in failing}
    for gallery_dir in gallery_dirs(app):
        for thumbnail, example in light_thumbnails(gallery_dir):
            dark = dark_thumbnail(thumbnail)
            if example in failed:
                dark.unlink(missing_ok=True)
            elif example in ran or not dark.is_file():
                figure = thumbnail_figure(thumbnail)
                if figure is not None and figure.is_file():
                    save_dark_thumbnail(figure, dark, gallery_conf)
                else:
                    dark.unlink(missing_ok=True)


def pair_thumbnails(app, doctree):
    """Each thumbnail with a dark copy: shown in the light theme only, and
    followed by the copy, shown in the dark theme only."""
    for image in list(doctree.findall(nodes.image)):
        if not THUMBNAIL.match(Path(image["uri"]).name):
            continue
        _, path = app.env.relfn2path(image["uri"], app.env.docname)
        if not dark_thumbnail(path).is_file():
            continue
        dark = image.deepcopy()
        dark["uri"] = str(dark_thumbnail(image["uri"]).as_posix())
        image["classes"].append("only-light")
        dark["classes"].append("only-dark")
        image.parent.insert(image.parent.index(image) + 1, dark)


def setup(app):
    # After sphinx-gallery's handler (priority 500), which runs the examples.
    app.connect("builder-inited", make_dark_thumbnails, priority=600)
    # Before Sphinx's image collector (priority 500) lists the files to copy.
    app.connect("doctree-read", pair_thumbnails, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
