"""A maintainer builds the site twice: the same sources give the same site."""

import html
import json
import re
from pathlib import Path

from sitebuild import (
    GALLERY,
    MEASURED,
    is_measurement,
    page_path,
    printed_output,
    unmeasured,
)

TAG = re.compile(r"<[^>]+>")
# The alt text of a figure: in the page (<img alt=...>), in its reST source,
# and in the og:image:alt tag of a build that knows the site's published
# address (site_extensions.link_previews).
FIGURE_ALT = re.compile(r'<img [^>]*alt=|^\s*:alt: |"og:image:alt"')


def test_every_example_prints_the_same_in_two_builds(reproducible_builds):
    first, second = reproducible_builds
    differ = [
        str(program)
        for program in GALLERY
        if unmeasured(program, printed_output(first.html, program))
        != unmeasured(program, printed_output(second.html, program))
    ]
    assert differ == []


def test_every_kind_of_measurement_left_out_is_one_the_page_prints(
    reproducible_builds,
):
    first, _ = reproducible_builds
    unused = [
        f"{program}: {kind}"
        for program, measured in MEASURED.items()
        for kind in measured.lines
        if not any(
            re.search(kind, line.strip())
            for line in printed_output(first.html, program).splitlines()
        )
    ]
    assert unused == []


def test_reproducible_mode_hides_the_run_times(reproducible_builds):
    first, _ = reproducible_builds
    for program in GALLERY:
        page = page_path(first.html, program).read_text("utf-8")
        assert "Total running time" not in page, program


def search_index(built):
    """The search index, less the words that pages with measurements index."""
    text = (built.html / "searchindex.js").read_text("utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    measured = {
        i
        for i, name in enumerate(index["docnames"])
        if any(program.stem in name for program in MEASURED)
    }
    for kind in ("terms", "titleterms"):
        for term, docs in list(index[kind].items()):
            docs = docs if isinstance(docs, list) else [docs]
            index[kind][term] = [d for d in docs if d not in measured]
            if not index[kind][term]:
                del index[kind][term]
    return index


def comparable(built, path):
    """What must be equal in two reproducible builds, for one file of the site.

    Left out: what a page printed or drew from timing itself (MEASURED), and
    zip archives, whose entries carry the time the build wrote their files.
    The run times that sphinx-gallery writes on each page, the only output it
    documents as changing between runs, are hidden in this mode (see conf.py),
    so they are compared too: as absent.
    """
    if path.suffix == ".zip":
        return None
    if path == Path("searchindex.js"):
        return search_index(built)
    program = next((p for p in MEASURED if p.stem in path.name), None)
    data = (built.html / path).read_bytes()
    if program is None:
        return data
    if path.suffix == ".png":
        return None if MEASURED[program].figures else data
    lines = data.decode().splitlines()
    if MEASURED[program].figures:
        # A figure's alt text reads its numbers from what the figure plots.
        lines = [line for line in lines if not FIGURE_ALT.search(line)]
    return [
        line
        for line in lines
        if not is_measurement(program, html.unescape(TAG.sub("", line)))
    ]


def site_files(built):
    return sorted(
        p.relative_to(built.html) for p in built.html.rglob("*") if p.is_file()
    )


def test_two_reproducible_builds_give_identical_files(reproducible_builds):
    first, second = reproducible_builds
    files = site_files(first)
    assert files == site_files(second)
    differ = [
        str(path)
        for path in files
        if comparable(first, path) != comparable(second, path)
    ]
    assert differ == []
