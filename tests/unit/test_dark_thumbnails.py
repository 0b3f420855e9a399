"""The gallery's thumbnails have a dark copy, made from the dark figures and
shown in the dark theme in place of the light one."""

import os
from types import SimpleNamespace

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from fakes import FakeApp, assert_gallery_changed, setup_of
from PIL import Image
from sphinx.errors import ExtensionError
from sphinx_gallery.utils import scale_image

from site_extensions import dark_thumbnails

GALLERY_CONF = {
    "gallery_dirs": "auto",
    "thumbnail_size": (400, 280),
    "compress_images": (),
    "passing_examples": [],
    "failing_examples": {},
}
LIGHT, DARK = (250, 250, 250), (19, 20, 22)


def example(srcdir, settings="", figures=1):
    """An example as sphinx-gallery leaves it in the gallery: its copy, its
    figures in both themes (1x and 2x), and its light thumbnail."""
    section = srcdir / "auto" / "tensors"
    (section / "images" / "thumb").mkdir(parents=True)
    (section / "plot_1_demo.py").write_text(
        f'"""\nDemo\n====\n"""\n{settings}\n', encoding="utf-8"
    )
    for number in range(1, figures + 1):
        for suffix, colour in (("", LIGHT), ("_dark", DARK)):
            for scale in ("", "_2_00x"):
                name = f"sphx_glr_plot_1_demo_{number:03}{suffix}{scale}.png"
                Image.new("RGB", (640, 480), colour).save(section / "images" / name)
    thumbnail = section / "images" / "thumb" / "sphx_glr_plot_1_demo_thumb.png"
    scale_image(
        section / "images" / "sphx_glr_plot_1_demo_001.png", thumbnail, 400, 280
    )
    return thumbnail


def figure_name(thumbnail):
    figure = dark_thumbnails.thumbnail_figure(thumbnail)
    return figure and figure.name


def test_the_dark_thumbnail_is_named_as_the_dark_figures_are():
    dark = dark_thumbnails.dark_thumbnail("images/thumb/sphx_glr_plot_1_demo_thumb.png")
    assert dark.as_posix() == "images/thumb/sphx_glr_plot_1_demo_thumb_dark.png"


def test_it_is_made_from_the_figure_sphinx_gallery_took(tmp_path):
    assert figure_name(example(tmp_path)) == "sphx_glr_plot_1_demo_001_dark.png"


def test_an_example_s_thumbnail_number_picks_the_figure(tmp_path):
    for number, taken in (("2", "002"), ("-1", "003"), ("-3", "001")):
        root = tmp_path / number
        settings = f"# sphinx_gallery_thumbnail_number = {number}"
        thumbnail = example(root, settings, figures=3)
        assert figure_name(thumbnail) == f"sphx_glr_plot_1_demo_{taken}_dark.png"


def test_a_thumbnail_given_as_a_file_has_no_dark_copy(tmp_path):
    settings = "# sphinx_gallery_thumbnail_path = '_static/logo.png'"
    assert dark_thumbnails.thumbnail_figure(example(tmp_path, settings)) is None


def build(srcdir, **gallery_conf):
    app = FakeApp(srcdir=srcdir, sphinx_gallery_conf=GALLERY_CONF | gallery_conf)
    dark_thumbnails.make_dark_thumbnails(app)


@pytest.mark.parametrize("key", ["passing_examples", "failing_examples"])
def test_without_the_examples_that_passed_or_failed_the_build_fails(tmp_path, key):
    example(tmp_path)
    gallery_conf = {name: v for name, v in GALLERY_CONF.items() if name != key}
    app = FakeApp(srcdir=tmp_path, sphinx_gallery_conf=gallery_conf)
    with pytest.raises(ExtensionError) as error:
        dark_thumbnails.make_dark_thumbnails(app)
    assert_gallery_changed(
        error,
        "site_extensions.dark_thumbnails: sphinx-gallery's configuration has"
        f" no {key!r}",
    )


