"""A reader of the timing page sees accelerator runs that a CPU build cannot
make: each one recorded by `make gpu-record`, shown with where, when and with
what it ran, and compared with the page's own live CPU run (cross-machine)
and, where the record holds them, with its own machine's CPU times
(same-machine)."""

import datetime
import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from sitebuild import (
    EXAMPLES,
    REPO,
    SESSION_BUILD,
    SIZE,
    build_html,
    gallery_copy,
    printed_output,
    timing_tables,
)

from bench import gpu_record
from site_extensions.build_inputs import chosen_device

SPEED = EXAMPLES / "beyond" / "plot_11_gpu_speed.py"
RECORDS = sorted(SPEED.parent.glob("gpu_record_*.json"))
# The sizes the page measures, as its source lists them.
PAGE_SIZES = {
    tuple(map(int, m))
    for m in re.findall(SIZE, SPEED.read_text(encoding="utf-8").split("def ")[0])
}
# A record as `make gpu-record` writes it, for a device no machine has.
SYNTHETIC = {
    "format": 1,
    "device": "Imaginary Test Accelerator",
    "device_type": "cuda",
    "torch": "0.0.0+test",
    "backend": {"cuda": "0.0"},
    "driver": "0.0.0",
    "date": "2000-01-01",
    "command": "written by tests/test_gpu_records.py",
    "steps": [
        {"size": [64, 1000, 100, 10], "gflop": 0.025984, "seconds_per_step": 1.0},
        {"size": [128, 1024, 512, 64], "gflop": 0.29360128, "seconds_per_step": 1e-7},
    ],
}
SMALL, MEDIUM, LARGE, LARGER = sorted(PAGE_SIZES)[:4]
# A record of the second format, as `make gpu-record` writes it from a run of
# the page whose own CPU loses to its accelerator at the smallest size, is
# 50x slower from the third on, and stopped before the fourth.
SYNTHETIC_FORMAT_2 = gpu_record.make_record(
    {
        "times": {
            "torch cpu": {SMALL: 1.07e-4, MEDIUM: 3.13e-3, LARGE: 2.21e-2},
            "torch cuda": {SMALL: 2e-4, MEDIUM: 1.5e-4, LARGE: 2e-4, LARGER: 4e-4},
        },
        "flops_per_step": lambda N, D_in, H, D_out: (
            4 * N * D_in * H + 6 * N * H * D_out
        ),
    },
    {
        **{
            key: SYNTHETIC[key] for key in ("device_type", "torch", "backend", "driver")
        },
        "device": "Imaginary Second Accelerator",
        "cpu": {
            "model": "Imaginary Test CPU",
            "machine": "x86_64",
            "logical_cpus": 16,
            "torch_threads": 16,
        },
    },
    "written by tests/test_gpu_records.py",
    datetime.date(2000, 1, 2),
)


def first_size_from_which(ratios: list, holds) -> tuple | None:
    """Of (size, ratio) pairs: the first size from which every ratio holds."""
    failing = [i for i, (_, ratio) in enumerate(ratios) if not holds(ratio)]
    first = (failing[-1] + 1) if failing else 0
    return ratios[first][0] if first < len(ratios) else None


def recorded_lines(printed: str, record: dict) -> list[str]:
    """The lines the page printed for one record, from its heading on."""
    lines = printed.splitlines()
    start = lines.index(f"Recorded on {record['device']} on {record['date']}")
    return lines[start : start + 4 + len(record["steps"])]


