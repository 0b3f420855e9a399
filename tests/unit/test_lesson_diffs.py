"""The "what changed" block of a lesson page: the diff of two programs, folded,
after a sentence that links the page it builds on by its number."""

from fakes import setup_of

from site_extensions import lesson_diffs
from tools.site import REPO

EXAMPLES = REPO / "examples"


LESSON_ONE = '''r"""
One
===
"""

# %%
# Set x.
x = 1  # the first value
y = 2
'''
LESSON_TWO = '''r"""
Two
===
"""

# %%
# Set x, then y.
x = 1  # the first value
y = 3
'''


def test_prose_is_the_docstring_and_the_text_cells_and_the_rest_is_code():
    code, prose = lesson_diffs.code_and_prose(LESSON_ONE)
    assert prose == ['r"""\n', "One\n", "===\n", '"""\n', "# %%\n", "# Set x.\n"]
    assert code == ["\n", "x = 1  # the first value\n", "y = 2\n"]


def test_code_and_prose_together_are_the_whole_program():
    for program in EXAMPLES.glob("*/plot_*.py"):
        source = program.read_text(encoding="utf-8")
        code, prose = lesson_diffs.code_and_prose(source)
        assert sorted(code + prose) == sorted(source.splitlines(keepends=True))


def test_the_diffs_are_difflib_s_of_the_code_and_of_the_prose(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "plot_1_one.py").write_text(LESSON_ONE, encoding="utf-8")
    (tmp_path / "a" / "plot_2_two.py").write_text(LESSON_TWO, encoding="utf-8")
    lessons = {"a/plot_2_two.py": ("a/plot_1_one.py", "y changes.")}
    lesson_diffs.LESSONS.update(lessons)
    try:
        code, prose = lesson_diffs.lesson_diffs(tmp_path, "a/plot_2_two.py")
    finally:
        del lesson_diffs.LESSONS["a/plot_2_two.py"]
    files = ["--- a/plot_1_one.py\n", "+++ a/plot_2_two.py\n"]
    assert code == files + [
        "@@ -1,3 +1,3 @@\n",
        " \n",
        " x = 1  # the first value\n",
        "-y = 2\n",
        "+y = 3\n",
    ]
    assert prose == files + [
        "@@ -1,6 +1,6 @@\n",
        ' r"""\n',
        "-One\n",
        "+Two\n",
        " ===\n",
        ' """\n',
        " # %%\n",
        "-# Set x.\n",
        "+# Set x, then y.\n",
    ]


def test_the_diff_is_folded_with_a_count_and_a_class_per_line():
    lines = ["--- a\n", "+++ b\n", "@@ -1 +1 @@\n", " same\n", "-old <\n", "+new\n"]
    block = lesson_diffs.diff_html(lines, "code")
    assert block.startswith('<details class="lesson-diff">')
    assert "<summary>The diff of the code: 1 lines added, 1 removed</summary>" in block
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
