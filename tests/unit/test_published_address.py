"""The site's published address follows from the repository the build is
told, and only a build that has one gets canonical links, og: tags and a
sitemap."""

from types import SimpleNamespace

import pytest
from fakes import FakeApp, setup_of

from site_extensions import build_inputs
from site_extensions import published_address as extension
from site_extensions.published_address import published_address


@pytest.mark.parametrize(
    ("repository", "address"),
    [
        ("someone/learning", "https://someone.github.io/learning/"),
        # GitHub Pages serves a project under its owner in lower case, and
        # the repository's name as it is spelled.
        ("SomeOne/Learning-PyTorch", "https://someone.github.io/Learning-PyTorch/"),
        # The owner's own site is served at the root.
        ("SomeOne/someone.github.io", "https://someone.github.io/"),
        # A build told no repository.
        (None, None),
    ],
)
def test_the_address_follows_from_the_repository(repository, address):
    assert published_address(repository) == address


def published(repository):
    """The extensions loaded and the config, after the build is told
    ``repository``."""
    app, loaded = FakeApp(), []
    app.setup_extension = loaded.append
    config = SimpleNamespace(github_repository=repository)
    extension.publish(app, config)
    return loaded, config


def test_without_a_repository_neither_extension_is_loaded():
    loaded, config = published(None)
    assert loaded == [] and vars(config) == {"github_repository": None}


def test_with_one_both_are_loaded_and_pointed_at_its_address():
    loaded, config = published("someone/learning")
    assert loaded == ["sphinxext.opengraph", "sphinx_sitemap"]
    assert config.html_baseurl == "https://someone.github.io/learning/"
    assert config.ogp_site_url == "https://someone.github.io/learning/"


def test_it_reads_the_repository_after_build_inputs_has_checked_it():
    app, metadata = setup_of(extension)
    ((event, handler, priority),) = app.handlers
    assert (event, handler) == ("config-inited", extension.publish)
    checks, _ = setup_of(build_inputs)
    (checked,) = [p for e, h, p in checks.handlers if e == "config-inited"]
    assert priority > checked
    assert metadata["parallel_read_safe"] and metadata["parallel_write_safe"]
