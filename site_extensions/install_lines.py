"""The `pip install` line that every downloadable example carries.

A reader who downloads one program, as a script or a notebook, can run it
without this repository, on any machine: each notebook starts with a text cell,
and each page's download area with a line, naming the packages that program
imports at the versions this site pins (constraints.txt).

A Sphinx extension (``extensions`` in conf.py) for the pages' line; the
notebooks' cell is put first by site_extensions.notebook_links, which makes every
notebook anew once the pages are read, and refreshes the zips that hold them.
Which package a reader installs for each module is ``install_lines_packages``
in conf.py; the versions are those of constraints.txt (install/pins.py).
"""

import ast
import sys
import zipfile
from pathlib import Path

from sphinx.errors import ExtensionError

from install.pins import CONSTRAINTS, pin_for, pinned_version

from . import gallery_changed

CELL_TAG = "install-line"
# The download area that sphinx-gallery writes on every example's page; the
# line goes first in it.
FOOTER = "  .. container:: sphx-glr-footer sphx-glr-footer-example\n"
PAGE_LINE = """
    .. container:: sphx-glr-download-install

      To run it outside this site, install what it imports, at the versions
      this site used:

      .. code-block:: text

         {line}
"""


def imported_modules(source: str) -> set[str]:
    """The top-level names of the non-standard modules that ``source`` imports."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names)


def install_line(example: Path, packages: dict, constraints=CONSTRAINTS) -> str:
    """`pip install` with exactly what ``example`` imports, at the versions that
    ``constraints`` pins on this machine.

    ``packages`` maps each module an example may import to the package a
    reader installs and the pinned packages whose version it takes (the first
    that this machine's pins have), or to None when it needs no install of
    its own, as ``install_lines_packages`` does.
    """
    modules = imported_modules(example.read_text(encoding="utf-8"))
    unknown = sorted(modules - packages.keys())
    if unknown:
        raise ExtensionError(
            f"{example}: imports {', '.join(unknown)}, for which conf.py's "
            "install_lines_packages names no package: add it there"
        )
    requirements = []
    for module, package_and_pins in packages.items():
        if module not in modules or package_and_pins is None:
            continue
        package, pinned_as = package_and_pins
        pins = (pin_for(name, constraints=constraints) for name in pinned_as)
        pin = next((pin for pin in pins if pin is not None), None)
        if pin is None:
            raise ExtensionError(f"{example}: {constraints.name} pins no {package}")
        requirements.append(f"{package}=={pinned_version(pin)}")
    return "pip install " + " ".join(requirements)


def page_install_line(app, example: Path) -> str:
    """install_line for ``example``, with this build's configuration."""
    return install_line(example, app.config.install_lines_packages)


def notebook_cell(line: str) -> dict:
    """A markdown cell, shaped like those sphinx-gallery writes."""
    text = (
        "To run this notebook outside the site it comes from, first install what "
        "it imports, at the versions the site used (in Jupyter or Colab, put `%` "
        f"before `pip`):\n\n```sh\n{line}\n```"
    )
    return {"cell_type": "markdown", "metadata": {"tags": [CELL_TAG]}, "source": [text]}


def refresh_zip(archive: Path) -> None:
    """Rewrite the notebooks in ``archive`` from the files next to it."""
    with zipfile.ZipFile(archive) as old:
        members = [(info, old.read(info)) for info in old.infolist()]
    current = [
        (info, (archive.parent / info.filename).read_bytes())
        if info.filename.endswith(".ipynb")
        else (info, data)
        for info, data in members
    ]
    if current != members:
        with zipfile.ZipFile(archive, "w") as new:
            for info, data in current:
                new.writestr(info, data)


def gallery_dirs(app) -> list[Path]:
    dirs = app.config.sphinx_gallery_conf["gallery_dirs"]
    return [Path(app.srcdir, d) for d in ([dirs] if isinstance(dirs, str) else dirs)]


def add_line_to_page(app, docname: str, source: list[str]) -> None:
    """The install line first in the download area of an example's page (one
    with its program beside it); an error if the page has no such area."""
    example = Path(app.srcdir, docname).with_suffix(".py")
    if not example.is_file():
        return
    if FOOTER not in source[0]:
        raise gallery_changed(
            __name__,
            f"{docname}.rst: sphinx-gallery's download footer ({FOOTER[:-1]!r}) "
            "not found; the install line cannot be added",
        )
    line = PAGE_LINE.format(line=page_install_line(app, example))
    source[0] = source[0].replace(FOOTER, FOOTER + line, 1)


def setup(app):
    # For each module an example may import: the package a reader installs,
    # and the pinned packages whose version it takes.
    app.add_config_value("install_lines_packages", {}, "env", dict)
    app.connect("source-read", add_line_to_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
