"""A maintainer publishes _build/html: every link in it holds, offline."""

import re
import shlex
import subprocess
import sys
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import yaml
from sitebuild import GALLERY_DIR, REPO, links, loaded_from_another_host

from install import environment

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"


def test_every_internal_link_resolves_to_a_file(site):
    broken = []
    for page, _, address in links(site.html):
        parts = urlsplit(address)
        if parts.scheme or parts.netloc or not parts.path:
            continue  # another site, or an anchor on this page
        target = (site.html / page).parent / unquote(parts.path)
        if target.is_dir():
            target /= "index.html"
        if not target.resolve().is_relative_to(site.html) or not target.is_file():
            broken.append(f"{page}: {address}")
    assert broken == []


def test_pages_load_nothing_from_another_host(site):
    # MathJax, fonts, scripts for tables: all would come from a CDN by default.
    assert loaded_from_another_host(site.html) == []


def test_build_tells_github_pages_to_serve_it_as_is(site):
    # Without .nojekyll, GitHub Pages drops _static/, _images/ and _sources/.
    assert (site.html / ".nojekyll").is_file()


def workflow():
    # PyYAML reads the key `on` as True (YAML 1.1); the workflow's triggers.
    parsed = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    parsed["on"] = parsed.pop(True)
    return parsed


def steps(job):
    return [step.get("uses", "").split("@")[0] or step["run"] for step in job["steps"]]


def step_using(job, action):
    """The one step of ``job`` that uses ``action`` (e.g. actions/setup-python)."""
    (step,) = (s for s in job["steps"] if s.get("uses", "").split("@")[0] == action)
    return step


def test_workflow_deploys_only_what_passed_the_tests_and_the_strict_build():
    jobs = workflow()["jobs"]
    assert set(jobs) == {"test", "build", "other-systems", "deploy", "notebooks"}
    # The test job runs what CI runs: the README's `make test` via .ci/run.
    assert "bash .ci/run" in steps(jobs["test"])
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "make html" in steps(jobs["build"])
    # The published pages link the examples' code to its documentation: the
    # build finds the inventories downloaded before it (site_extensions.api_links).
    build = steps(jobs["build"])
    assert build.index("make inventories") < build.index("make html")
    assert "actions/upload-pages-artifact" in steps(jobs["build"])
    artifact = step_using(jobs["build"], "actions/upload-pages-artifact")
    assert artifact["with"]["path"] == "_build/html"
    assert sorted(jobs["deploy"]["needs"]) == ["build", "test"]
    assert steps(jobs["deploy"]) == ["actions/deploy-pages"]
    # The test job builds and tests with both torch builds.
    limits = {
        "test": 60,
        "build": 30,
        "other-systems": 60,
        "deploy": 30,
        "notebooks": 30,
    }
    for name, job in jobs.items():
        assert 0 < job["timeout-minutes"] <= limits[name], name


def test_workflow_runs_the_two_commands_on_every_system_the_readme_names():
    jobs = workflow()["jobs"]
    # Linux: the test job (via .ci/run) and the build job, which publishing needs.
    for name in ("test", "build"):
        assert jobs[name]["runs-on"] == "ubuntu-latest"
    assert sorted(jobs["deploy"]["needs"]) == ["build", "test"]
    # macOS on Apple silicon and Windows x86-64: make, and make.bat.
    job = jobs["other-systems"]
    assert job["runs-on"] == "${{ matrix.os }}"
    assert job["strategy"]["fail-fast"] is False
    systems = {entry["os"]: entry for entry in job["strategy"]["matrix"]["include"]}
    assert set(systems) == {"macos-14", "windows-latest"}
    assert systems["macos-14"]["make"] == "make"
    # PowerShell, a runner's shell there, runs GNU make for a bare `make` if
    # one is on PATH; a path to make.bat runs make.bat.
    assert systems["windows-latest"]["make"] == ".\\make.bat"
    assert "shell" not in job.get("defaults", {}).get("run", {})
    for system, entry in systems.items():
        python = entry["python"]
        platform = "win32" if system.startswith("windows") else "darwin"
        assert PurePosixPath(python) == PurePosixPath(
            ".", environment.venv_python(".venv", platform).as_posix()
        )
    runs = [step.get("run") for step in job["steps"]]
    make = "${{ matrix.make }}"
    assert runs.index(f"{make} html") < runs.index(f"{make} test")
    # The browser tests' Chromium, with the environment's Playwright.
    assert "${{ matrix.python }} -m playwright install chromium" in runs
    for name in ("deploy", "notebooks"):
        assert "other-systems" not in jobs[name]["needs"]


def test_other_systems_compile_page_12_and_keep_off_the_runners_mps():
    job = workflow()["jobs"]["other-systems"]
    systems = {entry["os"]: entry for entry in job["strategy"]["matrix"]["include"]}
    # GitHub's macOS runners report an MPS that fails: the CPU there.
    assert job["env"]["EXAMPLES_DEVICE"] == "${{ matrix.device }}"
    assert systems["macos-14"]["device"] == "cpu"
    assert systems["windows-latest"]["device"] == ""
    # torch.compile's C++ compiler, set up before the build on each system:
    # OpenMP for Apple's clang, MSVC's cl on PATH.
    before_build = job["steps"][: steps(job).index("${{ matrix.make }} html")]
    set_up = {
        step.get("if"): step.get("uses", step.get("run")) for step in before_build
    }
    assert set_up["runner.os == 'macOS'"] == "brew install libomp"
    assert set_up["runner.os == 'Windows'"].startswith("ilammy/msvc-dev-cmd@")


