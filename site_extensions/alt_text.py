"""Alt text for a matplotlib figure, read from what it drew.

One sentence per plot: its title, what is plotted against what (and on which
scale), and where each line starts and ends (and how high or low it went
beyond its ends), e.g. "Autograd (cpu): loss on a
log scale against training step 1 to 500: falls from 2.9e7 to 3e-5 over 500
points." The figure scraper (site_extensions.figure_scraper) puts it on the page.
"""

import html

import numpy as np

# How far apart a line's first and last value may be, relative to the last,
# for the line to "stay near" its first value rather than rise or fall.
NEAR = 0.05


def number(value):
    """A number as a reader says it: 3.2e7, 620, 0.19, 4.9e-7."""
    if value == 0 or 0.01 <= abs(value) < 1e5:
        return f"{float(f'{value:.2g}'):g}"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa.removesuffix('.0')}e{int(exponent)}"


def _series(ax):
    """(label, x, y, kind) of each line and point set drawn in ``ax``."""
    found = []
    for line in ax.get_lines():
        x, y = (np.asarray(v, dtype=float) for v in line.get_data())
        found.append((line.get_label(), x, y, "line"))
    for collection in ax.collections:
        offsets = np.asarray(collection.get_offsets(), dtype=float)
        if offsets.ndim == 2 and len(offsets):
            found.append((collection.get_label(), *offsets.T, "points"))
    return [s for s in found if np.isfinite(s[2]).any()]


def trend(first, last):
    """How a line goes from ``first`` to ``last``: stays near, falls or rises.

    Relative only: losses fall to 1e-12 and below, where any absolute
    tolerance would call a fall by orders of magnitude "near".
    """
    if np.isclose(first, last, rtol=NEAR, atol=0):
        return f"stays near {number(first)}"
    direction = "falls" if last < first else "rises"
    return f"{direction} from {number(first)} to {number(last)}"


def beyond_its_ends(y):
    """The highest and lowest values of a line, where they lie beyond its ends."""
    notes = []
    for extreme, end, word in (
        (y.max(), max(y[0], y[-1]), "highest"),
        (y.min(), min(y[0], y[-1]), "lowest"),
    ):
        if extreme != end and not np.isclose(extreme, end, rtol=NEAR, atol=0):
            notes.append(f", {word} {number(extreme)}")
    return "".join(notes)


def describe_series(label, x, y, kind, log=False):
    """One line or point set; on a log axis, only the values it can draw (> 0)."""
    name = "" if label.startswith("_") else f"{label}: "
    shown = np.isfinite(y) & (y > 0) if log else np.isfinite(y)
    x, y = x[shown], y[shown]
    if not len(y):
        return f"{name}nothing drawn"
    if kind == "points":
        return f"{name}{len(y)} points between {number(y.min())} and {number(y.max())}"
    return f"{name}{trend(y[0], y[-1])} over {len(y)} points{beyond_its_ends(y)}"


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
    log = ax.get_yscale() == "log"
    parts = [describe_series(*s, log=log) for s in series]
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
    # Titles and labels stay as written: "numpy" and "torch.nn" are names.
    text = ". ".join(sentences) + "."
    text = f"{title}. {text}" if title else text
    # Alt text goes into reST on one line and into an HTML attribute as is.
    return html.escape(" ".join(text.split()), quote=True)
