"""Every image on the site carries its size and loads lazily."""

from docutils.core import publish_doctree
from fakes import FakeApp, setup_of
from PIL import Image

from sphinxext import image_html


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


def test_it_is_an_extension_safe_in_parallel():
    app, metadata = setup_of(image_html)
    assert metadata == {"parallel_read_safe": True, "parallel_write_safe": True}
    assert [event for event, *_ in app.handlers] == ["doctree-resolved"]
    assert app.calls == ["add_node"]
