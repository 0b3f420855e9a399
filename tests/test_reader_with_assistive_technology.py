"""A reader who uses a screen reader, the keyboard or the dark theme: every
page loads offline and passes axe-core in either theme."""

import itertools
import re

import pytest
from PIL import Image, ImageStat
from sitebuild import (
    GALLERY,
    GALLERY_DIR,
    accessibility_violations,
    context_in_theme,
    open_in_theme,
    page_path,
    page_url,
    read_page,
    watch,
)

THEMES = ("light", "dark")
# The scraper writes each figure twice; the dark one's name ends in _dark.
DARK_FIGURE = re.compile(r"_dark(_\d_\d\dx)?\.png$")
# What a keyboard user must be able to reach on an example page, by kind.
REACHABLE = {
    "navigation": ".sidebar-tree a",
    "copy button": "button.copybtn",
    "scrolling block": "article pre",
    "download": "div.sphx-glr-download a",
}
MARK_REACHABLE_JS = """(reachable) => {
  const scrolls = (el) =>
    el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight;
  const counts = {};
  for (const [kind, selector] of Object.entries(reachable)) {
    // Links inside a collapsed part of the navigation are not shown.
    let els = [...document.querySelectorAll(selector)]
      .filter((el) => el.checkVisibility());
    if (kind === "scrolling block") els = els.filter(scrolls);
    els.forEach((el, i) => { el.dataset.reachable = `${kind} ${i}`; });
    counts[kind] = els.length;
  }
  return counts;
}"""
# The element that has the focus, whether it was seen before, and whether
# it shows a focus ring: an outline or a shadow, on an element not see-through.
FOCUSED_JS = """() => {
  const el = document.activeElement;
  const seen = el.dataset.tabbed === "yes";
  el.dataset.tabbed = "yes";
  // A button that fades in on focus is judged once it has: its fade (a CSS
  // transition) is finished at once, rather than waited for.
  el.getAnimations().forEach((a) => a.finish());
  const style = getComputedStyle(el);
  const ring =
    (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) ||
    style.boxShadow !== "none";
  return {
    reachable: el.dataset.reachable ?? null,
    seen: seen || el === document.body,
    ring: el.matches(":focus-visible") && ring && parseFloat(style.opacity) > 0.5,
  };
}"""
# From now on, the page judges each element as the focus comes to it
# (FOCUSED_JS), into a list, so that the Tab key can be pressed several times
# between two looks at it.
RECORD_FOCUS_JS = f"""() => {{
  const judge = {FOCUSED_JS};
  window.focusedInTurn = [];
  document.addEventListener("focusin", () => window.focusedInTurn.push(judge()));
}}"""


@pytest.fixture(scope="module")
def every_page_in_each_theme(browser, site, served_site):
    """Each theme's reading of every page of the site, served at the root of
    a server, one page after the other in one tab: what went wrong as each
    page loaded, and what axe-core found on it (one visit answers both)."""
    seen = {}
    for theme in THEMES:
        page = context_in_theme(browser, theme).new_page()
        problems = watch(page)
        loading, violations = {}, {}
        # What a page fetches late, after axe has run, is seen as the next
        # page loads, and listed under it; the last page is given until the
        # network is idle.
        paths = site.pages()
        for path in paths:
            problems_before = len(problems)
            answers_before = len(served_site.answered)
            page.goto(served_site.url + path.as_posix())
            if found := accessibility_violations(page):
                violations[str(path)] = found
            if path == paths[-1]:
                page.wait_for_load_state("networkidle")
            # The server also sees what the browser asks for on its own.
            refused = served_site.refused(since=answers_before)
            went_wrong = problems[problems_before:] + [
                f"{status}: {asked}" for asked, status in refused
            ]
            if went_wrong:
                loading[str(path)] = went_wrong
        page.context.close()
        seen[theme] = loading, violations
    return seen


