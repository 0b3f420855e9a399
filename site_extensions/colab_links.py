"""A link on every example page that opens its notebook in Google Colab.

Colab opens a notebook straight from a GitHub repository, at
``https://colab.research.google.com/github/<owner>/<name>/blob/<branch>/<path>``.
The Pages workflow publishes the gallery's notebooks on one branch of the
site's repository, each at its path in the gallery folder
(``tensors/plot_1_numpy_warmup.ipynb``); each example page's download area
links its own, just before the button that downloads it.

A Sphinx extension (``extensions`` in conf.py). The branch is
``colab_notebooks_branch`` in conf.py; the repository is the build's
GITHUB_REPOSITORY, which site_extensions.build_inputs checks and keeps as
``github_repository``. A build told no repository makes no link. The link is
text styled like the downloads, not a badge image: the site loads nothing
from another host.
"""

from pathlib import Path
from urllib.parse import quote

from . import gallery_changed
from .install_lines import gallery_dirs

COLAB = "https://colab.research.google.com/github"
# Read on its own (a screen reader's list of links), it still says where it goes.
LINK_TEXT = "Open this notebook in Colab"
# sphinx-gallery's button that downloads an example's notebook.
NOTEBOOK_DOWNLOAD = "    .. container:: sphx-glr-download sphx-glr-download-jupyter\n"
# An anonymous link (``__``): each page has one, and none needs a name.
PAGE_LINK = """\
    .. container:: sphx-glr-download sphx-glr-download-colab

      `{text} <{url}>`__

"""


def colab_url(repository: str, branch: str, notebook: str) -> str:
    """The address at which Colab opens ``notebook``, a path on ``branch`` of
    ``repository`` (owner/name)."""
    return f"{COLAB}/{repository}/blob/{quote(branch)}/{quote(notebook)}"


def published_path(notebook: Path, galleries: list[Path]) -> str | None:
    """Where ``notebook`` lies on the notebooks' branch: its path inside the
    gallery folder it was written to, or None outside every gallery."""
    for gallery in galleries:
        if notebook.is_relative_to(gallery):
            return notebook.relative_to(gallery).as_posix()
    return None


def add_link_to_page(app, docname: str, source: list[str]) -> None:
    """The Colab link before the notebook's download on an example's page
    (one with its notebook beside it, in a gallery); an error if the page
    has no such download, even in a build that makes no link."""
    repository = app.config.github_repository
    notebook = Path(app.srcdir, docname + ".ipynb")
    # An example's page; a gallery's index offers a notebook download too
    # (of all its notebooks, zipped), but has no notebook of its own.
    path = published_path(notebook, gallery_dirs(app)) if notebook.is_file() else None
    if path is None:
        return
    if NOTEBOOK_DOWNLOAD not in source[0]:
        raise gallery_changed(
            __name__,
            f"{docname}.rst: sphinx-gallery's notebook download "
            f"({NOTEBOOK_DOWNLOAD[:-1]!r}) not found; the Colab link cannot be added",
        )
    if not repository:
        return
    url = colab_url(repository, app.config.colab_notebooks_branch, path)
    link = PAGE_LINK.format(text=LINK_TEXT, url=url)
    source[0] = source[0].replace(NOTEBOOK_DOWNLOAD, link + NOTEBOOK_DOWNLOAD, 1)


def setup(app):
    # The branch that the Pages workflow publishes the notebooks on.
    app.add_config_value("colab_notebooks_branch", "", "env", str)
    app.connect("source-read", add_link_to_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
