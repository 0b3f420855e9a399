"""A link on every page that opens a new GitHub issue about that page.

A build told its GitHub repository (GITHUB_REPOSITORY, which
site_extensions.build_inputs checks and keeps as ``github_repository``) ends each
page with "Report a problem with this page": GitHub's form for a new issue
in that repository, its title and body filled in with the page's title, its
address on GitHub Pages (site_extensions.published_address) and the commit the
site was built from (GITHUB_SHA, which GitHub Actions sets too, kept as
``github_commit``; not named where unset). A build told no repository has no
link, and says nothing about it.

A Sphinx extension (``extensions`` in conf.py); docs/_templates/page.html
shows the link that it puts in each page's context.
"""

from urllib.parse import urlencode

from markupsafe import Markup
from sphinx.locale import _

LINK_TEXT = "Report a problem with this page"


def issue_url(repository: str, title: str, address: str, commit: str | None) -> str:
    """GitHub's new-issue form in ``repository``, about the page ``title`` at
    ``address``, built from ``commit``."""
    body = f"Page: {address}\n"
    if commit:
        body += f"Built from commit: {commit}\n"
    body += "\nWhat is wrong, and where on the page:\n"
    query = urlencode({"title": f"Problem on the page: {title}", "body": body})
    return f"https://github.com/{repository}/issues/new?{query}"


def title_as_text(title: str) -> str:
    """A page's title as the browser's tab shows it (furo's ``striptags``)."""
    return Markup(title).striptags()


def add_report_link(app, pagename, templatename, context, doctree) -> None:
    repository = app.config.github_repository
    if not repository:
        return
    # The page's canonical address, as the page's head names it: Sphinx sets
    # it from html_baseurl, which published_address sets for every build
    # told its repository.
    address = context["pageurl"]
    # The index and the search page have no title in the context: furo's
    # templates name them.
    named = {"genindex": _("Index"), "search": _("Search")}
    title = title_as_text(context.get("title") or named.get(pagename, pagename))
    commit = app.config.github_commit
    context["report_problem_url"] = issue_url(repository, title, address, commit)
    context["report_problem_text"] = LINK_TEXT


def setup(app):
    app.setup_extension("site_extensions.build_inputs")
    app.setup_extension("site_extensions.published_address")
    app.connect("html-page-context", add_report_link)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
