"""make check-install: the pinned install resolves on every supported machine.

For every machine of install/matrix.py (Linux x86-64 and aarch64, macOS on
Apple silicon, Windows x86-64), each with every Python that pyproject.toml
supports, uv resolves what `make` installs with pip, downloading no wheel.
Fails, naming the target and the package, when a pin has no wheel there, when
pip would install a package that constraints.txt does not pin, or when the
recorded download sizes no longer match the files pip picks. TORCH=cpu is
checked too where PyTorch's CPU index can be reached.
"""

import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from packaging.specifiers import SpecifierSet

from install.environment import CPU_INDEX
from install.matrix import (
    ResolveError,
    Target,
    index_url,
    recorded_sizes,
    resolve,
    targets,
    unreachable,
)
from install.pins import pin_for


def problems(target: Target, recorded: dict[str, dict[str, int]]) -> list[str]:
    try:
        wheels = resolve(target)
    except ResolveError as err:
        return [f"{target.key}: does not resolve: {err}"]
    found = []
    for wheel in wheels:
        pin = pin_for(wheel.name, target.marker_environment())
        exact = pin and str(pin.specifier).startswith("==")
        if not exact or wheel.version not in SpecifierSet(str(pin.specifier)):
            found.append(
                f"{target.key}: {wheel.name} {wheel.version} is not pinned in "
                "constraints.txt: run `make lock`"
            )
    files = {wheel.filename for wheel in wheels}
    listed = set(recorded.get(target.key, {}))
    if files != listed:
        changed = sorted(files ^ listed)[:3]
        found.append(
            f"{target.key}: install/download-sizes.json lists other files than pip "
            f"picks ({', '.join(changed)}, ...): run `make lock`"
        )
    return found


def main() -> int:
    started = time.monotonic()
    reason = unreachable(index_url())
    if reason:
        print(f"check-install: cannot reach {index_url()} ({reason}); nothing checked")
        return 1 if os.environ.get("CI") else 0
    to_check = targets()
    reason = unreachable(CPU_INDEX)
    if reason:
        print(
            f"check-install: cannot reach {CPU_INDEX} ({reason}): "
            "TORCH=cpu is not checked"
        )
    else:
        to_check += targets("cpu")
    recorded = recorded_sizes()
    # Each resolution mostly waits on the index, so all of them run at once.
    with ThreadPoolExecutor(len(to_check)) as pool:
        found = [
            p for ps in pool.map(lambda t: problems(t, recorded), to_check) for p in ps
        ]
    for problem in found:
        print(problem)
    seconds = time.monotonic() - started
    verdict = f"{len(found)} problem(s)" if found else "every target resolves"
    print(f"check-install: {len(to_check)} targets, {verdict} ({seconds:.0f} s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
