"""A reader moves between pages: related examples, examples by function, and
the page that compares the three kinds of graphs."""

import ast
import re

import pytest
from sitebuild import (
    BEYOND,
    EXAMPLES,
    GALLERY,
    GALLERY_DIR,
    PROGRAMS,
    REPO,
    page_path,
    read_page,
)

import conf

# Functions whose lists of examples docs/examples_by_function.rst shows.
MINIGALLERIES = re.findall(
    r"^\.\. minigallery:: (\S+)$",
    (REPO / "docs" / "examples_by_function.rst").read_text(encoding="utf-8"),
    re.M,
)


def dotted(node):
    """``torch.nn.Linear`` for the expression that names it, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else None


def outside_functions(tree):
    """The nodes of a program's own top-level code, not in a function or class."""
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield node
            todo.extend(ast.iter_child_nodes(node))


def names_used(program):
    """What sphinx-gallery counts as a program's use of a torch name: every
    dotted path in its code (``torch.optim.Adam``), and a method that its
    top-level code calls on one of its variables (``loss.backward()``, which
    the tests take for a ``torch.Tensor`` method).
    """
    tree = ast.parse((EXAMPLES / program).read_text(encoding="utf-8"))
    paths = {dotted(node) for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    top_level = list(outside_functions(tree))
    variables = {
        node.id
        for node in top_level
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }
    methods = {
        f"torch.Tensor.{node.attr}"
        for node in top_level
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in variables
    }
    return (paths - {None}) | methods


def thumbnail_links(container, page_file):
    """The pages that the thumbnails in ``container`` link to, as files."""
    return [
        (page_file.parent / thumb.select_one("a")["href"].split("#")[0]).resolve()
        for thumb in container.select("div.sphx-glr-thumbcontainer")
    ]


@pytest.mark.parametrize("program", PROGRAMS + BEYOND, ids=str)
def test_every_example_recommends_four_related_examples(site, program):
    page_file = page_path(site.html, program)
    rubric = read_page(page_file).find("p", class_="rubric", string="Related examples")
    assert rubric, "no related-examples panel"
    linked = thumbnail_links(rubric.find_next_sibling("div"), page_file)
    assert len(linked) == 4
    assert page_file.resolve() not in linked
    for target in linked:
        assert target.is_file(), target


def test_examples_by_function_lists_every_user_of_each_function(site):
    page_file = site.html / "examples_by_function.html"
    page = read_page(page_file)
    users = {}
    for name in MINIGALLERIES:
        heading = page.find(
            lambda tag, name=name: (
                tag.name in ("h2", "h3")
                and tag.get_text().strip("¶ ") == f"Examples using {name}"
            )
        )
        assert heading, f"no list for {name}"
        users[name] = thumbnail_links(heading.find_next_sibling("div"), page_file)
        assert users[name], f"no example listed for {name}"
        assert all(target.is_file() for target in users[name])

    listed = {name: [target.stem for target in users[name]] for name in MINIGALLERIES}
    expected = {
        name: [program.stem for program in GALLERY if name in names_used(program)]
        for name in MINIGALLERIES
    }
    # The same examples, and ordered as the site teaches.
    assert listed == expected


def test_no_two_lists_of_examples_have_files_that_differ_only_in_case(site):
    # macOS and Windows take such names for one file (torch.relu.examples,
    # torch.ReLU.examples): one list overwrites the other, and sphinx-gallery's
    # warning about it fails the strict build there.
    folder = site.root / "docs" / conf.sphinx_gallery_conf["backreferences_dir"]
    names = sorted(path.name for path in folder.iterdir())
    assert names
    by_case = {}
    for name in names:
        by_case.setdefault(name.casefold(), []).append(name)
    assert [same for same in by_case.values() if len(same) > 1] == []


def test_graphs_page_links_each_kind_of_graph_to_its_examples(site):
    page_file = site.html / "graphs.html"
    page = read_page(page_file)
    headers = [th.get_text(strip=True) for th in page.select("table thead th")]
    assert headers[1:] == [
        "Define-and-run",
        "Define-by-run",
        "Trace or compile define-by-run code",
    ]
    links = {a["href"].split("#")[0] for a in page.select("table a.reference.internal")}
    for program in (
        "autograd/plot_5_tensorflow_static_graph",
        "autograd/plot_3_autograd",
        "beyond/plot_12_static_graphs_today",
    ):
        assert f"{GALLERY_DIR}/{program}.html" in links
        assert (page_file.parent / f"{GALLERY_DIR}/{program}.html").is_file()
    # The gallery's section on these pages points to the comparison.
    index = read_page(site.html / GALLERY_DIR / "index.html")
    assert index.find("a", href=re.compile(r"(\.\./)?graphs\.html$"))


GLOSSARY_TERMS = [
    "all-reduce",
    "aten",
    "AutoGraph",
    "eager",
    "fused kernel",
    "graph break",
    "guard",
    "Inductor",
    "kernel",
    "oneDNN",
    "process group",
    "rank",
    "rendezvous",
    "rounding unit",
    "symbolic tensor",
    "TorchDynamo",
    "Triton",
    "world size",
]


def test_glossary_defines_the_terms_and_pages_link_them(site):
    glossary = read_page(site.html / "glossary.html")
    defined = [dt.get_text().strip("¶ ") for dt in glossary.select("dl.glossary dt")]
    assert defined == GLOSSARY_TERMS
    ids = {dt["id"] for dt in glossary.select("dl.glossary dt")}
    linked = set()
    for page in site.pages():
        if page.name == "glossary.html":
            continue
        for a in read_page(site.html / page).select("a.reference.internal"):
            target, _, anchor = a["href"].partition("#")
            if target.endswith("glossary.html") and anchor in ids:
                linked.add(anchor)
    assert linked == ids, sorted(ids - linked)
    # The index of the site links the glossary.
    assert read_page(site.html / "index.html").find("a", href="glossary.html")
