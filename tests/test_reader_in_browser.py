"""A reader opens the served site in a real browser (headless Chromium)."""

import io
import zipfile
from pathlib import PurePosixPath
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen

import nbformat
import pytest
from bs4 import BeautifulSoup
from sitebuild import (
    GALLERY,
    NO_EXAMPLE,
    PROGRAMS,
    TENSORFLOW_PROGRAMS,
    build_html,
    copy_sources,
    page_url,
    watch,
    watching,
)

from tools.site import SiteServer

each_example = pytest.mark.parametrize("program", GALLERY, ids=str)
# Where the site is published: at a host's root, or under a sub-path (a
# GitHub project page lives at https://<owner>.github.io/<repository>/).
each_address = pytest.mark.parametrize(
    "server", ["served_site", "served_under_subpath"], ids=["at-root", "under-sub-path"]
)
SEARCHES = {
    "autograd": [p for p in PROGRAMS if p.parts[0] == "autograd"],
    "TensorFlow": [p for p in TENSORFLOW_PROGRAMS if p in PROGRAMS],
}

# WCAG 2 contrast ratio of each text element in code and output blocks against
# the background it is drawn on; the lowest one per kind of block.
LOWEST_CONTRAST_JS = """() => {
  const rgba = (css) => css.match(/[\\d.]+/g).map(Number);
  const channel = (c) =>
    (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  const luminance = ([r, g, b]) =>
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const color = rgba(getComputedStyle(el).backgroundColor);
      if (color.length === 3 || color[3] > 0) return color;
    }
    return [255, 255, 255];
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const lowest = {};
  const blocks = {
    code: "div.highlight-Python pre",
    output: "div.sphx-glr-script-out pre",
  };
  for (const [kind, selector] of Object.entries(blocks)) {
    for (const pre of document.querySelectorAll(selector)) {
      for (const el of [pre, ...pre.querySelectorAll("span")]) {
        if (!el.textContent.trim()) continue;
        const r = ratio(rgba(getComputedStyle(el).color), background(pre));
        lowest[kind] = Math.min(lowest[kind] ?? Infinity, r);
      }
    }
  }
  return lowest;
}"""
# Images load lazily as they near the screen, and only those of the page's
# theme show: load the shown ones now, as a reader scrolling down would.
LOAD_SHOWN_IMAGES_JS = """async () => {
  const shown = [...document.images].filter((img) => img.checkVisibility());
  for (const img of shown) img.loading = "eager";
  await Promise.all(shown.map((img) => img.decode()));
}"""
# A plot stays readable on a dark page if it brings its own opaque background.
SEE_THROUGH_PLOTS_JS = """() => [...document.querySelectorAll("img[class^=sphx-glr]")]
  .filter((img) => img.checkVisibility())
  .filter((img) => {
    const canvas = document.createElement("canvas");
    [canvas.width, canvas.height] = [img.naturalWidth, img.naturalHeight];
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const corners = [[0, 0], [canvas.width - 1, 0], [0, canvas.height - 1],
                     [canvas.width - 1, canvas.height - 1]];
    return corners.some(([x, y]) => ctx.getImageData(x, y, 1, 1).data[3] < 255);
  })
  .map((img) => img.src)"""


def open_page(browser, url, **context_options):
    """``url`` loaded in a tab of its own, and the list of what went wrong."""
    page = browser.new_context(**context_options).new_page()
    problems = watch(page)
    page.goto(url)
    return page, problems


def example_url(server, program):
    return page_url(server.url, program)


def test_every_page_loads_offline_without_errors_under_a_sub_path(
    browser, site, served_under_subpath
):
    # At the root of a server, the accessibility tests see each page load, in
    # either theme (tests/test_reader_with_assistive_technology.py); under a
    # sub-path, as GitHub Pages serves a project, a link that leaves the site's
    # folder fails too.
    server = served_under_subpath
    answered_before = len(server.answered)
    context = browser.new_context()
    # All pages load at once, each in its own tab; then each is given until
    # the network is idle, for what scripts fetch after the page has loaded.
    tabs = {}
    for path in site.pages():
        tab = context.new_page()
        tabs[str(path)] = (tab, watch(tab))
        tab.goto(server.url + path.as_posix(), wait_until="commit")
    for tab, _ in tabs.values():
        tab.wait_for_load_state("networkidle")
    context.close()
    assert {path: found for path, (_, found) in tabs.items() if found} == {}
    # The server also sees what the browser asks for on its own (a favicon).
    assert server.refused(since=answered_before) == []


@each_example
def test_example_page_shows_its_plots_and_printed_output(tab, served_site, program):
    tab.goto(example_url(served_site, program))
    images = tab.locator("img:visible")
    assert images.count(), "no image on the page"
    # A broken image fails to decode: the error names it.
    tab.evaluate(LOAD_SHOWN_IMAGES_JS)
    broken = "imgs => imgs.filter(i => !i.naturalWidth).map(i => i.src)"
    assert images.evaluate_all(broken) == []

    outputs = tab.locator("div.sphx-glr-script-out")
    assert outputs.count() > 0, "no printed output on the page"
    for output in outputs.all():
        output.scroll_into_view_if_needed()
        assert output.is_visible()
        assert output.inner_text().strip()


