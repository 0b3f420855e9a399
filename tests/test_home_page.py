"""A new reader lands on the home page: the path through the site as cards,
in order, and how to use the site."""

import re

from sitebuild import BEYOND, EXAMPLES, GALLERY, PROGRAMS, page_path, read_page

from site_extensions.example_cards import title_and_idea


def example_cards(site):
    """The home page's cards that show an example: (label, link, title, idea,
    image files), in the order the reader meets them."""
    home = read_page(site.html / "index.html")
    found = []
    for card in home.select("div.path-card"):
        if not card.find("img"):
            continue
        (link,) = card.select(".sd-card-title a")
        found.append(
            (
                card.select_one(".sd-card-header").get_text(strip=True),
                (site.html / link["href"]).resolve(),
                link.get_text(strip=True),
                card.select_one(".sd-card-body p").get_text(" ", strip=True),
                [img["src"].rsplit("/", 1)[1] for img in card.find_all("img")],
            )
        )
    return found


def test_the_home_page_shows_every_example_as_a_card_in_teaching_order(site):
    cards = example_cards(site)
    assert [link for _, link, *_ in cards] == [
        page_path(site.html, program).resolve() for program in GALLERY
    ]
    labels = [label for label, *_ in cards]
    # The nine lessons say where they stand on the path; the pages beyond
    # them give their number.
    steps = len(PROGRAMS)
    assert labels[:steps] == [f"Lesson {n} of {steps}" for n in range(1, steps + 1)]
    assert labels[steps:] == [
        f"Page {program.name.split('_')[1]}" for program in BEYOND
    ]


def test_each_card_names_its_page_and_the_idea_it_opens_with(site):
    for (_, link, title, idea, _), program in zip(
        example_cards(site), GALLERY, strict=True
    ):
        page = read_page(link)
        assert title == page.h1.get_text(strip=True).rstrip("¶")
        source_title, source_idea = title_and_idea(
            (EXAMPLES / program).read_text(encoding="utf-8"), program
        )
        assert title == source_title
        # The first sentence of the page's own introduction.
        first = page.select_one("article section p").get_text(" ", strip=True)
        assert " ".join(first.split()).startswith(idea), (program, idea)


def test_each_card_shows_its_loss_curve_in_either_theme(site):
    for _, _, title, _, images in example_cards(site):
        assert len(images) == 2, title
        light, dark = images
        assert re.fullmatch(r"sphx_glr_plot_\d+_\w+_thumb\.png", light), title
        assert dark == light.replace("_thumb.png", "_thumb_dark.png"), title


def test_the_home_page_says_how_to_use_the_site(site):
    home = read_page(site.html / "index.html")
    (section,) = [
        s for s in home.select("section section") if s.h2.get_text().startswith("How")
    ]
    text = " ".join(section.get_text(" ", strip=True).split())
    for said in ("in order", "Colab", "Python script", "Jupyter notebook"):
        assert said in text
    commands = {code.get_text() for code in section.select("code")}
    assert {"make html", "make test"} <= commands
    # It links the first lesson, where the path starts.
    first = page_path(site.html, GALLERY[0]).resolve()
    linked = {
        (site.html / a["href"].partition("#")[0]).resolve() for a in section.select("a")
    }
    assert first in linked


def test_sphinx_designs_styles_load_only_where_its_cards_are(site):
    for path in site.pages():
        page = (site.html / path).read_text(encoding="utf-8")
        assert "design-tabs.js" not in page, path
        styles = "sphinx-design.min.css" in page
        assert styles == (path.as_posix() == "index.html"), path
