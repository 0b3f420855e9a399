"""A reader downloads a program as a Jupyter notebook."""

import nbformat
import pytest
from sitebuild import PROGRAMS


@pytest.mark.parametrize("program", PROGRAMS, ids=str)
def test_notebook_is_valid_and_holds_the_program(site, program):
    path = site.root / "docs" / "auto_examples" / program.with_suffix(".ipynb")
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    assert "for t in range(500):" in code
    assert any(cell.cell_type == "markdown" for cell in notebook.cells)
