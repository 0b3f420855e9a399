"""sphinxext.run_info: the line on each example page that says what its
output came from."""

from importlib.metadata import version
from types import SimpleNamespace

import pytest
from fakes import setup_of
from sphinx.errors import ExtensionError

from sphinxext import run_info

# The end of an example page as sphinx-gallery writes it (abridged).
PAGE = """\
.. code-block:: none

    Running on: mps
    step 100   loss 2.0e+02

.. _sphx_glr_download_auto_examples_tensors_plot_2_tensors.py:

.. only:: html

  .. container:: sphx-glr-footer sphx-glr-footer-example

    .. container:: sphx-glr-download sphx-glr-download-python
"""


def test_the_libraries_are_the_installed_ones_the_program_imports():
    source = "import numpy as np\nimport os\nfrom pytest import approx\n"
    assert run_info.library_versions(source) == [
        f"numpy {version('numpy')}",
        f"pytest {version('pytest')}",
    ]


def test_the_device_is_the_one_the_run_printed_else_the_cpu():
    assert run_info.printed_device(PAGE) == "mps"
    code = '    print(f"Running on: {device}")\n'
    assert run_info.printed_device(code) == "cpu"


def test_a_reproducible_build_names_its_day_and_any_other_today():
    assert run_info.build_day({"SOURCE_DATE_EPOCH": "1767225600"}) == "2026-01-01"
    assert len(run_info.build_day({})) == len("2026-01-01")


def test_the_line_names_every_library_in_words():
    assert run_info.run_line(["numpy 2.0", "torch 2.6"], "cpu", "2026-01-01") == (
        "The output above came from numpy 2.0 and torch 2.6, on cpu, "
        "in a build on 2026-01-01."
    )
    assert run_info.run_line(["numpy 2.0"], "cuda:0", "2026-01-02").startswith(
        "The output above came from numpy 2.0, on cuda:0,"
    )


def add_to(tmp_path, page, monkeypatch):
    (tmp_path / "plot_2_tensors.py").write_text("import numpy\n", encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    source = [page]
    run_info.add_line_to_page(
        SimpleNamespace(srcdir=tmp_path), "plot_2_tensors", source
    )
    return source[0]


def test_the_line_goes_before_the_download_area(tmp_path, monkeypatch):
    page = add_to(tmp_path, PAGE, monkeypatch)
    line = (
        f"The output above came from numpy {version('numpy')}, on mps, "
        "in a build on 2026-01-01."
    )
    before, after = page.split(".. _sphx_glr_download_")
    assert before.endswith(f"\n.. rst-class:: sphx-glr-run-info\n\n{line}\n\n")
    assert "step 100" in before and "sphx-glr-footer" in after


def test_a_page_without_its_download_area_fails_the_build(tmp_path, monkeypatch):
    changed = PAGE.replace(".. _sphx_glr_download_", ".. _somewhere_else_")
    with pytest.raises(ExtensionError, match="plot_2_tensors: sphinxext.run_info"):
        add_to(tmp_path, changed, monkeypatch)


def test_other_pages_are_left_as_they_are(tmp_path):
    source = ["Glossary\n========\n"]
    run_info.add_line_to_page(SimpleNamespace(srcdir=tmp_path), "glossary", source)
    assert source == ["Glossary\n========\n"]


def test_it_is_an_extension_that_reads_each_page():
    app, metadata = setup_of(run_info)
    assert [event for event, _, _ in app.handlers] == ["source-read"]
    assert metadata["parallel_read_safe"]
