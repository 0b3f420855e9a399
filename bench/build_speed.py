"""How fast does the site build? Run with `make bench`.

Measures, on this machine, in one run:

* a clean build (`make clean html`), its wall time and peak memory;
* every example run alone as `python examples/<section>/<file>.py`, each
  paying its own imports, and the ratio of the clean build to their sum;
* a rebuild with nothing changed, and Sphinx's own run with nothing to do
  (``--always``: without make html's up-to-date check);
* a rebuild after one example was edited, so that only it re-runs, and how
  much of it was that example's own run in the build;
* the import floor: a fresh interpreter importing Sphinx, sphinx-gallery and
  furo, which any rebuild that starts Sphinx pays;
* the import time of torch and of TensorFlow;
* `make check` and `make test`, once each, in a copy of the whole work tree;

and reports each standing target (TARGETS): a ratio of two of them, or for
`make check` its time.

Each measurement but make check and make test (once each) is repeated
(``--repeats``, at least 3) and reported as the median with its spread. The
raw numbers go to bench-results/build_speed.json, then the table to stdout and
into bench/README.md, between its markers. Timings come from the standard
library's perf_counter; memory is the largest summed RSS of the build's
process tree, sampled every 0.1 s from a thread of its own.

Everything runs in a copy of the sources in a temporary folder (``TMPDIR``),
so the work tree and its _build are left as they were, even when the bench is
stopped midway; only a finished run writes bench/README.md. ``--quick`` checks
that the bench works: one sample of each, the builds execute only the edited
example, no library's import and neither make check nor make test is timed,
and bench/README.md is left alone.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from site_extensions.gallery_hooks import (
    TENSORFLOW_ENVIRONMENT,
    examples_in_teaching_order,
)
from tools.site import REPO, copy_sources, outside_make

RESULTS = REPO / "bench-results" / "build_speed.json"
# A finished run writes its table here, between these two lines.
README = REPO / "bench" / "README.md"
TABLE_BEGIN = "<!-- make bench writes the table below: do not edit it by hand -->"
TABLE_END = "<!-- end of make bench's table -->"
# Relative to the copy of the sources that the bench works on.
EDITED_EXAMPLE = Path("examples", "autograd", "plot_3_autograd.py")
# What `make` needs besides the build's sources.
MAKE_FILES = ("Makefile", "pyproject.toml")
# The examples run alone in the environment the build gives them.
ENV = {**TENSORFLOW_ENVIRONMENT, **os.environ, "MPLBACKEND": "Agg"}
ENV.pop("EXAMPLES", None)  # every example runs, unless --quick
ENV.pop("VENV", None)  # the copy's .venv, whatever the work tree's is called
MAKE = ["make", "--no-print-directory"]
# How often measure() samples a command's memory, in seconds.
SAMPLE_EVERY = 0.1
# What a rebuild that starts Sphinx cannot avoid: an interpreter, Sphinx, the
# gallery and the theme.
IMPORT_FLOOR = "import sphinx, sphinx_gallery, furo"
# The standing targets: each ratio of one run's measurements (or, for make
# check, its seconds) at most this much.
TARGETS = {
    "clean build / sum of examples run alone": 0.45,
    "nothing-changed rebuild / import floor": 2.0,
    "edited rebuild / (2 x import floor + that example alone)": 1.0,
    "make test / clean build": 8.0,
    "make check, seconds": 30.0,
}
# What make check and make test run with: the maintainer's environment, less
# the variables of the make that runs the bench, and the examples it selects.
TEST_ENV = {k: v for k, v in outside_make(os.environ).items() if k != "EXAMPLES"}


def copy_of_repository(dest):
    """A copy of the sources in ``dest`` that `make html` builds, using the
    environment that runs the bench (.venv, or CI's VENV) as its .venv."""
    copy_sources(dest)
    for name in MAKE_FILES:
        shutil.copy2(REPO / name, dest / name)
    return with_this_environment(dest)


def copy_of_work_tree(dest):
    """A copy in ``dest`` of every file of the work tree that git tracks or
    would (what a clone with these changes holds), with the bench's .venv, for
    make check and make test."""
    dest.mkdir(parents=True)
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():  # not a file deleted but not yet committed
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return with_this_environment(dest)


def with_this_environment(dest):
    """``dest``, its .venv the environment that runs the bench."""
    (dest / ".venv").symlink_to(Path(sys.prefix).resolve(), target_is_directory=True)
    return dest


def measure(cmd, *, cwd, env=ENV):
    """Run ``cmd``; return (wall seconds, peak RSS of its process tree in bytes).

    The main thread waits for the command's end, so its time is exact; a
    thread samples its memory every SAMPLE_EVERY seconds, not more often, as
    each sample lists every process of the machine on the cores the command
    uses. The command is a process group of its own, killed whole when the
    bench is stopped.
    """
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        proc = psutil.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        peak, done = [0], threading.Event()

        def sample():
            while not done.is_set():
                try:
                    tree = [proc, *proc.children(recursive=True)]
                    peak[0] = max(peak[0], sum(p.memory_info().rss for p in tree))
                except psutil.Error:
                    pass  # a process ended between listing and reading it
                done.wait(SAMPLE_EVERY)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            proc.wait()
        except BaseException:
            # Stopped (Ctrl-C, SIGTERM): stop the command too, every process
            # it started (and any that left its group), before the copy it
            # works in is removed.
            left = proc.children(recursive=True)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            for process in left:
                with contextlib.suppress(psutil.Error):
                    process.kill()
            proc.wait()
            raise
        finally:
            done.set()
            sampler.join()
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            output.seek(0)
            tail = output.read().decode(errors="replace")[-3000:]
            raise SystemExit(f"bench: {' '.join(map(str, cmd))} failed:\n{tail}")
    return seconds, peak[0]


def repeat(times, cmd, *, cwd, before=None, after=None):
    """Median-ready samples of ``cmd``, each preceded by ``before(i)`` and
    followed by ``after(i)`` (neither timed)."""
    samples = []
    for i in range(times):
        if before:
            before(i)
        samples.append(measure(cmd, cwd=cwd))
        if after:
            after(i)
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


def import_seconds(module, times, cwd):
    bare = statistics.median(
        s for s, _ in repeat(times, [sys.executable, "-c", "pass"], cwd=cwd)
    )
    cmd = [sys.executable, "-c", f"import {module}"]
    return statistics.median(s for s, _ in repeat(times, cmd, cwd=cwd)) - bare


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repeats", type=int, default=3, help="samples per measurement (>= 3)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="check that the bench works: one sample each, one example executed, "
        "no library's import and no tests timed",
    )
    parser.add_argument(
        "--output", type=Path, default=RESULTS, help=f"default: {RESULTS}"
    )
    parser.add_argument(
        "--readme",
        type=Path,
        default=README,
        help=f"where a full run writes its table (default: {README.relative_to(REPO)})",
    )
    args = parser.parse_args()
    n = 1 if args.quick else max(3, args.repeats)
    if args.quick:
        ENV["EXAMPLES"] = re.escape(EDITED_EXAMPLE.name)
    else:
        # Missing markers are said now, not after minutes of measuring.
        check_markers(args.readme.read_text(encoding="utf-8"), args.readme)
    # A kill by SIGTERM cleans up too, as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        root = copy_of_repository(Path(tmp, "sources"))
        print(f"Working on a copy of the sources in {root}", flush=True)
        results = measure_all(root, n, quick=args.quick)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    save(results, args.output)
    results["machine"] = machine()
    results["date"] = datetime.date.today().isoformat()
    save(results, args.output)
    text = table(results, n)
    print(f"\n{text}\n\nraw numbers: {args.output}")
    if not args.quick:
        write_table(args.readme, text)
        print(f"table written into {args.readme}")


