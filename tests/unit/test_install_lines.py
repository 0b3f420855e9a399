"""The pip install line of every download: exactly what a program imports, at
the versions constraints.txt pins for the machine."""

import zipfile

import pytest
from fakes import FakeApp, assert_gallery_changed, setup_of
from sphinx.errors import ExtensionError

from site_extensions import install_lines

PACKAGES = {
    "numpy": ("numpy", ("numpy",)),
    "tensorflow": ("tensorflow", ("tensorflow", "tensorflow-cpu")),
}
CONSTRAINTS = """\
# written by make lock
numpy==2.4.6              # via matplotlib
tensorflow==2.21.0 ; sys_platform != 'linux'
tensorflow-cpu==2.21.0 ; sys_platform == 'linux'
"""


@pytest.fixture
def constraints(tmp_path):
    path = tmp_path / "constraints.txt"
    path.write_text(CONSTRAINTS, encoding="utf-8")
    return path


def example(tmp_path, source):
    path = tmp_path / "plot_1_example.py"
    path.write_text(source, encoding="utf-8")
    return path


def test_only_imports_outside_the_standard_library_count():
    source = (
        "import os, numpy as np\nfrom tensorflow.compat import v1\nfrom . import x\n"
    )
    assert install_lines.imported_modules(source) == {"numpy", "tensorflow"}


def test_the_line_names_each_package_at_its_pin(tmp_path, constraints):
    path = example(tmp_path, "import numpy\nimport tensorflow as tf\n")
    line = install_lines.install_line(path, PACKAGES, constraints)
    # Whichever TensorFlow package this machine pins, the reader installs
    # "tensorflow", at that version.
    assert line == "pip install numpy==2.4.6 tensorflow==2.21.0"


def test_an_import_without_a_package_is_an_error_naming_the_config_value(
    tmp_path, constraints
):
    path = example(tmp_path, "import scipy\n")
    with pytest.raises(ExtensionError, match="scipy.*install_lines_packages"):
        install_lines.install_line(path, PACKAGES, constraints)


def test_a_package_without_a_pin_is_an_error(tmp_path):
    path = example(tmp_path, "import numpy\n")
    empty = tmp_path / "constraints.txt"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ExtensionError, match="constraints.txt pins no numpy"):
        install_lines.install_line(path, PACKAGES, empty)


def test_a_zip_gets_the_notebooks_beside_it(tmp_path):
    (tmp_path / "a.ipynb").write_text("new", encoding="utf-8")
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w") as new:
        new.writestr("a.ipynb", "old")
        new.writestr("a.py", "kept")
    install_lines.refresh_zip(archive)
    with zipfile.ZipFile(archive) as refreshed:
        assert refreshed.read("a.ipynb") == b"new"
        assert refreshed.read("a.py") == b"kept"


# An example's page as sphinx-gallery writes it: its end, the download area.
PAGE = """\
A title
=======

.. _sphx_glr_download_auto_examples_tensors_plot_1_example.py:

.. only:: html

  .. container:: sphx-glr-footer sphx-glr-footer-example

    .. container:: sphx-glr-download sphx-glr-download-jupyter
"""
DOCNAME = "auto_examples/tensors/plot_1_example"


def read(srcdir, docname, page):
    """``page``, the source of ``docname``, once the extension read it."""
    app = FakeApp(srcdir=srcdir, install_lines_packages=PACKAGES)
    source = [page]
    install_lines.add_line_to_page(app, docname, source)
    return source[0]


@pytest.fixture
def srcdir(tmp_path):
    """docs/, with one example's program beside its page."""
    program = tmp_path / f"{DOCNAME}.py"
    program.parent.mkdir(parents=True)
    program.write_text("import numpy\n", encoding="utf-8")
    return tmp_path


def test_the_line_goes_first_in_the_download_area(srcdir):
    page = read(srcdir, DOCNAME, PAGE)
    assert page.startswith(PAGE.split("    .. container:: sphx-glr-download ")[0])
    assert page.index("pip install numpy==") < page.index("sphx-glr-download-jupyter")


def test_the_footer_it_expects_is_sphinx_gallery_s():
    from sphinx_gallery.gen_rst import DOWNLOAD_LINKS_HEADER

    assert install_lines.FOOTER in DOWNLOAD_LINKS_HEADER


def test_an_example_s_page_without_the_download_footer_fails_the_build(srcdir):
    changed = PAGE.replace("sphx-glr-footer-example", "sphx-glr-footer-page")
    with pytest.raises(ExtensionError) as error:
        read(srcdir, DOCNAME, changed)
    assert_gallery_changed(
        error,
        f"site_extensions.install_lines: {DOCNAME}.rst: sphinx-gallery's download "
        "footer ('  .. container:: sphx-glr-footer sphx-glr-footer-example') not "
        "found; the install line cannot be added (sphinx-gallery changed?",
    )


def test_a_page_that_is_no_example_s_is_left_alone(srcdir):
    # A gallery's index, a hand-written page: no program beside them.
    for docname in ("auto_examples/tensors/index", "index"):
        assert read(srcdir, docname, "A title\n=======\n") == "A title\n=======\n"


def test_its_options_are_config_values():
    app, metadata = setup_of(install_lines)
    assert app.config_values == {"install_lines_packages": {}}
    assert metadata == {"parallel_read_safe": True, "parallel_write_safe": True}
