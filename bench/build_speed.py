"""How fast does the site build? Run with `make bench`.

Measures, on this machine, in one run:

* a clean build (`make clean html`), its wall time and peak memory;
* every example run alone as `python examples/<section>/<file>.py`, each
  paying its own imports, and the ratio of the clean build to their sum;
* a rebuild with nothing changed;
* a rebuild after one example was edited, so that only it re-runs;
* the import time of torch and of TensorFlow.

Each measurement is repeated (``--repeats``, at least 3) and reported as the
median with its spread. The table goes to stdout, the raw numbers to
bench-results/build_speed.json. The bench leaves a complete, fresh build in
_build/html. Timings come from the standard library's perf_counter; memory
is the largest summed RSS of the build's process tree, sampled every 20 ms.
"""

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench-results" / "build_speed.json"
EDITED_EXAMPLE = REPO / "examples" / "autograd" / "plot_3_autograd.py"
ENV = {
    **os.environ,
    "MPLBACKEND": "Agg",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "TF_ENABLE_ONEDNN_OPTS": "0",
}
MAKE = ["make", "--no-print-directory"]


def measure(cmd, *, cwd=REPO):
    """Run ``cmd``; return (wall seconds, peak RSS of its process tree in bytes)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = psutil.Popen(
            cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=errors
        )
        peak = 0
        while proc.poll() is None:
            try:
                tree = [proc, *proc.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree))
            except psutil.Error:
                pass  # a process ended between listing and reading it
            time.sleep(0.02)
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            errors.seek(0)
            tail = errors.read().decode(errors="replace")[-3000:]
            raise SystemExit(f"bench: {' '.join(map(str, cmd))} failed:\n{tail}")
    return seconds, peak


def repeat(times, cmd, *, before=None):
    """Median-ready samples of ``cmd``, each preceded by ``before()`` (untimed)."""
    samples = []
    for i in range(times):
        if before:
            before(i)
        samples.append(measure(cmd))
    return samples


def summary(samples):
    seconds = [s for s, _ in samples]
    return {
        "median_s": statistics.median(seconds),
        "min_s": min(seconds),
        "max_s": max(seconds),
        "samples_s": seconds,
        "peak_rss_mb": max(m for _, m in samples) / 2**20,
    }


def examples():
    """Every gallery example, in teaching order (plot_<n>_*.py)."""
    number = re.compile(r"plot_(\d+)_")
    return sorted(
        REPO.glob("examples/*/plot_*.py"),
        key=lambda p: int(number.match(p.name).group(1)),
    )


def import_seconds(module, times):
    bare = statistics.median(
        s for s, _ in repeat(times, [sys.executable, "-c", "pass"])
    )
    cmd = [sys.executable, "-c", f"import {module}"]
    return statistics.median(s for s, _ in repeat(times, cmd)) - bare


def clean(_=None):
    measure([*MAKE, "clean"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repeats", type=int, default=3, help="samples per measurement (>= 3)"
    )
    args = parser.parse_args()
    n = max(3, args.repeats)
    html = [*MAKE, "html", "SPHINXOPTS=-q"]
    results = {}

    print(
        f"Timing {len(examples())} examples run alone, {n} times each ...", flush=True
    )
    alone = {
        str(path.relative_to(REPO)): summary(repeat(n, [sys.executable, str(path)]))
        for path in examples()
    }
    results["standalone"] = alone
    standalone_sum = sum(r["median_s"] for r in alone.values())

    print(f"Clean builds, {n} times ...", flush=True)
    results["clean_build"] = summary(repeat(n, html, before=clean))

    print(f"Rebuilds with nothing changed, {n} times ...", flush=True)
    results["noop_rebuild"] = summary(repeat(n, html))

    print(f"Rebuilds after editing {EDITED_EXAMPLE.name}, {n} times ...", flush=True)
    original = EDITED_EXAMPLE.read_text()

    def edit(i):
        EDITED_EXAMPLE.write_text(original + f"\n# bench edit {i}\n")

    try:
        results["one_edit_rebuild"] = summary(repeat(n, html, before=edit))
    finally:
        EDITED_EXAMPLE.write_text(original)
        measure(html)  # leave a build of the unedited sources behind

    results["import_s"] = {m: import_seconds(m, n) for m in ("torch", "tensorflow")}
    results["ratio_clean_to_standalone_sum"] = (
        results["clean_build"]["median_s"] / standalone_sum
    )
    results["standalone_sum_s"] = standalone_sum
    results["machine"] = {
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "processor": cpu_model(),
        "python": platform.python_version(),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results, n)


def cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def print_table(r, n):
    def line(name, median, spread="", note=""):
        print(f"| {name:<44} | {median:>8} | {spread:>11} | {note:<22} |")

    def row(name, s, note=""):
        spread = f"{s['min_s']:.2f}-{s['max_s']:.2f}"
        line(name, f"{s['median_s']:.2f}", spread, note)

    m = r["machine"]
    edited = str(EDITED_EXAMPLE.relative_to(REPO))
    print(f"\n{m['cpus']} CPUs ({m['processor']}), {m['memory_gb']} GB RAM,")
    print(f"Python {m['python']}; median of {n} runs, seconds\n")
    line("measurement", "median", "min-max", "note")
    print(f"|{'-' * 46}|{'-' * 10}|{'-' * 13}|{'-' * 24}|")
    build = r["clean_build"]
    row("clean build (make clean html)", build, f"peak {build['peak_rss_mb']:.0f} MB")
    ratio = f"ratio {r['ratio_clean_to_standalone_sum']:.2f}"
    line("sum of examples run alone", f"{r['standalone_sum_s']:.2f}", note=ratio)
    row("rebuild, nothing changed", r["noop_rebuild"])
    alone = f"alone: {r['standalone'][edited]['median_s']:.2f} s"
    row(f"rebuild after editing {EDITED_EXAMPLE.name}", r["one_edit_rebuild"], alone)
    for name, s in r["standalone"].items():
        row(f"  {Path(name).name}", s, "run alone")
    for module, seconds in r["import_s"].items():
        line(f"import {module}", f"{seconds:.2f}")
    print(f"\nraw numbers: {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
