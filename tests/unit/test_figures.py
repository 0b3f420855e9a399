"""The gallery's figures: saved for both themes at 1x and 2x, readable on the
dark background, and matplotlib left unimported until an example runs."""

import subprocess
import sys
from pathlib import PurePosixPath
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from fakes import assert_gallery_changed, setup_of  # noqa: E402
from PIL import Image  # noqa: E402
from sphinx.errors import ExtensionError  # noqa: E402

from site_extensions import figure_scraper  # noqa: E402
from site_extensions.dark_theme import (  # noqa: E402
    DARK_BACKGROUND,
    LINE_CONTRAST,
    TEXT_CONTRAST,
    contrast,
    lift,
    recolour_for_dark,
)
from tools.site import REPO  # noqa: E402


def test_contrast_is_wcag_s_ratio():
    assert contrast("white", "black") == pytest.approx(21)
    assert contrast("#777777", "#777777") == pytest.approx(1)


def test_a_dark_colour_is_lifted_in_its_own_hue():
    navy = "#000080"
    lifted = lift(navy, LINE_CONTRAST)
    assert contrast(lifted, DARK_BACKGROUND) >= LINE_CONTRAST
    red, green, blue, _ = lifted
    assert blue > red and blue > green  # still blue


def test_black_becomes_the_muted_grey_and_bright_colours_stay():
    assert lift("black", TEXT_CONTRAST)[:3] == pytest.approx(
        (0.612, 0.627, 0.647), abs=0.01
    )
    assert lift("yellow", LINE_CONTRAST) == (1.0, 1.0, 0.0, 1.0)


def test_a_figure_recoloured_for_dark_is_readable_on_it():
    fig, ax = plt.subplots()
    (line,) = ax.plot([0, 1], [0, 1], color="black", label="loss")
    ax.set_title("A title")
    ax.legend()
    recolour_for_dark(fig)
    assert contrast(fig.patch.get_facecolor(), DARK_BACKGROUND) == pytest.approx(1)
    assert contrast(line.get_color(), DARK_BACKGROUND) >= LINE_CONTRAST
    assert contrast(ax.title.get_color(), DARK_BACKGROUND) >= TEXT_CONTRAST
    plt.close(fig)


def test_each_theme_and_scale_has_its_file_named_as_sphinx_gallery_does():
    light = PurePosixPath("images/sphx_glr_plot_1_x_001.png")
    dark = figure_scraper.theme_paths(light)["dark"]
    assert dark.name == "sphx_glr_plot_1_x_001_dark.png"
    scales = figure_scraper.scaled_paths(dark, [2])
    assert scales[1] == dark
    assert scales[2].name == "sphx_glr_plot_1_x_001_dark_2_00x.png"


def test_the_scraper_saves_four_images_per_figure_and_their_rest(tmp_path):
    fig, ax = plt.subplots(figsize=(3, 2), dpi=50)
    ax.plot([1, 2, 3], [3, 2, 1])
    paths = iter([str(tmp_path / "sphx_glr_plot_1_x_001.png")])
    gallery_conf = {"image_srcset": [2], "src_dir": str(tmp_path)}
    rst = figure_scraper.theme_figures(
        None, {"image_path_iterator": paths}, gallery_conf
    )
    sizes = {p.name: Image.open(p).size for p in tmp_path.glob("*.png")}
    assert sizes == {
        "sphx_glr_plot_1_x_001.png": (150, 100),
        "sphx_glr_plot_1_x_001_2_00x.png": (300, 200),
        "sphx_glr_plot_1_x_001_dark.png": (150, 100),
        "sphx_glr_plot_1_x_001_dark_2_00x.png": (300, 200),
    }
    assert rst.count("only-light") == rst.count("only-dark") == 1
    assert "falls from 3 to 1 over 3 points" in rst
    assert plt.get_fignums() == [], "figures are closed once saved"


def test_rest_of_a_figure_without_sphinx_gallery_s_class_fails_the_build(
    tmp_path, monkeypatch
):
    # As sphinx-gallery might write it one day: a class of another name.
    def figure_rst(*args, **kwargs):
        return "\n.. image-sg:: /fig.png\n   :class: sphx-glr-figure\n"

    monkeypatch.setattr(figure_scraper, "figure_rst", figure_rst)
    fig, ax = plt.subplots(figsize=(3, 2), dpi=50)
    path = tmp_path / "sphx_glr_plot_1_x_001.png"
    gallery_conf = {"image_srcset": [2], "src_dir": str(tmp_path)}
    with pytest.raises(ExtensionError) as error:
        figure_scraper.theme_figures(
            None, {"image_path_iterator": iter([str(path)])}, gallery_conf
        )
    plt.close("all")
    assert_gallery_changed(
        error,
        f"site_extensions.figure_scraper: {path}: sphinx-gallery's reST of a figure "
        "(':class: sphx-glr-single-img') not found in "
        f"{figure_rst()!r}; the figure cannot be shown in the light theme only",
    )


def test_sphinx_gallery_reads_its_configuration_without_matplotlib(monkeypatch):
    app, metadata = setup_of(figure_scraper)
    assert metadata == {"parallel_read_safe": True, "parallel_write_safe": True}
    by_priority = sorted((p, h.__name__) for e, h, p in app.handlers)
    assert by_priority == [(9, "defer_matplotlib"), (11, "restore_matplotlib")]

    monkeypatch.delitem(sys.modules, "matplotlib")
    config = SimpleNamespace(
        sphinx_gallery_conf={
            "reset_modules": ("matplotlib",),
            "reset_modules_order": "both",
        }
    )
    figure_scraper.defer_matplotlib(app, config)
    with pytest.raises(ImportError):
        import matplotlib  # noqa: F401
    figure_scraper.restore_matplotlib(app, config)
    assert "matplotlib" not in sys.modules


def test_matplotlib_is_not_hidden_without_its_reset_before_each_example(monkeypatch):
    monkeypatch.delitem(sys.modules, "matplotlib")
    config = SimpleNamespace(
        sphinx_gallery_conf={"reset_modules": (), "reset_modules_order": "both"}
    )
    figure_scraper.defer_matplotlib(None, config)
    assert "matplotlib" not in sys.modules


def test_importing_the_scraper_imports_no_matplotlib():
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, site_extensions.figure_scraper; print(*sys.modules)",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    ).stdout.split()
    assert "site_extensions.figure_scraper" in loaded
    assert not {"matplotlib", "PIL", "numpy"} & set(loaded)
