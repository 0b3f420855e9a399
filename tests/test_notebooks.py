"""A reader downloads a program as a Jupyter notebook and runs it."""

import re

import nbformat
import pytest
from sitebuild import GALLERY, PROGRAMS, gallery_copy, printed_output, unmeasured

each_example = pytest.mark.parametrize("program", GALLERY, ids=str)


def outputs(notebook, output_type, name=None):
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            if output.output_type == output_type and output.get("name") == name:
                yield output


@pytest.mark.parametrize("program", PROGRAMS, ids=str)
def test_notebook_is_valid_and_holds_the_program(site, program):
    path = gallery_copy(site.root) / program.with_suffix(".ipynb")
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert "for t in range(500):" in code
    assert any(cell.cell_type == "markdown" for cell in notebook.cells)


@each_example
def test_notebook_runs_top_to_bottom_without_errors(executed_notebooks, program):
    errors = [
        f"{error.ename}: {error.evalue}"
        for error in outputs(executed_notebooks[program], "error")
    ]
    assert errors == []


@each_example
def test_notebook_prints_what_the_page_shows(site, executed_notebooks, program):
    printed = "".join(
        o.text for o in outputs(executed_notebooks[program], "stream", "stdout")
    )
    shown = printed_output(site.html, program)
    assert unmeasured(program, printed) == unmeasured(program, shown)
    assert unmeasured(program, printed), "the notebook printed nothing to compare"


# What torch's CUDA build logs when torch.compile meets a CUDA toolkit on a
# machine with no NVIDIA GPU (as on our CI machine with PyPI's torch): a fact
# about the machine, not about the page.
CUDA_TOOLKIT_WITHOUT_GPU = re.compile(
    r"^W\d{4} [\d:.]+ \d+ torch/utils/cpp_extension\.py:\d+\] (\[[\d/]+\] )?"
    r"No CUDA runtime is found, using CUDA_HOME='[^']*'$"
)


@each_example
def test_notebook_writes_nothing_to_stderr(executed_notebooks, program):
    # TensorFlow's C++ start-up lines would land here.
    stderr = [
        line
        for output in outputs(executed_notebooks[program], "stream", "stderr")
        for line in output.text.splitlines()
        if not CUDA_TOOLKIT_WITHOUT_GPU.match(line)
    ]
    assert stderr == []
