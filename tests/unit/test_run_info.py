"""site_extensions.run_info: the line on each example page that says what its
program ran with."""

import os
import re
from importlib.metadata import version
from types import SimpleNamespace

import pytest
from fakes import setup_of
from sphinx.errors import ExtensionError

from site_extensions import run_info

# As conf.py's install_lines_packages has them.
PACKAGES = {
    "numpy": ("numpy", ("numpy",)),
    "pytest": ("pytest", ("no-such-package", "pytest")),
    "triton": None,
}

# The end of an example page as sphinx-gallery writes it (abridged): a code
# block that prints the device, its output, and the download area.
PAGE = """\
.. code-block:: Python

    print(f"Running on: {device}")

.. rst-class:: sphx-glr-script-out

 .. code-block:: none

    Running on: mps
    step 100   loss 2.0e+02

.. _sphx_glr_download_auto_examples_tensors_plot_2_tensors.py:

.. only:: html

  .. container:: sphx-glr-footer sphx-glr-footer-example

    .. container:: sphx-glr-download sphx-glr-download-python
"""


def test_the_libraries_are_the_installed_ones_the_program_imports():
    source = "import numpy as np\nimport os\nfrom pytest import approx\nimport triton\n"
    assert run_info.library_versions(source, PACKAGES) == [
        f"numpy {version('numpy')}",
        f"pytest {version('pytest')}",  # the first of its pins installed
    ]


def test_the_device_is_the_one_the_run_printed_else_the_cpu():
    assert run_info.printed_device(PAGE) == "mps"
    # Not the code that prints it, nor prose that quotes it.
    code_only = PAGE.split(".. rst-class:: sphx-glr-script-out")[0]
    assert run_info.printed_device(code_only + "\n    Running on: cuda\n") == "cpu"


def test_the_line_names_every_library_in_words():
    assert run_info.run_line(["numpy 2.0", "torch 2.6"], "cpu", "2026-01-01") == (
        "The program on this page ran with numpy 2.0 and torch 2.6, on cpu, "
        "in a build on 2026-01-01."
    )
    assert run_info.run_line([], "cuda:0", "2026-01-02") == (
        "The program on this page ran on cuda:0, in a build on 2026-01-02."
    )


def add_to(tmp_path, page, build_day="2026-01-01"):
    (tmp_path / "plot_2_tensors.py").write_text("import numpy\n", encoding="utf-8")
    (tmp_path / "plot_2_tensors.rst").write_text(page, encoding="utf-8")
    # sphinx-gallery wrote the page on 2026-01-03, in UTC.
    os.utime(tmp_path / "plot_2_tensors.rst", (1767398400, 1767398400))
    config = SimpleNamespace(install_lines_packages=PACKAGES, build_day=build_day)
    source = [page]
    app = SimpleNamespace(srcdir=tmp_path, config=config)
    run_info.add_line_to_page(app, "plot_2_tensors", source)
    return source[0]


def test_the_line_goes_under_the_last_output(tmp_path):
    line = (
        f"The program on this page ran with numpy {version('numpy')}, on mps, "
        "in a build on 2026-01-01."
    )
    closing = "Closing prose.\n\n"
    page = PAGE.replace(".. _sphx_glr_download_", closing + ".. _sphx_glr_download_")
    before, after = add_to(tmp_path, page).split(closing)
    under_output = r"loss 2\.0e\+02\n\n+\.\. rst-class:: sphx-glr-run-info\n\n"
    assert re.search(under_output + re.escape(line) + r"\n\n$", before), before
    assert "sphx-glr-footer" in after


def test_outside_a_reproducible_build_the_day_is_the_page_s_run(tmp_path):
    assert "in a build on 2026-01-03." in add_to(tmp_path, PAGE, build_day=None)


def test_a_page_without_its_download_area_fails_the_build(tmp_path):
    changed = PAGE.replace(".. _sphx_glr_download_", ".. _somewhere_else_")
    with pytest.raises(
        ExtensionError, match="plot_2_tensors: site_extensions.run_info found no"
    ):
        add_to(tmp_path, changed)


def test_a_page_that_did_not_run_gets_no_line(tmp_path):
    not_run = PAGE.replace(".. rst-class:: sphx-glr-script-out", "")
    assert add_to(tmp_path, not_run) == not_run


def test_other_pages_are_left_as_they_are(tmp_path):
    source = ["Glossary\n========\n"]
    app = SimpleNamespace(srcdir=tmp_path, config=None)
    run_info.add_line_to_page(app, "glossary", source)
    assert source == ["Glossary\n========\n"]


def test_it_is_an_extension_that_reads_each_page():
    app, metadata = setup_of(run_info)
    assert [event for event, _, _ in app.handlers] == ["source-read"]
    assert metadata["parallel_read_safe"]
