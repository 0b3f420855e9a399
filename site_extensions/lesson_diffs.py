"""A "what changed" block on each lesson page: the diff against the lesson it builds on.

The diffs are made from the two example files while the site builds, so they
always show the code as it is: first the diff of the code lines, where the new
idea is, then, folded separately, the diff of the prose (the docstring and the
text cells). They go on the HTML page only, never into the downloads: a
downloaded program is one of the two files the diffs were made from, and a
diff inside it would have to contain itself.
"""

import ast
import difflib
import html
import re
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .gallery_hooks import teaching_order

# Each lesson (a path under examples/), the lesson it builds on, and its one new
# idea in a sentence. The pages' own text links the same neighbours.
LESSONS = {
    "tensors/plot_2_pytorch_tensors.py": (
        "tensors/plot_1_numpy_warmup.py",
        "numpy arrays become torch tensors, placed on a device that the program "
        "chooses, drawn by torch's generator and in float32.",
    ),
    "autograd/plot_3_autograd.py": (
        "tensors/plot_2_pytorch_tensors.py",
        "the hand-written backward pass gives way to ``loss.backward()``.",
    ),
    "autograd/plot_4_custom_function.py": (
        "autograd/plot_3_autograd.py",
        "the ReLU becomes an operation of our own, a ``torch.autograd.Function`` "
        "with a hand-written backward.",
    ),
    "autograd/plot_5_tensorflow_static_graph.py": (
        "tensors/plot_1_numpy_warmup.py",
        "the numpy training loop becomes a TensorFlow graph in float32, defined "
        "once and run 500 times.",
    ),
    "nn/plot_6_nn_module.py": (
        "autograd/plot_3_autograd.py",
        "``torch.nn`` layers, with biases and smaller starting weights, and a loss "
        "module replace the weights and the loss formula, and the learning rate "
        "rises from ``1e-6`` to ``1e-4``.",
    ),
    "nn/plot_7_optim.py": (
        "nn/plot_6_nn_module.py",
        "the hand-written update gives way to an optimizer from ``torch.optim``.",
    ),
    "nn/plot_8_custom_module.py": (
        "nn/plot_7_optim.py",
        "the ``nn.Sequential`` model becomes our own subclass of ``nn.Module``, "
        "whose ``forward`` writes the ReLU as ``clamp(min=0)`` and so moves the "
        "last digits of the losses.",
    ),
    "nn/plot_9_control_flow_weight_sharing.py": (
        "nn/plot_8_custom_module.py",
        "the model's ``forward`` reuses one layer in a Python loop of random "
        "length, and page 8's Adam gives way to gradient descent with momentum, as "
        "in the original at this step.",
    ),
}


def page_label(gallery_dir: str, program: str) -> str:
    """sphinx-gallery's reference label for an example's page in ``gallery_dir``."""
    return f"sphx_glr_{gallery_dir}_{program}".replace("/", "_")


# The line that opens a text cell, as sphinx-gallery reads it.
TEXT_CELL = re.compile(r"^(#{20,}|# ?%%)")


def code_and_prose(source: str) -> tuple[list[str], list[str]]:
    """The lines of an example, split into code and prose, each in file order.

    Prose is the module docstring and each text cell: a line that opens one
    (``# %%``) and the comment lines right after it. Everything else, blank
    lines and comments inside code included, is code.
    """
    lines = source.splitlines(keepends=True)
    module = ast.parse(source)
    first = module.body[0] if module.body else None
    has_docstring = (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    )
    prose = set(range(first.end_lineno)) if has_docstring else set()
    in_cell = False
    for number, line in enumerate(lines):
        in_cell = bool(TEXT_CELL.match(line)) or (in_cell and line.startswith("#"))
        if in_cell:
            prose.add(number)
    code = [line for number, line in enumerate(lines) if number not in prose]
    return code, [line for number, line in enumerate(lines) if number in prose]


def lesson_diffs(examples: Path, program: str) -> tuple[list[str], list[str]]:
    """The unified diffs, code then prose, from the lesson ``program`` builds on."""
    builds_on, _ = LESSONS[program]
    before = code_and_prose((examples / builds_on).read_text(encoding="utf-8"))
    after = code_and_prose((examples / program).read_text(encoding="utf-8"))
    code, prose = (
        list(difflib.unified_diff(a, b, fromfile=builds_on, tofile=program))
        for a, b in zip(before, after, strict=True)
    )
    return code, prose


def diff_html(lines: list[str], what: str) -> str:
    """The diff of ``what`` as a folded block, one span per line, classed by kind."""
    added = sum(1 for line in lines if line[0] == "+" and not line.startswith("+++"))
    removed = sum(1 for line in lines if line[0] == "-" and not line.startswith("---"))
    kinds = {"+": "diff-added", "-": "diff-removed", "@": "diff-hunk"}
    spans = []
    for line in lines:
        kind = "diff-file" if line.startswith(("+++", "---")) else kinds.get(line[0])
        text = html.escape(line.rstrip("\n"))
        spans.append(f'<span class="{kind or "diff-context"}">{text}</span>\n')
    return (
        '<details class="lesson-diff">'
        f"<summary>The diff of the {what}: {added} lines added, {removed} "
        "removed</summary>"
        f'<div class="highlight"><pre>{"".join(spans)}</pre></div></details>\n'
    )


class LessonDiff(SphinxDirective):
    """``.. lesson-diff:: <program>``: the folded diffs of a lesson, code first."""

    required_arguments = 1

    def run(self):
        program = self.arguments[0]
        examples = Path(
            self.env.srcdir, self.config.sphinx_gallery_conf["examples_dirs"]
        )
        # Rebuild this page when either file changes, not only its own.
        for path in (program, LESSONS[program][0]):
            self.env.note_dependency(str((examples / path).resolve()))
        code, prose = lesson_diffs(examples, program)
        html_block = diff_html(code, "code") + diff_html(prose, "prose")
        return [nodes.raw("", html_block, format="html")]


def what_changed(gallery_dir: str, program: str) -> str:
    """The reST that a lesson's page gets: a sentence, then the folded diffs."""
    builds_on, idea = LESSONS[program]
    return (
        ".. rst-class:: lesson-what-changed\n\n"
        f"**What changed** since :ref:`page {teaching_order(builds_on)} "
        f"<{page_label(gallery_dir, builds_on)}>`: {idea}\n\n"
        f".. lesson-diff:: {program}\n\n"
    )


def add_what_changed(app, docname, source):
    """Put the summary and the diff after a lesson page's introduction."""
    gallery_dir = app.config.sphinx_gallery_conf["gallery_dirs"]
    program = docname.removeprefix(f"{gallery_dir}/") + ".py"
    if not docname.startswith(f"{gallery_dir}/") or program not in LESSONS:
        return
    try:
        source[0] = after_introduction(source[0], what_changed(gallery_dir, program))
    except ValueError as err:
        raise ValueError(f"{docname}: {err}") from None


def after_introduction(rst: str, block: str) -> str:
    """``rst``, a page sphinx-gallery wrote, with ``block`` after its introduction."""
    marker = ".. GENERATED FROM PYTHON SOURCE LINES"
    # The first marker after the title starts the first cell after the introduction.
    at = rst.find(marker, rst.find("\n===="))
    if at < 0:
        raise ValueError("no code cell after the introduction")
    return rst[:at] + block + rst[at:]


def setup(app):
    app.add_directive("lesson-diff", LessonDiff)
    app.connect("source-read", add_what_changed)
    app.add_css_file("lesson_diffs.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
