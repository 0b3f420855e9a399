"""Alt text read from what a figure drew: numbers as a reader says them, each
line's trend (flat, rising, falling, at any scale), every plot of a figure."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from site_extensions.alt_text import describe_figure, number, trend  # noqa: E402


@pytest.mark.parametrize(
    "value, said",
    [
        (0, "0"),
        (620.4, "620"),
        (0.1913, "0.19"),
        (3.2e7, "3.2e7"),
        (4.9e-7, "4.9e-7"),
        (3e-5, "3e-5"),
        (-0.5, "-0.5"),
    ],
)
def test_numbers_are_said_with_two_figures(value, said):
    assert number(value) == said


@pytest.mark.parametrize(
    "first, last, said",
    [
        (2.9e7, 3e-5, "falls from 2.9e7 to 3e-5"),
        (1, 100, "rises from 1 to 100"),
        (5.0, 5.1, "stays near 5"),
        # Tiny values keep their trend: numpy's default atol (1e-8) once made
        # every pair below it "near".
        (1e-9, 1e-12, "falls from 1e-9 to 1e-12"),
        (2e-16, 3e-14, "rises from 2e-16 to 3e-14"),
        (1e-12, 1.01e-12, "stays near 1e-12"),
        (0.0, 0.0, "stays near 0"),
    ],
)
def test_a_line_is_flat_rising_or_falling_at_any_scale(first, last, said):
    assert trend(first, last) == said


@pytest.fixture
def figure():
    fig = plt.figure()
    yield fig
    plt.close(fig)


def test_a_loss_curve_is_described_with_its_scale_and_ends(figure):
    ax = figure.subplots()
    steps = np.arange(1, 501)
    ax.semilogy(steps, np.geomspace(2.9e7, 3e-5, len(steps)))
    ax.set(title="Autograd (cpu)", xlabel="training step", ylabel="loss")
    assert describe_figure(figure) == (
        "Autograd (cpu): loss on a log scale against training step 1 to 500: "
        "falls from 2.9e7 to 3e-5 over 500 points."
    )


def test_a_title_keeps_the_case_it_was_written_in(figure):
    ax = figure.subplots()
    ax.plot([1, 2], [2.0, 1.0])
    ax.set(title="torch.nn (cpu)", ylabel="loss")
    assert describe_figure(figure).startswith("torch.nn (cpu): loss against")


def test_a_tiny_falling_series_is_not_called_flat(figure):
    ax = figure.subplots()
    ax.plot([1, 2, 3], [3e-10, 1e-11, 1e-12])
    assert "falls from 3e-10 to 1e-12 over 3 points" in describe_figure(figure)


def test_each_plot_of_a_figure_gets_a_sentence_with_its_series(figure):
    top, bottom = figure.subplots(2, 1)
    top.plot([0, 1], [1, 1], label="flat")
    top.plot([0, 1], [1, 2], label="rising")
    top.legend()
    bottom.scatter([1, 2, 3], [5, 7, 6])
    bottom.set_ylabel("ms")
    text = describe_figure(figure)
    assert text.startswith(
        "Plot 1 of 2, values against position 0 to 1, 2 series: "
        "flat: stays near 1 over 2 points; rising: rises from 1 to 2 over 2 points."
    )
    assert text.endswith(
        "Plot 2 of 2, ms against position 1 to 3: 3 points between 5 and 7."
    )


def test_missing_values_and_markup_are_handled(figure):
    ax = figure.subplots()
    ax.plot([0, 1, 2, 3], [np.nan, 4.0, 2.0, np.nan])
    ax.set_title('a "quoted" <title>')
    text = describe_figure(figure)
    assert "falls from 4 to 2 over 2 points" in text
    assert "&quot;quoted&quot; &lt;title&gt;" in text


def test_a_line_that_turns_says_how_far_it_went(figure):
    ax = figure.subplots()
    ax.plot([1, 2, 3], [94.0, 12.0, 38.0])
    assert "falls from 94 to 38 over 3 points, lowest 12" in describe_figure(figure)


def test_on_a_log_axis_only_what_is_drawn_is_described(figure):
    ax = figure.subplots()
    ax.semilogy([1, 2, 3, 4], [0.0, 1e-16, 6.5e-10, 2.5e-11])
    assert "rises from 1e-16 to 2.5e-11 over 3 points, highest 6.5e-10" in (
        describe_figure(figure)
    )
