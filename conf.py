"""Sphinx configuration: ``sphinx-build -c . docs _build/html``."""

import os
import re
import sys
from pathlib import Path

# Build modes, read once from the environment.
#   EXAMPLES: regex on example paths; only matching examples are executed.
EXAMPLES = os.environ.get("EXAMPLES") or re.escape(os.sep) + "plot_"
#   SOURCE_DATE_EPOCH: a reproducible build; pages leave out their run times,
#   the one thing sphinx-gallery writes that changes from build to build.
REPRODUCIBLE = "SOURCE_DATE_EPOCH" in os.environ

# TensorFlow reads these when it is first imported, which happens inside
# whichever example imports it first: set them before any example runs.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

# gallery_hooks.py and figures.py live next to this file.
sys.path.insert(0, str(Path(__file__).parent))

# -- Project information -----------------------------------------------------

project = "Learning PyTorch with Examples"
author = "The Learning PyTorch with Examples authors"
copyright = "2026, " + author

# -- General configuration ---------------------------------------------------

extensions = [
    "sphinx.ext.githubpages",
    "sphinx_copybutton",
    "sphinx_gallery.gen_gallery",
    # MathJax from the site's own _static/, not from a CDN: the site works offline.
    "sphinx-mathjax-offline",
]

# -- Options for HTML output -------------------------------------------------

html_theme = "furo"
html_title = project
# Without one, every browser asks the server for /favicon.ico and gets a 404.
html_favicon = "docs/_static/favicon.svg"

# -- Options for sphinx-gallery ----------------------------------------------

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": EXAMPLES,
    "subsection_order": [
        "../examples/tensors",
        "../examples/autograd",
        "../examples/nn",
        "../examples/beyond",
    ],
    "within_subsection_order": "FileNameSortKey",
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
# says what it shows (figures.py); every page with a description, headings,
# labelled landmarks and keyboard access to all that scrolls (docs/_templates,
# docs/_static).

sphinx_gallery_conf["image_scrapers"] = ("figures.theme_figures",)
sphinx_gallery_conf["image_srcset"] = ["2x"]
templates_path = ["docs/_templates"]
html_static_path = ["docs/_static"]
html_css_files = ["a11y.css"]
html_js_files = [("a11y.js", {"defer": "defer"})]
# Sizes are given to every image (figures.size_images) so the page does not
# shift as images arrive, not to scale them: no link to the image file.
html_scaled_image_link = False
html_theme_options = {
    # furo puts its "view this page" button outside every landmark (axe:
    # region), and the page's source is offered better by the downloads.
    "top_of_page_buttons": [],
}


def setup(app):
    import figures
    import page_head

    figures.setup(app)
    page_head.setup(app)