@each_address
@pytest.mark.parametrize("term", SEARCHES)
def test_search_lists_the_pages_about_a_term(tab, server, term, request):
    server = request.getfixturevalue(server)
    with watching(tab) as problems:
        hrefs = search(tab, server.url + "index.html", term)
    root = urlsplit(server.url).path
    listed = {urlsplit(href).path.removeprefix(root) for href in hrefs}
    expected = {page_url("", p) for p in SEARCHES[term]}
    assert expected <= listed
    assert problems == []


def search(page, url, term):
    """The addresses that searching for ``term`` from the page at ``url`` lists."""
    page.goto(url)
    # Searching leaves the page: let it finish loading first, or a request
    # still under way (its favicon) is cut off, which is no fault of the site.
    page.wait_for_load_state("networkidle")
    search_box = page.locator("input[name=q]:visible").first
    search_box.fill(term)
    search_box.press("Enter")
    page.wait_for_function(
        "document.querySelector('#search-results .search-summary')?.innerText"
    )
    # Each result then fetches its page for a summary: wait for them all, or
    # the next page this tab opens cuts them off.
    page.wait_for_function(
        "[...document.querySelectorAll('#search-results ul.search li')]"
        ".every(item => item.querySelector('p.context, span'))"
    )
    return page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.href)"
    )


def test_dark_theme_keeps_code_output_and_plots_readable(
    browser, served_site, artifacts_dir
):
    shown = PROGRAMS[-1]
    page, problems = open_page(
        browser,
        example_url(served_site, shown),
        color_scheme="light",
        viewport={"width": 1280, "height": 900},
    )
    page.evaluate(LOAD_SHOWN_IMAGES_JS)
    page.screenshot(path=artifacts_dir / f"{shown.stem}-light.png", full_page=True)

    page.locator("button.theme-toggle:visible").first.click()
    assert page.evaluate("document.body.dataset.theme") == "dark"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert max(map(int, background[4:-1].split(",")[:3])) < 80, background
    page.evaluate(LOAD_SHOWN_IMAGES_JS)
    page.screenshot(path=artifacts_dir / f"{shown.stem}-dark.png", full_page=True)

    # The choice is remembered: every example page opens dark from now on.
    unreadable = {}
    for program in GALLERY:
        page.goto(example_url(served_site, program))
        assert page.evaluate("document.body.dataset.theme") == "dark"
        lowest = page.evaluate(LOWEST_CONTRAST_JS)
        page.evaluate(LOAD_SHOWN_IMAGES_JS)
        assert set(lowest) == {"code", "output"}, program
        low = {kind: round(r, 1) for kind, r in lowest.items() if r < 4.5}
        see_through = page.evaluate(SEE_THROUGH_PLOTS_JS)
        if low or see_through:
            unreadable[str(program)] = (low, see_through)
    assert unreadable == {}
    assert problems == []
    page.context.close()


@each_example
def test_download_links_answer_with_the_program_notebook_and_zip(served_site, program):
    # What the reader's click fetches, over HTTP as the browser would; the
    # page itself is opened in the browser by the tests above.
    url = example_url(served_site, program)
    with urlopen(url) as response:
        page = BeautifulSoup(response.read(), "html.parser")
    # The downloads, not the Colab link beside them (another host).
    links = page.select("div.sphx-glr-download a[download]")
    files = {
        PurePosixPath(link["href"]).name: urljoin(url, link["href"]) for link in links
    }
    stem = program.stem
    assert set(files) == {f"{stem}.py", f"{stem}.ipynb", f"{stem}.zip"}

    def fetch(name):
        with urlopen(files[name]) as response:
            body = response.read()
        assert body, name
        return body

    compile(fetch(f"{stem}.py"), f"{stem}.py", "exec")
    nbformat.validate(nbformat.reads(fetch(f"{stem}.ipynb"), as_version=4))
    with zipfile.ZipFile(io.BytesIO(fetch(f"{stem}.zip"))) as archive:
        assert {f"{stem}.py", f"{stem}.ipynb"} <= set(archive.namelist())


def test_math_renders_from_the_site_itself(browser, tmp_path):
    # No page has math yet; the first one must not fetch MathJax from a CDN.
    root = copy_sources(tmp_path)
    with (root / "docs" / "index.rst").open("a", encoding="utf-8") as index:
        index.write("\nThe loss is :math:`\\sum_i (\\hat y_i - y_i)^2`.\n")
    result = build_html(root, env={"EXAMPLES": NO_EXAMPLE})
    assert result.returncode == 0, result.stderr[-3000:]
    with SiteServer(root / "_build" / "html") as server:
        page, problems = open_page(browser, server.url + "index.html")
        page.wait_for_selector("mjx-container")
        page.wait_for_load_state("networkidle")
        page.context.close()
    assert problems == []
