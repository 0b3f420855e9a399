"""site_extensions/example_cards.py: a card for each example, from its docstring."""

from pathlib import Path

import pytest
from fakes import setup_of
from sphinx.errors import ExtensionError

from site_extensions import example_cards

EXAMPLE = '''"""
A title: with a colon
=====================

The idea in one sentence, with ``code``. More about it. And more.

A second paragraph.
"""

x = 1
'''


def test_the_card_shows_the_title_and_the_first_sentence_of_the_introduction():
    title, idea = example_cards.title_and_idea(EXAMPLE, "plot_1_a.py")
    assert title == "A title: with a colon"
    assert idea == "The idea in one sentence, with ``code``."


def test_an_introduction_over_several_lines_is_one_sentence_on_one_line():
    source = '"""\nTitle\n-----\n\nOne idea\nover two lines. Then more.\n"""\n'
    assert example_cards.title_and_idea(source, "x.py") == (
        "Title",
        "One idea over two lines.",
    )


@pytest.mark.parametrize(
    "source",
    [
        "x = 1\n",  # no docstring
        '"""\nA title without its underline\n\nAn intro.\n"""\n',
        '"""\nA title alone\n============\n"""\n',
    ],
)
def test_an_example_without_title_or_introduction_fails_naming_it(source):
    with pytest.raises(ExtensionError, match=r"plot_3_x\.py: an example starts"):
        example_cards.title_and_idea(source, "plot_3_x.py")


def test_a_card_links_the_page_and_shows_its_thumbnail_label_and_idea(tmp_path):
    example = tmp_path / "tensors" / "plot_1_a.py"
    example.parent.mkdir()
    example.write_text(EXAMPLE, encoding="utf-8")
    lines = example_cards.card(example, tmp_path, "auto_examples", "Step 1 of 9")
    assert lines[0] == (
        "   .. grid-item-card:: :doc:`A title: with a colon"
        " </auto_examples/tensors/plot_1_a>`"
    )
    thumbnail = "/auto_examples/tensors/images/thumb/sphx_glr_plot_1_a_thumb.png"
    assert f"      :img-top: {thumbnail}" in lines
    assert "         Step 1 of 9" in lines
    assert lines[-2] == "      The idea in one sentence, with ``code``."


def test_it_registers_its_directive_with_sphinx_design():
    app, metadata = setup_of(example_cards)
    assert app.calls == ["setup_extension", "add_directive"]
    assert metadata["parallel_read_safe"] and metadata["parallel_write_safe"]


def test_every_example_of_the_site_has_a_title_and_an_introduction():
    examples = Path(__file__).parents[2] / "examples"
    for example in examples.glob("*/plot_*.py"):
        title, idea = example_cards.title_and_idea(
            example.read_text(encoding="utf-8"), example
        )
        assert title and idea.endswith((".", "?", "!")), example


def test_an_abbreviation_does_not_end_the_first_sentence():
    source = '"""\nTitle\n-----\n\nA tool, e.g. a hammer, helps. More.\n"""\n'
    assert example_cards.title_and_idea(source, "x.py")[1] == (
        "A tool, e.g. a hammer, helps."
    )
