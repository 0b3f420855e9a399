"""site_extensions.report_link: each page's link to a new GitHub issue about it."""

from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

from fakes import setup_of

from site_extensions import report_link

SHA = "89abcdef0123456789abcdef0123456789abcdef"


def test_the_form_names_the_page_its_address_and_the_commit():
    url = urlsplit(
        report_link.issue_url(
            "someone/site", "Autograd", "https://someone.github.io/site/a.html", SHA
        )
    )
    assert (url.scheme, url.netloc, url.path) == (
        "https",
        "github.com",
        "/someone/site/issues/new",
    )
    query = parse_qs(url.query)
    assert query["title"] == ["Problem on the page: Autograd"]
    (body,) = query["body"]
    assert body.startswith(
        f"Page: https://someone.github.io/site/a.html\nBuilt from commit: {SHA}\n"
    )


def test_without_a_commit_the_form_names_none():
    url = report_link.issue_url("someone/site", "A", "https://x.github.io/a.html", None)
    (body,) = parse_qs(urlsplit(url).query)["body"]
    assert "commit" not in body and body.startswith("Page: https://x.github.io/")


def test_a_title_reads_as_the_browser_s_tab_shows_it():
    assert report_link.title_as_text("<code>torch.optim</code>:  an &amp; b ") == (
        "torch.optim: an & b"
    )


def page_context(repository, title="Tensors &amp; devices", page="tensors/index"):
    """The context of ``page`` once add_report_link has seen it, with the
    canonical address that Sphinx gives every page of a build told its
    repository."""
    app = SimpleNamespace(
        config=SimpleNamespace(github_repository=repository, github_commit=SHA)
    )
    context = {"title": title} if title else {}
    if repository:
        context["pageurl"] = f"https://example.org/{page}.html"
    report_link.add_report_link(app, page, "page.html", context, None)
    return context


def test_told_a_repository_every_page_gets_its_link_and_canonical_address():
    context = page_context("Someone/Learning")
    query = parse_qs(urlsplit(context["report_problem_url"]).query)
    assert query["title"] == ["Problem on the page: Tensors & devices"]
    assert query["body"][0].startswith(
        f"Page: https://example.org/tensors/index.html\nBuilt from commit: {SHA}\n"
    )
    assert context["report_problem_text"] == "Report a problem with this page"


def test_the_index_and_search_pages_are_named_as_their_tabs_name_them():
    for page, name in [("genindex", "Index"), ("search", "Search")]:
        context = page_context("someone/learning", title=None, page=page)
        query = parse_qs(urlsplit(context["report_problem_url"]).query)
        assert query["title"] == [f"Problem on the page: {name}"]


def test_told_no_repository_no_page_gets_one():
    assert page_context(None) == {"title": "Tensors &amp; devices"}


def test_it_is_an_extension_that_adds_to_each_page():
    app, metadata = setup_of(report_link)
    assert [event for event, _, _ in app.handlers] == ["html-page-context"]
    assert metadata["parallel_read_safe"]
