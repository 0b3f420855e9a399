"""A line on every example page that says what its program ran with.

A reader whose run prints other numbers can tell why: under the last output
of each example page that ran, a line names the installed versions of the
libraries its program imports (``torch 2.13.0+cpu``), the device its run
printed (``Running on: ...``; the CPU for a page that prints none, as numpy
and TensorFlow's pages run there), and the day of the build that ran it:
SOURCE_DATE_EPOCH's in a reproducible build (site_extensions.build_inputs'
``build_day``), so that two of its builds stay the same, else the day
sphinx-gallery wrote the page. A change of those versions runs every example
again (site_extensions.build_inputs), so the line and the output agree.

A Sphinx extension (``extensions`` in conf.py), like site_extensions.install_lines
a splice into the page sphinx-gallery writes: it fails the build, naming the
page, when an example's page no longer has the download area that every one
has. Which package each module comes from is conf.py's
``install_lines_packages``.
"""

import contextlib
import re
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sphinx.errors import ExtensionError

from .install_lines import imported_modules

# The label of an example page's download area, which every one has.
DOWNLOADS = re.compile(r"^\.\. _sphx_glr_download_\S+:$", re.M)
# What the program printed: sphinx-gallery's output blocks, indented under
# this line; the line goes after the last.
OUTPUT = re.compile(r"^\.\. rst-class:: sphx-glr-script-out\n((?:\n| .*\n)*)", re.M)
PAGE_LINE = """
.. rst-class:: sphx-glr-run-info

{line}

"""


def installed(package_and_pins) -> str | None:
    """``name version`` of the first of the pinned packages in
    ``package_and_pins`` (an entry of install_lines_packages) that is
    installed; None for a module with nothing to install, or none installed."""
    for name in package_and_pins[1] if package_and_pins else ():
        with contextlib.suppress(PackageNotFoundError):
            return f"{name} {version(name)}"
    return None


def library_versions(source: str, packages: dict) -> list[str]:
    """installed() for each library that ``source`` imports, in the order of
    ``packages`` (install_lines_packages)."""
    modules = imported_modules(source)
    found = (installed(pins) for module, pins in packages.items() if module in modules)
    return [library for library in found if library]


def printed_device(page: str) -> str:
    """The device the page's printed output says it ran on, else the CPU."""
    for output in OUTPUT.findall(page):
        device = re.search(r"^ +Running on: (\S+)$", output, re.M)
        if device:
            return device[1]
    return "cpu"


def run_line(libraries: list[str], device: str, day: str) -> str:
    """The sentence: what the page's program ran with, and when."""
    names = ", ".join(libraries[:-1]) + " and " if len(libraries) > 1 else ""
    with_libraries = f" with {names}{libraries[-1]}," if libraries else ""
    return (
        f"The program on this page ran{with_libraries} on {device}, "
        f"in a build on {day}."
    )


def add_line_to_page(app, docname: str, source: list[str]) -> None:
    example = Path(app.srcdir, docname).with_suffix(".py")
    # An example's page that shows a run: not one that EXAMPLES left out.
    if not example.is_file() or not OUTPUT.search(source[0]):
        return
    if DOWNLOADS.search(source[0]) is None:
        raise ExtensionError(
            f"{docname}: site_extensions.run_info found no download area (a label "
            "'.. _sphx_glr_download_<page>:'): is this sphinx-gallery's page?"
        )
    libraries = library_versions(
        example.read_text(encoding="utf-8"), app.config.install_lines_packages
    )
    # The day sphinx-gallery wrote the page, which it does when it runs it.
    written = Path(app.srcdir, docname + ".rst").stat().st_mtime
    day = (
        app.config.build_day or datetime.fromtimestamp(written, UTC).date().isoformat()
    )
    line = run_line(libraries, printed_device(source[0]), day)
    *_, last_output = OUTPUT.finditer(source[0])
    at = last_output.end()
    source[0] = source[0][:at] + PAGE_LINE.format(line=line) + source[0][at:]


def setup(app):
    app.setup_extension("site_extensions.build_inputs")
    app.setup_extension("site_extensions.install_lines")
    app.connect("source-read", add_line_to_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
