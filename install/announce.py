"""Say what `make` is about to install and roughly how much it will download.

``python -m install.announce [default|cpu]``, run with .venv's interpreter.
The sizes are those `make lock` recorded from the index for this machine.
"""

import sys

from install.matrix import gigabytes, recorded_sizes, this_machine

BUILDS = {
    "default": "torch as PyPI serves it (the CUDA build on Linux)",
    "cpu": "torch's CPU build, from PyTorch's CPU index (TORCH=cpu)",
}


def announcement(torch: str) -> str:
    target = this_machine(torch)
    if target is None:
        return (
            f"Installing the pinned packages with {BUILDS[torch]}; no download "
            "size is recorded for this machine (make lock covers Linux x86-64, "
            "Linux aarch64 and macOS on Apple silicon)"
        )
    files = recorded_sizes().get(target.key)
    if not files:
        return (
            f"Installing the pinned packages for {target.key} with {BUILDS[torch]}; "
            "its download size is not in install/download-sizes.json (`make lock` "
            "records it where the index can be reached)"
        )
    return (
        f"Installing {len(files)} pinned packages for {target.key} with "
        f"{BUILDS[torch]}: about {gigabytes(sum(files.values()))} to download, "
        "less what pip's cache or local wheels already hold"
    )


if __name__ == "__main__":
    print(announcement(sys.argv[1] if len(sys.argv) > 1 else "default"))
