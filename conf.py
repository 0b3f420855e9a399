"""Sphinx configuration: ``sphinx-build -c . docs _build/html`` (`make html`).

Data only: the site's own extensions live in site_extensions/ and are named in
``extensions``. What a build reads from the environment (EXAMPLES,
EXAMPLES_DEVICE, SOURCE_DATE_EPOCH, GITHUB_REPOSITORY, GITHUB_SHA) is checked
by site_extensions.build_inputs once Sphinx has read this file, before any example
runs; site_extensions.published_address makes the site's address from the
repository.
"""

import sys
from pathlib import Path

# Sphinx imports extensions by name: site_extensions/ is a package beside this file.
sys.path.insert(0, str(Path(__file__).parent))

# -- Project information -----------------------------------------------------

project = "Learning PyTorch with Examples"
author = "The Learning PyTorch with Examples authors"
copyright = "2026, " + author

# -- General configuration ---------------------------------------------------

extensions = [
    "sphinx.ext.githubpages",
    # Told its GitHub repository, the site's address on GitHub Pages: canonical
    # links, og: tags (sphinxext.opengraph) and a sitemap (sphinx_sitemap).
    "site_extensions.published_address",
    "sphinx_copybutton",
    "sphinx_gallery.gen_gallery",
    # MathJax from the site's own _static/, not from a CDN: the site works offline.
    "sphinx-mathjax-offline",
    # EXAMPLES, EXAMPLES_DEVICE and the other inputs of a build, checked.
    "site_extensions.build_inputs",
    # The environment TensorFlow starts in, set before any example imports it.
    "site_extensions.gallery_hooks",
    # Every download carries the pip install line for what its program imports.
    "site_extensions.install_lines",
    # The notebooks' cross-references as links to the site's pages, with the
    # install line first: each notebook made anew once every page is read.
    "site_extensions.notebook_links",
    # Each example page links its notebook on Colab, if told its GitHub repository.
    "site_extensions.colab_links",
    # The home page's path: a card for each example (sphinx-design's grid).
    "site_extensions.example_cards",
    # The "what changed" diff on each lesson page.
    "site_extensions.lesson_diffs",
    # Each page's meta description, and no stylesheet the site does not use.
    "site_extensions.page_head",
    # A link preview shows the page's meta description and its first figure.
    "site_extensions.link_previews",
    # Every image with its size, loaded lazily; the gallery's with their theme.
    "site_extensions.image_html",
    # Every table header says whether it heads a column or a row (scope).
    "site_extensions.table_headers",
    # Told its GitHub repository, each page links a new issue about itself.
    "site_extensions.report_link",
    # Each example page says what its output came from: versions, device, day.
    "site_extensions.run_info",
    # The gallery's image scraper (below): matplotlib only once an example runs.
    "site_extensions.figure_scraper",
    # The gallery's thumbnails in the dark theme, from the dark figures.
    "site_extensions.dark_thumbnails",
    # The examples' code links to the documentation of what it calls, from
    # the inventories `make inventories` downloaded (sphinx.ext.intersphinx).
    "site_extensions.api_links",
]
# Each page with headings, labelled landmarks and keyboard access to all that
# scrolls (docs/_templates, docs/_static).
templates_path = ["docs/_templates"]

# -- Options for HTML output -------------------------------------------------

html_theme = "furo"
html_title = project
# Without one, every browser asks the server for /favicon.ico and gets a 404.
html_favicon = "docs/_static/favicon.svg"
html_static_path = ["docs/_static"]
html_css_files = ["a11y.css"]
html_js_files = [("a11y.js", {"defer": "defer"})]
# Sizes are given to every image (site_extensions.image_html) so the page does not
# shift as images arrive, not to scale them: no link to the image file.
html_scaled_image_link = False
html_theme_options = {
    # furo puts its "view this page" button outside every landmark (axe:
    # region), and the page's source is offered better by the downloads.
    "top_of_page_buttons": [],
}

# -- Options for link previews and the sitemap -------------------------------
# Only a build that knows the site's published address has them:
# site_extensions.published_address loads both extensions there and gives them the
# address (ogp_site_url, and html_baseurl for the canonical links).

# site_extensions.page_head writes every page's meta description.
ogp_enable_meta_description = False
# No picture drawn for each page: a page with a figure shows it
# (site_extensions.link_previews), one without shows none.
ogp_social_cards = {"enable": False}
# The pages' addresses have no language or version in them.
sitemap_url_scheme = "{link}"
# Marked noindex: search engines are asked to leave it out.
sitemap_excludes = ["search.html"]

