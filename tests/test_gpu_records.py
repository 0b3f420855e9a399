"""A reader of the timing page sees accelerator runs that a CPU build cannot
make: each one recorded by `make gpu-record`, shown with where, when and with
what it ran, and compared with the page's own live CPU run."""

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
    SIZE,
    build_html,
    copy_sources,
    gallery_copy,
    printed_output,
    timing_tables,
)

from sphinxext.build_inputs import chosen_device

SPEED = EXAMPLES / "beyond" / "plot_11_gpu_speed.py"
RECORDS = sorted(SPEED.parent.glob("gpu_record_*.json"))
# The sizes the page measures, as its source lists them.
PAGE_SIZES = {
    tuple(map(int, m)) for m in re.findall(SIZE, SPEED.read_text().split("def ")[0])
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
    losing = [i for i, (_, won) in enumerate(wins) if not won]
    first = (losing[-1] + 1) if losing else 0
    if first < len(wins):
        assert lines[-1] == f"  beats this build's torch cpu from {wins[first][0]} on"
    else:
        assert "does not beat this build's torch cpu" in lines[-1]
    assert_labelled_cross_machine(printed, record, ratios)


def assert_labelled_cross_machine(printed: str, record: dict, ratios: list):
    """After its ratios, a record says what they compare, and what it lacks."""
    import torch

    lines = printed.splitlines()
    end = lines.index(f"Recorded on {record['device']} on {record['date']}")
    end += 4 + len(record["steps"])
    fifty, versions, *rest = lines[end : end + 3]
    # The smallest size from which every ratio is at least 50, if any.
    below = [i for i, (_, ratio) in enumerate(ratios) if ratio < 50]
    first = (below[-1] + 1) if below else 0
    if any(abs(ratio - 50) < 0.1 for _, ratio in ratios):
        pass  # printed rounded: too close to 50 to tell
    elif first < len(ratios):
        assert fifty == f"  cross-machine ratio 50x or more from {ratios[first][0]} on"
    else:
        assert fifty == "  cross-machine ratio under 50x at the largest size both ran"
    assert versions == (
        f"  cross-machine: this build's torch {torch.__version__} on its CPU, "
        f"against torch {record['torch']} on the recorded {record['device_type']}"
    )
    no_cpu = "  the record holds no CPU time of its own machine: no same-machine ratio"
    assert (rest == [no_cpu]) == (record["format"] == 1)


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.name)
def test_committed_record_says_where_when_and_how_it_was_made(path):
    record = json.loads(path.read_text())
    assert record["format"] == 1
    assert record["device_type"] not in ("cpu", "") and record["device"]
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", record["torch"])
    assert record["backend"] and all(record["backend"].values())
    assert record["driver"] and record["command"]
    assert datetime.date.fromisoformat(record["date"]) <= datetime.date.today()
    assert path.name.startswith(f"gpu_record_{record['date']}_")
    sizes = [tuple(step["size"]) for step in record["steps"]]
    assert sizes and set(sizes) <= PAGE_SIZES
    for step in record["steps"]:
        assert step["seconds_per_step"] > 0
        assert step["gflop_per_s"] == pytest.approx(
            step["gflop"] / step["seconds_per_step"]
        )


def test_timing_page_shows_every_committed_record_with_provenance(site):
    printed = printed_output(site.html, SPEED.relative_to(EXAMPLES))
    assert printed.count("Recorded on ") == len(RECORDS)
    for path in RECORDS:
        assert_shown_with_provenance(printed, json.loads(path.read_text()))
    if not RECORDS:
        assert "No recorded accelerator runs beside this program." in printed


def test_a_new_record_runs_the_timing_page_again_in_the_next_build(tmp_path):
    root = copy_sources(tmp_path)
    checksum = gallery_copy(root) / "beyond" / f"{SPEED.name}.md5"

    def build():
        result = build_html(root, env={"EXAMPLES": SPEED.name})
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout, checksum.stat().st_mtime_ns

    _, first = build()
    record = root / "examples" / "beyond" / "gpu_record_2000-01-01_imaginary.json"
    record.write_text(json.dumps(SYNTHETIC))
    log, second = build()
    assert second != first
    assert "GPU records changed" in log
    html = root / "_build" / "html"
    assert_shown_with_provenance(
        printed_output(html, SPEED.relative_to(EXAMPLES)), SYNTHETIC
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
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_downloaded_timing_page_says_it_has_no_records(tmp_path):
    printed = run_alone(tmp_path)
    assert "No recorded accelerator runs beside this program." in printed
    assert "Recorded on " not in printed


def test_a_record_is_compared_with_the_live_run_never_mixed_into_it(tmp_path):
    (tmp_path / "gpu_record_2000-01-01_imaginary.json").write_text(
        json.dumps(SYNTHETIC)
    )
    printed = run_alone(tmp_path)
    assert_shown_with_provenance(printed, SYNTHETIC)
    # The live tables hold only what this run measured, on this machine: its
    # CPU, and its accelerator where the page runs on one.
    device = chosen_device(os.environ.get("EXAMPLES_DEVICE")).split(":")[0]
    live = ["torch cpu"] + ([] if device == "cpu" else [f"torch {device}"])
    versus = [] if device == "cpu" else [f"{device} vs cpu"]
    milliseconds, speedups = timing_tables(printed)
    assert list(milliseconds) == ["numpy float64", "numpy float32", *live]
    recorded = {s["seconds_per_step"] * 1e3 for s in SYNTHETIC["steps"]}
    for column in live:
        assert not recorded & set(milliseconds[column].values()), column
    assert list(speedups) == ["numpy float32", *live, *versus]


def test_recording_refuses_a_cpu_run_in_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bench.gpu_record", "--out", tmp_path],
        cwd=REPO,
        env={**os.environ, "EXAMPLES_DEVICE": "cpu"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "make gpu-record: refusing to record a CPU run (EXAMPLES_DEVICE=cpu); "
        "run it on a machine with a GPU or another accelerator"
    ]
    assert list(tmp_path.iterdir()) == []
