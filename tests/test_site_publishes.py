"""A maintainer publishes _build/html: every link in it holds, offline."""

import re
from urllib.parse import unquote, urlsplit

from sitebuild import REPO, read_page

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
# Tags whose address a page loads by itself, unlike a link a reader may follow.
LOADED = ("link", "script", "img", "source", "iframe")


def links(site):
    """Every (page, tag, address) in the site's HTML pages."""
    for page in site.pages():
        soup = read_page(site.html / page)
        for tag in soup.find_all(["a", *LOADED]):
            for attribute in ("href", "src"):
                if tag.get(attribute):
                    yield page, tag, tag[attribute]
            for candidate in tag.get("srcset", "").split(","):
                if candidate.strip():
                    yield page, tag, candidate.split()[0]


def test_every_internal_link_resolves_to_a_file(site):
    broken = []
    for page, _, address in links(site):
        parts = urlsplit(address)
        if parts.scheme or parts.netloc or not parts.path:
            continue  # another site, or an anchor on this page
        target = (site.html / page).parent / unquote(parts.path)
        if target.is_dir():
            target /= "index.html"
        if not target.resolve().is_relative_to(site.html) or not target.is_file():
            broken.append(f"{page}: {address}")
    assert broken == []


def test_pages_load_nothing_from_another_host(site):
    # MathJax, fonts, scripts for tables: all would come from a CDN by default.
    remote = [
        f"{page}: <{tag.name}> {address}"
        for page, tag, address in links(site)
        if tag.name in LOADED and urlsplit(address).netloc
    ]
    assert remote == []


def test_build_tells_github_pages_to_serve_it_as_is(site):
    # Without .nojekyll, GitHub Pages drops _static/, _images/ and _sources/.
    assert (site.html / ".nojekyll").is_file()


def test_workflow_publishes_what_make_html_builds():
    workflow = WORKFLOW.read_text()
    assert re.search(r"^\s*run: make html$", workflow, re.M)
    assert re.search(r"^\s*path: _build/html$", workflow, re.M)
    for action in ("configure-pages", "upload-pages-artifact", "deploy-pages"):
        assert f"uses: actions/{action}@" in workflow
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^BUILDDIR +:= _build$", makefile, re.M)
    assert "$(BUILDDIR)/html" in makefile
