"""A maintainer measures the build with `make bench`: it leaves no trace in the
work tree, even when stopped midway, and its numbers survive the details."""

import json
import os
import signal
import subprocess
import sys

import pytest
from sitebuild import REPO

if sys.platform == "win32":
    pytest.skip(
        "make bench runs on Linux and macOS only (make.bat says so)",
        allow_module_level=True,
    )

from bench import build_speed  # noqa: E402

# Files the tests themselves may write while the bench runs.
NOT_WATCHED = {
    ".git",
    ".venv",
    ".venv-pypi",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    # Where other tests, running beside this one, leave screenshots.
    "test-artifacts",
}


def work_tree():
    """Every file of the work tree, sources and builds alike, with its state."""
    state = {}
    for folder, subfolders, files in os.walk(REPO):
        subfolders[:] = [name for name in subfolders if name not in NOT_WATCHED]
        for name in files:
            stat = os.stat(os.path.join(folder, name))
            state[os.path.join(folder, name)] = (stat.st_size, stat.st_mtime_ns)
    return state


def start_bench(tmp_path):
    """The bench in --quick mode, its copy of the sources under ``tmp_path``."""
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    return subprocess.Popen(
        [sys.executable, "-m", "bench.build_speed", "--quick"]
        + ["--output", tmp_path / "out.json"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        start_new_session=True,  # a process group, as a terminal makes one
    )


def test_quick_bench_measures_everything_and_leaves_the_tree_as_it_was(tmp_path):
    before = work_tree()
    bench = start_bench(tmp_path)
    output, _ = bench.communicate(timeout=600)
    assert bench.returncode == 0, output[-3000:]
    assert work_tree() == before
    results = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    for kind in (
        "clean_build",
        "noop_rebuild",
        "sphinx_noop_rebuild",
        "one_edit_rebuild",
    ):
        assert results[kind]["median_s"] > 0, kind
    # The edited example ran in that rebuild, and took part of it.
    edited = results["one_edit_rebuild"]["median_s"]
    assert 0 < results["edited_rest_s"] < edited
    assert list(results["standalone"]) == ["examples/autograd/plot_3_autograd.py"]
    assert results["import_floor"]["median_s"] > 0
    assert results["machine"]["cpus"] == os.cpu_count()
    assert "rebuild after editing plot_3_autograd.py" in output
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"], "copy left behind"


def test_bench_stopped_while_an_example_is_edited_leaves_the_tree_as_it_was(tmp_path):
    before = work_tree()
    bench = start_bench(tmp_path)
    for line in bench.stdout:
        if line.startswith("Rebuilds after editing"):
            break
    else:
        pytest.fail("the bench ended before it edited an example")
    # Give it time to edit the example and start the rebuild.
    with pytest.raises(subprocess.TimeoutExpired):
        bench.wait(timeout=1)
    # The tree as a kill (SIGKILL) at this moment would leave it, with no
    # chance to clean up: the bench edits only its own copy.
    assert work_tree() == before
    os.killpg(bench.pid, signal.SIGINT)  # as Ctrl-C does, to every process of the bench
    bench.communicate(timeout=60)
    assert bench.returncode != 0
    assert work_tree() == before
    assert list(tmp_path.iterdir()) == [], "copy left behind"


def test_machine_details_are_optional(monkeypatch, tmp_path):
    # As on macOS or Windows, which have no /proc.
    monkeypatch.setattr(build_speed, "CPUINFO", tmp_path / "no-such-file")
    assert build_speed.machine()["processor"]
