"""Every image on the site with its pixel size, loaded lazily.

A size keeps the page from jumping when the image arrives; lazy loading lets
the browser fetch an image only when it nears the screen, so the figure of
the theme the reader does not use is never fetched at all. sphinx-gallery's
figures (``image-sg`` nodes) get their classes too, which carry the theme.
"""

import re
from pathlib import Path

import imagesize
from docutils import nodes
from sphinx_gallery.directives import depart_imgsg_html, imgsgnode, visit_imgsg_html

from . import gallery_changed

# The class attribute of sphinx-gallery's figure tag: the first class only.
CLASS = re.compile(r'class = "[^"]*"')


def lazy_sized(tag, path):
    """``tag``, an ``<img>``, with the size of the file at ``path`` and lazy loading."""
    size = imagesize.get(path) if Path(path).is_file() else (-1, -1)
    attrs = ' loading="lazy" decoding="async"'
    if min(size) > 0:
        attrs = f' width="{size[0]}" height="{size[1]}"' + attrs
    return tag.replace("<img ", "<img" + attrs + " ", 1)


def visit_image_sg(self, node):
    """sphinx-gallery's own visitor, and then what its ``<img>`` lacks.

    sphinx-gallery (0.22) writes only the first class of ``image-sg`` and no
    size or loading hint; the rest of the classes carry the theme. An error
    if what it wrote is not such a tag.
    """
    visit_imgsg_html(self, node)
    classes = node["class"] or []
    tag, found = CLASS.subn(f'class="{" ".join(classes)}"', self.body[-1])
    if not tag.startswith("<img ") or (classes and not found):
        expected = f'<img ... class = "{classes[0]}"/>' if classes else "<img .../>"
        raise gallery_changed(
            __name__,
            f"{self.document['source']}: sphinx-gallery's figure tag ({expected!r}) "
            f"not found in {self.body[-1]!r}; the figure's theme and size cannot "
            "be added",
        )
    source = Path(self.builder.srcdir) / node["uri"].lstrip("/")
    self.body[-1] = lazy_sized(tag, source)


def size_images(app, doctree, docname):
    """Every other image (the gallery's thumbnails): its pixel size, loaded lazily."""
    for image in doctree.findall(nodes.image):
        source = Path(app.srcdir) / image["uri"]
        if "width" not in image and "height" not in image and source.is_file():
            image["width"], image["height"] = (str(n) for n in imagesize.get(source))
        image.setdefault("loading", "lazy")


def setup(app):
    app.add_node(imgsgnode, override=True, html=(visit_image_sg, depart_imgsg_html))
    app.connect("doctree-resolved", size_images)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