def measure_all(root, n, *, quick):
    html = [*MAKE, "html", "SPHINXOPTS=-q"]
    examples = examples_in_teaching_order(root / "examples")
    if quick:
        examples = [root / EDITED_EXAMPLE]
    results = {"quick": quick}

    # Builds first, the edit as early as it can be: a bench stopped while it
    # edits (tests/test_bench.py) gets there after the clean builds alone.
    print(f"Clean builds, {n} times ...", flush=True)
    clean = [*MAKE, "clean"]
    results["clean_build"] = summary(
        repeat(n, html, cwd=root, before=lambda _: measure(clean, cwd=root))
    )
    results["in_build_s"] = in_build_seconds(root, examples)
    results["clean_floor_s"] = clean_build_floor(results, root)

    print(f"Rebuilds after editing {EDITED_EXAMPLE.name}, {n} times ...", flush=True)
    edited = root / EDITED_EXAMPLE
    original = edited.read_text(encoding="utf-8")

    def edit(i):
        edited.write_text(original + f"\n# bench edit {i}\n", encoding="utf-8")

    ran = []

    def note_its_run(i):
        ran.append(in_build_seconds(root, [edited])[EDITED_EXAMPLE.as_posix()])

    samples = repeat(n, html, cwd=root, before=edit, after=note_its_run)
    results["one_edit_rebuild"] = summary(samples)
    # The rest of each such rebuild is Sphinx's and the extensions' own.
    results["edited_rest_s"] = statistics.median(
        seconds - example for (seconds, _), example in zip(samples, ran, strict=True)
    )

    print(f"Rebuilds with nothing changed, {n} times ...", flush=True)
    results["noop_rebuild"] = summary(repeat(n, html, cwd=root))
    # What Sphinx itself takes when make html's up-to-date check is skipped.
    always = [*MAKE, "html", "SPHINXOPTS=-q --always"]
    results["sphinx_noop_rebuild"] = summary(repeat(n, always, cwd=root))

    print(f"Timing {len(examples)} examples run alone, {n} times each ...", flush=True)
    # Keyed by posix paths, the same in the JSON whatever the system.
    results["standalone"] = {
        path.relative_to(root).as_posix(): summary(
            repeat(n, [sys.executable, str(path)], cwd=root)
        )
        for path in examples
    }
    standalone_sum = sum(r["median_s"] for r in results["standalone"].values())

    # --quick times no library's import (tests/unit/test_bench_table.py times
    # a small one).
    libraries = () if quick else ("torch", "tensorflow")
    imports = " and ".join(libraries) or "no library"
    print(f"The import floor and the imports of {imports}, {n} times ...")
    floor = [sys.executable, "-c", IMPORT_FLOOR]
    results["import_floor"] = summary(repeat(n, floor, cwd=root))
    results["import_s"] = {m: import_seconds(m, n, root) for m in libraries}
    results["standalone_sum_s"] = standalone_sum

    if quick:
        print("make check and make test: not timed by --quick, one of the tests")
    else:
        print("make check and make test, once each, in a copy of the work tree ...")
        tree = copy_of_work_tree(root.parent / "work-tree")
        for target in ("check", "test"):
            sample = measure([*MAKE, target], cwd=tree, env=TEST_ENV)
            results[f"make_{target}"] = summary([sample])
    results["targets"] = targets(results)
    return results


