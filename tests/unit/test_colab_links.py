"""The Colab link of every example page: the notebook's address on the
repository's notebooks branch, put in the page's download area."""

from textwrap import dedent

import pytest
from bs4 import BeautifulSoup
from docutils.core import publish_parts
from fakes import FakeApp, assert_gallery_changed, setup_of
from sphinx.errors import ExtensionError

from site_extensions import colab_links

# The start of a footer as sphinx-gallery writes it on an example's page.
FOOTER = """\
.. _sphx_glr_download_auto_examples_tensors_plot_1_a.py:

.. only:: html

  .. container:: sphx-glr-footer sphx-glr-footer-example

    .. container:: sphx-glr-download sphx-glr-download-jupyter

      :download:`Download Jupyter notebook: plot_1_a.ipynb <plot_1_a.ipynb>`

    .. container:: sphx-glr-download sphx-glr-download-python

      :download:`Download Python source code: plot_1_a.py <plot_1_a.py>`
"""
URL = (
    "https://colab.research.google.com/github/someone/learning/blob/notebooks/"
    "tensors/plot_1_a.ipynb"
)


def test_colab_opens_the_notebook_at_its_path_on_the_branch():
    url = colab_links.colab_url(
        "someone/learning", "notebooks", "tensors/plot_1_a.ipynb"
    )
    assert url == URL


def test_a_branch_or_path_is_quoted_but_keeps_its_slashes():
    url = colab_links.colab_url("a/b", "pub/note books", "x/plot 1#.ipynb")
    assert url.endswith("/a/b/blob/pub/note%20books/x/plot%201%23.ipynb")


def test_a_notebook_s_path_on_the_branch_is_its_path_in_its_gallery(tmp_path):
    galleries = [tmp_path / "docs" / "auto_examples", tmp_path / "docs" / "more"]
    notebook = galleries[1] / "nn" / "plot_6_b.ipynb"
    assert colab_links.published_path(notebook, galleries) == "nn/plot_6_b.ipynb"
    assert colab_links.published_path(tmp_path / "docs" / "x.ipynb", galleries) is None


@pytest.fixture
def srcdir(tmp_path):
    """docs/ with one example's notebook, as sphinx-gallery writes it."""
    notebook = tmp_path / "auto_examples" / "tensors" / "plot_1_a.ipynb"
    notebook.parent.mkdir(parents=True)
    notebook.write_text("{}", encoding="utf-8")
    return tmp_path


def page_with_link(
    srcdir, repository, docname="auto_examples/tensors/plot_1_a", page=FOOTER
):
    """An example page's source after the extension read it."""
    app = FakeApp(
        srcdir=srcdir,
        github_repository=repository,
        colab_notebooks_branch="notebooks",
        sphinx_gallery_conf={"gallery_dirs": "auto_examples"},
    )
    source = [page]
    colab_links.add_link_to_page(app, docname, source)
    return source[0]


def test_the_link_goes_before_the_notebook_s_download(srcdir):
    page = page_with_link(srcdir, "someone/learning")
    link = f"`{colab_links.LINK_TEXT} <{URL}>`__"
    assert page.count(link) == 1
    assert page.index(link) < page.index("Download Jupyter notebook")
    added = colab_links.PAGE_LINK.format(text=colab_links.LINK_TEXT, url=URL)
    assert page.replace(added, "") == FOOTER


def test_a_build_told_no_repository_links_nothing(srcdir):
    assert page_with_link(srcdir, None) == FOOTER


def test_a_page_without_a_notebook_of_its_own_gets_no_link(srcdir):
    # A gallery's index offers its notebooks zipped, with the same button.
    assert page_with_link(srcdir, "someone/learning", "auto_examples/index") == FOOTER


def test_the_download_it_expects_is_sphinx_gallery_s():
    from sphinx_gallery.gen_rst import NOTEBOOK_DOWNLOAD

    assert colab_links.NOTEBOOK_DOWNLOAD in NOTEBOOK_DOWNLOAD


@pytest.mark.parametrize("repository", ["someone/learning", None])
def test_an_example_s_page_without_the_notebook_download_fails_the_build(
    srcdir, repository
):
    # Even a build that makes no link: the published one would fail.
    changed = FOOTER.replace("sphx-glr-download-jupyter", "sphx-glr-download-nb")
    docname = "auto_examples/tensors/plot_1_a"
    with pytest.raises(ExtensionError) as error:
        page_with_link(srcdir, repository, docname, page=changed)
    assert_gallery_changed(
        error,
        f"site_extensions.colab_links: {docname}.rst: "
        "sphinx-gallery's notebook download ('    .. container:: sphx-glr-download "
        "sphx-glr-download-jupyter') not found; the Colab link cannot be added",
    )


def test_a_page_without_a_notebook_of_its_own_needs_no_download(srcdir):
    page = "Gallery\n=======\n"
    assert (
        page_with_link(srcdir, "someone/learning", "auto_examples/index", page) == page
    )
    assert page_with_link(srcdir, "someone/learning", "index", page) == page


def test_the_link_is_a_link_with_its_text_in_a_download_container():
    rst = colab_links.PAGE_LINK.format(text=colab_links.LINK_TEXT, url=URL)
    html = publish_parts(dedent(rst), writer="html")["body"]
    container = BeautifulSoup(html, "html.parser").select_one(
        "div.sphx-glr-download.sphx-glr-download-colab"
    )
    (link,) = container.select("a")
    assert link["href"] == URL
    assert link.get_text() == "Open this notebook in Colab"
    assert not container.select("img")


def test_it_reads_each_page_and_is_safe_in_parallel():
    app, metadata = setup_of(colab_links)
    assert app.handlers == [("source-read", colab_links.add_link_to_page, 500)]
    assert app.config_values == {"colab_notebooks_branch": ""}
    assert metadata == {"parallel_read_safe": True, "parallel_write_safe": True}
