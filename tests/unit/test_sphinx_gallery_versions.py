"""The sphinx-gallery versions that the site's extensions are known to work
with: pyproject.toml allows those only, and this machine has one of them."""

import tomllib
from importlib.metadata import version

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

import sphinxext
from tools.site import REPO


def test_pyproject_allows_the_versions_known_to_work_and_this_machine_has_one():
    groups = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    [allowed] = (
        Requirement(entry)
        for entry in groups["dependency-groups"]["docs"]
        if isinstance(entry, str) and Requirement(entry).name == "sphinx-gallery"
    )
    assert allowed.specifier == SpecifierSet(sphinxext.SPHINX_GALLERY_KNOWN_TO_WORK)
    assert version("sphinx-gallery") in allowed.specifier


def test_what_changed_is_one_line_naming_the_versions():
    error = sphinxext.gallery_changed("sphinxext.x", "page.rst: 'anchor' not found")
    assert str(error) == (
        "sphinxext.x: page.rst: 'anchor' not found (sphinx-gallery changed? "
        f"{version('sphinx-gallery')} is installed; the site's extensions are "
        f"known to work with sphinx-gallery{sphinxext.SPHINX_GALLERY_KNOWN_TO_WORK})"
    )
