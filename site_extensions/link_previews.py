"""What a link to a page shows where it is shared: its description and figure.

sphinxext-opengraph writes the og: tags of a published build
(site_extensions.published_address loads it), and a page's own og: fields, which
this extension fills in, override what it would find by itself:

- og:description is the page's meta description (site_extensions.page_head), so
  that search results and link previews describe a page the same way;
- og:image is the page's first figure, in the light theme and at its largest
  size, with its alt text: on a lesson, its loss curve. sphinx-gallery's
  figures are nodes of its own, which sphinxext-opengraph does not look for.
  A page without a figure gets no image.
"""

import html
from pathlib import Path

import imagesize
from sphinx_gallery.directives import imgsgnode

from .page_head import description


def largest(figure):
    """The path (from the source folder's root) of the largest file that
    ``figure``, an ``image-sg`` node, offers: the last of its srcset by
    multiplier, else its uri."""
    sizes = {}
    for candidate in (figure["srcset"] or "").split(","):
        path, *multiplier = candidate.split()
        sizes[path] = float(multiplier[0].rstrip("x")) if multiplier else 1.0
    return max(sizes, key=sizes.get) if sizes else figure["uri"]


def first_figure(doctree):
    """The first figure a reader of the light theme sees, or None."""
    for figure in doctree.findall(imgsgnode):
        if "only-dark" not in (figure["class"] or []):
            return figure
    return None


def image_fields(figure, site, srcdir, imagedir):
    """og:image and its size and alt text, for ``figure`` published with
    the site at ``site`` (sphinx-gallery copies every file of a figure into
    the HTML builder's ``imagedir``)."""
    source = largest(figure)
    width, height = imagesize.get(Path(srcdir, source.lstrip("/")))
    return {
        "og:image": f"{site}{imagedir}/{Path(source).name}",
        "og:image:width": str(width),
        "og:image:height": str(height),
        # Escaped already where site_extensions.alt_text wrote it (sphinx-gallery
        # puts it into <img> as it is), but not necessarily elsewhere.
        "og:image:alt": html.escape(html.unescape(figure["alt"])),
    }


def add_preview_fields(app, pagename, templatename, context, doctree):
    site = getattr(app.config, "ogp_site_url", "")
    if doctree is None or not site:
        return  # no page of its own, or not a published build: no og: tags
    # sphinxext-opengraph escapes no more than the quotes of what it is given.
    text = description(app, pagename, doctree)
    fields = {"og:description": html.escape(text)}
    figure = first_figure(doctree)
    if figure is not None:
        fields |= image_fields(figure, site, app.srcdir, app.builder.imagedir)
    # A copy: the page's own metadata is kept in the environment.
    context["meta"] = (context.get("meta") or {}) | fields


def setup(app):
    # Before sphinxext-opengraph's handler (priority 500) reads the fields.
    app.connect("html-page-context", add_preview_fields, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
