"""The notebooks' cross-references: links to the site's pages where it has an
address, plain text where it has none, and a warning for what names nothing."""

import json
import zipfile
from types import SimpleNamespace

import pytest
from docutils import nodes
from fakes import FakeApp, assert_gallery_changed, setup_of
from sphinx.errors import ExtensionError
from sphinx_gallery.gen_gallery import DEFAULT_GALLERY_CONF

from site_extensions import install_lines, notebook_links

ADDRESS = "https://someone.github.io/learning/"
PAGE_1 = "auto_examples/tensors/plot_1_numpy_warmup"
LABEL_1 = "sphx_glr_auto_examples_tensors_plot_1_numpy_warmup.py"
ANCHOR_1 = "sphx-glr-auto-examples-tensors-plot-1-numpy-warmup-py"
# Sphinx's standard domain, as it holds what a site like this one defines.
STANDARD_DOMAIN = SimpleNamespace(
    labels={LABEL_1: (PAGE_1, ANCHOR_1, "Warm-up: a two-layer network in numpy")},
    anonlabels={LABEL_1: (PAGE_1, ANCHOR_1)},
    objects={
        ("term", "oneDNN"): ("glossary", "term-oneDNN"),
        ("term", "symbolic tensor"): ("glossary", "term-symbolic-tensor"),
        ("label", "ignored"): ("glossary", "not-a-term"),
    },
)
TITLES = {
    "graphs": nodes.title(text="Three ways to get a graph"),
    "glossary": nodes.title(text="Glossary"),
    PAGE_1: nodes.title(text="Warm-up: a two-layer network in numpy"),
}
HERE = "auto_examples/beyond/plot_12_static_graphs_today"


def env():
    return SimpleNamespace(
        domains=SimpleNamespace(standard_domain=STANDARD_DOMAIN), titles=TITLES
    )


def targets(address):
    app = FakeApp(github_repository=address and "someone/learning")
    app.builder = SimpleNamespace(get_target_uri=lambda docname: docname + ".html")
    made = notebook_links.Targets.of(app, env())
    assert made.address == address
    return made


@pytest.mark.parametrize(
    ("rest", "markdown"),
    [
        (
            f"is :ref:`page 1's <{LABEL_1}>` program",
            f"is [page 1's]({ADDRESS}{PAGE_1}.html#{ANCHOR_1}) program",
        ),
        (
            f":ref:`{LABEL_1}`",
            "[Warm-up: a two-layer network in numpy]"
            f"({ADDRESS}{PAGE_1}.html#{ANCHOR_1})",
        ),
        (
            "its :term:`oneDNN` optimisations",
            f"its [oneDNN]({ADDRESS}glossary.html#term-oneDNN) optimisations",
        ),
        (  # wrapped over two lines, and in another case than the glossary's
            "on :term:`symbolic\ntensors <Symbolic Tensor>` and",
            f"on [symbolic tensors]({ADDRESS}glossary.html#term-symbolic-tensor) and",
        ),
        (
            "The page :doc:`/graphs` sets",
            f"The page [Three ways to get a graph]({ADDRESS}graphs.html) sets",
        ),
        (":doc:`the terms <../../glossary>`", f"[the terms]({ADDRESS}glossary.html)"),
        ("plain ``code`` and `emphasis` stay", "plain ``code`` and `emphasis` stay"),
    ],
)
def test_a_reference_becomes_a_link_to_its_place_on_the_published_site(rest, markdown):
    assert notebook_links.linked(rest, HERE, targets(ADDRESS)) == (markdown, [])


@pytest.mark.parametrize(
    ("rest", "text"),
    [
        (f"is :ref:`page 1's <{LABEL_1}>` program", "is page 1's program"),
        (":term:`oneDNN`, :term:`tensors <symbolic tensor>`", "oneDNN, tensors"),
        ("The page :doc:`/graphs` sets", "The page Three ways to get a graph sets"),
    ],
)
def test_without_an_address_a_reference_is_its_text(rest, text):
    assert notebook_links.linked(rest, HERE, targets(None)) == (text, [])


@pytest.mark.parametrize("address", [ADDRESS, None])
def test_a_reference_to_nothing_here_is_its_text_and_a_problem(address):
    rest = (
        ":ref:`page 0 <sphx_glr_nowhere.py>`, :term:`flux`, :doc:`/missing`"
        " and :py:func:`torch.compile`"
    )
    text, problems = notebook_links.linked(rest, HERE, targets(address))
    assert text == "page 0, flux, /missing and torch.compile"
    assert problems == [
        ":ref:`page 0 <sphx_glr_nowhere.py>` names no label of this site",
        ":term:`flux` names no glossary term of this site",
        ":doc:`/missing` names no page of this site",
        ":py:func:`torch.compile`: :func: has no Markdown form",
    ]


EXAMPLE = f'''\
"""
A title
=======

Builds on :ref:`page 1 <{LABEL_1}>`.
"""

x = 1  # :ref:`not prose <{LABEL_1}>`

# %%
# Uses :term:`oneDNN` and :ref:`a label <sphx_glr_nowhere.py>`.

print(x)
'''


