"""The machines the pins are made for, and how pip resolves the install for one.

`make lock` and `make check-install` resolve the same install that `make`
does (pip, constraints.txt, the test and bench groups) for each target below,
with pip's dry run: nothing is downloaded but the index pages and metadata.
"""

import json
import os
import platform
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from install.check_python import supported_range
from install.environment import CPU_INDEX, CPU_PINS
from install.pins import CONSTRAINTS

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# TORCH=cpu adds this constraint and PyTorch's CPU index (CPU_INDEX) to the
# install, as install/environment.py makes it.
TORCH_CPU = REPO / CPU_PINS
# What each target downloads, file by file, as `make lock` found it.
SIZES = HERE / "download-sizes.json"
GROUPS = ("test", "bench")


def supported_pythons() -> tuple[str, ...]:
    """The oldest supported release of each minor version, oldest first."""
    (major, oldest_minor, patch), (_, newest_minor) = supported_range()
    return tuple(
        f"{major}.{minor}.{patch if minor == oldest_minor else 0}"
        for minor in range(oldest_minor, newest_minor + 1)
    )


PYTHONS = supported_pythons()


def _manylinux(arch: str, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    # pip does not widen --platform to older manylinux tags by itself.
    newest_first = [f"manylinux_2_{minor}_{arch}" for minor in range(28, 16, -1)]
    return (*newest_first, f"manylinux2014_{arch}", *extra)


@dataclass(frozen=True)
class Machine:
    name: str
    label: str
    platforms: tuple[str, ...]  # wheel tags it accepts (glibc 2.28, macOS 14)
    # Environment-marker values; platform_machine is the name's second part,
    # and os_name posix, unless these say otherwise.
    markers: tuple[tuple[str, str], ...]


MACHINES = (
    Machine(
        "linux-x86_64",
        "Linux x86-64",
        _manylinux("x86_64", ("manylinux2010_x86_64", "manylinux1_x86_64")),
        (("sys_platform", "linux"), ("platform_system", "Linux")),
    ),
    Machine(
        "linux-aarch64",
        "Linux aarch64",
        _manylinux("aarch64"),
        (("sys_platform", "linux"), ("platform_system", "Linux")),
    ),
    Machine(
        "macos-arm64",
        "macOS on Apple silicon",
        ("macosx_14_0_arm64",),  # pip adds the older macOS versions itself
        (("sys_platform", "darwin"), ("platform_system", "Darwin")),
    ),
    Machine(
        "windows-x86_64",
        "Windows x86-64",
        ("win_amd64",),
        (
            ("sys_platform", "win32"),
            ("platform_system", "Windows"),
            ("platform_machine", "AMD64"),
            ("os_name", "nt"),
        ),
    ),
)


@dataclass(frozen=True)
class Target:
    machine: Machine
    python: str  # the oldest release of each supported minor version
    torch: str = "default"  # or "cpu": PyTorch's CPU build (Linux only)

    @property
    def key(self) -> str:
        minor = ".".join(self.python.split(".")[:2])
        build = " TORCH=cpu" if self.torch == "cpu" else ""
        return f"{self.machine.name} py{minor}{build}"

    def marker_environment(self) -> dict[str, str]:
        return {
            "platform_machine": self.machine.name.split("-")[1],
            "os_name": "posix",
            **dict(self.machine.markers),
            "python_version": ".".join(self.python.split(".")[:2]),
            "python_full_version": self.python,
            "implementation_name": "cpython",
            "platform_python_implementation": "CPython",
        }


def targets(torch: str = "default") -> list[Target]:
    machines = [m for m in MACHINES if torch == "default" or "linux" in m.name]
    return [Target(m, python, torch) for m in machines for python in PYTHONS]


def this_machine(torch: str = "default") -> Target | None:
    """The target that matches the running interpreter, if it is one of ours."""
    arch = {"amd64": "x86_64", "arm64": "arm64", "aarch64": "aarch64"}.get(
        platform.machine().lower(), platform.machine().lower()
    )
    minor = f"{sys.version_info.major}.{sys.version_info.minor}"
    for target in targets(torch):
        if target.marker_environment()["sys_platform"] != sys.platform:
            continue
        if target.machine.name.endswith(arch) and target.python.startswith(minor):
            return target
    return None


def pip_environment() -> dict[str, str]:
    """This environment less the pip settings that make this machine special.

    Local wheel folders, extra indexes and the site's own constraints would
    answer for a machine that has them, not for a learner's.
    """
    keep = {"PIP_CERT", "PIP_CLIENT_CERT", "PIP_INDEX_URL", "PIP_PROXY"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") or k in keep}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    # Its output in UTF-8, as it is read, not in Windows' locale encoding.
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def index_url() -> str:
    return os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/")


def unreachable(url: str) -> str | None:
    """Why ``url`` cannot be fetched now, or None when it can."""
    try:
        with urllib.request.urlopen(url + "/", timeout=20):
            return None
    except OSError as err:
        return str(getattr(err, "reason", err))


class ResolveError(Exception):
    pass


@dataclass(frozen=True)
class Wheel:
    name: str
    version: str
    url: str

    @property
    def filename(self) -> str:
        return self.url.rsplit("/", 1)[-1].split("#")[0]


def resolve(target: Target) -> list[Wheel]:
    """What pip would install on ``target``; raises ResolveError with pip's reason."""
    # packaging is imported where it is used: `make` announces the download
    # with a .venv that does not have it yet.
    from packaging.utils import canonicalize_name

    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [
            sys.executable,
            str(HERE / "pip_for_target.py"),
            json.dumps(target.marker_environment()),
            "install",
            "--dry-run",
            # Read each wheel's metadata with range requests, not whole wheels,
            # where the index does not serve metadata files (PEP 658) itself.
            "--use-feature=fast-deps",
            "--quiet",
            "--ignore-installed",
            "--only-binary=:all:",
            "--python-version",
            target.python,
            "--implementation",
            "cp",
            "--target",
            str(Path(tmp) / "site-packages"),
            "--report",
            str(report),
            "--constraint",
            str(CONSTRAINTS),
            "pip",  # make upgrades pip from the pins first
        ]
        for tag in target.machine.platforms:
            command += ["--platform", tag]
        for group in GROUPS:
            command += ["--group", f"{REPO / 'pyproject.toml'}:{group}"]
        if target.torch == "cpu":
            command += ["--extra-index-url", CPU_INDEX, "-c", str(TORCH_CPU)]
        result = subprocess.run(
            command,
            env=pip_environment(),
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        if result.returncode != 0:
            errors = [
                line.removeprefix("ERROR: ").strip()
                for line in result.stderr.splitlines()
                if line.startswith("ERROR: ") and "dependency-resolution" not in line
            ]
            raise ResolveError("; ".join(errors) or result.stderr.strip()[-500:])
        installs = json.loads(report.read_text(encoding="utf-8"))["install"]
    return [
        Wheel(
            canonicalize_name(item["metadata"]["name"]),
            item["metadata"]["version"],
            item["download_info"]["url"],
        )
        for item in installs
    ]


def recorded_sizes() -> dict[str, dict[str, int]]:
    """Per target key, the size in bytes of each file it downloads."""
    return json.loads(SIZES.read_text(encoding="utf-8")) if SIZES.exists() else {}


def gigabytes(size: int) -> str:
    return f"{size / 1e9:.1f} GB"
