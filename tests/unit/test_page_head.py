"""Each page's <head>: a description of the right length, and no stylesheet
that the site does not use."""

from types import SimpleNamespace

import pytest
from docutils.core import publish_doctree
from fakes import FakeApp, setup_of

from site_extensions import page_head

PAGE = """\
Title
=====

{lead}

.. note::

   A note is not the lead.

A second paragraph, which follows the first.
"""


def app(**config):
    defaults = {
        "page_head_description_length": (100, 300),
        "page_head_descriptions": {"search": "Search the pages of {project}."},
        "page_head_unused_css": ("sg_gallery-binder.css",),
        "page_head_css_by_class": {"design.css": "sd-"},
        "page_head_unused_js": ("tabs.js",),
    }
    return FakeApp(**(defaults | config))


def test_a_short_text_is_kept_whole():
    assert page_head.shorten("One sentence.", 300) == "One sentence."


def test_a_long_text_is_cut_at_the_last_sentence_that_fits():
    text = "First sentence here. Second one is longer. Third does not fit at all."
    assert page_head.shorten(text, 45) == "First sentence here. Second one is longer."


def test_a_short_first_sentence_goes_on_into_the_next_cut_at_a_word():
    # Cut at its end, this text would say only why, not what the page shows.
    text = (
        "Writing gradients by hand grows tedious. This page lets autograd "
        "record the forward pass and work out every gradient."
    )
    assert page_head.shorten(text, 80, at_least=60) == (
        "Writing gradients by hand grows tedious. This page lets autograd record the…"
    )
    assert page_head.shorten(text, 80) == "Writing gradients by hand grows tedious."


def test_a_cut_at_a_word_drops_the_punctuation_before_the_ellipsis():
    assert page_head.shorten("one, two; three", 10) == "one, two…"


def test_a_long_sentence_is_cut_at_a_word_with_an_ellipsis():
    text = "one two three four five six seven"
    assert page_head.shorten(text, 16) == "one two three…"


def test_the_lead_is_the_paragraph_under_the_title_not_a_note():
    doctree = publish_doctree(PAGE.format(lead="What the reader will see here."))
    assert page_head.lead_paragraph(doctree, 20) == "What the reader will see here."


def test_a_short_lead_goes_on_into_the_next_paragraph():
    doctree = publish_doctree(PAGE.format(lead="Two ideas:"))
    assert page_head.lead_paragraph(doctree, 100) == (
        "Two ideas: A second paragraph, which follows the first."
    )


def test_a_paragraph_of_links_alone_is_not_part_of_the_lead():
    # A gallery's index: a short introduction, then its cards' titles.
    doctree = publish_doctree(
        PAGE.format(lead="Two ideas:").replace(
            "A second paragraph",
            "`Autograd <https://example.org/>`_\n\nA second paragraph",
        )
    )
    assert page_head.lead_paragraph(doctree, 100) == (
        "Two ideas: A second paragraph, which follows the first."
    )


def test_a_page_without_a_document_gets_its_written_description():
    assert page_head.description(app(), "search", None) == "Search the pages of A Site."


def test_a_page_without_any_description_is_an_error_that_says_where_to_add_one():
    with pytest.raises(ValueError, match="page 'genindex' has no description"):
        page_head.description(app(), "genindex", None)


def test_the_description_goes_into_the_metatags_escaped():
    doctree = publish_doctree(PAGE.format(lead='Loss "falls" <fast>.'))
    context = {"metatags": ""}
    page_head.add_description(app(), "page", "page.html", context, doctree)
    assert context["metatags"] == (
        '<meta name="description" content="Loss &quot;falls&quot; &lt;fast&gt;. '
        'A second paragraph, which follows the first.">\n'
    )


def files(*names):
    return [SimpleNamespace(filename=name) for name in names]


def test_unused_stylesheets_and_scripts_are_dropped():
    css = files("a11y.css", "_static/sg_gallery-binder.css", "_static/design.css")
    context = {"css_files": css, "script_files": files("furo.js", "_static/tabs.js")}
    page_head.drop_unused_styles(app(), "page", "page.html", context, None)
    assert [c.filename for c in context["css_files"]] == ["a11y.css"]
    assert [js.filename for js in context["script_files"]] == ["furo.js"]


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ('<div class="sd-card docutils">', True),
        ('<div class="docutils sd-card">', True),
        ('<div class="card-sd">', False),
        ("<p>sd-card is a class name</p>", False),
    ],
)
def test_a_stylesheet_for_some_pages_stays_on_those_that_use_its_classes(body, kept):
    context = {
        "css_files": files("_static/design.css"),
        "script_files": [],
        "body": body,
    }
    page_head.drop_unused_styles(app(), "page", "page.html", context, None)
    assert bool(context["css_files"]) == kept


def test_its_options_are_config_values():
    app, metadata = setup_of(page_head)
    assert set(app.config_values) == {
        "page_head_description_length",
        "page_head_descriptions",
        "page_head_unused_css",
        "page_head_css_by_class",
        "page_head_unused_js",
    }
    assert metadata["parallel_read_safe"] and metadata["parallel_write_safe"]
