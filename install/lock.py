"""make lock: write the pins for every supported machine, and what each downloads.

1. uv resolves pyproject.toml's groups once for every platform and Python
   (``uv pip compile --universal``) into constraints.txt, keeping the versions
   already pinned there unless asked to upgrade (``make lock LOCK_ARGS=...``).
2. install/torch-cpu.txt pins PyTorch's CPU build of the same torch.
3. uv resolves the install for each target (as `make check-install` does),
   and install/download-sizes.json records the size of every file pip would
   pick, as the index reports it, for `make` to announce before it installs.
"""

import json
import shlex
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from install.environment import CPU_INDEX
from install.matrix import (
    PYTHONS,
    REPO,
    SIZES,
    TORCH_CPU,
    UV,
    Wheel,
    gigabytes,
    resolve,
    targets,
    unreachable,
)
from install.pins import CONSTRAINTS, pin_for, pinned_version


def compile_constraints(extra: list[str]) -> None:
    groups = [
        arg
        for group in ("test", "bench", "setup", "lock")
        for arg in ("--group", group)
    ]
    subprocess.run(
        [*UV, "pip", "compile", "--quiet", "pyproject.toml", *groups, "--universal"]
        + ["--python-version", PYTHONS[0], "--annotation-style", "line"]
        + ["--custom-compile-command", "make lock", "-o", str(CONSTRAINTS), *extra],
        cwd=REPO,
        check=True,
    )


def write_torch_cpu() -> None:
    version = pinned_version(pin_for("torch", targets()[0].marker_environment()))
    TORCH_CPU.write_text(
        "# TORCH=cpu: PyTorch's CPU build of the pinned torch, from its CPU index\n"
        f"# ({CPU_INDEX}); written by `make lock`.\n"
        f"torch=={version}+cpu ; sys_platform == 'linux'\n",
        encoding="utf-8",
    )


def size_of(wheel: Wheel) -> int:
    """Its size as the index lists it, else as the file's server says."""
    if wheel.size is not None:
        return wheel.size
    request = urllib.request.Request(wheel.url, method="HEAD")
    with urllib.request.urlopen(request, timeout=60) as response:
        return int(response.headers["Content-Length"])


def main() -> None:
    compile_constraints(shlex.split(" ".join(sys.argv[1:])))
    write_torch_cpu()
    to_size = targets()
    if reason := unreachable(CPU_INDEX):
        print(f"lock: cannot reach {CPU_INDEX} ({reason}): no sizes for TORCH=cpu")
    else:
        to_size += targets("cpu")
    with ThreadPoolExecutor(3) as pool:
        resolved = dict(zip(to_size, pool.map(resolve, to_size), strict=True))
        wheels = {wheel.url: wheel for found in resolved.values() for wheel in found}
        sizes = dict(zip(wheels, pool.map(size_of, wheels.values()), strict=True))
    recorded = {
        target.key: {
            wheel.filename: sizes[wheel.url]
            for wheel in sorted(wheels, key=lambda w: w.filename)
        }
        for target, wheels in resolved.items()
    }
    SIZES.write_text(
        json.dumps(recorded, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    for key, files in recorded.items():
        print(f"{key}: {len(files)} files, {gigabytes(sum(files.values()))}")


if __name__ == "__main__":
    main()
