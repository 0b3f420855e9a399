"""tools/prose.py: the sentences of a built page, and how long they are."""

import pytest

from tools import prose


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "One. Two words. Three short words?",
            ["One.", "Two words.", "Three short words?"],
        ),
        # A name from the code may start a sentence, in lower case.
        ("It runs. setup_context keeps it.", ["It runs.", "setup_context keeps it."]),
        # Abbreviations, versions and dotted names do not end one.
        (
            "Use e.g. torch.nn here. Then stop.",
            ["Use e.g. torch.nn here.", "Then stop."],
        ),
        ("It is torch 2.13.0 on page 2.", ["It is torch 2.13.0 on page 2."]),
        ('He said "stop." Then it did.', ['He said "stop.', "Then it did."]),
        ("Spread\n   over  lines.", ["Spread over lines."]),
    ],
)
def test_a_paragraph_splits_into_its_sentences(text, expected):
    assert prose.split_sentences(text) == expected


def test_a_word_holds_a_letter_or_a_digit():
    assert prose.words("a — b, 1e-4 (c) ``x`` :") == 5


PAGE = """<html><body><nav><p>Not the article.</p></nav><article>
<h1>Title</h1>
<div class="sphx-glr-download-link-note"><p>Go to the end to download it.</p></div>
<p>One short sentence. Another one here.</p>
<div class="highlight"><pre>x = 1. y = 2</pre></div>
<div class="sphx-glr-script-out"><p>printed output</p></div>
<details class="lesson-diff"><summary>diff</summary><p>changed line</p></details>
<ul><li>An item without a paragraph</li><li><p>An item with one.</p></li></ul>
<table><tr><td><p>A cell.</p></td></tr></table>
<div class="sphx-glr-footer"><p>Download it.</p></div>
<div class="sd-card-header"><p>Step 1 of 9</p></div>
</article></body></html>"""


def test_only_the_articles_prose_is_measured():
    assert prose.paragraphs(PAGE) == [
        "One short sentence. Another one here.",
        "An item without a paragraph",
        "An item with one.",
    ]
    page = prose.measure(PAGE, "page.html")
    assert page.sentences == [
        "One short sentence.",
        "Another one here.",
        "An item without a paragraph",
        "An item with one.",
    ]
    assert page.lengths == [3, 3, 5, 4]
    assert page.problems() == []


def test_a_page_over_either_limit_is_named_with_what_to_fix():
    long = " ".join(["word"] * (prose.MAX_SENTENCE + 1)) + "."
    page = prose.Page("long.html", [long])
    problems = page.problems()
    assert problems[0].startswith("long.html: 41.0 words a sentence on average")
    assert problems[1].startswith("long.html: a sentence of 41 words (at most 40)")
    assert problems[1].endswith(long)


def test_an_average_at_the_limit_passes():
    sentence = " ".join(["word"] * prose.MAX_AVERAGE) + "."
    assert prose.Page("page.html", [sentence, sentence]).problems() == []


def test_the_table_lists_every_page_and_fails_on_a_problem(tmp_path, capsys):
    (tmp_path / "good.html").write_text(
        "<article><p>Short. Plain.</p></article>", encoding="utf-8"
    )
    assert prose.main([str(tmp_path)]) == 0
    long = " ".join(["word"] * 50)
    (tmp_path / "bad.html").write_text(
        f"<article><p>{long}.</p></article>", encoding="utf-8"
    )
    assert prose.main([str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert "good.html" in out and "bad.html" in out
    assert "bad.html: a sentence of 50 words" in err
