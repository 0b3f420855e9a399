"""A newcomer runs `make` on their machine: it sets up, or says clearly why not."""

import shutil
import sys
from pathlib import Path

import pytest
from sitebuild import REPO, run_make

sys.path.insert(0, str(REPO / "install"))
import check  # noqa: E402
import check_python  # noqa: E402
from matrix import Wheel, targets  # noqa: E402

ADVICE = "use Python 3.11.5 to 3.13, e.g. `make html PYTHON=python3.12`"


@pytest.mark.parametrize("version", [(3, 11, 5), (3, 12, 0), (3, 13, 9)])
def test_supported_pythons_pass(version):
    assert check_python.problem(version) is None


@pytest.mark.parametrize("version", [(3, 10, 14), (3, 11, 4), (3, 14, 0)])
def test_other_pythons_are_named_with_the_way_out(version):
    found = ".".join(map(str, version))
    assert check_python.problem(version) == f"Python {found} is not supported: {ADVICE}"


def copy_setup(dest: Path) -> Path:
    dest.mkdir(exist_ok=True)
    for name in ("Makefile", "pyproject.toml", "constraints.txt"):
        shutil.copy2(REPO / name, dest / name)
    shutil.copytree(REPO / "install", dest / "install")
    return dest


def test_unsupported_python_stops_before_making_venv(tmp_path):
    # An interpreter that reports 3.14, as today's Homebrew python3 does.
    python = tmp_path / "python3.14"
    python.write_text(
        f"#!/bin/sh\nexec {sys.executable} -c 'import runpy, sys; "
        'sys.version_info = (3, 14, 0, "final", 0); sys.argv = sys.argv[1:]; '
        'runpy.run_path(sys.argv[0], run_name="__main__")\' "$@"\n'
    )
    python.chmod(0o755)
    root = copy_setup(tmp_path / "repo")  # beside the fake interpreter
    result = run_make(root, "html", f"PYTHON={python}")
    assert result.returncode != 0
    ours = [line for line in result.stderr.splitlines() if not line.startswith("make")]
    assert ours == [f"{python}: Python 3.14.0 is not supported: {ADVICE}"]
    assert result.stdout == ""
    assert not (root / ".venv").exists()


def test_failed_install_leaves_no_venv_behind(tmp_path):
    root = copy_setup(tmp_path)
    (root / "constraints.txt").write_text("pip==0.0.0\n")  # no such release
    result = run_make(root, "html")
    assert result.returncode != 0
    assert "run make again to retry" in result.stdout
    assert not (root / ".venv").exists()


def test_check_install_names_target_and_unpinned_package(monkeypatch):
    target = targets()[0]
    url = "https://files.example/{}"
    wheels = [
        Wheel("numpy", "2.4.6", url.format("numpy-2.4.6-cp311-none-any.whl")),
        Wheel("leftpad", "1.0", url.format("leftpad-1.0-py3-none-any.whl")),
    ]
    monkeypatch.setattr(check, "resolve", lambda _: wheels)
    recorded = {target.key: {w.filename: 1 for w in wheels}}
    assert check.problems(target, recorded) == [
        f"{target.key}: leftpad 1.0 is not pinned in constraints.txt: run `make lock`"
    ]


def test_check_install_notices_stale_download_sizes(monkeypatch):
    target = targets()[0]
    wheel = Wheel("numpy", "2.4.6", "https://files.example/numpy-2.4.6.whl")
    monkeypatch.setattr(check, "resolve", lambda _: [wheel])
    [problem] = check.problems(target, {target.key: {"numpy-2.4.5.whl": 1}})
    assert problem.startswith(f"{target.key}: install/download-sizes.json lists")