def test_a_missing_dark_thumbnail_is_made_as_sphinx_gallery_makes_thumbnails(tmp_path):
    thumbnail = example(tmp_path)
    build(tmp_path)
    dark = Image.open(dark_thumbnails.dark_thumbnail(thumbnail))
    assert dark.size == Image.open(thumbnail).size == (400, 280)
    # Scaled into the box with transparent margins, like the light one.
    assert dark.getpixel((200, 140))[:3] == DARK
    assert (
        dark.getpixel((0, 140))[3] == Image.open(thumbnail).getpixel((0, 140))[3] == 0
    )


def test_an_example_that_ran_gets_a_new_one_only_if_it_changed(tmp_path):
    thumbnail = example(tmp_path)
    build(tmp_path)
    dark = dark_thumbnails.dark_thumbnail(thumbnail)
    os.utime(dark, (1, 1))
    ran = [str(tmp_path / "examples" / "tensors" / "plot_1_demo.py")]
    build(tmp_path, passing_examples=ran)
    assert dark.stat().st_mtime == 1  # the same file: pages need not be read again
    figure = dark_thumbnails.thumbnail_figure(thumbnail)
    Image.new("RGB", (640, 480), (0, 0, 90)).save(figure)
    build(tmp_path)
    assert dark.stat().st_mtime == 1  # did not run: its thumbnail is as it was
    build(tmp_path, passing_examples=ran)
    assert Image.open(dark).getpixel((200, 140))[:3] == (0, 0, 90)
    assert list(dark.parent.glob("*.new.png")) == []


def test_an_example_that_failed_loses_its_dark_thumbnail(tmp_path):
    thumbnail = example(tmp_path)
    build(tmp_path)
    failed = {str(tmp_path / "examples" / "tensors" / "plot_1_demo.py"): "Traceback"}
    build(tmp_path, failing_examples=failed)
    assert not dark_thumbnails.dark_thumbnail(thumbnail).exists()


PAGE = """\
.. image:: /auto/tensors/images/thumb/sphx_glr_plot_1_demo_thumb.png
  :alt:

.. image:: /auto/tensors/images/thumb/sphx_glr_plot_2_other_thumb.png
  :alt:

.. image:: /auto/tensors/images/sphx_glr_plot_1_demo_001.png
"""


def read(srcdir):
    """The images of PAGE once read, as (uri, classes, alt)."""
    app = FakeApp(srcdir=srcdir)
    app.env = SimpleNamespace(
        docname="auto/index",
        relfn2path=lambda uri, docname: (uri, str(srcdir / uri.lstrip("/"))),
    )
    doctree = publish_doctree(PAGE)
    dark_thumbnails.pair_thumbnails(app, doctree)
    return [
        (image["uri"].rsplit("/", 1)[1], image["classes"], image.get("alt"))
        for image in doctree.findall(nodes.image)
    ]


def test_a_page_shows_each_thumbnail_that_has_a_dark_copy_in_its_theme(tmp_path):
    example(tmp_path)
    build(tmp_path)
    assert read(tmp_path) == [
        ("sphx_glr_plot_1_demo_thumb.png", ["only-light"], ""),
        ("sphx_glr_plot_1_demo_thumb_dark.png", ["only-dark"], ""),
        # No dark copy: the one thumbnail in both themes.
        ("sphx_glr_plot_2_other_thumb.png", [], ""),
        # Figures are the scraper's to pair.
        ("sphx_glr_plot_1_demo_001.png", [], None),
    ]


def test_it_is_an_extension_safe_in_parallel():
    app, metadata = setup_of(dark_thumbnails)
    assert metadata == {"parallel_read_safe": True, "parallel_write_safe": True}
    # After sphinx-gallery's builder-inited, before Sphinx's image collector.
    assert sorted(app.handlers, key=lambda h: h[0]) == [
        ("builder-inited", dark_thumbnails.make_dark_thumbnails, 600),
        ("doctree-read", dark_thumbnails.pair_thumbnails, 400),
    ]
