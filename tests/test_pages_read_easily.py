"""A learner reads the pages: sentences as short as the original tutorial's
(about 15 words), measured over each built page's prose by tools/prose.py."""

from sitebuild import GALLERY, GALLERY_DIR, page_path

from tools.prose import MAX_AVERAGE, MAX_SENTENCE, measure_site


def test_every_page_keeps_its_sentences_short(site):
    measured = measure_site(site.html, site.pages())
    problems = [problem for page in measured for problem in page.problems()]
    assert problems == [], "\n".join(problems)
    assert (MAX_AVERAGE, MAX_SENTENCE) == (18, 40)


def test_the_measure_reads_the_prose_of_every_page_that_has_some(site):
    # Measured from nothing, every page would pass: each page that teaches
    # has its sentences found.
    teaching = [
        "index.html",
        f"{GALLERY_DIR}/index.html",
        "graphs.html",
        "glossary.html",
        "examples_by_function.html",
        *(page_path(site.html, p).relative_to(site.html).as_posix() for p in GALLERY),
    ]
    found = {
        page.name: len(page.sentences) for page in measure_site(site.html, teaching)
    }
    assert {name: count for name, count in found.items() if count < 5} == {}
