"""A reader moves between pages: related examples, examples by function, and
the page that compares the three kinds of graphs."""

import re

import pytest
from sitebuild import BEYOND, PROGRAMS, REPO, page_path, read_page

# Functions whose lists of examples docs/examples_by_function.rst shows.
MINIGALLERIES = re.findall(
    r"^\.\. minigallery:: (\S+)$",
    (REPO / "docs" / "examples_by_function.rst").read_text(),
    re.M,
)


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

    def listed(name):
        return {target.stem for target in users[name]}

    assert listed("torch.compile") == {"plot_12_static_graphs_today"}
    assert listed("torch.optim.SGD") == {
        "plot_7_optim",
        "plot_8_custom_module",
        "plot_9_control_flow_weight_sharing",
    }
    assert "plot_4_custom_function" in listed("torch.autograd.Function")
    # Ordered as the site teaches, by the examples' numbers.
    for name in MINIGALLERIES:
        numbers = [int(target.stem.split("_")[1]) for target in users[name]]
        assert numbers == sorted(numbers), name


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
        assert f"auto_examples/{program}.html" in links
        assert (page_file.parent / f"auto_examples/{program}.html").is_file()
    # The gallery's section on these pages points to the comparison.
    index = read_page(site.html / "auto_examples" / "index.html")
    assert index.find("a", href=re.compile(r"(\.\./)?graphs\.html$"))