def assert_shown_with_provenance(printed: str, record: dict):
    """The record's provenance, and speed-ups over the live torch cpu column."""
    lines = recorded_lines(printed, record)
    backend = ", ".join(f"{k} {v}" for k, v in record["backend"].items())
    assert (
        lines[1] == f"  torch {record['torch']}, {backend}, driver {record['driver']}"
    )
    assert lines[2] == f"  command: {record['command']}"
    live_cpu = timing_tables(printed)[0]["torch cpu"]
    wins, ratios = [], []
    for step, line in zip(record["steps"], lines[3:-1], strict=True):
        size, seconds = tuple(step["size"]), step["seconds_per_step"]
        assert line.startswith(f"  {size}: {seconds * 1e3:.3f} ms"), line
        if size in live_cpu:
            # Live milliseconds are printed rounded to 0.001.
            shown = float(re.search(r", cross-machine ratio ([\d.]+)x$", line)[1])
            expected = live_cpu[size] / (seconds * 1e3)
            assert shown == pytest.approx(expected, rel=0.01, abs=0.06), line
            wins.append((size, seconds * 1e3 < live_cpu[size]))
            ratios.append((size, shown))
        else:
            assert "ratio" not in line
    # The size from which on the recorded accelerator beats the live CPU.
    if won_from := first_size_from_which(wins, bool):
        assert lines[-1] == f"  beats this run's torch cpu from {won_from} on"
    else:
        assert "does not beat this run's torch cpu" in lines[-1]
    assert_labelled_cross_machine(printed, record, ratios)
    if record["format"] >= 2:
        assert_same_machine(printed, record)


def assert_labelled_cross_machine(printed: str, record: dict, ratios: list):
    """After its ratios, a record says what they compare, and what it lacks."""
    import torch

    lines = printed.splitlines()
    end = lines.index(f"Recorded on {record['device']} on {record['date']}")
    end += 4 + len(record["steps"])
    fifty, versions, *rest = lines[end : end + 3]
    if any(abs(ratio - 50) < 0.1 for _, ratio in ratios):
        pass  # printed rounded: too close to 50 to tell
    elif fifty_from := first_size_from_which(ratios, lambda ratio: ratio >= 50):
        assert fifty == f"  cross-machine ratio 50x or more from {fifty_from} on"
    else:
        assert fifty == "  cross-machine ratio under 50x at the largest size both ran"
    assert versions == (
        f"  cross-machine: this run's torch {torch.__version__} on its CPU, "
        f"against torch {record['torch']} on the recorded {record['device_type']}"
    )
    no_cpu = (
        "  the record (format 1) holds no CPU time of its own machine: "
        "no same-machine speed-up"
    )
    assert (rest == [no_cpu]) == (record["format"] == 1)


