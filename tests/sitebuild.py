"""Build a copy of the site the way `make html` does, for the tests."""

import contextlib
import functools
import itertools
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import nbformat
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup

import conf
from site_extensions.build_inputs import chosen_device
from site_extensions.gallery_hooks import examples_in_teaching_order
from tools.site import REPO, build_command, outside_make, pages
from tools.site import copy_sources as copy_sources  # for the tests

EXAMPLES = REPO / "examples"
# Where sphinx-gallery writes the examples' pages: under docs/, and in the site.
GALLERY_DIR = conf.sphinx_gallery_conf["gallery_dirs"]
# Every program of the gallery in teaching order, as paths relative to examples/.
GALLERY = [p.relative_to(EXAMPLES) for p in examples_in_teaching_order(EXAMPLES)]
# The pages beyond the original tutorial: they check and measure what the
# programs before them take for granted, each in its own way.
BEYOND = [p for p in GALLERY if p.parts[0] == "beyond"]
# The training programs of the original tutorial.
PROGRAMS = [p for p in GALLERY if p not in BEYOND]
# Beyond the builds, the tests run each example once more, as a reader does:
# the programs as scripts (`python file.py`, tests/test_programs_learn.py),
# the pages beyond them as notebooks, in a kernel (tests/test_notebooks.py).
# Each notebook's code cells are its program's code blocks (a test checks),
# so one run answers for both downloads; and the notebooks run use all that
# the programs do (numpy, torch, TensorFlow, matplotlib, the device choice).
RUN_AS_NOTEBOOKS = BEYOND


def imports(program: Path, module: str) -> bool:
    """Whether an example (a path relative to examples/) imports ``module``."""
    return f"import {module}" in (EXAMPLES / program).read_text(encoding="utf-8")


TORCH_PROGRAMS = [p for p in PROGRAMS if imports(p, "torch")]
TENSORFLOW_PROGRAMS = [p for p in GALLERY if imports(p, "tensorflow")]
# An EXAMPLES value that executes no example, for checks of the pages alone.
NO_EXAMPLE = "this-matches-no-example"
# The GitHub repository (GITHUB_REPOSITORY) the session's builds are told, as
# the Pages workflow's build is told its own: their example pages link their
# notebooks on Colab, as the published ones do, wherever the tests run.
REPOSITORY = "someone/learning"
# Where GitHub Pages serves the site of REPOSITORY.
ADDRESS = "https://someone.github.io/learning/"
# The commit the session's builds are told they are built from (GITHUB_SHA).
COMMIT = "0123456789abcdef0123456789abcdef01234567"

# The session's builds: reproducible (SOURCE_DATE_EPOCH: no run times on the
# pages), told a GitHub repository as the published build is (Colab links,
# og: tags, sitemap), and side by side, each with torch's default threads:
# most of a build is Python, on one core, so two at once take less time than
# one after the other.
SESSION_BUILD = {
    "SOURCE_DATE_EPOCH": "1767225600",
    "GITHUB_REPOSITORY": REPOSITORY,
    "GITHUB_SHA": COMMIT,
}


def expected_device() -> str:
    """The device a torch example picks here: EXAMPLES_DEVICE, else as the
    examples do, the accelerator if there is one, else the CPU."""
    return chosen_device(os.environ.get("EXAMPLES_DEVICE"))


class Measured(NamedTuple):
    # One regex for each kind of printed line that reports a time or a speed;
    # "|" joins lines of which a run prints one or the other. Each must match
    # a line of the page (test_reproducible_build checks), or it guards nothing.
    lines: tuple[str, ...]
    figures: bool  # whether its figures plot times

    def matches(self, line: str) -> bool:
        return any(re.search(kind, line) for kind in self.lines)


# What a page prints or draws from timing its own run. It changes from run to
# run, so comparisons of two runs leave out exactly this; keep it in step with
# the pages' print calls.
MEASURED = {
    Path("beyond/plot_11_gpu_speed.py"): Measured(
        lines=(
            r"^Measuring took ",
            r"^\([\d, ]+\)(?!.*GFLOP per step)",  # a row of the two tables
            r"GFLOP/s",
            r"\d(\.\d+)?x\b",  # a speed-up or a ratio of times
            r"beats? this run's torch cpu",  # a record against the live run
        ),
        figures=True,
    ),
    Path("beyond/plot_12_static_graphs_today.py"): Measured(
        lines=(
            r"^tf\.function on \w+: first call .* ms",
            r"^First compiled step",
            r"^Graphs found in Inductor's",
            r"^Median step: ",
            r"^Compiled steps take ",
            r"^The first compiled step \(.*\) is paid back|^On this machine the "
            r"compiled step",
        ),
        figures=True,
    ),
    Path("beyond/plot_14_data_parallel.py"): Measured(
        lines=(
            r"^Both launches took ",
            r"^Median Adam step: ",
            r"^Median all-reduce ",
            r"^A step on two processes takes ",
        ),
        figures=False,
    ),
}


