"""The gallery's figures as a reader sees them: in their theme, sharp, described.

``theme_figures`` is sphinx-gallery's image scraper (conf.py names it by
string). For every figure an example leaves open it saves four PNGs: for
furo's light and dark theme, each at 1x and 2x for high-density screens
(drawn once per theme, at 2x, and scaled down for 1x). The
page shows the pair that matches the reader's theme (furo hides ``only-light``
or ``only-dark`` content), and the alt text describes what the run drew: the
axes, their scales, and where each line starts and ends.

``setup`` gives every image on the site its pixel size, so the page does not
jump when it arrives, and lets the browser fetch it only when it nears the
screen: the figure of the other theme is then never fetched at all.
"""

import html
import re
from pathlib import Path, PurePosixPath

import imagesize
import matplotlib.pyplot as plt
import numpy as np
from docutils import nodes
from matplotlib.collections import Collection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from PIL import Image
from sphinx_gallery.directives import depart_imgsg_html, imgsgnode, visit_imgsg_html
from sphinx_gallery.scrapers import figure_rst

# furo's dark theme: page background and primary text.
DARK_BACKGROUND = "#131416"
DARK_FOREGROUND = "#cfd0d0"
DARK_MUTED = "#9ca0a5"
DARK_GRID = "#3a3d40"
# WCAG contrast that lines and markers keep against the dark background
# (3 is the minimum for graphics, text gets 4.5).
LINE_CONTRAST = 3.0
TEXT_CONTRAST = 4.5
THEMES = ("light", "dark")


# -- The scraper --------------------------------------------------------------


def theme_figures(block, block_vars, gallery_conf):
    """Save each open figure for both themes at 1x and 2x; return their reST."""
    rst = []
    for number, path in zip(
        plt.get_fignums(), block_vars["image_path_iterator"], strict=False
    ):
        fig = plt.figure(number)
        alt = describe_figure(fig)
        light = PurePosixPath(path)
        paths = {
            "light": light,
            "dark": light.with_name(f"{light.stem}_dark{light.suffix}"),
        }
        for theme in THEMES:
            if theme == "dark":
                recolour_for_dark(fig)
            rst.append(_save_in_theme(fig, paths[theme], theme, alt, gallery_conf))
    plt.close("all")
    return "".join(rst)


def _save_in_theme(fig, path, theme, alt, gallery_conf):
    """Save ``fig`` at 1x and at each ``image_srcset`` scale; return its reST.

    The figure is drawn once, at the largest scale, and the smaller images are
    scaled down from that drawing by averaging its pixels (Pillow's box filter,
    which also keeps the files small): drawing is most of what saving a figure
    costs, and a build saves four images of each.
    """
    scales = {1: path}
    for mult in gallery_conf["image_srcset"]:
        # sphinx-gallery's own naming: sphx_glr_plot_1_x_001_2_00x.png
        factor = f"{mult:.2f}".replace(".", "_")
        scales[mult] = path.with_name(f"{path.stem}_{factor}x{path.suffix}")
    largest = max(scales)
    dpi = fig.dpi
    fig.set_dpi(dpi * largest)
    try:
        # Drawn on the figure's own face colour, which the dark theme sets.
        pixels, size = fig.canvas.print_to_buffer()
    finally:
        fig.set_dpi(dpi)
    drawn = Image.frombuffer("RGBA", size, pixels, "raw", "RGBA", 0, 1)
    for mult, target in scales.items():
        scaled = [round(side * mult / largest) for side in size]
        image = drawn if mult == largest else drawn.resize(scaled, Image.BOX)
        image.save(target)
    srcset = {0: path} | {mult: scales[mult] for mult in scales if mult != 1}
    image = figure_rst([path], gallery_conf["src_dir"], alt, srcsetpaths=[srcset])
    # image-sg keeps one class; setup() below writes the rest into the tag.
    image = image.replace(
        ":class: sphx-glr-single-img", f":class: sphx-glr-single-img only-{theme}"
    )
    return image


# -- Dark theme -----------------------------------------------------------------


