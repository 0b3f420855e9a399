"""What goes into each page's <head>: a description and the stylesheets it uses.

A description is what search engines show under a page's title.

A page's description is its lead paragraph, the one right under its title:
for an example, the paragraph of its docstring that says what the reader
will see. Pages made without a document (the index, the search page) get one
written here.
"""

import html

from docutils import nodes

# Enough for a search result; longer leads are cut at the last sentence that
# fits, and a lead shorter than MIN_LENGTH ("PyTorch rests on two ideas:")
# goes on into what follows it.
MIN_LENGTH, MAX_LENGTH = 100, 300
GENERATED = {
    "genindex": "Index of the terms and functions used on the pages of {project}.",
    "search": "Search the pages of {project}.",
}


def lead_paragraph(doctree):
    """The text under the page's title: its first paragraphs outside notes and
    cards, and the lists among them."""
    text = ""
    for node in doctree.findall(nodes.paragraph):
        if len(text) >= MIN_LENGTH:
            break
        if isinstance(node.parent, nodes.section | nodes.document | nodes.list_item):
            text += " " + " ".join(node.astext().split())
    return text.strip()


def shorten(text, limit=MAX_LENGTH):
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = cut.rfind(". ")
    return cut[: end + 1] if end > 0 else cut.rsplit(" ", 1)[0] + "…"


def add_description(app, pagename, templatename, context, doctree):
    if doctree is not None:
        text = lead_paragraph(doctree)
    else:
        text = GENERATED.get(pagename, "").format(project=app.config.project)
    if not text:
        raise ValueError(
            f"page {pagename!r} has no description: start it with a paragraph "
            "under its title, or add an entry for it to page_head.GENERATED"
        )
    tag = f'<meta name="description" content="{html.escape(shorten(text))}">\n'
    context["metatags"] = context.get("metatags", "") + tag


# sphinx-gallery's styles for Binder badges, pandas tables and HTML output,
# none of which this site shows: each would be one more request that holds
# back the page's first paint.
UNUSED_STYLES = (
    "sg_gallery-binder.css",
    "sg_gallery-dataframe.css",
    "sg_gallery-rendered-html.css",
)


def drop_unused_styles(app, pagename, templatename, context, doctree):
    context["css_files"] = [
        css for css in context["css_files"] if not css.filename.endswith(UNUSED_STYLES)
    ]


def setup(app):
    app.connect("html-page-context", add_description)
    app.connect("html-page-context", drop_unused_styles)
