"""The pip install line of every download: exactly what a program imports, at
the versions constraints.txt pins for the machine."""

import zipfile

import pytest
from fakes import setup_of
from sphinx.errors import ExtensionError

from sphinxext import install_lines

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


def test_its_options_are_config_values():
    app, metadata = setup_of(install_lines)
    assert app.config_values == {"install_lines_packages": {}}
    assert metadata == {"parallel_read_safe": True, "parallel_write_safe": True}
