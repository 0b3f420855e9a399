"""Every header cell of a table says whether it heads a column or a row."""

from types import SimpleNamespace

from bs4 import BeautifulSoup
from docutils.core import publish_parts
from docutils.writers.html5_polyglot import HTMLTranslator, Writer
from fakes import FakeApp, setup_of

from site_extensions import table_headers

TABLE = """\
.. list-table::
   :header-rows: 1
   :stub-columns: 1

   * - Question
     - Define-and-run
     - Define-by-run
   * - Who builds the graph
     - You
     - The framework
   * - How often
     - Once
     - Every step
"""


def cells(source):
    """(tag, scope, text) of every cell of the tables in ``source``."""
    writer = Writer()
    writer.translator_class = table_headers.with_header_scopes(HTMLTranslator)
    body = publish_parts(source, writer=writer)["body"]
    return [
        (cell.name, cell.get("scope"), cell.get_text(strip=True))
        for cell in BeautifulSoup(body, "html.parser").select("th, td")
    ]


def test_header_row_cells_head_columns_and_stub_cells_head_rows():
    assert cells(TABLE) == [
        ("th", "col", "Question"),
        ("th", "col", "Define-and-run"),
        ("th", "col", "Define-by-run"),
        ("th", "row", "Who builds the graph"),
        ("td", None, "You"),
        ("td", None, "The framework"),
        ("th", "row", "How often"),
        ("td", None, "Once"),
        ("td", None, "Every step"),
    ]


def test_a_table_without_headers_keeps_plain_cells():
    plain = TABLE.replace("   :header-rows: 1\n   :stub-columns: 1\n", "")
    assert {(tag, scope) for tag, scope, _ in cells(plain)} == {("td", None)}


def test_a_header_spanning_two_columns_heads_columns():
    grid = """\
+-------+-------+
| Both columns  |
+=======+=======+
| a     | b     |
+-------+-------+
"""
    assert cells(grid) == [
        ("th", "col", "Both columns"),
        ("td", None, "a"),
        ("td", None, "b"),
    ]


def builder_app(output_format, translator):
    app = FakeApp()
    app.builder = SimpleNamespace(
        name="dirhtml", format=output_format, get_translator_class=lambda: translator
    )
    app.translators = {}
    app.set_translator = lambda name, cls, override=False: app.translators.update(
        {name: (cls, override)}
    )
    return app


def test_the_builder_s_own_translator_is_wrapped_not_replaced():
    app = builder_app("html", HTMLTranslator)
    table_headers.scope_table_headers(app)
    ((name, (translator, override)),) = app.translators.items()
    assert name == "dirhtml" and override
    assert issubclass(translator, HTMLTranslator)
    assert issubclass(translator, table_headers.HeaderScopes)
    # A translator that already has the mixin does not get it twice.
    assert table_headers.with_header_scopes(translator) is translator


def test_builders_of_other_formats_are_left_alone():
    app = builder_app("latex", object)
    table_headers.scope_table_headers(app)
    assert app.translators == {}


def test_it_is_an_extension_safe_in_parallel():
    app, metadata = setup_of(table_headers)
    assert metadata == {"parallel_read_safe": True, "parallel_write_safe": True}
    assert [event for event, *_ in app.handlers] == ["builder-inited"]
