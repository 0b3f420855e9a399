"""Say what `make` is about to install and roughly how much it will download.

``python -m install.announce [default|cpu]``, run with .venv's interpreter.
The sizes are those `make lock` recorded from the index for this machine.
"""

import sys

from install.matrix import MACHINES, gigabytes, recorded_sizes, this_machine

BUILDS = {
    "default": "torch as PyPI serves it",
    "cpu": "torch's CPU build, from PyTorch's CPU index (TORCH=cpu)",
}
# Which build PyPI's torch is, where it matters.
PYPI_TORCH = {"linux": "the CUDA build", "win32": "the CPU build"}


def described_build(torch: str, platform: str = sys.platform) -> str:
    which = PYPI_TORCH.get(platform) if torch == "default" else None
    return f"{BUILDS[torch]} ({which})" if which else BUILDS[torch]


def announcement(torch: str) -> str:
    target = this_machine(torch)
    build = described_build(torch)
    if target is None:
        covered = [machine.label for machine in MACHINES]
        return (
            f"Installing the pinned packages with {build}; no download size is "
            f"recorded for this machine (make lock covers {', '.join(covered[:-1])} "
            f"and {covered[-1]})"
        )
    files = recorded_sizes().get(target.key)
    if not files:
        return (
            f"Installing the pinned packages for {target.key} with {build}; "
            "its download size is not in install/download-sizes.json (`make lock` "
            "records it where the index can be reached)"
        )
    return (
        f"Installing {len(files)} pinned packages for {target.key} with "
        f"{build}: about {gigabytes(sum(files.values()))} to download, "
        "less what pip's cache or local wheels already hold"
    )


if __name__ == "__main__":
    print(announcement(sys.argv[1] if len(sys.argv) > 1 else "default"))
