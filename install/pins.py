"""constraints.txt, read: the pinned version of a package on a machine.

`make lock` writes the file. The build reads it for the downloads' install
lines (site_extensions.install_lines); `make lock` and `make check-install` read it
for each machine they resolve (install/matrix.py).

packaging is imported where it is used: `make` announces the download with a
.venv that does not have it yet.
"""

import functools
from pathlib import Path

CONSTRAINTS = Path(__file__).resolve().parents[1] / "constraints.txt"


@functools.cache
def parse(text: str) -> tuple:
    """Every pin of a constraints file's text, a Requirement with its marker.

    Cached by text: a build asks for the pins of every page's imports.
    """
    from packaging.requirements import Requirement

    lines = (line.split("#")[0].strip() for line in text.splitlines())
    return tuple(Requirement(line) for line in lines if line)


def pin_for(name: str, environment: dict | None = None, constraints=CONSTRAINTS):
    """The pin (a Requirement) of package ``name``, or None if it has none.

    ``environment`` holds the marker values of the machine the pin is for
    (``sys_platform``, ...), over this machine's; None: this machine.
    """
    from packaging.utils import canonicalize_name

    wanted = canonicalize_name(name)
    for pin in parse(Path(constraints).read_text(encoding="utf-8")):
        if canonicalize_name(pin.name) != wanted:
            continue
        if pin.marker is None or pin.marker.evaluate(environment):
            return pin
    return None


def pinned_version(pin) -> str:
    """The version an exact pin (``name==version``) names."""
    return str(pin.specifier).removeprefix("==")