def assert_same_machine(printed: str, record: dict):
    """A record of the second format goes on with its accelerator against its
    own machine's CPU, labelled, computed from its own times alone."""
    lines = printed.splitlines()
    start = lines.index(f"Recorded on {record['device']} on {record['date']}")
    start += 6 + len(record["steps"])  # past the cross-machine lines
    own_cpu = {tuple(s["size"]): s["seconds_per_step"] for s in record["cpu_steps"]}
    accelerator = {tuple(s["size"]): s["seconds_per_step"] for s in record["steps"]}
    both = [size for size in own_cpu if size in accelerator]
    label, cpu, *rows = lines[start : start + 2 + len(both)]
    kind = record["device_type"]
    assert label == (
        f"  same-machine: torch {record['torch']} on the recorded machine, "
        f"its {kind} ({record['device']}) against its own CPU"
    )
    assert cpu == (
        f"  its CPU: {record['cpu']['model']} ({record['cpu']['machine']}), "
        f"{record['cpu']['logical_cpus']} logical CPUs, "
        f"torch used {record['cpu']['torch_threads']} threads"
    )
    speedups = []
    for size, row in zip(both, rows, strict=True):
        row_format = rf"  {re.escape(str(size))}: cpu (\S+) ms, {kind} (\S+) ms, "
        shown = re.fullmatch(row_format + r"same-machine speed-up (\S+)x", row)
        assert shown, row
        cpu_ms, accelerator_ms, speedup = map(float, shown.groups())
        assert cpu_ms == pytest.approx(own_cpu[size] * 1e3, abs=5e-4)
        assert accelerator_ms == pytest.approx(accelerator[size] * 1e3, abs=5e-4)
        assert speedup == pytest.approx(own_cpu[size] / accelerator[size], abs=0.05)
        speedups.append((size, speedup))
    beats, fifty = lines[start + 2 + len(both) : start + 4 + len(both)]
    if won_from := first_size_from_which(speedups, lambda speedup: speedup > 1):
        assert beats == f"  beats its own torch cpu from {won_from} on"
    else:
        assert beats.startswith("  does not beat its own torch cpu")
    if fifty_from := first_size_from_which(speedups, lambda speedup: speedup >= 50):
        assert fifty == f"  same-machine speed-up 50x or more from {fifty_from} on"
    else:
        assert fifty.startswith("  same-machine speed-up under 50x")


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.name)
def test_committed_record_says_where_when_and_how_it_was_made(path):
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["format"] in (1, gpu_record.FORMAT)
    assert record["device_type"] not in ("cpu", "") and record["device"]
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", record["torch"])
    assert record["backend"] and all(record["backend"].values())
    assert record["driver"] and record["command"]
    assert datetime.date.fromisoformat(record["date"]) <= datetime.date.today()
    assert path.name.startswith(f"gpu_record_{record['date']}_")
    # Format 2 adds the CPU of the same machine, and its times from the same run.
    timed = ["steps"] if record["format"] == 1 else ["steps", "cpu_steps"]
    if record["format"] >= 2:
        cpu = record["cpu"]
        assert cpu["model"] and cpu["machine"]
        assert cpu["logical_cpus"] >= cpu["torch_threads"] >= 1
    for field in timed:
        sizes = [tuple(step["size"]) for step in record[field]]
        assert sizes and set(sizes) <= PAGE_SIZES, field
        for step in record[field]:
            assert step["seconds_per_step"] > 0
            assert step["gflop_per_s"] == pytest.approx(
                step["gflop"] / step["seconds_per_step"]
            )


def test_timing_page_shows_every_committed_record_with_provenance(site):
    printed = printed_output(site.html, SPEED.relative_to(EXAMPLES))
    assert printed.count("Recorded on ") == len(RECORDS)
    for path in RECORDS:
        assert_shown_with_provenance(
            printed, json.loads(path.read_text(encoding="utf-8"))
        )
    if not RECORDS:
        assert "No recorded accelerator runs beside this program." in printed


@pytest.fixture(scope="module")
def rebuilt_beside_records(site, tmp_path_factory):
    """A copy of the session's site, built again, as the session's builds are,
    once the two synthetic records lie beside the timing page: the log, the
    times of the page's checksum before and after, and what the page printed."""
    root = tmp_path_factory.mktemp("records") / "site"
    shutil.copytree(site.root, root, symlinks=True)
    checksum = gallery_copy(root) / "beyond" / f"{SPEED.name}.md5"
    before = checksum.stat().st_mtime_ns
    write_records(root / "examples" / "beyond")
    result = build_html(root, env={**SESSION_BUILD, "EXAMPLES": SPEED.name})
    assert result.returncode == 0, result.stderr[-3000:]
    printed = printed_output(root / "_build" / "html", SPEED.relative_to(EXAMPLES))
    return result.stdout, (before, checksum.stat().st_mtime_ns), printed


def test_a_new_record_runs_the_timing_page_again_in_the_next_build(
    rebuilt_beside_records,
):
    log, (before, after), printed = rebuilt_beside_records
    assert after != before
    assert "GPU records changed" in log
    for record in SYNTHETIC, SYNTHETIC_FORMAT_2:
        assert_shown_with_provenance(printed, record)


def write_records(folder):
    """Put the two synthetic records, one of each format, in ``folder``."""
    for record in SYNTHETIC, SYNTHETIC_FORMAT_2:
        gpu_record.record_path(folder, record).write_text(
            json.dumps(record), encoding="utf-8"
        )


