"""A reader goes through the lessons in order: each page shows what its program
changed in the one it builds on, and links the page before and the page after."""

import copy
import difflib
import re
from pathlib import Path

import pytest
from sitebuild import EXAMPLES, GALLERY, PROGRAMS, gallery_copy, page_path, read_page

from site_extensions.lesson_diffs import LESSONS, code_and_prose

# Pages that end with a line naming and linking the page after them: all but
# the last, in teaching order.
ENDS_WITH_NEXT = GALLERY[:-1]
# How each lesson opens its note of where it departs from the original tutorial.
DEPARTURE_NOTE = "Against the original tutorial:"


def expected_diffs(program: str) -> list[str]:
    """difflib's unified diffs of the code lines, then of the prose lines."""
    builds_on, _ = LESSONS[program]
    before, after = (
        code_and_prose((EXAMPLES / path).read_text(encoding="utf-8"))
        for path in (builds_on, program)
    )
    return [
        "".join(difflib.unified_diff(a, b, fromfile=builds_on, tofile=program))
        for a, b in zip(before, after, strict=True)
    ]


def linked_pages(element, page_file: Path) -> set[Path]:
    """The example pages that links inside ``element`` lead to, as files."""
    return {
        (page_file.parent / a["href"].split("#")[0]).resolve()
        for a in element.select("a.reference.internal")
        if a["href"].split("#")[0]
    }


def own_text(page):
    """The page's article as its program wrote it: no generated diff or panels
    (taken out of a copy: the parsed page is shared, see read_page)."""
    article = copy.copy(page.select_one("article"))
    for generated in article.select(
        "details.lesson-diff, p.lesson-what-changed, div.sphx-glr-footer,"
        " div.sphx-glr-thumbnails, p.rubric, p.sphx-glr-signature, p.sphx-glr-timing"
    ):
        generated.decompose()
    return article


def test_every_lesson_after_the_first_builds_on_an_earlier_one():
    # LESSONS names them as posix paths, whatever the system.
    assert sorted(LESSONS) == sorted(p.as_posix() for p in PROGRAMS[1:])
    order = [p.as_posix() for p in GALLERY]
    for program, (builds_on, idea) in LESSONS.items():
        assert order.index(builds_on) < order.index(program), program
        assert idea.endswith(".") and idea.count(". ") == 0, idea


@pytest.mark.parametrize("program", list(LESSONS), ids=str)
def test_page_shows_the_diff_against_the_lesson_it_builds_on(site, program):
    page_file = page_path(site.html, Path(program))
    page = read_page(page_file)
    # The code's diff first, where the idea is; the prose's after it.
    blocks = page.select("details.lesson-diff")
    assert [b.select_one("pre").get_text() for b in blocks] == expected_diffs(program)
    summaries = [b.select_one("summary").get_text() for b in blocks]
    assert [s.split(":")[0] for s in summaries] == [
        "The diff of the code",
        "The diff of the prose",
    ]
    assert all("open" not in b.attrs for b in blocks), "the diffs start folded"
    block = blocks[0]
    for line in page.select("details.lesson-diff pre > span"):
        text = line.get_text()
        if text.startswith(("+++", "---")):
            continue
        kind = {"+": "diff-added", "-": "diff-removed"}.get(text[:1])
        assert (
            (kind in line["class"])
            if kind
            else not ({"diff-added", "diff-removed"} & set(line["class"]))
        ), text

    # One sentence above it names the idea and links the page it builds on.
    summary = block.find_previous_sibling("p")
    assert "lesson-what-changed" in summary["class"]
    builds_on = page_path(site.html, Path(LESSONS[program][0])).resolve()
    assert linked_pages(summary, page_file) == {builds_on}
    # It comes after the introduction, before the first code cell.
    assert not block.find_previous("div", class_="highlight-Python")
    assert block.find_next("div", class_="highlight-Python")


@pytest.mark.parametrize("program", list(LESSONS), ids=str)
def test_downloads_hold_the_program_not_the_diff(site, program):
    gallery = gallery_copy(site.root)
    assert (gallery / program).read_text(encoding="utf-8") == (
        EXAMPLES / program
    ).read_text(encoding="utf-8")
    notebook = (gallery / program).with_suffix(".ipynb").read_text(encoding="utf-8")
    assert "What changed" not in notebook and "lesson-diff" not in notebook


@pytest.mark.parametrize("program", list(LESSONS), ids=str)
def test_lesson_links_the_page_it_builds_on_in_its_own_text(site, program):
    page_file = page_path(site.html, Path(program))
    builds_on = page_path(site.html, Path(LESSONS[program][0])).resolve()
    assert builds_on in linked_pages(own_text(read_page(page_file)), page_file)


@pytest.mark.parametrize("program", ENDS_WITH_NEXT, ids=str)
def test_page_ends_with_a_line_that_links_the_next(site, program):
    page_file = page_path(site.html, program)
    following = GALLERY[GALLERY.index(program) + 1]
    last = own_text(read_page(page_file)).select("section p")[-1]
    assert re.match(r"Next\b", last.get_text()), last.get_text()
    assert linked_pages(last, page_file) == {page_path(site.html, following).resolve()}


@pytest.mark.parametrize("program", PROGRAMS, ids=str)
def test_lesson_says_where_it_departs_from_the_original(site, program):
    # One short note in the same form on every lesson, just before "Next".
    paragraphs = own_text(read_page(page_path(site.html, program))).select("section p")
    notes = [p for p in paragraphs if p.get_text().startswith(DEPARTURE_NOTE)]
    assert len(notes) == 1, program
    assert paragraphs.index(notes[0]) == len(paragraphs) - 2
    source = (EXAMPLES / program).read_text(encoding="utf-8")
    if "torch.accelerator" in source:
        assert "device" in notes[0].get_text() and "seed" in notes[0].get_text()


def code_lines(program: str) -> list[str]:
    """A program's code, without its prose comments and blank lines."""
    lines = (
        (EXAMPLES / program).read_text(encoding="utf-8").split('"""', 2)[2].splitlines()
    )
    return [line for line in lines if line.strip() and not line.startswith("#")]


def test_page_7_teaches_adam_as_the_original_tutorial_does():
    code = code_lines("nn/plot_7_optim.py")
    assert "learning_rate = 1e-4" in code
    assert "optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)" in code


def test_from_page_7_to_8_only_the_model_changes():
    # The optimizer stays page 7's, so the diff shows the new class and nothing
    # else of the training: no line with the optimizer, the learning rate or
    # the loss differs.
    changed = [
        line
        for line in difflib.unified_diff(
            code_lines("nn/plot_7_optim.py"), code_lines("nn/plot_8_custom_module.py")
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed
    training = ("optimizer", "learning_rate", "loss")
    assert not [line for line in changed if any(name in line for name in training)]
