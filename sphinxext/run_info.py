"""A line on every example page that says what its output came from.

A reader whose run prints other numbers can tell why: under the last of its
output, each example page names the versions of the libraries its program
imports, as installed where the site was built (``torch 2.13.0+cpu``), the
device its run printed (``Running on: ...``; the CPU for a page that prints
none, as numpy and TensorFlow's pages run there), and the day of the build.
A reproducible build (SOURCE_DATE_EPOCH) names that day instead of today, so
that two of its builds stay the same.

A Sphinx extension (``extensions`` in conf.py), like sphinxext.install_lines
a splice into the page sphinx-gallery writes: it fails the build, naming the
page, when that page no longer has the download area it goes before.
"""

import functools
import os
import re
from datetime import UTC, datetime
from importlib.metadata import distribution, packages_distributions
from pathlib import Path

from sphinx.errors import ExtensionError

from .install_lines import imported_modules

# The label of an example page's download area, which the line goes before.
DOWNLOADS = re.compile(r"^\.\. _sphx_glr_download_\S+:$", re.M)
PAGE_LINE = """
.. rst-class:: sphx-glr-run-info

{line}

"""


@functools.cache
def distributions_of_modules() -> dict[str, list[str]]:
    return packages_distributions()


def library_versions(source: str) -> list[str]:
    """``name version`` for each installed distribution that provides a module
    ``source`` imports, in the order of the modules' names."""
    provided_by = distributions_of_modules()
    found = []
    for module in sorted(imported_modules(source)):
        for name in provided_by.get(module, [])[:1]:
            metadata = distribution(name).metadata
            name = metadata["Name"].replace("_", "-")  # tensorflow_cpu's
            found.append(f"{name} {metadata['Version']}")
    return found


def printed_device(page: str) -> str:
    """The device the page's output says it ran on, else the CPU."""
    device = re.search(r"^ *Running on: (\S+)$", page, re.M)
    return device[1] if device else "cpu"


def build_day(environ=os.environ) -> str:
    """The day of this build, in UTC: SOURCE_DATE_EPOCH's, where it is set."""
    epoch = environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else None
    return (moment or datetime.now(UTC)).date().isoformat()


def run_line(libraries: list[str], device: str, day: str) -> str:
    """The sentence, in words: what the page's output came from."""
    names = ", ".join(libraries[:-1]) + " and " if len(libraries) > 1 else ""
    return (
        f"The output above came from {names}{libraries[-1]}, on {device}, "
        f"in a build on {day}."
    )


def add_line_to_page(app, docname: str, source: list[str]) -> None:
    example = Path(app.srcdir, docname).with_suffix(".py")
    # An example's page: sphinx-gallery's copy of its program lies beside it.
    if not example.is_file() or "sphx-glr-download" not in source[0]:
        return
    downloads = DOWNLOADS.search(source[0])
    if downloads is None:
        raise ExtensionError(
            f"{docname}: sphinxext.run_info found no download area (a label "
            "'.. _sphx_glr_download_<page>:') to put its line before"
        )
    libraries = library_versions(example.read_text(encoding="utf-8"))
    line = run_line(libraries, printed_device(source[0]), build_day())
    at = downloads.start()
    source[0] = source[0][:at] + PAGE_LINE.format(line=line) + source[0][at:]


def setup(app):
    app.connect("source-read", add_line_to_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
