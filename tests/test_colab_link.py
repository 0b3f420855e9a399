"""A reader opens an example's notebook in Google Colab from its page."""

import shutil

import pytest
from sitebuild import (
    ADDRESS,
    GALLERY,
    MARKDOWN_LINK,
    NO_EXAMPLE,
    REPOSITORY,
    build_html,
    notebook_path,
    notebook_text,
    page_path,
    page_url,
    read_page,
)

import conf

LINK = "div.sphx-glr-footer div.sphx-glr-download-colab a"
TEXT = "Open this notebook in Colab"


def colab_url(repository, program):
    """Where Colab opens ``program``'s notebook: its path in the gallery
    folder, on conf.py's branch of ``repository``, as the workflow publishes it."""
    notebook = program.with_suffix(".ipynb").as_posix()
    return (
        f"https://colab.research.google.com/github/{repository}/blob/"
        f"{conf.colab_notebooks_branch}/{notebook}"
    )


@pytest.mark.parametrize("program", GALLERY, ids=str)
def test_every_example_page_links_its_notebook_on_colab(site, program):
    # The session's builds are told REPOSITORY, as the Pages workflow's is its own.
    page = read_page(page_path(site.html, program))
    (link,) = page.select(LINK)
    assert link["href"] == colab_url(REPOSITORY, program)
    assert link.get_text() == TEXT
    assert not link.select("img")  # text, not a badge from another host
    # Beside the notebook's download, and the notebook is one the workflow
    # uploads (docs/<gallery>/**/*.ipynb) for the branch.
    after = link.find_parent("div").find_next_sibling("div")
    assert "sphx-glr-download-jupyter" in after["class"]
    assert notebook_path(site.root, program).is_file()


def colab_links(root):
    """(href, text) of every Colab link on each example page built in ``root``."""
    html = root / "_build" / "html"
    return {
        program: [
            (a["href"], a.get_text())
            for a in read_page(page_path(html, program)).select(LINK)
        ]
        for program in GALLERY
    }


def test_a_build_told_no_repository_makes_no_link_and_one_told_one_does(
    site_built_elsewhere, tmp_path
):
    assert colab_links(site_built_elsewhere.root) == {
        program: [] for program in GALLERY
    }

    # A copy of it built again, told a repository: the pages are read again,
    # and each links its notebook on that repository's branch.
    root = tmp_path / "site"
    shutil.copytree(site_built_elsewhere.root, root, symlinks=True)
    env = {"EXAMPLES": NO_EXAMPLE, "GITHUB_REPOSITORY": "someone/learning"}
    told = build_html(root, env=env)
    assert told.returncode == 0, told.stderr[-3000:]
    assert colab_links(root) == {
        program: [(colab_url("someone/learning", program), TEXT)] for program in GALLERY
    }
    # And the notebooks, though no example ran again, link the pages they name
    # at the address GitHub Pages serves that repository's site at.
    urls = [url for _, url in MARKDOWN_LINK.findall(notebook_text(root, GALLERY[1]))]
    assert page_url(ADDRESS, GALLERY[0]) in [url.partition("#")[0] for url in urls]
