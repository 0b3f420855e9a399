"""Stop before making .venv when the interpreter cannot install the pins.

Run by ``make`` as ``$(PYTHON) install/check_python.py $(PYTHON)``; prints one
line and exits 1 when that interpreter's version is outside the supported range.
"""

import sys

OLDEST = (3, 11, 5)  # the pinned soupsieve needs 3.11.5
NEWEST_MINOR = (3, 13)  # TensorFlow 2.21 publishes wheels up to 3.13


def problem(version):
    """Why ``version`` (a tuple like sys.version_info) cannot be used, or None."""
    if OLDEST <= tuple(version[:3]) and tuple(version[:2]) <= NEWEST_MINOR:
        return None
    found = ".".join(str(part) for part in version[:3])
    return (
        f"Python {found} is not supported: use Python 3.11.5 to 3.13, "
        "e.g. `make html PYTHON=python3.12`"
    )


if __name__ == "__main__":
    message = problem(sys.version_info)
    if message:
        name = sys.argv[1] if len(sys.argv) > 1 else sys.executable
        sys.exit(f"{name}: {message}")
