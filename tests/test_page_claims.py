"""A reader trusts the numbers on the pages beyond the tutorial: each page's
claims hold for the numbers that its own run printed."""

import os
import platform
import re
from pathlib import Path

import pytest
from sitebuild import (
    SIZE,
    expected_device,
    page_path,
    printed_text,
    read_page,
    timing_tables,
)

AGREE = Path("beyond/plot_10_implementations_agree.py")
SPEED = Path("beyond/plot_11_gpu_speed.py")
GRAPHS = Path("beyond/plot_12_static_graphs_today.py")

NUMBER = r"([-+\d.e]+)"


class Page:
    def __init__(self, path):
        self.soup = read_page(path)
        self.printed = printed_text(self.soup)
        self.text = self.soup.get_text()

    def number(self, pattern):
        """The one number that ``pattern``'s group finds in the printed output."""
        (value,) = re.findall(pattern, self.printed, re.M)
        return float(value)

    def figures(self):
        """Each figure once: the light-theme image, not its dark twin."""
        return self.soup.select(
            "img.sphx-glr-single-img:not(.only-dark), img.sphx-glr-multi-img"
        )


@pytest.fixture(scope="module")
def page(site):
    return lambda program: Page(page_path(site.html, program))


# -- One network, five ways ---------------------------------------------------

IMPLEMENTATIONS = [
    "torch, by hand",
    "torch autograd",
    "torch.nn",
    "TensorFlow GradientTape",
]


def test_gradients_of_all_implementations_agree_to_float64_rounding(page):
    agree = page(AGREE)
    rows = {
        name: [agree.number(rf"^{re.escape(name)} +{NUMBER} +[-+\d.e]+$")]
        + [agree.number(rf"^{re.escape(name)} +[-+\d.e]+ +{NUMBER}$")]
        for name in IMPLEMENTATIONS
    }
    largest = agree.number(rf"^Largest relative gradient difference: {NUMBER}")
    assert largest == max(max(row) for row in rows.values())
    assert largest < 1e-12


def test_loss_curves_coincide_and_end_at_the_same_loss(page):
    agree = page(AGREE)
    gaps = [
        agree.number(rf"^{re.escape(name)} +largest relative loss gap {NUMBER}$")
        for name in IMPLEMENTATIONS
    ]
    largest = agree.number(rf"^Largest relative loss gap over 500 steps: {NUMBER}")
    assert largest == max(gaps)
    assert largest < 1e-8
    finals = re.findall(r"final loss after 500 steps: (\S+)$", agree.printed, re.M)
    assert len(finals) == 5 and len(set(finals)) == 1, finals
    assert len(agree.figures()) == 2


def test_float32_starts_close_then_drifts_far_from_float64(page):
    agree = page(AGREE)
    float64_gap = agree.number(rf"^Largest relative loss gap over 500 steps: {NUMBER}")
    gradient = agree.number(
        rf"^float32 relative gradient difference at step 1: {NUMBER}"
    )
    first = agree.number(rf"^float32 relative loss gap at step 1: {NUMBER}")
    within = agree.number(r"^float32 loss stays within 1% of float64 for (\d+) steps")
    largest = agree.number(rf"^float32 largest relative loss gap: {NUMBER}")
    assert 1e-9 < gradient < 1e-4
    assert 1e-10 < first < 1e-5
    assert 0 < within < 500
    assert largest > 0.01 and largest > 1e6 * float64_gap


# -- Is the accelerator really faster? ---------------------------------------


def torch_device_type():
    import torch

    return torch.device(expected_device()).type


def test_speed_page_says_what_machine_measured(page):
    import torch

    speed = page(SPEED)
    device = expected_device()
    assert re.search(rf"^Running on: {re.escape(device)}$", speed.printed, re.M)
    # The tests run on the machine that built the page, with its settings.
    cpu = re.search(r"^CPU: (\S+), (\d+) ", speed.printed, re.M)
    assert cpu and cpu.groups() == (platform.machine(), str(os.cpu_count()))
    threads = speed.number(r"^torch uses (\d+) threads on the CPU$")
    assert threads == torch.get_num_threads()
    assert "measured while this page was built" in speed.text
    if device != "cpu":
        assert re.search(r"^Accelerator: (?!none|present)", speed.printed, re.M)
    elif torch.accelerator.is_available():
        assert "Accelerator: present, but EXAMPLES_DEVICE chose" in speed.printed
    else:
        assert "Accelerator: none present" in speed.printed
    assert speed.number(r"^Measuring took ([\d.]+) s") < 60


def test_speed_claim_is_tested_only_with_an_accelerator(page):
    speed = page(SPEED)
    milliseconds, _ = timing_tables(speed.printed)
    claim = re.compile(r"^torch (\w+) at its best: (\d+)x torch cpu at its best$", re.M)
    if expected_device() == "cpu":
        assert "This build used no accelerator" in speed.printed
        assert not claim.search(speed.printed)
        return
    accelerator = f"torch {torch_device_type()}"
    best = {
        name: speed.number(rf"^{re.escape(name)} +best +([\d.]+) GFLOP/s$")
        for name in milliseconds
    }
    ((device_type, ratio),) = claim.findall(speed.printed)
    assert f"torch {device_type}" == accelerator
    # Printed to whole times, from GFLOP/s printed to one decimal.
    expected = best[accelerator] / best["torch cpu"]
    assert float(ratio) == pytest.approx(expected, rel=0.01, abs=0.6)