def run_alone(folder):
    """Run the timing page as a reader runs a download: alone, in ``folder``."""
    shutil.copy2(SPEED, folder / SPEED.name)
    result = subprocess.run(
        [sys.executable, SPEED.name],
        cwd=folder,
        env={**os.environ, "MPLBACKEND": "Agg"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_downloaded_timing_page_says_it_has_no_records(tmp_path):
    printed = run_alone(tmp_path)
    lines = printed.splitlines()
    after = lines[lines.index("No recorded accelerator runs beside this program.") + 1]
    assert "Recorded on " not in printed
    # Then where the reader's own run answers the question: its live
    # accelerator column, or a machine with an accelerator to run it on.
    device = chosen_device(os.environ.get("EXAMPLES_DEVICE")).split(":")[0]
    if device == "cpu":
        assert after.startswith("To time one, run this on a machine with an acce")
    else:
        assert after == (
            f"This run timed its own {device} above: the '{device} vs cpu' "
            "column is its speed-up over the CPU of the same machine."
        )
        assert f"{device} vs cpu" in timing_tables(printed)[1]


@pytest.fixture(scope="module")
def printed_beside_records(rebuilt_beside_records):
    """What the timing page prints beside the two synthetic records (and the
    committed ones)."""
    return rebuilt_beside_records[2]


def test_a_record_is_compared_with_the_live_run_never_mixed_into_it(
    printed_beside_records,
):
    printed = printed_beside_records
    for record in SYNTHETIC, SYNTHETIC_FORMAT_2:
        assert_shown_with_provenance(printed, record)
    # The live tables hold only what this run measured, on this machine: its
    # CPU, and its accelerator where the page runs on one.
    device = chosen_device(os.environ.get("EXAMPLES_DEVICE")).split(":")[0]
    live = ["torch cpu"] + ([] if device == "cpu" else [f"torch {device}"])
    versus = [] if device == "cpu" else [f"{device} vs cpu"]
    milliseconds, speedups = timing_tables(printed)
    assert list(milliseconds) == ["numpy float64", "numpy float32", *live]
    recorded = {
        step["seconds_per_step"] * 1e3
        for record in (SYNTHETIC, SYNTHETIC_FORMAT_2)
        for step in record["steps"] + record.get("cpu_steps", [])
    }
    for column in live:
        assert not recorded & set(milliseconds[column].values()), column
    assert list(speedups) == ["numpy float32", *live, *versus]


def test_only_a_format_2_record_has_a_same_machine_speed_up(printed_beside_records):
    lines = printed_beside_records.splitlines()
    # The first format says it has none, after its cross-machine lines.
    start = lines.index("Recorded on Imaginary Test Accelerator on 2000-01-01")
    assert lines[start + 8] == (
        "  the record (format 1) holds no CPU time of its own machine: "
        "no same-machine speed-up"
    )
    assert lines[start + 9].startswith("Recorded on ")  # the next record
    # The second format's own CPU ran three sizes: it loses at the first,
    # wins from the second and is 50x slower from the third (these fakes).
    start = lines.index("Recorded on Imaginary Second Accelerator on 2000-01-02")
    same_machine = lines[start + 10 : start + 17]
    assert same_machine[0].startswith("  same-machine: torch 0.0.0+test")
    assert same_machine[2:] == [
        f"  {SMALL}: cpu 0.107 ms, cuda 0.200 ms, same-machine speed-up 0.5x",
        f"  {MEDIUM}: cpu 3.130 ms, cuda 0.150 ms, same-machine speed-up 20.9x",
        f"  {LARGE}: cpu 22.100 ms, cuda 0.200 ms, same-machine speed-up 110.5x",
        f"  beats its own torch cpu from {MEDIUM} on",
        f"  same-machine speed-up 50x or more from {LARGE} on",
    ]


def test_recording_refuses_a_cpu_run_in_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bench.gpu_record", "--out", tmp_path],
        cwd=REPO,
        env={**os.environ, "EXAMPLES_DEVICE": "cpu"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "make gpu-record: refusing to record a CPU run (EXAMPLES_DEVICE=cpu); "
        "run it on a machine with a GPU or another accelerator"
    ]
    assert list(tmp_path.iterdir()) == []
