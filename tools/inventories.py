"""`make inventories`: the objects.inv of each documentation the code links to.

    python -m tools.inventories

conf.py names each documentation and its address (``api_links_documentation``)
and the folder the files go to (``api_links_inventories``); a build links the
examples' code to the documentation whose inventory is there, and to nothing
else (site_extensions/api_links.py). Each file is written whole or not at all: a
download that fails says which and why in one line, leaves no file behind,
and makes the command fail once it has tried the others.

Standard library only, like tools/site.py.
"""

from __future__ import annotations

import http.client
import os
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from tools.site import REPO

# What every Sphinx inventory starts with; a page served in its place
# (a proxy's login page, a 200 for a missing file) does not.
INVENTORY_HEADER = b"# Sphinx inventory version "
TIMEOUT_S = 60


def inventory_url(documentation: str) -> str:
    """Where the documentation at ``documentation`` (ending in "/") keeps its
    inventory."""
    return documentation + "objects.inv"


def download(name: str, url: str, folder: Path) -> Path:
    """``url`` into ``folder``/``name``.inv, replacing any older one only
    once the whole of it has arrived. Raises OSError, ValueError or
    http.client.HTTPException."""
    with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
        data = response.read()
    if not data.startswith(INVENTORY_HEADER):
        raise ValueError("what it served is not a Sphinx inventory")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.inv"
    fd, partial = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return target


def download_all(documentation: dict[str, str], folder: Path) -> list[str]:
    """Each documentation's inventory (``{name: address}``) into ``folder``;
    one line for each that failed, naming it, its address and why."""
    failures = []
    for name, address in documentation.items():
        url = inventory_url(address)
        try:
            path = download(name, url, folder)
        except (OSError, ValueError, http.client.HTTPException) as err:
            if isinstance(err, urllib.error.HTTPError):
                reason = f"HTTP {err.code}: {err.reason}"
            else:
                reason = getattr(err, "reason", None) or err
            failures.append(
                f"make inventories: no {name} inventory from {url} ({reason})"
            )
        else:
            print(f"{name} inventory: {path}")
    return failures


def main() -> int:
    import conf  # data only: importing it has no side effects

    folder = REPO / conf.api_links_inventories
    failures = download_all(conf.api_links_documentation, folder)
    for line in failures:
        print(line, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