def test_speed_tables_agree_with_each_other(page):
    speed = page(SPEED)
    milliseconds, speedups = timing_tables(speed.printed)
    names = list(milliseconds)
    assert names[:3] == ["numpy float64", "numpy float32", "torch cpu"]
    original = (64, 1000, 100, 10)
    for name in names:
        assert original in milliseconds[name], f"{name} skipped the usual size"
    baseline = milliseconds["numpy float64"]
    for name in names[1:]:
        for size, value in speedups[name].items():
            expected = baseline[size] / milliseconds[name][size]
            assert value == pytest.approx(expected, rel=0.02, abs=0.06), (name, size)
    # With an accelerator, a last column compares it with torch on the CPU.
    for column in set(speedups) - set(names):
        accelerator = "torch " + column.removesuffix(" vs cpu")
        for size, value in speedups[column].items():
            expected = milliseconds["torch cpu"][size] / milliseconds[accelerator][size]
            assert value == pytest.approx(expected, rel=0.02, abs=0.06), (column, size)


def test_speed_summary_is_computed_from_the_table(page):
    speed = page(SPEED)
    milliseconds, _ = timing_tables(speed.printed)
    gflop = {
        tuple(int(n) for n in m[:4]): float(m[4])
        for m in re.findall(SIZE + r" +([\d.]+) GFLOP per step", speed.printed)
    }
    for name, times in milliseconds.items():
        best = max(gflop[size] / (ms / 1e3) for size, ms in times.items())
        printed = speed.number(rf"^{re.escape(name)} +best +([\d.]+) GFLOP/s$")
        # The page prints GFLOP/s to one decimal.
        assert printed == pytest.approx(best, rel=0.03, abs=0.06), name
    ratios = re.findall(r"^At the usual size, .* takes ([\d.]+)x", speed.printed, re.M)
    assert len(ratios) == len(milliseconds) and min(map(float, ratios)) == 1.0
    assert len(speed.figures()) == 1


# -- Static graphs today ------------------------------------------------------


def test_tf_function_traces_once_then_reuses_then_retraces(page):
    graphs = page(GRAPHS)
    traced = re.findall(
        r"^Tracing train_step for x of shape (\(.*?\))", graphs.printed, re.M
    )
    assert traced == ["(64, 1000)", "(32, 1000)"]
    assert graphs.number(r"^Traces so far: (\d+)") == 1
    assert graphs.number(r"^Traces after 500 steps: (\d+)") == 1
    assert graphs.number(r"^Traces after asking for batch 32: (\d+)") == 2
    assert graphs.number(r"^Traces after asking for batch 64 again: (\d+)") == 2
    operations = graphs.number(r"^The traced graph holds (\d+) operations")
    assert operations > 10
    assert graphs.number(r"^ +(\d+) x MatMul$") == 5


def test_pytorch_graph_is_captured_and_compiled_with_fused_kernels(page):
    graphs = page(GRAPHS)
    assert "torch.ops.aten.linear" in graphs.printed
    assert "torch.ops.aten.relu" in graphs.printed
    compile_seconds = graphs.number(
        r"^First compiled step, including compiling: ([\d.]+) s"
    )
    assert compile_seconds > 0
    for kind in ("forward", "backward"):
        kernels = re.search(
            rf"^{kind} graph runs (\d+) kernels:\n((?: +\S+\n?)+)", graphs.printed, re.M
        )
        assert kernels, kind
        names = kernels.group(2).split()
        assert len(names) == int(kernels.group(1))
        assert any(n.startswith("extern_kernels.") for n in names), names
        assert any("fused" in n for n in names), names


def test_eager_and_compiled_agree_and_their_timing_is_reported_honestly(page):
    graphs = page(GRAPHS)
    eager = graphs.number(r"^Median step: eager ([\d.]+) ms")
    compiled = graphs.number(r"^Median step: eager [\d.]+ ms, compiled ([\d.]+) ms")
    ratio = graphs.number(r"^Compiled steps take ([\d.]+) times as long")
    assert ratio == pytest.approx(compiled / eager, rel=0.02, abs=0.01)
    assert (
        graphs.number(r"^Largest relative gap between the two loss curves: (\S+)")
        < 1e-2
    )
    # The page decides from unrounded times; the test reads rounded ones, so
    # it checks that the verdict fits them and, when it pays, that the number
    # of steps follows from the printed times.
    pays = re.search(
        r"^Compiling pays for itself after about ([\d,]+) steps$", graphs.printed, re.M
    )
    never = "compiling never pays off" in graphs.printed
    assert bool(pays) != never, "one verdict, not both or none"
    half_ms = 0.0005  # the times are printed to the microsecond
    if pays:
        assert compiled <= eager
        compile_seconds = graphs.number(
            r"^First compiled step, including compiling: ([\d.]+) s"
        )
        steps = float(pays.group(1).replace(",", ""))
        saved_most = (eager - compiled + 2 * half_ms) / 1e3
        saved_least = (eager - compiled - 2 * half_ms) / 1e3
        assert (compile_seconds - 0.05) / saved_most <= steps + 0.5
        assert saved_least <= 0 or steps - 0.5 <= (compile_seconds + 0.05) / saved_least
    else:
        assert compiled >= eager
    assert len(graphs.figures()) == 1
