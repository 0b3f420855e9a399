"""Sphinx configuration: ``sphinx-build -c . docs _build/html``."""

import os
import sys
from pathlib import Path

# The site's own extensions and gallery callables live in sphinxext/.
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent / "sphinxext"))

import build_inputs  # noqa: E402
import gallery_hooks  # noqa: E402

# Build modes, read once from the environment and checked before any example
# runs: a bad value stops the build with one line that says how to fix it.
with build_inputs.stop_on_bad_input():
    GALLERY = gallery_hooks.examples_in_teaching_order(build_inputs.EXAMPLES_DIR)
    #   EXAMPLES: regex on example paths; only matching examples are executed.
    EXAMPLES = build_inputs.examples_to_run(GALLERY)
    #   EXAMPLES_DEVICE: the device of the torch examples; when it differs from
    #   the last build's, the examples that read it run again.
    DEVICE = build_inputs.examples_device()
build_inputs.rerun_when_changed(
    "EXAMPLES_DEVICE",
    DEVICE,
    build_inputs.examples_that_read("EXAMPLES_DEVICE", GALLERY),
)
#   gpu_record_*.json, the accelerator runs that `make gpu-record` keeps: a new
#   or changed record runs the page that shows them again.
build_inputs.rerun_when_changed(
    "GPU records",
    build_inputs.digest(sorted(build_inputs.EXAMPLES_DIR.glob("*/gpu_record_*.json"))),
    build_inputs.examples_that_read("gpu_record_", GALLERY),
)
#   The modules that save every example's figures: when one changes, every
#   example runs again, or its page would keep figures the old way.
build_inputs.rerun_when_changed(
    "figures",
    build_inputs.digest(
        [
            build_inputs.ROOT / "sphinxext" / f"{name}.py"
            for name in ("figure_scraper", "dark_theme", "alt_text", "image_html")
        ]
    ),
    GALLERY,
)
#   SOURCE_DATE_EPOCH: a reproducible build; pages leave out their run times,
#   the one thing sphinx-gallery writes that changes from build to build.
REPRODUCIBLE = "SOURCE_DATE_EPOCH" in os.environ

# TensorFlow reads these when it is first imported, which happens inside
# whichever example imports it first: set them before any example runs.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

# -- Project information -----------------------------------------------------

project = "Learning PyTorch with Examples"
author = "The Learning PyTorch with Examples authors"
copyright = "2026, " + author

# -- General configuration ---------------------------------------------------

extensions = [
    "sphinx.ext.githubpages",
    "sphinx_copybutton",
    "sphinx_gallery.gen_gallery",
    # Every download carries the pip install line for what its program imports.
    "install_lines",
    # MathJax from the site's own _static/, not from a CDN: the site works offline.
    "sphinx-mathjax-offline",
    # The "what changed" diff on each lesson page (lesson_diffs.py, next to this file).
    "lesson_diffs",
    "sphinxext.image_html",
]

# -- Options for HTML output -------------------------------------------------

html_theme = "furo"
html_title = project
# Without one, every browser asks the server for /favicon.ico and gets a 404.
html_favicon = "docs/_static/favicon.svg"
html_static_path = ["docs/_static"]

# -- Options for sphinx-gallery ----------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": EXAMPLES,
    # Sections and the pages in each in teaching order, from the examples'
    # numbers: a new example or section needs no list here.
    "subsection_order": [
        f"../examples/{section}"
        for section in gallery_hooks.sections_in_teaching_order(GALLERY)
    ],
    "within_subsection_order": "gallery_hooks.teaching_order",
    # Accelerator runs kept by `make gpu-record`, which the timing page reads
    # from its working folder, in the build and in the built notebooks alike.
    "copyfile_regex": r"gpu_record_.*\.json$",
    "reset_modules": (
        "matplotlib",
        "gallery_hooks.reset_tensorflow_state",
        "gallery_hooks.freeze_long_lived_objects",
    ),
    # Check for leaked TensorFlow state after each example, not only before
    # the next, so the error names the example that caused it.
    "reset_modules_order": "both",
    # Navigation computed from the examples themselves, offline: a "Related
    # examples" panel on every page, and for each torch function the list of
    # examples that call it (the ``minigallery`` directive shows those lists).
    "recommender": {"enable": True, "n_examples": 4},
    "backreferences_dir": "gen_modules/backreferences",
    "doc_module": ("torch",),
    "minigallery_sort_order": "gallery_hooks.teaching_order",
    # Each page states its own run time; the summary page would load its
    # table scripts from a CDN, and the site must work offline.
    "write_computation_times": False,
    "min_reported_time": sys.maxsize if REPRODUCIBLE else 0,
}

# -- Options for readers of every kind -----------------------------------------
# Each figure in a light and a dark version, at 1x and 2x, with alt text that
# says what it shows (sphinxext.figure_scraper); every page with a description,
# headings,
# labelled landmarks and keyboard access to all that scrolls (docs/_templates,
# docs/_static).

sphinx_gallery_conf["image_scrapers"] = ("sphinxext.figure_scraper.theme_figures",)
sphinx_gallery_conf["image_srcset"] = ["2x"]
templates_path = ["docs/_templates"]
html_static_path = ["docs/_static"]
html_css_files = ["a11y.css"]
html_js_files = [("a11y.js", {"defer": "defer"})]
# Sizes are given to every image (sphinxext.image_html) so the page does not
# shift as images arrive, not to scale them: no link to the image file.
html_scaled_image_link = False
html_theme_options = {
    # furo puts its "view this page" button outside every landmark (axe:
    # region), and the page's source is offered better by the downloads.
    "top_of_page_buttons": [],
}


def setup(app):
    import page_head

    page_head.setup(app)
