"""Someone shares a link to a page, or a search engine visits the site.

The build that GitHub Actions makes knows the address GitHub Pages serves the
site at, so every page names its canonical address and carries og: tags for
a link preview, and sitemap.xml lists every page there. A build anywhere else
knows no such address, and claims none.
"""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from sitebuild import (
    ADDRESS,
    COMMIT,
    REPOSITORY,
    loaded_from_another_host,
    page_path,
    read_page,
)

import conf
from site_extensions.report_link import LINK_TEXT
from tools.site import pages

LESSON = Path("tensors/plot_1_numpy_warmup.py")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def published(site):
    """The session's site, told REPOSITORY as the Pages workflow's build is
    told its own: its HTML folder and its log."""
    return site.html, site.log


@pytest.fixture(scope="module")
def local(site_built_elsewhere):
    """A build told no repository: its HTML folder and its log."""
    return site_built_elsewhere.html, site_built_elsewhere.log


def og(page, name):
    """The content of the page's og: ``name`` tag, or None."""
    tag = page.find("meta", property=f"og:{name}")
    return tag and tag["content"]


def meta_description(page):
    return page.find("meta", attrs={"name": "description"})["content"]


def canonical(page):
    tag = page.find("link", rel="canonical")
    return tag and tag["href"]


def clean(log):
    return "build succeeded" in log and "warning" not in log.lower()


def test_a_lesson_s_link_previews_with_its_title_description_and_figure(published):
    html, _ = published
    page = read_page(page_path(html, LESSON))
    assert og(page, "title") == page.h1.get_text().rstrip("#¶ ")
    assert og(page, "description") == meta_description(page)
    assert len(og(page, "description")) >= 150
    figure = page.select_one("img.only-light")
    # The light figure at 2x: the largest there is.
    assert og(page, "image") == f"{ADDRESS}_images/sphx_glr_{LESSON.stem}_001_2_00x.png"
    assert (html / og(page, "image").removeprefix(ADDRESS)).is_file()
    assert og(page, "image:alt") == figure["alt"]
    assert og(page, "url") == canonical(page)


# Pages Sphinx makes without a document, which sphinxext-opengraph leaves
# without og: tags: nobody shares a link to the index or the search page.
WITHOUT_DOCUMENT = {Path("genindex.html"), Path("search.html")}


def test_every_page_has_its_canonical_address_and_one_description(published):
    html, _ = published
    for name in pages(html):
        page = read_page(html / name)
        assert canonical(page) == ADDRESS + name.as_posix(), name
        if name not in WITHOUT_DOCUMENT:
            assert og(page, "description") == meta_description(page), name
    # A page without a figure shows no image rather than another page's.
    assert og(read_page(html / "index.html"), "image") is None


def test_the_sitemap_lists_every_page_to_index_at_its_address(published):
    html, _ = published
    urlset = ElementTree.parse(html / "sitemap.xml").getroot()
    listed = sorted(loc.text for loc in urlset.iter(f"{SITEMAP}loc"))
    expected = [ADDRESS + page.as_posix() for page in pages(html)]
    assert listed == sorted(set(expected) - {ADDRESS + "search.html"})
    # github.io needs no CNAME file; one would send the site elsewhere.
    assert not (html / "CNAME").exists()


def test_the_published_build_is_clean_and_loads_nothing_from_elsewhere(published):
    html, log = published
    assert clean(log), log[-3000:]
    assert loaded_from_another_host(html) == []


def test_a_build_elsewhere_claims_no_address_and_is_as_strict(local):
    html, log = local
    # Built as `make html` builds, warnings as errors: an extension's warning
    # about the missing address would have failed it.
    assert clean(log), log[-3000:]
    assert not (html / "sitemap.xml").exists()
    for name in pages(html):
        page = read_page(html / name)
        assert canonical(page) is None, name
        assert not page.find("meta", property=lambda p: p and p.startswith("og:"))


SITE_SUFFIX = f" - {conf.project}"


def report_links(html, page):
    return read_page(html / page).find_all("a", string=LINK_TEXT)


def test_every_page_links_a_new_issue_about_itself(published):
    html, _ = published
    for page in pages(html):
        (link,) = report_links(html, page)
        url = urlsplit(link["href"])
        assert url.netloc == "github.com" and url.path == f"/{REPOSITORY}/issues/new"
        query = parse_qs(url.query)
        # The browser tab's title, "<page> - <site>", less the site's name.
        title = read_page(html / page).title.get_text().removesuffix(SITE_SUFFIX)
        assert query["title"] == [f"Problem on the page: {title}"]
        (body,) = query["body"]
        assert f"Page: {ADDRESS}{page.as_posix()}\n" in body
        assert f"Built from commit: {COMMIT}\n" in body


def test_a_build_told_no_repository_links_no_issue(local):
    html, log = local
    assert all(report_links(html, page) == [] for page in pages(html))
    assert "warning" not in log.lower()
