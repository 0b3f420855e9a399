"""The "what changed" block of a lesson page: the diff of two programs, folded,
after a sentence that links the page it builds on by its number."""

from fakes import setup_of

from sphinxext import lesson_diffs
from tools.site import REPO

EXAMPLES = REPO / "examples"


def test_the_diff_is_difflib_s_of_the_two_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "plot_1_one.py").write_text("x = 1\ny = 2\n")
    (tmp_path / "a" / "plot_2_two.py").write_text("x = 1\ny = 3\n")
    lessons = {"a/plot_2_two.py": ("a/plot_1_one.py", "y changes.")}
    lesson_diffs.LESSONS.update(lessons)
    try:
        lines = lesson_diffs.lesson_diff(tmp_path, "a/plot_2_two.py")
    finally:
        del lesson_diffs.LESSONS["a/plot_2_two.py"]
    assert lines == [
        "--- a/plot_1_one.py\n",
        "+++ a/plot_2_two.py\n",
        "@@ -1,2 +1,2 @@\n",
        " x = 1\n",
        "-y = 2\n",
        "+y = 3\n",
    ]


def test_the_diff_is_folded_with_a_count_and_a_class_per_line():
    lines = ["--- a\n", "+++ b\n", "@@ -1 +1 @@\n", " same\n", "-old <\n", "+new\n"]
    block = lesson_diffs.diff_html(lines)
    assert block.startswith('<details class="lesson-diff">')
    assert "<summary>The diff: 1 lines added, 1 removed</summary>" in block
    assert '<span class="diff-file">--- a</span>' in block
    assert '<span class="diff-hunk">@@ -1 +1 @@</span>' in block
    assert '<span class="diff-context"> same</span>' in block
    assert '<span class="diff-removed">-old &lt;</span>' in block
    assert '<span class="diff-added">+new</span>' in block


def test_the_sentence_links_the_page_it_builds_on_by_its_number():
    program = "autograd/plot_3_autograd.py"
    block = lesson_diffs.what_changed("auto_examples", program)
    assert block.startswith(
        ".. rst-class:: lesson-what-changed\n\n**What changed** since :ref:`page 2 "
        "<sphx_glr_auto_examples_tensors_plot_2_pytorch_tensors.py>`: "
    )
    assert block.endswith(f".. lesson-diff:: {program}\n\n")


def test_the_block_goes_after_the_introduction_before_the_first_cell():
    marker = ".. GENERATED FROM PYTHON SOURCE LINES"
    rst = f"{marker} 1-5\n\nTitle\n=====\n\nIntro.\n\n{marker} 6-8\n\ncode\n"
    placed = lesson_diffs.after_introduction(rst, "BLOCK\n")
    assert (
        placed
        == f"{marker} 1-5\n\nTitle\n=====\n\nIntro.\n\nBLOCK\n{marker} 6-8\n\ncode\n"
    )


def test_every_lesson_builds_on_an_existing_earlier_program():
    for program, (builds_on, idea) in lesson_diffs.LESSONS.items():
        assert (EXAMPLES / program).is_file() and (EXAMPLES / builds_on).is_file()
        assert lesson_diffs.teaching_order(builds_on) < lesson_diffs.teaching_order(
            program
        )
        assert idea.endswith(".") and idea.count(". ") == 0, idea


def test_it_is_an_extension_safe_in_parallel():
    app, metadata = setup_of(lesson_diffs)
    assert [event for event, *_ in app.handlers] == ["source-read"]
    assert metadata == {"parallel_read_safe": True, "parallel_write_safe": True}