def runs_alone(example: Path) -> bool:
    """Whether an example says it must run with no other beside it
    (``# sphinx_gallery_parallel = False``): a page that times things."""
    from sphinx_gallery.py_source_parser import extract_file_config

    config = extract_file_config(example.read_text(encoding="utf-8"))
    return config.get("parallel", True) is False


def in_build_seconds(root, examples) -> dict[str, float]:
    """Each example's run in the last build of ``root``, as sphinx-gallery
    timed it (``<example>.cost.json`` beside its page), by posix path."""
    gallery = root / "docs" / "auto_examples"
    found = {}
    for example in examples:
        section = example.parent.name
        cost = gallery / section / f"{example.stem}.cost.json"
        if cost.is_file():
            seconds = json.loads(cost.read_text(encoding="utf-8"))["time"]
            found[example.relative_to(root).as_posix()] = seconds
    return found


def clean_build_floor(r, root) -> float:
    """The least a clean build could take were every example that may share
    the cores run on both at no cost: the clean build's median, less half of
    those examples' own runs in the build; the pages that time things
    (runs_alone) keep all of theirs."""
    shared = sum(
        seconds
        for name, seconds in r["in_build_s"].items()
        if not runs_alone(root / name)
    )
    return r["clean_build"]["median_s"] - shared / 2


def targets(r):
    """Each standing target measured: its value in this run, its limit, and
    whether it is met."""
    return {
        name: {"value": value, "at_most": TARGETS[name], "met": value <= TARGETS[name]}
        for name, value in target_values(r).items()
    }


def target_values(r):
    """Each standing target's value, from one run's medians; a --quick run
    times neither make check nor make test (it is itself one of the tests)."""
    floor = r["import_floor"]["median_s"]
    alone = r["standalone"][EDITED_EXAMPLE.as_posix()]["median_s"]
    clean = r["clean_build"]["median_s"]
    values = (
        clean / r["standalone_sum_s"],
        r["noop_rebuild"]["median_s"] / floor,
        r["one_edit_rebuild"]["median_s"] / (2 * floor + alone),
        r["make_test"]["median_s"] / clean if "make_test" in r else None,
        r["make_check"]["median_s"] if "make_check" in r else None,
    )
    return {
        name: value
        for name, value in zip(TARGETS, values, strict=True)
        if value is not None
    }