def test_workflow_publishes_the_notebooks_where_the_colab_links_look():
    import conf

    jobs = workflow()["jobs"]
    job = jobs["notebooks"]
    assert sorted(job["needs"]) == ["build", "test"]
    assert job["if"] == jobs["deploy"]["if"]
    assert steps(job) == ["actions/download-artifact", "peaceiris/actions-gh-pages"]
    # The build uploads the gallery's notebooks, each at its path in the
    # gallery folder: the path that site_extensions.colab_links puts in the link.
    uploaded = step_using(jobs["build"], "actions/upload-artifact")["with"]
    assert uploaded["path"] == f"docs/{GALLERY_DIR}/**/*.ipynb"
    assert uploaded["if-no-files-found"] == "error"
    downloaded = step_using(job, "actions/download-artifact")["with"]
    assert downloaded["name"] == uploaded["name"]
    published = step_using(job, "peaceiris/actions-gh-pages")["with"]
    assert published["publish_dir"] == downloaded["path"]
    assert published["github_token"] == "${{ secrets.GITHUB_TOKEN }}"
    # On the branch conf.py names, read from it by the build job.
    assert published["publish_branch"] == "${{ needs.build.outputs.notebooks-branch }}"
    output = jobs["build"]["outputs"]["notebooks-branch"]
    step_id = re.fullmatch(r"\$\{\{ steps\.(\w+)\.outputs\.name \}\}", output).group(1)
    (read,) = (s for s in jobs["build"]["steps"] if s.get("id") == step_id)
    command = read["run"].split(">>")[0].strip()
    assert "conf.colab_notebooks_branch" in command
    python, *arguments = shlex.split(command)
    assert python == "python"  # setup-python's; conf.py needs no package
    said = subprocess.run(
        [sys.executable, *arguments],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    assert said.stdout == f"name={conf.colab_notebooks_branch}\n"


def all_steps():
    return [step for job in workflow()["jobs"].values() for step in job["steps"]]


# `uses: owner/action@<commit>  # v1.2.3`: the commit fixes what runs, even if
# the tag is moved later; the comment says which release that commit is.
PINNED_USES = re.compile(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40}  # v\d+(\.\d+)*$")


def test_workflow_runs_actions_pinned_to_a_release_commit():
    lines = [
        line.strip().removeprefix("- ")
        for line in WORKFLOW.read_text(encoding="utf-8").splitlines()
        if re.match(r"\s*(- )?uses:", line)
    ]
    # Every `uses` the workflow has is on such a line, written as one.
    assert len(lines) == sum("uses" in step for step in all_steps())
    unpinned = [line for line in lines if not PINNED_USES.fullmatch(line)]
    assert unpinned == []


def test_checkouts_leave_no_credentials_behind():
    # Nothing after the checkout pushes or fetches: a token kept in .git/config
    # would only be there for a later step (or an uploaded artifact) to leak.
    # The one job that pushes (notebooks) hands the token to its action.
    checkouts = [
        step
        for step in all_steps()
        if step.get("uses", "").startswith("actions/checkout@")
    ]
    assert checkouts
    for step in checkouts:
        assert step.get("with", {}).get("persist-credentials") is False, step


def test_pull_requests_build_and_test_but_never_deploy():
    parsed = workflow()
    assert "pull_request" in parsed["on"]
    assert parsed["on"]["push"]["branches"] == ["main"]
    for job in ("deploy", "notebooks"):
        condition = parsed["jobs"][job]["if"]
        assert "github.event_name != 'pull_request'" in condition
        assert "refs/heads/main" in condition


def test_workflow_permissions_are_what_pages_needs_and_no_more():
    parsed = workflow()
    assert parsed["permissions"] == {"contents": "read"}
    jobs = parsed["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    # Pushing the notebooks' branch: the only job that writes to the repository.
    assert jobs["notebooks"]["permissions"] == {"contents": "write"}
    assert all("permissions" not in jobs[name] for name in ("test", "build"))


def test_workflow_installs_the_light_cpu_torch():
    # A runner has no GPU: the CUDA build would be gigabytes for nothing.
    assert workflow()["env"]["TORCH"] == "cpu"
    assert re.search(
        r"^TORCH +\?=", (REPO / "Makefile").read_text(encoding="utf-8"), re.M
    )


def test_ci_also_builds_and_tests_what_a_linux_users_pip_installs():
    # Neither this machine's pip settings and local wheels nor the workflow's
    # TORCH=cpu: torch as PyPI serves it, in an environment of its own.
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    users_install = re.search(r"^users_install=\((.*)\)$", ci, re.M)
    assert users_install, "`.ci/run` names no users_install"
    words = users_install.group(1).split()
    assert words[:5] == ["env", "-u", "PIP_FIND_LINKS", "-u", "TORCH"]
    assert "PIP_CONFIG_FILE=/dev/null" in words
    venv = next(w.removeprefix("VENV=") for w in words if w.startswith("VENV="))
    assert venv != ".venv"
    assert venv + "/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    # From a clean gallery, or sphinx-gallery would skip the examples that the
    # first environment's build already ran.
    for targets in ("clean html", "test"):
        assert f'"${{users_install[@]}}" make {targets}\n' in ci, targets


def test_workflow_caches_pip_on_the_pins():
    for name in ("test", "build", "other-systems"):
        python = step_using(workflow()["jobs"][name], "actions/setup-python")
        assert python["with"]["cache"] == "pip"
        for pins in python["with"]["cache-dependency-path"].split():
            assert (REPO / pins).is_file(), pins


def test_make_html_publishes_into_build_html():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^BUILDDIR +:= _build$", makefile, re.M)
    assert "$(BUILDDIR)/html" in makefile
