"""Shared fixtures: the site is built once per test session."""

import os
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import encoding_gate
import nbformat
import pytest
from filelock import FileLock
from nbclient import NotebookClient
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright
from sitebuild import (
    NO_COMPILER,
    REPO,
    RUN_AS_NOTEBOOKS,
    SESSION_BUILD,
    build_html,
    context_in_theme,
    copy_sources,
    notebook_path,
)

from install.environment import venv_python
from tools.site import CHROMIUM_ARGS, OFFLINE, SiteServer, chromium, pages

# Two workers, and the builds, programs and notebooks they start, share the
# machine's cores: an OpenMP thread (torch's, MKL's) that waits sleeps instead
# of spinning on a core another process needs. Every process the tests start
# inherits it; the threads' number, and so every printed number, stays as it is.
os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
# Text that names no encoding is an error in our code in every process the
# tests start, as in their own (tests/encoding_gate.py).
os.environ.update(encoding_gate.environment(REPO))

NO_BROWSER = (
    "no Chromium for the browser tests: `apt-get install chromium` (Debian), "
    f"or `{venv_python('.venv')} -m playwright install chromium`"
)


class BuiltSite:
    def __init__(self, root: Path, log: str):
        self.root = root
        self.html = root / "_build" / "html"
        self.log = log

    @classmethod
    def read(cls, root: Path) -> "BuiltSite":
        """A site that build_site built in ``root``."""
        return cls(root, (root / "build.log").read_text(encoding="utf-8"))

    def pages(self) -> list[Path]:
        """Every HTML page of the site, relative to its root."""
        return pages(self.html)


def build_site(root: Path, env: dict | None = None) -> BuiltSite:
    """A build of the sources in ``root``, which must succeed; its log is
    kept beside them (build.log)."""
    result = build_html(root, env=env)
    built = BuiltSite(root, result.stdout + result.stderr)
    assert result.returncode == 0, f"sphinx-build failed:\n{built.log[-5000:]}"
    (root / "build.log").write_text(built.log, encoding="utf-8")
    return built


def once_per_run(tmp_path_factory, name: str, make) -> Path:
    """A folder in which ``make(folder)`` built something, once per test run.

    Under pytest-xdist (`make test` runs two workers) the first worker that
    asks makes it, holding a file lock, and every worker reads it; a failed
    ``make`` leaves nothing, so the next worker to ask tries again.
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    # The workers' temporary folders share a parent, new for each run.
    folder = tmp_path_factory.getbasetemp().parent / name
    with FileLock(f"{folder}.lock"):
        if not (folder / "built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (folder / "built").touch()
    return folder


def build_pair(folder: Path) -> None:
    """Two clean builds of two copies of the repository in ``folder``, warnings
    as errors, made at the same time in the same way (SESSION_BUILD)."""
    roots = [copy_sources(folder / f"site{i}") for i in (1, 2)]
    with ThreadPoolExecutor(len(roots)) as pool:
        list(pool.map(lambda root: build_site(root, SESSION_BUILD), roots))


@pytest.fixture(scope="session")
def reproducible_builds(tmp_path_factory) -> tuple[BuiltSite, BuiltSite]:
    """The session's two builds (build_pair), made once per test run."""
    folder = once_per_run(tmp_path_factory, "sites", build_pair)
    first, second = (BuiltSite.read(folder / f"site{i}") for i in (1, 2))
    return first, second


# A build as a person makes it anywhere but on GitHub Actions: told no
# repository (empty is unset: Actions would tell it its own), not
# reproducible, and executing only the first lesson (EXAMPLES).
ELSEWHERE_BUILD = {"GITHUB_REPOSITORY": "", "EXAMPLES": "plot_1_"}


@pytest.fixture(scope="session")
def site_built_elsewhere(tmp_path_factory) -> BuiltSite:
    """A build of a copy of the sources with ELSEWHERE_BUILD, made once per
    test run, for the tests of what such a build leaves out."""

    def make(folder):
        build_site(copy_sources(folder / "site"), ELSEWHERE_BUILD)

    return BuiltSite.read(once_per_run(tmp_path_factory, "elsewhere", make) / "site")


@pytest.fixture(scope="session")
def site(reproducible_builds) -> BuiltSite:
    """The site every test reads: the first of the reproducible builds."""
    return reproducible_builds[0]


@pytest.fixture(scope="session")
def executed_notebooks(site, tmp_path_factory) -> dict[Path, nbformat.NotebookNode]:
    """The notebooks of RUN_AS_NOTEBOOKS, each run top to bottom in the
    project's kernel.

    Two at a time. Each keeps torch's default of one thread per core, as the
    build had, or its numbers would not match the page's. They run without a
    C++ compiler (NO_COMPILER), as on a machine that has none, with an empty
    cache for Inductor, which would otherwise load what the build compiled:
    the build shows what torch.compile does with one.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    env |= NO_COMPILER
    env["TORCHINDUCTOR_CACHE_DIR"] = str(tmp_path_factory.mktemp("inductor"))

    def execute(program):
        path = notebook_path(site.root, program)
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(
            notebook,
            kernel_name="python3",
            timeout=600,
            allow_errors=True,
            resources={"metadata": {"path": str(path.parent)}},
        )
        kernel = client.create_kernel_manager().format_kernel_cmd()[0]
        assert Path(kernel) == Path(sys.executable), kernel
        return client.execute(env=env)

    with ThreadPoolExecutor(2) as pool:
        runs = pool.map(execute, RUN_AS_NOTEBOOKS)
        return dict(zip(RUN_AS_NOTEBOOKS, runs, strict=True))


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium: CHROME_PATH, or Debian's when it is installed, else
    Playwright's own."""
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=chromium(), args=[*CHROMIUM_ARGS, OFFLINE]
            )
        except PlaywrightError as err:
            browser, reason = None, err.message.splitlines()[0]
        if browser is None:
            if os.environ.get("CI"):  # CI installs one: never skip there
                pytest.fail(f"{NO_BROWSER} ({reason})", pytrace=False)
            pytest.skip(NO_BROWSER)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def _tab_of_the_file(browser):
    context = context_in_theme(browser, "light")
    yield context.new_page()
    context.close()


# Playwright's default window.
WINDOW = {"width": 1280, "height": 720}


@pytest.fixture
def tab(_tab_of_the_file):
    """One tab in the light theme, in which a test file's tests take turns to
    open pages, as a reader goes from page to page: after the first page, the
    site's styles, scripts and fonts come from its cache. A new tab for each
    page would fetch and compile them all again, at several times the cost.
    Each test gets it with the default window size, and must change nothing
    else that lasts (no theme switch, nothing stored)."""
    _tab_of_the_file.set_viewport_size(WINDOW)
    return _tab_of_the_file


@pytest.fixture(scope="session")
def served_site(site):
    """The built site at the root of http://127.0.0.1:<free port>/."""
    with SiteServer(site.html) as server:
        yield server


@pytest.fixture(scope="session")
def served_under_subpath(site, tmp_path_factory):
    """The built site under http://127.0.0.1:<port>/site/, like a project's page."""
    parent = tmp_path_factory.mktemp("published")
    try:
        (parent / "site").symlink_to(site.html, target_is_directory=True)
    except OSError:  # Windows, without the right to make symbolic links
        shutil.copytree(site.html, parent / "site")
    with SiteServer(parent) as server:
        server.url += "site/"
        yield server


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where a test run leaves what a person may want to look at afterwards."""
    path = REPO / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
