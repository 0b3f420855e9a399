"""A shared link to a page previews it with the page's own description and
figure."""

import re
from types import SimpleNamespace

from docutils.core import publish_doctree
from fakes import FakeApp, setup_of
from PIL import Image
from sphinx_gallery.directives import imgsgnode

from site_extensions import link_previews, page_head

SITE = "https://someone.github.io/learning/"
PAGE = """\
Loss on a log scale
===================

The loss falls from "millions" to <1e-6 in 500 steps: the figure shows it.
"""
# As site_extensions.alt_text writes it: escaped for the <img> tag already.
ALT = "Loss against step: page 6&#x27;s falls &quot;fast&quot;."


def figure(name, theme):
    """An image-sg node as sphinx-gallery makes it, with a 2x version."""
    uri = f"/auto_examples/images/{name}.png"
    node = imgsgnode()
    node["uri"], node["alt"] = uri, ALT
    node["srcset"] = f"{uri}, /auto_examples/images/{name}_2_00x.png 2.00x"
    node["class"] = ["sphx-glr-single-img", f"only-{theme}"]
    return node


def page(*figures):
    doctree = publish_doctree(PAGE)
    doctree[0].extend(figures)
    return doctree


def app(tmp_path, **config):
    images = tmp_path / "auto_examples" / "images"
    images.mkdir(parents=True)
    Image.new("RGB", (1200, 700)).save(images / "plot_001_2_00x.png")
    config = {
        "ogp_site_url": SITE,
        "page_head_description_length": (10, 300),
        "page_head_descriptions": {},
    } | config
    fake = FakeApp(srcdir=tmp_path, **config)
    fake.builder = SimpleNamespace(imagedir="_images")
    return fake


def previewed(app, doctree, meta=None):
    context = {"meta": meta}
    link_previews.add_preview_fields(app, "plot", "page.html", context, doctree)
    return context["meta"]


def test_the_largest_file_of_a_figure_is_the_one_shown():
    assert link_previews.largest(figure("plot_001", "light")) == (
        "/auto_examples/images/plot_001_2_00x.png"
    )


def test_the_figure_is_the_first_of_the_light_theme():
    light = figure("plot_001", "light")
    found = link_previews.first_figure(page(figure("plot_001_dark", "dark"), light))
    assert found is light


def test_a_page_is_previewed_with_its_description_and_its_figure(tmp_path):
    site = app(tmp_path)
    doctree = page(figure("plot_001", "light"), figure("plot_001_dark", "dark"))
    fields = previewed(site, doctree, meta={"orphan": ""})
    assert fields == {
        "orphan": "",
        "og:description": (
            "The loss falls from &quot;millions&quot; to &lt;1e-6 in 500 steps: "
            "the figure shows it."
        ),
        "og:image": SITE + "_images/plot_001_2_00x.png",
        "og:image:width": "1200",
        "og:image:height": "700",
        "og:image:alt": "Loss against step: page 6&#x27;s falls &quot;fast&quot;.",
    }


def test_the_preview_s_description_is_the_meta_description(tmp_path):
    site = app(tmp_path, page_head_description_length=(10, 40))
    doctree = page()
    context = {"metatags": ""}
    page_head.add_description(site, "plot", "page.html", context, doctree)
    (meta,) = re.findall(
        r'<meta name="description" content="([^"]*)">', context["metatags"]
    )
    assert meta.endswith("…")  # cut short: both are cut alike
    assert previewed(site, doctree)["og:description"] == meta


def test_alt_text_is_escaped_once(tmp_path):
    raw = figure("plot_001", "light")
    raw["alt"] = 'Loss: falls "fast" & <far>.'
    fields = previewed(app(tmp_path), page(raw))
    assert fields["og:image:alt"] == "Loss: falls &quot;fast&quot; &amp; &lt;far&gt;."


def test_a_page_without_a_figure_has_no_image(tmp_path):
    assert "og:image" not in previewed(app(tmp_path), page())


def test_the_page_s_own_metadata_is_left_as_it_was(tmp_path):
    meta = {"orphan": ""}
    previewed(app(tmp_path), page(), meta=meta)
    assert meta == {"orphan": ""}


def test_a_build_without_a_published_address_gets_no_fields(tmp_path):
    site = FakeApp(srcdir=tmp_path)
    assert previewed(site, page()) is None
    assert previewed(app(tmp_path), None) is None


def test_it_fills_the_fields_before_sphinxext_opengraph_reads_them():
    app, metadata = setup_of(link_previews)
    assert [(e, p) for e, _, p in app.handlers] == [("html-page-context", 400)]
    assert metadata["parallel_read_safe"] and metadata["parallel_write_safe"]
