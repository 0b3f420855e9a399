"""Every header cell of every table says what it heads: ``<th scope=...>``.

docutils writes a table's header row and its stub column as ``<th>`` with no
``scope``, which leaves a screen reader to guess whether a header names a
column or a row (HTML_CodeSniffer's H43). A cell of a header row
(``<thead>``) heads its column, ``scope="col"``; a stub cell of the body
heads its row, ``scope="row"``.

Why a translator and not a rewrite of the finished page: only the translator
still knows, from the doctree, which part of the table a cell belongs to;
the page's HTML would have to be parsed again to find that out. The scope is
added by a mixin around whichever HTML translator the builder would use,
chosen when the builder starts: Sphinx's own, or one another extension
registered. So nothing is replaced, furo (which brings no translator) is
unaffected, and sphinx-gallery's image nodes, whose visitors Sphinx attaches
to each translator it makes, keep theirs.
"""

import re

from docutils import nodes


class HeaderScopes:
    """Mixin for a docutils HTML translator: ``scope`` on every ``<th>``."""

    def visit_entry(self, node):
        super().visit_entry(node)
        tag = self.body[-1]
        if tag.startswith("<th"):
            # docutils makes a cell a <th> only in a header row or a stub column.
            in_header_row = isinstance(node.parent.parent, nodes.thead)
            scope = "col" if in_header_row else "row"
            self.body[-1] = re.sub(r"^<th\b", f'<th scope="{scope}"', tag)


def with_header_scopes(translator):
    """``translator`` (a class) with the mixin, unless it already has it."""
    if issubclass(translator, HeaderScopes):
        return translator
    name = f"{translator.__name__}WithHeaderScopes"
    return type(name, (HeaderScopes, translator), {})


def scope_table_headers(app):
    """Wrap the HTML builder's translator, whichever it is, in the mixin."""
    if app.builder.format != "html":
        return
    translator = app.builder.get_translator_class()
    app.set_translator(app.builder.name, with_header_scopes(translator), override=True)


def setup(app):
    app.connect("builder-inited", scope_table_headers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
