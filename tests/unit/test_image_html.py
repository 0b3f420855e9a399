"""Every image on the site carries its size and loads lazily."""

from types import SimpleNamespace

import pytest
from docutils.core import publish_doctree
from fakes import FakeApp, assert_gallery_changed, setup_of
from PIL import Image
from sphinx.errors import ExtensionError

from site_extensions import image_html


def test_an_img_tag_gets_the_file_s_size_and_lazy_loading(tmp_path):
    path = tmp_path / "figure.png"
    Image.new("RGB", (60, 40)).save(path)
    tag = image_html.lazy_sized('<img src="figure.png" alt="">', path)
    assert tag == (
        '<img width="60" height="40" loading="lazy" decoding="async" '
        'src="figure.png" alt="">'
    )


def test_an_img_tag_without_its_file_is_still_lazy(tmp_path):
    tag = image_html.lazy_sized("<img src=x>", tmp_path / "missing.png")
    assert tag == '<img loading="lazy" decoding="async" src=x>'


def test_thumbnails_get_their_size_in_the_doctree(tmp_path):
    Image.new("RGB", (400, 280)).save(tmp_path / "thumb.png")
    doctree = publish_doctree(".. image:: thumb.png\n\n.. image:: elsewhere.png\n")
    image_html.size_images(FakeApp(srcdir=tmp_path), doctree, "index")
    sized, missing = (
        dict(node.attributes) for node in doctree.findall(image_html.nodes.image)
    )
    assert (sized["width"], sized["height"], sized["loading"]) == ("400", "280", "lazy")
    assert "width" not in missing and missing["loading"] == "lazy"


def visited(srcdir, classes):
    """The HTML that visit_image_sg writes for a figure of sphinx-gallery's
    (an ``image-sg`` node, at 1x and 2x) with ``classes``."""
    images = srcdir / "auto" / "images"
    images.mkdir(parents=True)
    for name, size in (("fig.png", (60, 40)), ("fig_2_00x.png", (120, 80))):
        Image.new("RGB", size).save(images / name)
    node = image_html.imgsgnode()
    node["uri"] = "/auto/images/fig.png"
    node["srcset"] = "/auto/images/fig.png, /auto/images/fig_2_00x.png 2.00x"
    node["alt"], node["class"] = "A plot", classes
    builder = SimpleNamespace(
        srcdir=srcdir, outdir=srcdir / "_build", imagedir="_images", name="html"
    )
    translator = SimpleNamespace(
        body=[], builder=builder, document={"source": str(srcdir / "auto/page.rst")}
    )
    image_html.visit_image_sg(translator, node)
    return translator.body[-1]


def test_a_figure_gets_all_its_classes_its_size_and_lazy_loading(tmp_path):
    tag = visited(tmp_path, ["sphx-glr-single-img", "only-dark"])
    assert tag.startswith('<img width="60" height="40" loading="lazy" ')
    assert tag.endswith(' alt="A plot" class="sphx-glr-single-img only-dark"/>')


def test_a_figure_tag_without_sphinx_gallery_s_class_fails_the_build(
    tmp_path, monkeypatch
):
    # As sphinx-gallery might write it one day: the class as HTML usually is.
    def visit(self, node):
        self.body.append(f'<img src="{node["uri"]}" class="{node["class"][0]}"/>')

    monkeypatch.setattr(image_html, "visit_imgsg_html", visit)
    with pytest.raises(ExtensionError) as error:
        visited(tmp_path, ["sphx-glr-single-img", "only-dark"])
    page = tmp_path / "auto" / "page.rst"
    assert_gallery_changed(
        error,
        f"site_extensions.image_html: {page}: sphinx-gallery's figure tag "
        """('<img ... class = "sphx-glr-single-img"/>') not found in """
        """'<img src="/auto/images/fig.png" class="sphx-glr-single-img"/>'; """
        "the figure's theme and size cannot be added",
    )


def test_it_is_an_extension_safe_in_parallel():
    app, metadata = setup_of(image_html)
    assert metadata == {"parallel_read_safe": True, "parallel_write_safe": True}
    assert [event for event, *_ in app.handlers] == ["doctree-resolved"]
    assert app.calls == ["add_node"]
