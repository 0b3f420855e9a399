"""What goes into each page's <head>: a description and the stylesheets it uses.

A description is what search engines show under a page's title, and what a
link preview shows under it (site_extensions.link_previews gives it to og:).

A page's description is its lead paragraph, the one right under its title:
for an example, the paragraph of its docstring that says what the reader
will see. It is cut at the last sentence that fits, unless the first
sentence alone would be too short to say what the page shows; then the
next goes in, cut at a word. Pages made without a document (the index, the
search page) get the one that conf.py's ``page_head_descriptions`` gives
them. Stylesheets and scripts named in ``page_head_unused_css`` and
``page_head_unused_js`` are left out of every page, and those named in
``page_head_css_by_class`` out of every page that does not use them.
"""

import html
import re

from docutils import nodes


def only_links(paragraph):
    """Whether ``paragraph`` is nothing but links, as the title of a gallery
    card is: a list of other pages, not text about this one."""
    return all(
        isinstance(child, nodes.reference) or not child.astext().strip()
        for child in paragraph.children
    )


def lead_paragraph(doctree, min_length):
    """The text under the page's title: its first paragraphs outside notes and
    cards, and the lists among them, until there are ``min_length`` characters."""
    text = ""
    for node in doctree.findall(nodes.paragraph):
        if len(text) >= min_length:
            break
        placed = isinstance(
            node.parent, nodes.section | nodes.document | nodes.list_item
        )
        if placed and not only_links(node):
            text += " " + " ".join(node.astext().split())
    return text.strip()


def shorten(text, limit, at_least=0):
    """``text`` cut to at most ``limit`` characters: at the last sentence that
    fits, unless that leaves fewer than ``at_least`` (a short first sentence
    followed by a long one); else at the last word, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = cut.rfind(". ")
    if end > 0 and end + 1 >= at_least:
        return cut[: end + 1]
    return cut.rsplit(" ", 1)[0].rstrip(",;:") + "…"


def description(app, pagename, doctree):
    """The description of a page; ValueError if it has none."""
    min_length, max_length = app.config.page_head_description_length
    if doctree is not None:
        text = lead_paragraph(doctree, min_length)
    else:
        written = app.config.page_head_descriptions.get(pagename, "")
        text = written.format(project=app.config.project)
    if not text:
        raise ValueError(
            f"page {pagename!r} has no description: start it with a paragraph "
            "under its title, or give it one in conf.py's page_head_descriptions"
        )
    return shorten(text, max_length, min_length)


def add_description(app, pagename, templatename, context, doctree):
    text = html.escape(description(app, pagename, doctree))
    tag = f'<meta name="description" content="{text}">\n'
    context["metatags"] = context.get("metatags", "") + tag


def uses_class(body: str, prefix: str) -> bool:
    """Whether a page's HTML body has an element of a class starting ``prefix``."""
    return re.search(rf'class="([^"]*\s)?{re.escape(prefix)}', body) is not None


def drop_unused_styles(app, pagename, templatename, context, doctree):
    unused = tuple(app.config.page_head_unused_css)
    body = context.get("body", "")
    context["css_files"] = [
        css
        for css in context["css_files"]
        if not css.filename.endswith(unused)
        and all(
            uses_class(body, prefix)
            for name, prefix in app.config.page_head_css_by_class.items()
            if css.filename.endswith(name)
        )
    ]
    unused_js = tuple(app.config.page_head_unused_js)
    context["script_files"] = [
        js for js in context["script_files"] if not js.filename.endswith(unused_js)
    ]


def setup(app):
    # The shortest description ("PyTorch rests on two ideas:" goes on into
    # what follows it, and so does a short first sentence), and the longest,
    # in characters.
    app.add_config_value("page_head_description_length", (150, 300), "html", tuple)
    # For pages made without a document: their description, "{project}" filled in.
    app.add_config_value("page_head_descriptions", {}, "html", dict)
    # Stylesheets (file names) that no page of the site uses.
    app.add_config_value("page_head_unused_css", (), "html", (tuple, list))
    # Stylesheets only some pages use: each only on the pages with an element
    # of a class starting with the prefix it is given.
    app.add_config_value("page_head_css_by_class", {}, "html", dict)
    # Scripts (file names) that no page of the site uses.
    app.add_config_value("page_head_unused_js", (), "html", (tuple, list))
    app.connect("html-page-context", add_description)
    app.connect("html-page-context", drop_unused_styles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