@pytest.mark.parametrize("theme", THEMES)
def test_every_page_loads_offline_without_errors(every_page_in_each_theme, theme):
    loading, _ = every_page_in_each_theme[theme]
    assert loading == {}


@pytest.mark.parametrize("theme", THEMES)
def test_no_page_has_an_accessibility_violation(every_page_in_each_theme, theme):
    _, violations = every_page_in_each_theme[theme]
    assert violations == {}


@pytest.mark.parametrize("program", GALLERY, ids=str)
def test_the_keyboard_reaches_everything_on_an_example_page(tab, served_site, program):
    # Wide enough for furo's navigation sidebar, narrow enough that long
    # lines of code or output scroll.
    tab.set_viewport_size({"width": 1100, "height": 800})
    tab.goto(page_url(served_site.url, program))
    wanted = tab.evaluate(MARK_REACHABLE_JS, REACHABLE)
    assert wanted["navigation"] and wanted["copy button"], wanted
    # The notebook, the program and the zip, and the notebook on Colab.
    assert wanted["download"] == 4, wanted

    tab.evaluate(RECORD_FOCUS_JS)
    for _ in range(100):
        for _ in range(10):
            tab.keyboard.press("Tab")
        focused = tab.evaluate("window.focusedInTurn")
        if any(f["seen"] for f in focused):  # round the page and back to the start
            break
    reached, without_ring = dict.fromkeys(wanted, 0), []
    for f in itertools.takewhile(lambda f: not f["seen"], focused):
        if f["reachable"]:
            reached[f["reachable"].rsplit(" ", 1)[0]] += 1
            if not f["ring"]:
                without_ring.append(f["reachable"])
    assert reached == wanted
    assert without_ring == []


def test_the_keyboard_walks_the_home_pages_path_in_order(tab, served_site):
    tab.set_viewport_size({"width": 1100, "height": 800})
    tab.goto(served_site.url + "index.html")
    wanted = tab.evaluate(MARK_REACHABLE_JS, {"card": ".path-card .sd-card-title a"})
    assert wanted["card"] >= len(GALLERY), wanted
    tab.evaluate(RECORD_FOCUS_JS)
    for _ in range(20):
        for _ in range(10):
            tab.keyboard.press("Tab")
        focused = tab.evaluate("window.focusedInTurn")
        if any(f["seen"] for f in focused):
            break
    cards = [
        f
        for f in itertools.takewhile(lambda f: not f["seen"], focused)
        if f["reachable"]
    ]
    # Each card once, in the order of the path, with a visible focus ring.
    assert [f["reachable"] for f in cards] == [
        f"card {i}" for i in range(wanted["card"])
    ]
    assert all(f["ring"] for f in cards), cards


@pytest.mark.parametrize("theme", THEMES)
def test_figures_follow_the_theme(browser, served_site, theme):
    program = GALLERY[0]
    url = page_url(served_site.url, program)
    page = open_in_theme(browser, url, theme, device_scale_factor=2)
    figures = page.locator("img.sphx-glr-single-img:visible")
    assert figures.count() > 0
    for figure in figures.all():
        figure.scroll_into_view_if_needed()
        figure.evaluate("img => img.decode()")
        shown = figure.evaluate("img => img.currentSrc")
        # The 2x file on a 2x screen, the one drawn for this theme.
        assert shown.endswith("_2_00x.png"), shown
        assert bool(DARK_FIGURE.search(shown)) == (theme == "dark"), shown
        corner = figure.evaluate(
            """img => { const c = document.createElement("canvas");
              [c.width, c.height] = [img.naturalWidth, img.naturalHeight];
              const g = c.getContext("2d"); g.drawImage(img, 0, 0);
              return [...g.getImageData(1, 1, 1, 1).data.slice(0, 3)]; }"""
        )
        assert (max(corner) < 60) == (theme == "dark"), corner
    page.context.close()


# furo's theme switch, and the reader's system setting when it is on "auto".
THEME_CHOICES = [("light", "light"), ("dark", "light"), ("auto", "dark")]