def is_measurement(program: Path, line: str) -> bool:
    measured = MEASURED.get(program)
    return bool(measured and measured.matches(line.strip()))


def unmeasured(program: Path, text: str) -> list[str]:
    """The lines that ``program`` printed, less blank ones and measurements."""
    return [
        line
        for line in text.splitlines()
        if line.strip() and not is_measurement(program, line)
    ]


# Page 12 on a machine where torch.compile finds no C++ compiler to use (a
# Windows without Build Tools, a Linux without g++): the line that says so,
# what is missing and how to install it.
CANNOT_COMPILE = re.compile(
    r"^torch\.compile cannot compile on this machine \((.+?)\): (.+)\. "
    r"This run goes on without the compiled model\.$",
    re.M,
)
# A C++ compiler that is not there (Inductor reads CXX on every system).
NO_COMPILER = {"CXX": str(REPO / "no-such-c++-compiler")}


def without_the_compiled_run(lines: list[str]) -> list[str]:
    """Page 12's printed ``lines`` less what only one of its two outcomes
    prints: the compiled run's lines, or the line that says it could not
    compile. What is left, both outcomes print alike."""
    kept, skip, in_compiled_losses = [], 0, False
    for line in lines:
        kernels = re.match(r"^(forward|backward) graph runs (\d+) kernels:$", line)
        if skip:  # the kernels a graph runs, one a line
            skip -= 1
        elif kernels:
            skip = int(kernels[2])
        elif line == "compiled:":
            in_compiled_losses = True
        elif in_compiled_losses and re.match(r"^step +\d+ +loss ", line):
            pass
        elif CANNOT_COMPILE.match(line) or re.match(
            r"^(Graphs found in Inductor's|First compiled step|Median step|"
            r"Compiled steps take|Largest relative gap|The first compiled step|"
            r"On this machine the compiled step)",
            line,
        ):
            in_compiled_losses = False
        else:
            in_compiled_losses = False
            kept.append(line)
    return kept


