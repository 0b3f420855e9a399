"""The gallery's image scraper: each figure in both of furo's themes, sharp.

``theme_figures`` is sphinx-gallery's image scraper (conf.py names it by
string). For every figure an example leaves open it saves four PNGs: for
furo's light and dark theme, each at 1x and 2x for high-density screens
(drawn once per theme, at 2x, and scaled down for 1x). The page shows the
pair that matches the reader's theme (furo hides ``only-light`` or
``only-dark`` content), with alt text that says what the run drew.

matplotlib and Pillow, and the modules that recolour and describe a figure,
are imported when the first figure is scraped: sphinx-gallery imports this
module while Sphinx reads its configuration, and a build that runs no example
should not pay for them. As an extension (conf.py's ``extensions``), this
module also keeps sphinx-gallery from importing matplotlib.pyplot then
(``defer_matplotlib``).
"""

import sys
from pathlib import PurePosixPath

from sphinx_gallery.scrapers import figure_rst

from . import gallery_changed

THEMES = ("light", "dark")
# The class that sphinx-gallery's reST gives a figure shown on its own; its
# theme's class goes after it.
SINGLE_FIGURE = ":class: sphx-glr-single-img"


def theme_figures(block, block_vars, gallery_conf):
    """Save each open figure for both themes at 1x and 2x; return their reST."""
    import matplotlib.pyplot as plt

    from .alt_text import describe_figure
    from .dark_theme import recolour_for_dark

    rst = []
    for number, path in zip(
        plt.get_fignums(), block_vars["image_path_iterator"], strict=False
    ):
        fig = plt.figure(number)
        alt = describe_figure(fig)
        paths = theme_paths(PurePosixPath(path))
        for theme in THEMES:
            if theme == "dark":
                recolour_for_dark(fig)
            rst.append(_save_in_theme(fig, paths[theme], theme, alt, gallery_conf))
    plt.close("all")
    return "".join(rst)


def theme_paths(light):
    """The image file of each theme, the dark one named after the light one."""
    return {"light": light, "dark": light.with_name(f"{light.stem}_dark{light.suffix}")}


def scaled_paths(path, srcset):
    """The file of each scale, 1 for ``path`` itself and each ``image_srcset`` entry.

    sphinx-gallery's own naming: sphx_glr_plot_1_x_001_2_00x.png for 2x.
    """
    scales = {1: path}
    for mult in srcset:
        factor = f"{mult:.2f}".replace(".", "_")
        scales[mult] = path.with_name(f"{path.stem}_{factor}x{path.suffix}")
    return scales


def _save_in_theme(fig, path, theme, alt, gallery_conf):
    """Save ``fig`` at 1x and at each ``image_srcset`` scale; return its reST.

    The figure is drawn once, at the largest scale, and the smaller images are
    scaled down from that drawing by averaging its pixels (Pillow's box filter,
    which also keeps the files small): drawing is most of what saving a figure
    costs, and a build saves four images of each. An error if
    sphinx-gallery's reST of the figure lacks the class the theme's joins.
    """
    from PIL import Image

    scales = scaled_paths(path, gallery_conf["image_srcset"])
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
    if SINGLE_FIGURE not in image:
        raise gallery_changed(
            __name__,
            f"{path}: sphinx-gallery's reST of a figure ({SINGLE_FIGURE!r}) not "
            f"found in {image!r}; the figure cannot be shown in the {theme} "
            "theme only",
        )
    # image-sg keeps one class; site_extensions.image_html writes the rest into the tag.
    return image.replace(SINGLE_FIGURE, f"{SINGLE_FIGURE} only-{theme}", 1)


def defer_matplotlib(app, config):
    """Hide matplotlib from sphinx-gallery while it reads its configuration.

    sphinx-gallery imports matplotlib.pyplot then, to select the Agg backend,
    and skips that when the import fails; its "matplotlib" reset does the same
    again before each example runs, so with that reset run before examples
    (``reset_modules``, ``reset_modules_order`` in conf.py) nothing is lost,
    and a build that runs no example never imports matplotlib.
    """
    gallery_conf = config.sphinx_gallery_conf
    resets_first = gallery_conf.get("reset_modules_order") in ("before", "both")
    if "matplotlib" in gallery_conf.get("reset_modules", ()) and resets_first:
        # An import of a module that sys.modules maps to None fails at once.
        sys.modules.setdefault("matplotlib", None)


def restore_matplotlib(app, config):
    """Let matplotlib be imported again, once sphinx-gallery has its configuration."""
    if "matplotlib" in sys.modules and sys.modules["matplotlib"] is None:
        del sys.modules["matplotlib"]


def setup(app):
    # Around sphinx-gallery's own config-inited handler, which has priority 10.
    app.connect("config-inited", defer_matplotlib, priority=9)
    app.connect("config-inited", restore_matplotlib, priority=11)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