@pytest.fixture
def gallery(tmp_path):
    """A gallery folder with one example, as sphinx-gallery leaves it: its
    program, its notebook, and a zip of both."""
    section = tmp_path / "auto" / "tensors"
    section.mkdir(parents=True)
    example = section / "plot_2_a.py"
    example.write_text(EXAMPLE, encoding="utf-8")
    notebook = example.with_suffix(".ipynb")
    notebook.write_text("{}", encoding="utf-8")
    with zipfile.ZipFile(section / "plot_2_a.zip", "w") as archive:
        archive.writestr("plot_2_a.py", EXAMPLE)
        archive.writestr("plot_2_a.ipynb", "{}")
    return tmp_path


def built_app(srcdir, address):
    app = FakeApp(
        srcdir,
        github_repository=address and "someone/learning",
        sphinx_gallery_conf={**DEFAULT_GALLERY_CONF, "gallery_dirs": "auto"},
        install_lines_packages={},
    )
    app.builder = SimpleNamespace(get_target_uri=lambda docname: docname + ".html")
    return app


def test_each_notebook_is_made_anew_with_its_links_and_zipped(gallery, caplog):
    notebook = gallery / "auto" / "tensors" / "plot_2_a.ipynb"
    orphan = notebook.with_name("plot_3_removed.ipynb")
    orphan.write_text("{}", encoding="utf-8")
    notebook_links.write_notebooks(built_app(gallery, ADDRESS), env())
    assert orphan.read_text(encoding="utf-8") == "{}"  # no example to make it from

    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    assert cells[0] == install_lines.notebook_cell("pip install ")
    kinds = [cell["cell_type"] for cell in cells]
    assert kinds == ["markdown", "markdown", "code", "markdown", "code"]
    assert f"[page 1]({ADDRESS}{PAGE_1}.html#{ANCHOR_1})" in cells[1]["source"][0]
    # Code is code: a reference in a comment stays as it is.
    assert f":ref:`not prose <{LABEL_1}>`" in cells[2]["source"][0]
    text = cells[3]["source"][0]
    assert text.startswith(
        f"Uses [oneDNN]({ADDRESS}glossary.html#term-oneDNN) and a label."
    )
    (warning,) = caplog.messages
    assert warning == (
        "auto/tensors/plot_2_a.ipynb: :ref:`a label <sphx_glr_nowhere.py>` "
        "names no label of this site (left as its text)"
    )
    # The program keeps its reST; the zip holds the notebook as written.
    assert notebook.with_suffix(".py").read_text(encoding="utf-8") == EXAMPLE
    with zipfile.ZipFile(notebook.with_suffix(".zip")) as archive:
        assert archive.read("plot_2_a.ipynb") == notebook.read_bytes()


def test_a_notebook_follows_the_address_even_when_its_example_did_not_change(gallery):
    notebook = gallery / "auto" / "tensors" / "plot_2_a.ipynb"
    notebook_links.write_notebooks(built_app(gallery, ADDRESS), env())
    linked = notebook.read_text(encoding="utf-8")
    notebook_links.write_notebooks(built_app(gallery, None), env())
    assert ADDRESS not in notebook.read_text(encoding="utf-8")
    assert "Builds on page 1." in notebook.read_text(encoding="utf-8")

    # Made again the same: the file is not written at all.
    written = notebook.stat().st_mtime_ns
    notebook_links.write_notebooks(built_app(gallery, None), env())
    assert notebook.stat().st_mtime_ns == written
    notebook_links.write_notebooks(built_app(gallery, ADDRESS), env())
    assert notebook.read_text(encoding="utf-8") == linked


@pytest.mark.parametrize(
    "private",
    [None, lambda gallery_conf, script_blocks: (script_blocks, [])],
    ids=["removed", "other arguments"],
)
def test_without_sphinx_gallery_s_private_function_the_build_fails(
    gallery, monkeypatch, private
):
    from sphinx_gallery import gen_rst

    if private is None:
        monkeypatch.delattr(gen_rst, "_clean_script_blocks")
    else:
        monkeypatch.setattr(gen_rst, "_clean_script_blocks", private)
    with pytest.raises(ExtensionError) as error:
        notebook_links.write_notebooks(built_app(gallery, ADDRESS), env())
    assert_gallery_changed(
        error,
        "site_extensions.notebook_links: sphinx-gallery has no private function "
        "sphinx_gallery.gen_rst._clean_script_blocks(gallery_conf, parser, "
        "script_blocks, output_blocks); the notebooks cannot be made",
    )


def test_it_is_an_extension_that_writes_the_notebooks_once_the_pages_are_read():
    app, metadata = setup_of(notebook_links)
    assert app.handlers == [("env-updated", notebook_links.write_notebooks, 500)]
    assert app.calls == ["setup_extension"]
    assert metadata == {"parallel_read_safe": True, "parallel_write_safe": True}
