"""Stop before making .venv when the interpreter cannot install the pins.

install/environment.py asks it before making .venv, which then prints one
line and exits 1 when the interpreter's version is outside the supported
range. That range is pyproject.toml's ``requires-python``, its one home: the
set-up, `make lock` and `make check-install` read it from here. This file
runs on whatever interpreter it is checking, so it reads the range with a
regular expression, not tomllib (Python 3.11 and later).
"""

import re
import sys
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def supported_range(pyproject=PYPROJECT):
    """(oldest release, newest minor version) that ``requires-python`` allows.

    It must read ``>=X.Y.Z,<X.N``: ((X, Y, Z), (X, N - 1)).
    """
    text = Path(pyproject).read_text(encoding="utf-8")
    found = re.search(
        r'^requires-python\s*=\s*">=\s*(\d+)\.(\d+)\.(\d+)\s*,\s*<\s*(\d+)\.(\d+)"',
        text,
        re.MULTILINE,
    )
    if found is None:
        raise ValueError(f'{pyproject}: requires-python must read ">=X.Y.Z,<X.N"')
    major, minor, patch, below_major, below_minor = map(int, found.groups())
    return (major, minor, patch), (below_major, below_minor - 1)


def described(pyproject=PYPROJECT):
    """The supported range as a person says it: "3.11.5 to 3.13"."""
    oldest, newest = supported_range(pyproject)
    return f"{'.'.join(map(str, oldest))} to {'.'.join(map(str, newest))}"


def problem(version, pyproject=PYPROJECT, platform=None):
    """Why ``version`` (a tuple like sys.version_info) cannot be used, or None.

    The way out is said as a person on ``platform`` (sys.platform's values)
    names another interpreter: make's variable, or make.bat's.
    """
    oldest, newest = supported_range(pyproject)
    if oldest <= tuple(version[:3]) and tuple(version[:2]) <= newest:
        return None
    found = ".".join(str(part) for part in version[:3])
    example = f"{newest[0]}.{max(oldest[1], newest[1] - 1)}"
    if (platform or sys.platform) == "win32":
        way_out = f"`set PYTHON=py -{example}`, then `make html`"
    else:
        way_out = f"`make html PYTHON=python{example}`"
    return (
        f"Python {found} is not supported: use Python {described(pyproject)}, "
        f"e.g. {way_out}"
    )