# The pages that show every example's thumbnail on a card: the gallery's
# index, and the home page's path (site_extensions/example_cards.py).
CARDS = {
    f"{GALLERY_DIR}/index.html": "div.sphx-glr-thumbcontainer",
    "index.html": "div.path-card:has(img)",
}


@pytest.mark.parametrize("cards_page", CARDS)
@pytest.mark.parametrize(("theme", "system"), THEME_CHOICES)
def test_gallery_thumbnails_follow_the_theme(
    browser, served_site, theme, system, cards_page
):
    url = served_site.url + cards_page
    page = open_in_theme(browser, url, theme, color_scheme=system)
    cards = page.locator(CARDS[cards_page])
    assert cards.count() == len(GALLERY)
    dark = theme == "dark" or system == "dark"
    for card in cards.all():
        # Of the card's two images, furo shows the one of the page's theme.
        assert card.locator("img").count() == 2
        (shown,) = card.locator("img:visible").all()
        shown.scroll_into_view_if_needed()
        shown.evaluate("img => img.decode()")
        name = shown.evaluate("img => img.currentSrc").rsplit("/", 1)[1]
        assert name.endswith("_thumb_dark.png" if dark else "_thumb.png"), name
    # The hidden ones, lazy, are never fetched.
    fetched = page.evaluate(
        "performance.getEntriesByType('resource').map((entry) => entry.name)"
    )
    other = "_thumb.png" if dark else "_thumb_dark.png"
    assert [url for url in fetched if url.endswith(other)] == []
    page.context.close()


def test_each_thumbnail_has_a_dark_copy_for_the_dark_theme(site):
    index = site.html / GALLERY_DIR / "index.html"
    cards = read_page(index).select("div.sphx-glr-thumbcontainer")
    assert len(cards) == len(GALLERY)
    for card in cards:
        light, dark = card.find_all("img")
        assert light["class"] == ["only-light"] and dark["class"] == ["only-dark"]
        assert dark["src"] == light["src"].replace("_thumb.png", "_thumb_dark.png")
        # The link beside them names the page: the images add nothing to read.
        assert light["alt"] == dark["alt"] == ""
        for img, background in ((light, "light"), (dark, "dark")):
            path = index.parent / img["src"]
            with Image.open(path) as image:
                assert image.size == (int(img["width"]), int(img["height"]))
                # How bright the figure is, its transparent margins left out.
                image = image.convert("RGBA")
                opaque = image.getchannel("A").point(lambda a: 255 if a == 255 else 0)
                brightness = ImageStat.Stat(image.convert("L"), opaque).mean[0]
            assert (brightness < 60) == (background == "dark"), (path, brightness)


def test_every_figure_has_sizes_and_alt_text_from_its_run(site):
    for program in GALLERY:
        page = read_page(page_path(site.html, program))
        figures = page.select("img.sphx-glr-single-img")
        assert figures, program
        for img in figures:
            assert img["width"].isdigit() and img["height"].isdigit(), img
            assert img["loading"] == "lazy", img
            # What the run drew: a scale, and numbers from its data.
            alt = img["alt"]
            assert re.search(r" (falls|rises) from \S+ to \S+| points between ", alt)
            assert " against " in alt, alt
        themes = [img["class"][-1] for img in figures]
        assert themes == ["only-light", "only-dark"] * (len(figures) // 2), themes


def test_every_table_header_says_whether_it_heads_a_column_or_a_row(site):
    # A screen reader reads a cell with its headers: scope says which they are.
    scopes = {}
    for path in site.pages():
        for th in read_page(site.html / path).select("table th"):
            expected = "col" if th.find_parent("thead") else "row"
            assert th.get("scope") == expected, f"{path}: {th}"
            scopes.setdefault(str(path), []).append(expected)
    # The comparison of graphs heads its four columns and each of its rows.
    graphs = scopes["graphs.html"]
    assert graphs[:4] == ["col"] * 4 and set(graphs[4:]) == {"row"}, graphs
