"""Shared fixtures: the site is built once per test session."""

from pathlib import Path

import pytest
from sitebuild import build_html, copy_sources


class BuiltSite:
    def __init__(self, root: Path, result):
        self.root = root
        self.html = root / "_build" / "html"
        self.result = result
        self.log = result.stdout + result.stderr


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> BuiltSite:
    """A clean build of a copy of the repository, warnings as errors."""
    root = copy_sources(tmp_path_factory.mktemp("site"))
    result = build_html(root)
    built = BuiltSite(root, result)
    assert result.returncode == 0, f"sphinx-build failed:\n{built.log[-5000:]}"
    return built
