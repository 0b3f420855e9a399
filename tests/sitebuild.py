"""Build a copy of the site the way `make html` does, for the tests."""

import itertools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
# The nine training programs in teaching order, as paths relative to examples/.
TEACHING_SECTIONS = ("tensors", "autograd", "nn")
PROGRAMS = sorted(
    (
        p.relative_to(EXAMPLES)
        for s in TEACHING_SECTIONS
        for p in (EXAMPLES / s).glob("plot_*.py")
    ),
    key=lambda p: p.name,
)


def imports(program: Path, module: str) -> bool:
    """Whether an example (a path relative to examples/) imports ``module``."""
    return f"import {module}" in (EXAMPLES / program).read_text()


TORCH_PROGRAMS = [p for p in PROGRAMS if imports(p, "torch")]
# The pages beyond the original tutorial: they check and measure what the
# programs above take for granted, each in its own way.
BEYOND = sorted(
    p.relative_to(EXAMPLES) for p in (EXAMPLES / "beyond").glob("plot_*.py")
)
# An EXAMPLES value that executes no example, for checks of the pages alone.
NO_EXAMPLE = "this-matches-no-example"
# Every program of the gallery, whatever its section.
GALLERY = sorted(p.relative_to(EXAMPLES) for p in EXAMPLES.glob("*/plot_*.py"))
TENSORFLOW_PROGRAMS = [p for p in GALLERY if imports(p, "tensorflow")]


class Measured(NamedTuple):
    lines: re.Pattern  # the printed lines that report a time or a speed
    figures: bool  # whether its figures plot times


# What a page prints or draws from timing its own run. It changes from run to
# run, so comparisons of two runs leave out exactly this; keep it in step with
# the pages' print calls.
MEASURED = {
    Path("beyond/plot_11_gpu_speed.py"): Measured(
        re.compile(
            r"^Measuring took |^\([\d, ]+\)(?!.*GFLOP per step)|GFLOP/s"
            r"|\d(\.\d+)?x\b|^Fastest at the usual size|beats? torch cpu at"
        ),
        figures=True,
    ),
    Path("beyond/plot_12_static_graphs_today.py"): Measured(
        re.compile(
            r"^First call .* ms|^First compiled step|^Graphs found in Inductor's"
            r"|^Median step: |^Compiled steps take |^Compiling pays for itself"
            r"|^On this machine the compiled step"
        ),
        figures=True,
    ),
}


def is_measurement(program: Path, line: str) -> bool:
    measured = MEASURED.get(program)
    return bool(measured and measured.lines.search(line.strip()))


def unmeasured(program: Path, text: str) -> list[str]:
    """The lines that ``program`` printed, less blank ones and measurements."""
    return [
        line
        for line in text.splitlines()
        if line.strip() and not is_measurement(program, line)
    ]


def copy_sources(dest: Path) -> Path:
    """Copy what the build reads (never its outputs) into ``dest``."""
    for name in ("conf.py", "gallery_hooks.py", "figures.py", "page_head.py"):
        shutil.copy2(REPO / name, dest / name)
    ignore = shutil.ignore_patterns(
        "auto_examples", "gen_modules", "sg_execution_times.rst", "__pycache__"
    )
    shutil.copytree(REPO / "docs", dest / "docs", ignore=ignore)
    shutil.copytree(EXAMPLES, dest / "examples", ignore=ignore)
    return dest


def build_html(
    src_root: Path, *, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run a clean sphinx-build on ``src_root`` with warnings as errors."""
    full_env = {**os.environ, "MPLBACKEND": "Agg", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-c", ".", "-W", "--keep-going"]
        + ["-d", "_build/doctrees", "docs", "_build/html"],
        cwd=src_root,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )


# Where sphinx-gallery puts what a code cell printed.
OUTPUT_BLOCK = "div.sphx-glr-script-out"


def page_path(html_root: Path, program: Path) -> Path:
    """The HTML page that sphinx-gallery made for an example."""
    return html_root / "auto_examples" / program.with_suffix(".html")


def read_page(path: Path) -> BeautifulSoup:
    """A built HTML page, parsed."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def printed_text(page: BeautifulSoup) -> str:
    """All that a parsed example page shows its program printed, block after block."""
    return "\n".join(block.get_text() for block in page.select(OUTPUT_BLOCK))


def printed_output(html_root: Path, program: Path) -> str:
    """All that an example's page shows it printed, block after block."""
    return printed_text(read_page(page_path(html_root, program)))


# A size as the timing page prints it: (N, D_in, H, D_out).
SIZE = r"\((\d+), (\d+), (\d+), (\d+)\)"


def timing_tables(printed: str) -> list[dict]:
    """The timing page's two tables, milliseconds and speed-ups, as
    {column: {size: value}}, read from what the page printed."""
    tables, columns = [], None
    for line in printed.splitlines():
        if line.startswith("N, D_in, H, D_out"):
            # Right-aligned columns: each cell ends where its heading ends.
            headings = list(re.finditer(r"\S+(?: \S+)*", line))
            columns = [
                (heading.group(), previous.end(), heading.end())
                for previous, heading in itertools.pairwise(headings)
            ]
            tables.append({name: {} for name, _, _ in columns})
        elif columns and (match := re.match(SIZE, line)):
            size = tuple(int(n) for n in match.groups())
            for name, start, end in columns:
                cell = line[max(start, match.end()) : end].strip().rstrip("x")
                if cell:
                    tables[-1][name][size] = float(cell)
        elif columns and not line.strip():
            columns = None
    return tables