def start_build(src_root: Path, *, env: dict | None = None) -> subprocess.Popen:
    """Start `make html`'s build on ``src_root``, into its _build."""
    return subprocess.Popen(
        build_command("_build"),
        cwd=src_root,
        env={**os.environ, "MPLBACKEND": "Agg", **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def build_html(
    src_root: Path, *, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run a sphinx-build on ``src_root`` with warnings as errors, to the end."""
    build = start_build(src_root, env=env)
    try:
        stdout, stderr = build.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        build.kill()
        raise
    return subprocess.CompletedProcess(build.args, build.returncode, stdout, stderr)


def run_make(
    cwd: Path, *args: str, env: dict | None = None, timeout: int = 600
) -> subprocess.CompletedProcess:
    """``make <args>`` in ``cwd``, as a person runs it from a shell: GNU make,
    or make.bat on Windows, which takes each ``NAME=value`` from the
    environment instead.

    The variables of an outer make (the tests may run under `make test`) are
    left out (tools.site.outside_make). Past ``timeout`` seconds it is
    stopped, with what it started on Windows, and TimeoutExpired raised.
    """
    clean_env = outside_make(os.environ)
    if sys.platform == "win32":
        variables = dict(arg.split("=", 1) for arg in args if "=" in arg)
        targets = [arg for arg in args if "=" not in arg]
        command = ["cmd", "/c", "make.bat", *targets]
    else:
        variables = {}
        command = ["make", "--no-print-directory", *args]
    with subprocess.Popen(
        command,
        cwd=cwd,
        env={**clean_env, **variables, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    ) as make:
        try:
            stdout, stderr = make.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            stop(make)
            raise
    return subprocess.CompletedProcess(command, make.returncode, stdout, stderr)


def stop(process: subprocess.Popen) -> None:
    """Kill ``process``; on Windows the programs it started too, which would
    otherwise keep running and keep its output open (subprocess.run waits
    for that there, for ever, after a timeout: a `make serve` that serves)."""
    if sys.platform == "win32":
        kill_tree = ["taskkill", "/F", "/T", "/PID", str(process.pid)]
        subprocess.run(kill_tree, capture_output=True, check=False)
    process.kill()
    process.wait()


# Where sphinx-gallery puts what a code cell printed.
OUTPUT_BLOCK = "div.sphx-glr-script-out"


def page_path(html_root: Path, program: Path) -> Path:
    """The HTML page that sphinx-gallery made for an example."""
    return html_root / GALLERY_DIR / program.with_suffix(".html")


def page_url(base: str, program: Path) -> str:
    """The address of an example's page on the site served at ``base``."""
    return f"{base}{GALLERY_DIR}/{program.with_suffix('.html').as_posix()}"


def gallery_copy(src_root: Path) -> Path:
    """Where a build of ``src_root`` writes the examples' pages and downloads."""
    return src_root / "docs" / GALLERY_DIR


def notebook_path(src_root: Path, program: Path) -> Path:
    """The notebook that a build of ``src_root`` made of ``program``."""
    return gallery_copy(src_root) / program.with_suffix(".ipynb")


# A link in a notebook's Markdown: its text, and where it goes.
MARKDOWN_LINK = re.compile(r"\[((?:[^\]\\]|\\.)+)\]\(([^()\s]+)\)")


def notebook_text(src_root: Path, program: Path) -> str:
    """The Markdown cells of the notebook that a build of ``src_root`` made
    of ``program``, one after the other."""
    notebook = nbformat.read(notebook_path(src_root, program), as_version=4)
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


def read_page(path: Path) -> BeautifulSoup:
    """A built HTML page, parsed once for all the tests that read it while
    the file stays as it is: change what it returns only in a copy."""
    stat = Path(path).stat()
    return _parsed(Path(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=128)
def _parsed(path: Path, mtime_ns: int, size: int) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# Tags whose address a page loads by itself, unlike a link a reader may follow.
LOADED = ("link", "script", "img", "source", "iframe")


def links(html: Path):
    """Every (page, tag, address) in the HTML pages of the site in ``html``."""
    for page in pages(html):
        soup = read_page(html / page)
        for tag in soup.find_all(["a", *LOADED]):
            for attribute in ("href", "src"):
                if tag.get(attribute):
                    yield page, tag, tag[attribute]
            for candidate in tag.get("srcset", "").split(","):
                if candidate.strip():
                    yield page, tag, candidate.split()[0]


def loaded_from_another_host(html: Path) -> list[str]:
    """What the pages of the site in ``html`` load by themselves from another
    host, as "page: <tag> address". A canonical link only names a page's
    published address; nothing loads it."""
    return [
        f"{page}: <{tag.name}> {address}"
        for page, tag, address in links(html)
        if tag.name in LOADED
        and "canonical" not in tag.get("rel", [])
        and urlsplit(address).netloc
    ]


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


# -- In the browser -----------------------------------------------------------


def context_in_theme(browser, theme, **context_options):
    """A new browser context whose pages open with furo's theme switch set to
    ``theme``."""
    context = browser.new_context(**context_options)
    context.add_init_script(f"localStorage.setItem('theme', '{theme}')")
    return context


def open_in_theme(browser, url, theme, **context_options):
    """``url`` in a new tab with furo's theme switch already set to ``theme``."""
    page = context_in_theme(browser, theme, **context_options).new_page()
    page.goto(url)
    assert page.evaluate("document.body.dataset.theme") == theme
    return page


def watch(page) -> list[str]:
    """The list of everything that goes wrong in ``page``, kept up to date
    from now on.

    The site must work offline: a request to any host but 127.0.0.1 is listed
    (and fails, as the browser resolves no other host).
    """
    problems = []
    for event, handler in _problem_listeners(problems).items():
        page.on(event, handler)
    return problems


@contextlib.contextmanager
def watching(page):
    """watch(page) for a with block only, as in a tab that other tests use."""
    problems = []
    listeners = _problem_listeners(problems)
    for event, handler in listeners.items():
        page.on(event, handler)
    try:
        yield problems
    finally:
        for event, handler in listeners.items():
            page.remove_listener(event, handler)


def _problem_listeners(problems: list) -> dict:
    """For each of a page's events, what adds the problem it reports to
    ``problems``."""
    return {
        "request": lambda req: (
            urlsplit(req.url).hostname != "127.0.0.1"
            and not req.url.startswith("data:")
            and problems.append(f"left 127.0.0.1: {req.url}")
        ),
        "console": lambda msg: (
            msg.type == "error" and problems.append(f"console: {msg.text}")
        ),
        "pageerror": lambda err: problems.append(f"script error: {err}"),
        "requestfailed": lambda req: problems.append(
            f"request failed: {req.url} ({req.failure})"
        ),
        "response": lambda res: (
            res.status >= 400 and problems.append(f"{res.status}: {res.url}")
        ),
    }


def accessibility_violations(page) -> list[str]:
    """What axe-core finds wrong on the page open in ``page``, every impact,
    minor included, and colour contrast in its theme: "impact rule: [where]"."""
    return [
        f"{violation['impact']} {violation['id']}: "
        f"{[' '.join(node['target']) for node in violation['nodes']][:3]}"
        for violation in Axe().run(page).response["violations"]
    ]