# -- Options for sphinx-gallery ----------------------------------------------
# filename_pattern (EXAMPLES), subsection_order (the sections in teaching
# order) and min_reported_time (SOURCE_DATE_EPOCH) are set by
# site_extensions.build_inputs from the environment and the examples' names.

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # Pages in teaching order, from the examples' numbers: a new example or
    # section needs no list here.
    "within_subsection_order": "site_extensions.gallery_hooks.teaching_order",
    # The pages that time things say so (``# sphinx_gallery_parallel = False``:
    # none runs beside another example; make bench reads it too); such lines
    # stay out of the pages and notebooks.
    "remove_config_comments": True,
    # Accelerator runs kept by `make gpu-record`, which the timing page reads
    # from its working folder, in the build and in the built notebooks alike.
    "copyfile_regex": r"gpu_record_.*\.json$",
    "reset_modules": (
        # First, before any example can import TensorFlow (gallery_hooks.py).
        "site_extensions.gallery_hooks.import_triton_before_tensorflow",
        "matplotlib",
        "site_extensions.gallery_hooks.reset_tensorflow_state",
        "site_extensions.gallery_hooks.freeze_long_lived_objects",
    ),
    # Check for leaked TensorFlow state after each example, not only before
    # the next, so the error names the example that caused it.
    "reset_modules_order": "both",
    # Each figure in a light and a dark version, at 1x and 2x, with alt text
    # that says what it shows.
    "image_scrapers": ("site_extensions.figure_scraper.theme_figures",),
    "image_srcset": ["2x"],
    # Navigation computed from the examples themselves, offline: a "Related
    # examples" panel on every page, and for each torch function the list of
    # examples that call it (the ``minigallery`` directive shows those lists).
    "recommender": {"enable": True, "n_examples": 4},
    "backreferences_dir": "gen_modules/backreferences",
    "doc_module": ("torch",),
    # Left out, so that no two lists' files differ only in case, which macOS
    # and Windows would take for one file (a strict build there fails): the
    # alias of torch.nn.ReLU, beside torch.relu, and the type of every tensor,
    # beside torch.tensor. No page shows either list.
    "exclude_implicit_doc": {r"^torch\.ReLU$", r"^torch\.Tensor$"},
    "minigallery_sort_order": "site_extensions.gallery_hooks.teaching_order",
    # Each page states its own run time; the summary page would load its
    # table scripts from a CDN, and the site must work offline.
    "write_computation_times": False,
}

# -- Options for the site's extensions (site_extensions/) --------------------------

# The code that saves every example's figures and thumbnails: when it changes,
# every example runs again, or its page would keep figures made the old way.
examples_rerun_for_code = [
    "site_extensions/figure_scraper.py",
    "site_extensions/dark_theme.py",
    "site_extensions/alt_text.py",
    "site_extensions/image_html.py",
    "site_extensions/dark_thumbnails.py",
]

# For each module an example may import: the package a reader installs, and
# the pinned packages whose version it takes. The plain tensorflow package has
# wheels for every machine this site supports; tensorflow-cpu, which it runs on
# Linux x86-64 (where the plain package is a GPU build), is the same release
# without GPU support.
install_lines_packages = {
    "numpy": ("numpy", ("numpy",)),
    "matplotlib": ("matplotlib", ("matplotlib",)),
    "torch": ("torch", ("torch",)),
    "tensorflow": ("tensorflow", ("tensorflow", "tensorflow-cpu")),
    # Imported only where torch brought it (Linux), ahead of TensorFlow
    # (site_extensions.gallery_hooks.TRITON_AFTER_TENSORFLOW_CRASHES): nothing
    # to install.
    "triton": None,
}

# The documentation the examples' code links to, by the name of its inventory,
# at its address: `make inventories` downloads each one's objects.inv into
# api_links_inventories, and a build links to those it finds there (none:
# no links), never fetching one itself.
api_links_documentation = {
    "python": "https://docs.python.org/3/",
    "numpy": "https://numpy.org/doc/stable/",
    "matplotlib": "https://matplotlib.org/stable/",
    "torch": "https://docs.pytorch.org/docs/stable/",
}
api_links_inventories = "_build/inventories"

# The branch on which the Pages workflow publishes the gallery's notebooks,
# and from which the example pages' Colab links open them; the repository is
# the build's GITHUB_REPOSITORY (owner/name), checked by site_extensions.build_inputs.
colab_notebooks_branch = "notebooks"

# Enough for a search result or a link preview: a lead paragraph is cut at the
# last sentence that fits in 300 characters, and one shorter than 150 (about
# what a search result shows) goes on into the next sentence or paragraph.
page_head_description_length = (150, 300)
page_head_descriptions = {
    "genindex": "Index of the terms and functions used on the pages of {project}.",
    "search": "Search the pages of {project}.",
}
# sphinx-gallery's styles for Binder badges, pandas tables and HTML output,
# none of which this site shows: each would be one more request that holds
# back the page's first paint.
page_head_unused_css = (
    "sg_gallery-binder.css",
    "sg_gallery-dataframe.css",
    "sg_gallery-rendered-html.css",
)
# sphinx-design's styles only where its cards are (the home page); the site
# has none of its tabs.
page_head_css_by_class = {"sphinx-design.min.css": "sd-"}
page_head_unused_js = ("design-tabs.js",)
