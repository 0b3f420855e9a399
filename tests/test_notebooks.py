"""A reader downloads a program as a Jupyter notebook and runs it."""

import re
from pathlib import Path

import nbformat
import pytest
from sitebuild import (
    ADDRESS,
    CANNOT_COMPILE,
    EXAMPLES,
    GALLERY,
    MARKDOWN_LINK,
    RUN_AS_NOTEBOOKS,
    notebook_path,
    notebook_text,
    page_url,
    printed_output,
    read_page,
    unmeasured,
    without_the_compiled_run,
)
from sphinx_gallery.py_source_parser import (
    remove_config_comments,
    split_code_and_text_blocks,
)

STATIC_GRAPHS = Path("beyond/plot_12_static_graphs_today.py")

each_example = pytest.mark.parametrize("program", GALLERY, ids=str)
# The notebooks the tests run; the programs of the others run as scripts.
each_notebook_run = pytest.mark.parametrize("program", RUN_AS_NOTEBOOKS, ids=str)


def outputs(notebook, output_type, name=None):
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            if output.output_type == output_type and output.get("name") == name:
                yield output


def code_blocks(sources):
    """The code of each block or cell, less the blank lines around it."""
    return [code.strip() for code in sources if code.strip()]


@each_example
def test_notebook_is_valid_and_its_code_cells_are_the_programs_code(site, program):
    path = notebook_path(site.root, program)
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    cells = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    # The program as its .py download holds it, split where its prose is, less
    # its settings for sphinx-gallery (conf.py's remove_config_comments):
    # running either runs the same code, in the same order.
    _, blocks = split_code_and_text_blocks(str(EXAMPLES / program))[:2]
    program_code = [
        remove_config_comments(content) for kind, content, _ in blocks if kind == "code"
    ]
    assert code_blocks(cells) == code_blocks(program_code)
    assert any(cell.cell_type == "markdown" for cell in notebook.cells)


# What Sphinx's cross-references leave behind when a notebook's text keeps them.
REST_REFERENCE = re.compile(r":(ref|term|doc):`|sphx_glr_")


@each_example
def test_notebook_text_links_the_pages_it_names_on_the_published_site(site, program):
    text = notebook_text(site.root, program)
    assert REST_REFERENCE.findall(text) == []
    # Every example names another page; each link goes to a page of the site,
    # and to a place on it that is there.
    links = [url for _, url in MARKDOWN_LINK.findall(text) if url.startswith(ADDRESS)]
    assert links, "the notebook links no page of the site"
    for url in links:
        path, _, anchor = url.removeprefix(ADDRESS).partition("#")
        page = site.html / path
        assert page.is_file(), url
        assert not anchor or read_page(page).find(id=anchor), url


def test_page_2s_notebook_links_page_1_and_one_built_elsewhere_names_it(
    site, site_built_elsewhere
):
    page_1 = page_url(ADDRESS, GALLERY[0])
    texts = [
        text
        for text, url in MARKDOWN_LINK.findall(notebook_text(site.root, GALLERY[1]))
        if url.partition("#")[0] == page_1
    ]
    assert texts, f"page 2's notebook does not link {page_1}"
    # A build told no repository knows no address: the same words, unlinked.
    elsewhere = " ".join(notebook_text(site_built_elsewhere.root, GALLERY[1]).split())
    assert REST_REFERENCE.findall(elsewhere) == []
    assert MARKDOWN_LINK.findall(elsewhere) == []
    assert all(" ".join(text.split()) in elsewhere for text in texts)


@each_notebook_run
def test_notebook_runs_top_to_bottom_without_errors(executed_notebooks, program):
    errors = [
        f"{error.ename}: {error.evalue}"
        for error in outputs(executed_notebooks[program], "error")
    ]
    assert errors == []


def printed_by(notebook) -> str:
    return "".join(o.text for o in outputs(notebook, "stream", "stdout"))


@each_notebook_run
def test_notebook_prints_what_the_page_shows(site, executed_notebooks, program):
    printed = unmeasured(program, printed_by(executed_notebooks[program]))
    shown = unmeasured(program, printed_output(site.html, program))
    if program == STATIC_GRAPHS:
        # The notebooks run without a C++ compiler; the build had one, or not.
        printed, shown = (
            without_the_compiled_run(printed),
            without_the_compiled_run(shown),
        )
    assert printed == shown
    assert printed, "the notebook printed nothing to compare"


def test_static_graphs_without_a_compiler_say_what_to_install_and_train_eagerly(
    executed_notebooks,
):
    printed = printed_by(executed_notebooks[STATIC_GRAPHS])
    cannot = CANNOT_COMPILE.findall(printed)
    device = re.search(r"^Running on: (\w+)", printed, re.M)[1]
    if device != "cpu" and not cannot:
        # An accelerator's kernels need no C++ compiler (Triton's need a C one).
        assert "compiled:" in printed
        return
    # On the CPU, Inductor's code is C++: NO_COMPILER leaves it none. (What
    # the page names to install on each system: test_pages_on_other_machines.)
    ((problem, install),) = cannot
    assert problem == "no working C++ compiler" and install.startswith("install ")
    assert "graph runs" not in printed and "compiled:" not in printed
    # What it could do without compiling: the traced graphs, the eager run.
    assert "Traces after 500 steps: 1" in printed
    assert "torch.ops.aten.linear" in printed
    assert len(re.findall(r"^step +\d+ +loss ", printed, re.M)) == 5
    assert re.search(r"^Median step: eager [\d.]+ ms \(torch on cpu\)$", printed, re.M)


# What torch's CUDA build logs when torch.compile meets a CUDA toolkit on a
# machine with no NVIDIA GPU (as on our CI machine with PyPI's torch): a fact
# about the machine, not about the page.
CUDA_TOOLKIT_WITHOUT_GPU = re.compile(
    r"^W\d{4} [\d:.]+ \d+ torch/utils/cpp_extension\.py:\d+\] (\[[\d/]+\] )?"
    r"No CUDA runtime is found, using CUDA_HOME='[^']*'$"
)


@each_notebook_run
def test_notebook_writes_nothing_to_stderr(executed_notebooks, program):
    # TensorFlow's C++ start-up lines would land here.
    stderr = [
        line
        for output in outputs(executed_notebooks[program], "stream", "stderr")
        for line in output.text.splitlines()
        if not CUDA_TOOLKIT_WITHOUT_GPU.match(line)
    ]
    assert stderr == []
