"""Make .venv, or bring it up to date: what `make` (Makefile, make.bat) runs first.

    PYTHON install/environment.py --venv .venv --torch "$TORCH" --python PYTHON

Run by the interpreter that makes .venv, before .venv exists: standard
library only, and written for older Pythons too (no walrus, no ``X | Y``
types), so that one outside the supported range gets the line that says so,
not a SyntaxError. ``--python`` is the name the person gave for it.

What it does, once for every system:

1. TORCH must be unset, ``cpu`` or ``cuda``; anything else is one line.
2. The stamp ``.venv/.installed`` names the torch build it was made with; a
   request for the other build removes .venv and makes it again, and an
   unset TORCH keeps the build the stamp names.
3. Nothing to do when the stamp is newer than pyproject.toml and
   constraints.txt; otherwise, where .venv has no interpreter yet, the
   interpreter is checked (install/check_python.py) and .venv made.
4. The pinned install: pip from the pins, the announcement of the download
   (install/announce.py), torch's CPU build first for TORCH=cpu on Linux, then
   the test and bench groups. A failure removes .venv, so the next run starts
   clean; success writes the stamp.
"""

import argparse
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

if __name__ == "__main__":
    # Run as a script: the repository's root first, for ``install.check_python``.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from install.check_python import problem  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
# What the install reads: a change to either makes `make` install again.
PINS = ("pyproject.toml", "constraints.txt")
STAMP = ".installed"
# TORCH's values, and the build each names. Only Linux has two torch builds:
# PyPI's torch is the CUDA build there, and the only build elsewhere (CPU
# only on Windows, with Apple's GPU on macOS), so TORCH=cpu changes nothing
# off Linux.
TORCH_VALUES = ("", "cpu", "cuda")
# PyTorch's CPU index, and the pin of torch from it (from the repository's root).
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
CPU_PINS = Path("install", "torch-cpu.txt")


def venv_python(venv, platform=None):
    """The interpreter of the virtual environment ``venv`` on ``platform``
    (sys.platform's values): Scripts\\python.exe on Windows, bin/python elsewhere."""
    if (platform or sys.platform) == "win32":
        return Path(venv, "Scripts", "python.exe")
    return Path(venv, "bin", "python")


def torch_build(torch, platform=None):
    """The build TORCH asks for on ``platform``: "cpu" or "default" (PyPI's).

    Raises ValueError with the line to print when TORCH is no build.
    """
    torch = torch or ""
    if torch not in TORCH_VALUES:
        raise ValueError(
            f"TORCH={torch} is not a torch build: use TORCH=cpu or TORCH=cuda, "
            "or leave it unset"
        )
    on_linux = (platform or sys.platform) == "linux"
    return "cpu" if torch == "cpu" and on_linux else "default"


def stamped_build(venv):
    """The build the stamp of ``venv`` names, or None when there is no stamp."""
    try:
        return Path(venv, STAMP).read_text(encoding="utf-8").strip() or "default"
    except OSError:
        return None


def what_to_do(venv, build, root=REPO):
    """ "remake" (.venv has the other torch build), "install" (no stamp, or
    the pins changed since it was written) or None (up to date)."""
    stamped = stamped_build(venv)
    if stamped is None:
        return "install"
    if stamped != build:
        return "remake"
    made = Path(venv, STAMP).stat().st_mtime
    if any(Path(root, name).stat().st_mtime > made for name in PINS):
        return "install"
    return None


def install_commands(venv, build, platform=None):
    """The commands, in order, that install the pins into ``venv``."""
    python = str(venv_python(venv, platform))
    pip = [python, "-m", "pip", "install", "--constraint", "constraints.txt"]
    commands = [
        [*pip, "pip"],  # a pip that knows --group
        [python, "-m", "install.announce", build],
    ]
    if build == "cpu":
        # torch alone from PyTorch's CPU index, then the rest from PyPI, which
        # keeps it (torch==X accepts X+cpu) and asks no other index for them.
        commands.append(
            [python, "-m", "pip", "install", "--no-deps", "--index-url", CPU_INDEX]
            + ["--constraint", str(CPU_PINS), "torch"]
        )
    commands.append([*pip, "--group", "test", "--group", "bench"])
    return commands


def remove(venv):
    """Remove ``venv``, read-only files too (as Windows marks some)."""

    def clear_read_only(function, path, _):
        os.chmod(path, stat.S_IWRITE)
        function(path)

    # Python 3.12 renamed the handler's argument (onerror warns there).
    handler = "onexc" if sys.version_info >= (3, 12) else "onerror"
    if Path(venv).exists():
        shutil.rmtree(venv, **{handler: clear_read_only})


def set_up(venv, torch, python_name, run=subprocess.call, version=None, root=REPO):
    """Bring ``venv`` up to date; returns the exit status, 0 when it is.

    ``run`` runs one command (a list) in ``root`` and returns its status;
    ``version`` is the interpreter's (sys.version_info by default).
    """
    venv = Path(root, venv)
    try:
        # Unset, TORCH keeps the build .venv has; a new one gets PyPI's.
        build = torch_build(torch) if torch else stamped_build(venv) or "default"
    except ValueError as err:
        print(err, file=sys.stderr)
        return 1
    todo = what_to_do(venv, build, root)
    if todo is None:
        return 0
    if todo == "remake":
        print(f"Remaking {venv.name} for the {build} torch build", flush=True)
        remove(venv)
    if not venv_python(venv).exists():
        why = problem(version or sys.version_info)
        if why:
            print(f"{python_name}: {why}", file=sys.stderr)
            return 1
        if run([sys.executable, "-m", "venv", str(venv)]) != 0:
            remove(venv)
            return 1
    for command in install_commands(venv, build):
        if run(command) != 0:
            print(
                f"Setting up {venv.name} failed, so it was removed: "
                "run make again to retry",
                flush=True,
            )
            remove(venv)
            return 1
    Path(venv, STAMP).write_text(build + "\n", encoding="utf-8")
    return 0


def in_root(command, root=REPO):
    return subprocess.call(command, cwd=root)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", default=".venv")
    parser.add_argument("--torch", default="")
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args(argv)
    return set_up(args.venv, args.torch, args.python, run=in_root)


if __name__ == "__main__":
    sys.exit(main())
