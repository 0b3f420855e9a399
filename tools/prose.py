"""How long the sentences of the built site's prose are.

The measure the site keeps (issue 24): over the prose paragraphs of a page
(its paragraphs and list items; code, printed output, diffs, tables, the
download boxes and the gallery's thumbnails left out), at most 18 words a
sentence on average, and no sentence over 40 words. The original tutorial's
prose averages about 15.

    python -m tools.prose _build/html     # a table of every page, worst first
"""

import re
import statistics
import sys
from pathlib import Path
from typing import NamedTuple

# The limits: words per sentence, on average over a page, and in any sentence.
MAX_AVERAGE = 18
MAX_SENTENCE = 40

# Where a page's text is not prose a reader reads as sentences: code and its
# output, generated diffs, tables, sphinx-gallery's download boxes, timings
# and thumbnails, the home page's card labels, and the table of contents.
NOT_PROSE = (
    "pre, table, details.lesson-diff, .highlight, .sphx-glr-script-out,"
    " .sphx-glr-download-link-note, .sphx-glr-footer, .sphx-glr-timing,"
    " .sphx-glr-thumbcontainer, .sphx-glr-thumbnails, .sphx-glr-signature,"
    " .toctree-wrapper, .sd-card-header, p.rubric, dt"
)
# A sentence ends at . ! or ? (after any closing quote or bracket) and a space:
# the next may start with a name from the code, in lower case.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+")
# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|vs|cf|approx)\.$", re.IGNORECASE)
_WORD = re.compile(r"\w")


class Page(NamedTuple):
    name: str
    sentences: list[str]

    @property
    def lengths(self) -> list[int]:
        return [words(sentence) for sentence in self.sentences]

    @property
    def average(self) -> float:
        return statistics.fmean(self.lengths) if self.sentences else 0.0

    @property
    def longest(self) -> str:
        return max(self.sentences, key=words, default="")

    def problems(self) -> list[str]:
        """What breaks the limits on this page, in words a writer can act on."""
        found = []
        if self.average > MAX_AVERAGE:
            found.append(
                f"{self.name}: {self.average:.1f} words a sentence on average"
                f" (at most {MAX_AVERAGE})"
            )
        found += [
            f"{self.name}: a sentence of {words(s)} words (at most {MAX_SENTENCE}): {s}"
            for s in self.sentences
            if words(s) > MAX_SENTENCE
        ]
        return found


def words(sentence: str) -> int:
    """The words of a sentence: its runs of non-space holding a letter or digit."""
    return sum(1 for token in sentence.split() if _WORD.search(token))


def split_sentences(text: str) -> list[str]:
    """The sentences of one paragraph's text."""
    text = " ".join(text.split())
    sentences: list[str] = []
    for piece in _SENTENCE_END.split(text):
        if sentences and _ABBREVIATIONS.search(sentences[-1]):
            sentences[-1] += " " + piece
        elif piece:
            sentences.append(piece)
    return [s for s in sentences if words(s)]


def paragraphs(html: str) -> list[str]:
    """The prose paragraphs of a built page's main content, as plain text:
    its paragraphs, and the list items that hold no paragraph of their own."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    content = soup.find("article") or soup.body or soup
    for element in content.select(NOT_PROSE):
        element.decompose()
    found = []
    for element in content.find_all(["p", "li"]):
        if element.name == "li":
            if element.find("p"):
                continue
            for nested in element.find_all(["ul", "ol"]):
                nested.extract()
        text = element.get_text()
        if words(text):
            found.append(text)
    return found


def measure(html: str, name: str = "") -> Page:
    """The sentences of a built page, as its reader meets them."""
    return Page(name, [s for p in paragraphs(html) for s in split_sentences(p)])


def measure_site(html_dir, names) -> list[Page]:
    """Each named page (paths relative to the built site ``html_dir``)."""
    root = Path(html_dir)
    return [
        measure((root / name).read_text(encoding="utf-8"), Path(name).as_posix())
        for name in names
    ]


def main(argv) -> int:
    from tools.site import pages

    html = Path(argv[0] if argv else "_build/html")
    measured = measure_site(html, pages(html))
    measured.sort(key=lambda page: page.average, reverse=True)
    print(f"{'page':58} {'sentences':>9} {'average':>7} {'longest':>7}")
    for page in measured:
        print(
            f"{page.name:58} {len(page.sentences):9} {page.average:7.1f}"
            f" {max(page.lengths, default=0):7}"
        )
    problems = [problem for page in measured for problem in page.problems()]
    print(*problems, sep="\n", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