def save(results, path):
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def machine():
    """What the numbers were measured on, as far as this platform tells."""
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "processor": cpu_model(),
        "python": platform.python_version(),
    }


CPUINFO = Path("/proc/cpuinfo")  # Linux only


def cpu_model():
    try:
        for line in CPUINFO.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown processor"


def table(r, n):
    """The run as Markdown: where and when, each target's value, then the times."""

    def line(*cells):
        return "| " + " | ".join(cells) + " |"

    def row(name, s, note=""):
        spread = f"{s['min_s']:.2f}-{s['max_s']:.2f}"
        return line(name, f"{s['median_s']:.2f}", spread, note)

    m = r["machine"]
    quick = (
        " (--quick: one sample, one example executed, no import or tests timed)"
        if r["quick"]
        else ""
    )
    lines = [
        f"{r['date']}: {m['cpus']} logical CPUs ({m['processor']}), "
        f"{m['memory_gb']} GB RAM, Python {m['python']}; "
        f"median of {n} runs{quick}.",
        "",
        line("target", "value", "at most", "met"),
        line("---", "---", "---", "---"),
    ]
    for name, t in r["targets"].items():
        met = "yes" if t["met"] else "**no**"
        lines.append(line(name, f"{t['value']:.2f}", f"{t['at_most']:g}", met))
    build = r["clean_build"]
    alone = r["standalone"][EDITED_EXAMPLE.as_posix()]["median_s"]
    lines += [
        "",
        line("measurement", "median (s)", "min-max (s)", "note"),
        line("---", "---", "---", "---"),
        row(
            "clean build (make clean html)",
            build,
            f"peak {build['peak_rss_mb']:.0f} MB",
        ),
        line(
            "clean build, were the examples that may share the cores halved",
            f"{r['clean_floor_s']:.2f}",
            "",
            f"ratio {r['clean_floor_s'] / r['standalone_sum_s']:.2f}: the first"
            " target's floor",
        ),
        line("sum of examples run alone", f"{r['standalone_sum_s']:.2f}", "", ""),
        row("rebuild, nothing changed", r["noop_rebuild"], "up-to-date check"),
        row(
            "Sphinx with nothing to do",
            r["sphinx_noop_rebuild"],
            "SPHINXOPTS=--always",
        ),
        row(
            f"rebuild after editing {EDITED_EXAMPLE.name}",
            r["one_edit_rebuild"],
            f"alone: {alone:.2f} s",
        ),
        line(
            "that rebuild, less the example's own run in it",
            f"{r['edited_rest_s']:.2f}",
            "",
            f"{r['edited_rest_s'] / r['import_floor']['median_s']:.1f} x the import"
            " floor: Sphinx and the extensions",
        ),
        row(
            f"import floor (`{IMPORT_FLOOR}`)",
            r["import_floor"],
            "with the interpreter",
        ),
        *(row(Path(name).name, s, "run alone") for name, s in r["standalone"].items()),
        *(
            line(f"import {module}", f"{seconds:.2f}", "", "beyond the interpreter")
            for module, seconds in r["import_s"].items()
        ),
        *(
            row(
                f"make {target}",
                r[f"make_{target}"],
                f"one run, peak {r[f'make_{target}']['peak_rss_mb']:.0f} MB",
            )
            for target in ("check", "test")
            if f"make_{target}" in r
        ),
    ]
    return "\n".join(lines)


def check_markers(text, path):
    """Exit, naming them, unless ``text`` holds the table's two markers in order."""
    begin, end = text.find(TABLE_BEGIN), text.find(TABLE_END)
    if begin < 0 or end < begin:
        sys.exit(
            f"bench: {path} lacks the lines that frame its table:\n"
            f"  {TABLE_BEGIN}\n  {TABLE_END}"
        )


def write_table(path, table_text):
    """Replace what lies between the markers in ``path`` with ``table_text``."""
    text = path.read_text(encoding="utf-8")
    check_markers(text, path)
    before, _, rest = text.partition(TABLE_BEGIN)
    _, _, after = rest.partition(TABLE_END)
    path.write_text(
        f"{before}{TABLE_BEGIN}\n{table_text}\n{TABLE_END}{after}", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
