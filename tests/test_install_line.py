"""A reader takes one program elsewhere and installs what it imports."""

import json
import re
import zipfile
from importlib.metadata import PackageNotFoundError, version

import pytest
from sitebuild import (
    EXAMPLES,
    GALLERY,
    GALLERY_DIR,
    gallery_copy,
    notebook_path,
    page_path,
    read_page,
)

each_example = pytest.mark.parametrize("program", GALLERY, ids=str)
# The package a reader installs for each module an example may import.
# tensorflow: the package for every platform, whichever build the site ran.
PACKAGE = {m: m for m in ("numpy", "matplotlib", "torch", "tensorflow")}


def installed(package: str) -> str:
    """The version this site ran: what .venv holds, less a local build label."""
    names = ["tensorflow", "tensorflow-cpu"] if package == "tensorflow" else [package]
    for name in names:
        try:
            return version(name).split("+")[0]
        except PackageNotFoundError:
            continue
    raise AssertionError(f"{package} is not installed")


def expected(program) -> set[str]:
    source = (EXAMPLES / program).read_text(encoding="utf-8")
    modules = set(re.findall(r"^\s*(?:import|from)\s+(\w+)", source, re.M))
    return {f"{PACKAGE[m]}=={installed(PACKAGE[m])}" for m in modules & PACKAGE.keys()}


def requirements(text: str) -> set[str]:
    lines = [line for line in text.splitlines() if line.startswith("pip install ")]
    assert len(lines) == 1, text
    return set(lines[0].split()[2:])


@each_example
def test_notebook_starts_with_a_text_cell_that_installs_its_imports(site, program):
    path = notebook_path(site.root, program)
    first = json.loads(path.read_text(encoding="utf-8"))["cells"][0]
    assert first["cell_type"] == "markdown"
    assert requirements("".join(first["source"])) == expected(program)


@each_example
def test_zipped_notebook_carries_the_same_cell(site, program):
    folder = gallery_copy(site.root)
    notebook = program.with_suffix(".ipynb")
    on_disk = json.loads((folder / notebook).read_text(encoding="utf-8"))["cells"][0]
    with zipfile.ZipFile(folder / program.with_suffix(".zip")) as one:
        assert json.loads(one.read(notebook.name))["cells"][0] == on_disk
    with zipfile.ZipFile(folder / f"{GALLERY_DIR}_jupyter.zip") as every:
        assert json.loads(every.read(notebook.as_posix()))["cells"][0] == on_disk


@each_example
def test_download_area_shows_the_install_line(site, program):
    page = read_page(page_path(site.html, program))
    line = page.select_one(".sphx-glr-footer .sphx-glr-download-install pre")
    assert line is not None, "no install line in the download area"
    assert requirements(line.get_text()) == expected(program)
