"""What a build reads besides conf.py: its source files, the environment
variables EXAMPLES and EXAMPLES_DEVICE, and inputs that examples' output
depends on.

conf.py checks the variables before any example runs; a bad value stops the
build with one line that says what is wrong and how to fix it.
"""

import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
EXAMPLES_DIR = ROOT / "examples"
# sphinx-gallery's output for the examples, which `make clean` removes.
GALLERY_DIR = ROOT / "docs" / "auto_examples"
# The inputs that rerun_when_changed saw last, kept with sphinx-gallery's
# checksums so that `make clean` forgets both together.
REMEMBERED = GALLERY_DIR / "build_inputs.json"


@contextlib.contextmanager
def stop_on_bad_input():
    """Turn a ValueError into one line on stderr and exit status 2.

    Sphinx reports any exception raised while it reads conf.py, SystemExit
    included, with a traceback and a request to report a bug in Sphinx; a
    typing mistake deserves one line, so this leaves the process directly.
    """
    try:
        yield
    except ValueError as err:
        sys.stdout.flush()
        print(err, file=sys.stderr, flush=True)
        os._exit(2)


def examples_to_run(examples):
    """The regex of example paths to execute: EXAMPLES, or every example.

    sphinx-gallery searches it in each example's full path; ``examples`` are
    those paths. A regex that matches none of them is allowed (the pages are
    built without output) and said once.
    """
    given = os.environ.get("EXAMPLES")
    if not given:
        return re.escape(os.sep) + "plot_"
    try:
        pattern = re.compile(given)
    except re.error as err:
        raise ValueError(
            f"EXAMPLES={given!r} is not a regular expression: {err}"
        ) from None
    if not any(pattern.search(os.path.normpath(path)) for path in examples):
        print(
            f"EXAMPLES={given!r} matches no example: every page is built, "
            "none is executed."
        )
    return given


def examples_device():
    """The device that EXAMPLES_DEVICE asks for, or "automatic" when unset.

    Unset, each example picks the accelerator if there is one, else the CPU;
    working that out needs torch, whose import would add about a second to
    every rebuild, so torch is imported only to check a device that was asked
    for by name.
    """
    given = os.environ.get("EXAMPLES_DEVICE")
    if not given:
        return "automatic"
    import torch

    choices = ["cpu"]
    accelerator = torch.accelerator.current_accelerator(check_available=True)
    if accelerator is not None:
        count = torch.accelerator.device_count()
        choices += [accelerator.type] + [
            f"{accelerator.type}:{i}" for i in range(count)
        ]
    try:
        device = str(torch.device(given))
    except RuntimeError:
        device = None
    if device not in choices:
        raise ValueError(
            f"EXAMPLES_DEVICE={given!r} is not a device of this machine; "
            f"choose one of: {', '.join(choices)} (or leave it unset)"
        )
    return device


def examples_that_read(variable, examples):
    """Those of ``examples`` whose source mentions the environment ``variable``."""
    return [path for path in examples if variable in Path(path).read_text()]


def digest(paths: list[Path]) -> str:
    """A short hash of the names and contents of ``paths``, in their order."""
    hashed = hashlib.sha256()
    for path in paths:
        hashed.update(path.name.encode() + b"\0" + path.read_bytes())
    return hashed.hexdigest()[:16]


def rerun_when_changed(name: str, value: str, examples: list[Path]) -> None:
    """Re-run ``examples`` if ``value`` differs from the one the last build had.

    For an input that examples' output depends on but sphinx-gallery cannot
    see: it re-runs an example only when the example's source changed, which
    it tells from a checksum file next to the example's copy in GALLERY_DIR.
    Deleting that file makes the example run again, in this build if it is
    one of those EXAMPLES selects, or else in the next that selects it.

    ``name`` names the input (one per input); ``value`` is what this build
    sees, as a string (a device, a hash of files); ``examples`` are the source
    files of the examples that depend on it, absolute or relative to
    EXAMPLES_DIR. Call it from conf.py, before any example runs.
    """
    try:
        remembered = json.loads(REMEMBERED.read_text())
    except (OSError, ValueError):
        remembered = {}  # a clean build, or a file cut short
    if remembered.get(name) == value:
        return
    stale = [
        checksum
        for example in examples
        if (checksum := checksum_file(example)).exists()
    ]
    for checksum in stale:
        checksum.unlink()
    if stale:
        was = remembered.get(name, "not recorded")
        print(
            f"{name} changed from {was!r} to {value!r}: "
            f"the examples that depend on it run again ({len(stale)})."
        )
    # Written only after the checksums are gone: if the build stops in
    # between, the next one sees the change again.
    remembered[name] = value
    REMEMBERED.parent.mkdir(parents=True, exist_ok=True)
    new = REMEMBERED.with_suffix(".new")
    new.write_text(json.dumps(remembered, indent=1, sort_keys=True) + "\n")
    new.replace(REMEMBERED)


def checksum_file(example):
    """The file whose checksum tells sphinx-gallery an example is unchanged."""
    copy = GALLERY_DIR / (EXAMPLES_DIR / example).relative_to(EXAMPLES_DIR)
    return copy.with_name(copy.name + ".md5")


def copy_sources(dest):
    """Copy what the build reads, never what it wrote, into the folder ``dest``.

    That is conf.py, the pins (for the downloads' install lines), sphinxext/,
    docs/ and examples/.
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for module in [*ROOT.glob("*.py"), ROOT / "constraints.txt"]:
        shutil.copy2(module, dest / module.name)
    generated = shutil.ignore_patterns(
        "auto_examples", "gen_modules", "sg_execution_times.rst", "__pycache__"
    )
    for folder in ("sphinxext", "docs", "examples"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=generated)
    return dest
