"""A matplotlib figure recoloured for furo's dark theme, readable on it.

Backgrounds that were light turn dark; text, spines, ticks, lines and markers
too dark to see on it are lightened in their own hue (so a legend still
matches its lines); grid lines are dimmed. Contrast is WCAG 2's.
"""

import numpy as np
from matplotlib.collections import Collection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

# furo's dark theme: page background and primary text.
DARK_BACKGROUND = "#131416"
DARK_FOREGROUND = "#cfd0d0"
DARK_MUTED = "#9ca0a5"
DARK_GRID = "#3a3d40"
# WCAG contrast that lines and markers keep against the dark background
# (3 is the minimum for graphics, text gets 4.5).
LINE_CONTRAST = 3.0
TEXT_CONTRAST = 4.5


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
    """Recolour ``fig`` in place for furo's dark background."""
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
