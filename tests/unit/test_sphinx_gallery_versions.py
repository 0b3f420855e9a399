"""The sphinx-gallery versions that the site's extensions are known to work
with: pyproject.toml allows those only, and this machine has one of them."""

import tomllib
from importlib.metadata import packages_distributions, version

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

import site_extensions
from tools.site import REPO


def test_pyproject_allows_the_versions_known_to_work_and_this_machine_has_one():
    groups = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    [allowed] = (
        Requirement(entry)
        for entry in groups["dependency-groups"]["docs"]
        if isinstance(entry, str) and Requirement(entry).name == "sphinx-gallery"
    )
    assert allowed.specifier == SpecifierSet(
        site_extensions.SPHINX_GALLERY_KNOWN_TO_WORK
    )
    assert version("sphinx-gallery") in allowed.specifier


def test_what_changed_is_one_line_naming_the_versions():
    error = site_extensions.gallery_changed(
        "site_extensions.x", "page.rst: 'anchor' not found"
    )
    assert str(error) == (
        "site_extensions.x: page.rst: 'anchor' not found (sphinx-gallery changed? "
        f"{version('sphinx-gallery')} is installed; the site's extensions are "
        "known to work with sphinx-gallery"
        f"{site_extensions.SPHINX_GALLERY_KNOWN_TO_WORK})"
    )


def test_no_package_of_the_repository_shares_its_name_with_an_installed_one():
    # The extensions' package was once named sphinxext, as sphinxext-opengraph's
    # namespace is: each hid the other unless the package joined the namespace.
    ours = {
        path.name
        for path in REPO.iterdir()
        if (path / "__init__.py").is_file() or path.suffix == ".py"
    }
    ours = {name.removesuffix(".py") for name in ours}
    assert "site_extensions" in ours
    installed = packages_distributions()
    assert {name: installed[name] for name in ours if name in installed} == {}
