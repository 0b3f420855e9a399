"""A reader follows a name in an example's code to its documentation.

`make inventories` downloads the inventories of the documentation of Python,
numpy, matplotlib and torch; a build links the examples' code to those it
finds, read from the files, and to nothing without them. Here stand-in
inventories, at a stand-in address, take the real ones' place: the tests
never use the network, and neither may the build (a proxy that refuses
every connection would fail it).
"""

import shutil
from pathlib import Path

import pytest
from sitebuild import (
    SESSION_BUILD,
    accessibility_violations,
    build_html,
    open_in_theme,
    page_path,
    page_url,
    read_page,
)
from unit.fakes import inventory_bytes

import conf
from tools.site import SiteServer

# sphinx-gallery knows the types of a page's variables (``loss``,
# ``optimizer``) only from its run, and keeps them beside its checksum; the
# rebuilds with inventories run page 7 at most, and only if it changed.
EXAMPLES = "plot_7_optim"
OPTIM = Path("nn/plot_7_optim.py")
NUMPY = Path("tensors/plot_1_numpy_warmup.py")
STAND_IN = "https://docs.stand-in.example/{}/"


def entry(role, name):
    """An inventory entry as Sphinx writes it: a page per object, anchored."""
    return (role, f"api/{name}.html#$")


INVENTORIES = {
    # sphinx-gallery links a variable to its type (``losses``: list), not a
    # bare call of a built-in (``print``, ``range``).
    "python": {
        "list": entry("class", "list"),
        "print": entry("function", "print"),
        "range": entry("class", "range"),
    },
    "numpy": {"numpy.maximum": entry("data", "numpy.maximum")},
    "matplotlib": {
        "matplotlib.pyplot.subplots": entry("function", "matplotlib.pyplot.subplots"),
        "matplotlib.pyplot.plot": entry("function", "matplotlib.pyplot.plot"),
    },
    "torch": {
        name: entry(role, name)
        for role, name in [
            ("class", "torch.nn.Linear"),
            ("class", "torch.nn.MSELoss"),
            ("class", "torch.optim.Adam"),
            ("method", "torch.optim.Adam.step"),
            ("method", "torch.Tensor.backward"),
            ("function", "torch.randn"),
        ]
    },
}
# No connection leaves the machine: the build's only proxy refuses them all.
OFFLINE = {
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "no_proxy": "",
}


def documentation_link(name, library):
    return STAND_IN.format(library) + f"api/{name}.html#{name}"


def build(root):
    env = {**SESSION_BUILD, "EXAMPLES": EXAMPLES, **OFFLINE}
    result = build_html(root, env=env)
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"sphinx-build failed:\n{log[-5000:]}"
    assert "warning" not in log.lower(), log[-3000:]
    return root / "_build" / "html", log


def code_links(html, program):
    """``{name as written: address}`` of every link in the code of an
    example's page."""
    page = read_page(page_path(html, program))
    return {
        link.get_text(): link["href"] for link in page.select("div.highlight a[href]")
    }


def write_inventories(folder, inventories):
    folder.mkdir(exist_ok=True)
    for name, objects in inventories.items():
        (folder / f"{name}.inv").write_bytes(inventory_bytes(name, objects))


@pytest.fixture(scope="module")
def builds(site, tmp_path_factory):
    """The session's site, built with no inventory, and a copy of it built
    again twice, never cleaned: with the stand-in inventories, then with
    torch's downloaded anew, in which torch.nn.Linear has moved. For each,
    its log and the links in the code of the two pages."""
    made = {
        "without": (site.log, {p: code_links(site.html, p) for p in (OPTIM, NUMPY)})
    }
    root = tmp_path_factory.mktemp("api_links") / "site"
    shutil.copytree(site.root, root, symlinks=True)
    with (root / "conf.py").open("a", encoding="utf-8") as conf_py:
        addresses = {name: STAND_IN.format(name) for name in INVENTORIES}
        conf_py.write(f"\napi_links_documentation = {addresses!r}\n")
    folder = root / conf.api_links_inventories
    moved = {**INVENTORIES["torch"], "torch.nn.Linear": ("class", "moved.html#$")}
    for name, inventories in [("with", INVENTORIES), ("renewed", {"torch": moved})]:
        write_inventories(folder, inventories)
        html, log = build(root)
        made[name] = log, {p: code_links(html, p) for p in (OPTIM, NUMPY)}
    made["html"] = html
    return made


def test_without_inventories_the_code_links_nothing(builds):
    log, links = builds["without"]
    assert links == {OPTIM: {}, NUMPY: {}}
    assert "intersphinx" not in log


def test_with_them_each_name_links_its_documentation(builds):
    _, pages = builds["with"]
    links = pages[OPTIM]
    assert links["torch.nn.Linear"] == documentation_link("torch.nn.Linear", "torch")
    assert links["torch.optim.Adam"] == documentation_link("torch.optim.Adam", "torch")
    assert links["torch.randn"] == documentation_link("torch.randn", "torch")
    assert links["plt.subplots"] == documentation_link(
        "matplotlib.pyplot.subplots", "matplotlib"
    )
    # Methods called on the program's own variables, known from its run.
    assert links["optimizer.step"] == documentation_link(
        "torch.optim.Adam.step", "torch"
    )
    assert links["loss.backward"] == documentation_link(
        "torch.Tensor.backward", "torch"
    )
    assert links["losses"] == documentation_link("list", "python")
    # Only the stand-in documentation, and nothing it does not list.
    assert all(
        address.startswith("https://docs.stand-in.example/")
        for address in links.values()
    )
    assert "optimizer.zero_grad" not in links and "ax.semilogy" not in links
    # A name reached through an import links where its module documents it.
    assert pages[NUMPY]["np.maximum"] == documentation_link("numpy.maximum", "numpy")


def test_an_inventory_downloaded_anew_links_the_code_anew(builds):
    _, before = builds["with"]
    _, after = builds["renewed"]
    moved = STAND_IN.format("torch") + "moved.html#torch.nn.Linear"
    assert after[OPTIM]["torch.nn.Linear"] == moved
    assert after[OPTIM]["torch.optim.Adam"] == before[OPTIM]["torch.optim.Adam"]


def test_the_inventories_are_read_from_their_files_not_fetched(builds):
    log, _ = builds["with"]
    loading = [line for line in log.splitlines() if "intersphinx inventory" in line]
    assert len(loading) == len(INVENTORIES)
    assert all("://" not in line.split(" from ")[1] for line in loading), loading


@pytest.mark.parametrize("theme", ("light", "dark"))
def test_linked_code_leaves_the_page_as_accessible(builds, browser, theme):
    # The links keep the code's colours, so its contrast, and are underlined.
    with SiteServer(builds["html"]) as server:
        page = open_in_theme(browser, page_url(server.url, OPTIM), theme)
        assert page.locator("div.highlight a[href]").count() > 10
        violations = accessibility_violations(page)
        page.context.close()
    assert violations == []