def _luminance(color):
    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _ = to_rgba(color)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a, b):
    """WCAG 2 contrast ratio of two colours."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def lift(color, minimum, grey=DARK_MUTED, background=DARK_BACKGROUND):
    """``color``, or a lighter one with ``minimum`` contrast on ``background``.

    A grey (black axes, black text) becomes ``grey``; a colour is mixed with
    white and keeps its hue, so a legend still matches its lines.
    """
    rgba = np.array(to_rgba(color))
    if rgba[3] == 0 or contrast(rgba, background) >= minimum:
        return tuple(rgba)
    if np.ptp(rgba[:3]) < 0.02:
        return (*to_rgba(grey)[:3], rgba[3])
    for share in np.linspace(0, 1, 41):
        mixed = rgba.copy()
        mixed[:3] = rgba[:3] + (1 - rgba[:3]) * share
        if contrast(mixed, background) >= minimum:
            return tuple(mixed)
    return (1.0, 1.0, 1.0, rgba[3])


def _is_light(color):
    rgba = to_rgba(color)
    return rgba[3] > 0 and _luminance(rgba) > 0.5


def recolour_for_dark(fig):
    """Recolour ``fig`` in place for furo's dark background.

    Backgrounds that were light turn dark; text, spines, ticks, lines and
    markers too dark to see on it are lightened; grid lines are dimmed.
    """
    legends = [ax.get_legend() for ax in fig.axes] + fig.legends
    frames = [legend.get_frame() for legend in legends if legend is not None]
    backgrounds = [fig.patch, *(ax.patch for ax in fig.axes), *frames]
    grid = {id(g) for ax in fig.axes for g in ax.get_xgridlines() + ax.get_ygridlines()}
    for artist in fig.findobj():
        if isinstance(artist, Text):
            artist.set_color(lift(artist.get_color(), TEXT_CONTRAST, DARK_FOREGROUND))
        elif isinstance(artist, Line2D):
            if id(artist) in grid:
                artist.set_color(DARK_GRID)
                continue
            artist.set_color(lift(artist.get_color(), LINE_CONTRAST))
            for part in ("markerfacecolor", "markeredgecolor"):
                color = getattr(artist, f"get_{part}")()
                if not (isinstance(color, str) and color in ("none", "auto")):
                    getattr(artist, f"set_{part}")(lift(color, LINE_CONTRAST))
        elif isinstance(artist, Patch):
            # Only backgrounds turn dark: bars and areas keep their colour.
            if artist in backgrounds and _is_light(artist.get_facecolor()):
                artist.set_facecolor(DARK_BACKGROUND)
            artist.set_edgecolor(lift(artist.get_edgecolor(), LINE_CONTRAST))
        elif isinstance(artist, Collection):
            for part in ("facecolor", "edgecolor"):
                colors = getattr(artist, f"get_{part}")()
                if len(colors):
                    lifted = [lift(c, LINE_CONTRAST) for c in colors]
                    getattr(artist, f"set_{part}")(lifted)
    for ax in fig.axes:
        ax.tick_params(colors=DARK_FOREGROUND, which="both")
    for frame in frames:
        frame.set_edgecolor(DARK_GRID)


# -- Alt text -----------------------------------------------------------------


def number(value):
    """A number as a reader says it: 3.2e7, 620, 0.19, 4.9e-7."""
    if value == 0 or 0.01 <= abs(value) < 1e5:
        return f"{float(f'{value:.2g}'):g}"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa.removesuffix('.0')}e{int(exponent)}"


def _series(ax):
    """(label, x, y) of each line and point set drawn in ``ax``."""
    found = []
    for line in ax.get_lines():
        x, y = (np.asarray(v, dtype=float) for v in line.get_data())
        found.append((line.get_label(), x, y, "line"))
    for collection in ax.collections:
        offsets = np.asarray(collection.get_offsets(), dtype=float)
        if offsets.ndim == 2 and len(offsets):
            found.append((collection.get_label(), *offsets.T, "points"))
    return [s for s in found if np.isfinite(s[2]).any()]


def _trend(first, last):
    if np.isclose(first, last, rtol=0.05):
        return f"stays near {number(first)}"
    return (
        f"{'falls' if last < first else 'rises'} from {number(first)} to {number(last)}"
    )


def describe_series(label, x, y, kind):
    name = "" if label.startswith("_") else f"{label}: "
    finite = np.isfinite(y)
    x, y = x[finite], y[finite]
    if kind == "points":
        return f"{name}{len(y)} points between {number(y.min())} and {number(y.max())}"
    return f"{name}{_trend(y[0], y[-1])} over {len(y)} points"


def describe_axes(ax):
    def scale(axis):
        return " on a log scale" if axis.get_scale() == "log" else ""

    series = _series(ax)
    what = ax.get_ylabel() or "values"
    against = ax.get_xlabel() or "position"
    xs = np.concatenate([s[1][np.isfinite(s[1])] for s in series]) if series else []
    span = f" {number(min(xs))} to {number(max(xs))}" if len(xs) else ""
    text = f"{what}{scale(ax.yaxis)} against {against}{span}{scale(ax.xaxis)}"
    if ax.get_title():
        text = f"{ax.get_title()}: {text}"
    parts = [describe_series(*s) for s in series]
    if len(parts) > 1:
        text += f", {len(parts)} series"
    return text + (": " + "; ".join(parts) if parts else "")


def describe_figure(fig):
    """What ``fig`` shows, from its artists: one sentence per plot."""
    axes = sorted(
        (ax for ax in fig.axes if ax.get_visible() and ax.has_data()),
        key=lambda ax: (-ax.get_position().y1, ax.get_position().x0),
    )
    sentences = [describe_axes(ax) for ax in axes]
    if len(sentences) > 1:
        sentences = [
            f"Plot {i} of {len(axes)}, {s}" for i, s in enumerate(sentences, 1)
        ]
    title = fig.get_suptitle() if hasattr(fig, "get_suptitle") else ""
    text = ". ".join(s[0].upper() + s[1:] for s in sentences) + "."
    text = f"{title}. {text}" if title else text
    # Alt text goes into reST on one line and into an HTML attribute as is.
    return html.escape(" ".join(text.split()), quote=True)


# -- Every image on the site --------------------------------------------------


def _lazy_sized(tag, path):
    size = imagesize.get(path) if Path(path).is_file() else (-1, -1)
    attrs = ' loading="lazy" decoding="async"'
    if min(size) > 0:
        attrs = f' width="{size[0]}" height="{size[1]}"' + attrs
    return tag.replace("<img ", "<img" + attrs + " ", 1)


def visit_image_sg(self, node):
    """sphinx-gallery's own visitor, and then what its ``<img>`` lacks.

    sphinx-gallery (0.22) writes only the first class of ``image-sg`` and no
    size or loading hint; the rest of the classes carry the theme.
    """
    visit_imgsg_html(self, node)
    classes = node["class"] or []
    tag = re.sub(r'class = "[^"]*"', f'class="{" ".join(classes)}"', self.body[-1])
    source = Path(self.builder.srcdir) / node["uri"].lstrip("/")
    self.body[-1] = _lazy_sized(tag, source)


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
