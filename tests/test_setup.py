"""A newcomer runs `make` on their machine: it sets up, or says clearly why not."""

import shutil
import sys
from pathlib import Path

import pytest
from sitebuild import REPO, run_make

from install import check_python

ADVICE = f"use Python {check_python.described()}, e.g. `make html PYTHON=python3.12`"


def copy_setup(dest: Path) -> Path:
    dest.mkdir(exist_ok=True)
    for name in ("Makefile", "make.bat", "pyproject.toml", "constraints.txt"):
        shutil.copy2(REPO / name, dest / name)
    shutil.copytree(REPO / "install", dest / "install")
    return dest


# The interpreter it fakes is a shell script; tests/unit/test_environment.py
# checks what the set-up says to an unsupported Python on every system.
@pytest.mark.skipif(sys.platform == "win32", reason="a shell script as python")
def test_unsupported_python_stops_before_making_venv(tmp_path):
    # An interpreter just newer than pyproject.toml allows, as Homebrew's
    # python3 often is.
    _, (major, minor) = check_python.supported_range()
    newer = (major, minor + 1, 0)
    python = tmp_path / f"python{major}.{minor + 1}"
    python.write_text(
        f"#!/bin/sh\nexec {sys.executable} -c 'import runpy, sys; "
        f'sys.version_info = ({major}, {minor + 1}, 0, "final", 0); '
        "sys.argv = sys.argv[1:]; "
        'runpy.run_path(sys.argv[0], run_name="__main__")\' "$@"\n',
        encoding="utf-8",
    )
    python.chmod(0o755)
    root = copy_setup(tmp_path / "repo")  # beside the fake interpreter
    result = run_make(root, "html", f"PYTHON={python}")
    assert result.returncode != 0
    ours = [line for line in result.stderr.splitlines() if not line.startswith("make")]
    found = ".".join(map(str, newer))
    assert ours == [f"{python}: Python {found} is not supported: {ADVICE}"]
    assert result.stdout == ""
    assert not (root / ".venv").exists()


def test_failed_install_leaves_no_venv_behind(tmp_path):
    root = copy_setup(tmp_path)
    (root / "constraints.txt").write_text(
        "pip==0.0.0\n", encoding="utf-8"
    )  # no such release
    result = run_make(root, "html")
    assert result.returncode != 0
    assert "run make again to retry" in result.stdout
    assert not (root / ".venv").exists()
