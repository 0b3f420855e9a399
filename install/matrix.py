"""The machines the pins are made for, and what pip installs on each.

`make lock` and `make check-install` resolve the same install that `make`
does (pip, constraints.txt, the test and bench groups) for each target below,
with uv (``uv pip compile --python-platform``), which evaluates environment
markers for the target, not for this machine: nothing is downloaded but the
index pages and metadata. Of the wheels uv lists for each package, the one
pip would install is the one whose tag pip prefers on the target.
"""

import json
import os
import platform
import subprocess
import sys
import tomllib
import urllib.parse
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
# uv, as its package runs it on every system (its program is uv.exe on Windows).
UV = [sys.executable, "-m", "uv"]
# The macOS the Mac target runs: torch's arm64 wheels need 14.
MACOS = (14, 0)


def supported_pythons() -> tuple[str, ...]:
    """The oldest supported release of each minor version, oldest first."""
    (major, oldest_minor, patch), (_, newest_minor) = supported_range()
    return tuple(
        f"{major}.{minor}.{patch if minor == oldest_minor else 0}"
        for minor in range(oldest_minor, newest_minor + 1)
    )


PYTHONS = supported_pythons()


@dataclass(frozen=True)
class Machine:
    name: str
    label: str
    # uv's --python-platform: on Linux, glibc 2.28 (on a Mac, MACOS).
    python_platform: str
    # Environment-marker values; platform_machine is the name's second part,
    # and os_name posix, unless these say otherwise.
    markers: tuple[tuple[str, str], ...]

    def wheel_platforms(self) -> list[str]:
        """The platform tags of the wheels it accepts, the one pip prefers first."""
        from packaging.tags import mac_platforms

        arch, _, system = self.python_platform.partition("-")
        if system == "apple-darwin":
            return list(mac_platforms(MACOS, "arm64"))
        if system == "pc-windows-msvc":
            return ["win_amd64"]
        # manylinux_2_<glibc>: each glibc down to the oldest with wheels, its
        # older name after it, as pip lists them on a Linux with that glibc.
        glibc = int(system.rsplit("_", 1)[1])
        legacy = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
        found = []
        for minor in range(glibc, 4 if arch == "x86_64" else 16, -1):
            found.append(f"manylinux_2_{minor}_{arch}")
            found += [f"{legacy[minor]}_{arch}"] if minor in legacy else []
        return [*found, f"linux_{arch}"]


MACHINES = (
    Machine(
        "linux-x86_64",
        "Linux x86-64",
        "x86_64-manylinux_2_28",
        (("sys_platform", "linux"), ("platform_system", "Linux")),
    ),
    Machine(
        "linux-aarch64",
        "Linux aarch64",
        "aarch64-manylinux_2_28",
        (("sys_platform", "linux"), ("platform_system", "Linux")),
    ),
    Machine(
        "macos-arm64",
        "macOS on Apple silicon",
        "aarch64-apple-darwin",
        (("sys_platform", "darwin"), ("platform_system", "Darwin")),
    ),
    Machine(
        "windows-x86_64",
        "Windows x86-64",
        "x86_64-pc-windows-msvc",
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

    def wheel_tags(self) -> dict:
        """Each wheel tag (packaging's Tag) pip accepts on the target, with its
        rank in pip's preference: 0 first."""
        from packaging.tags import compatible_tags, cpython_tags

        version = tuple(int(part) for part in self.python.split(".")[:2])
        interpreter = f"cp{version[0]}{version[1]}"
        platforms = self.machine.wheel_platforms()
        accepted = [
            *cpython_tags(version, [interpreter], platforms),
            *compatible_tags(version, interpreter, platforms),
        ]
        return {tag: rank for rank, tag in reversed(list(enumerate(accepted)))}


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


def uv_environment() -> dict[str, str]:
    """This environment less the uv settings that make this machine special.

    Local wheel folders, extra indexes and the site's own constraints would
    answer for a machine that has them, not for a learner's (nor do uv.toml
    files: resolve passes --no-config). The certificates pip is given serve uv.
    """
    keep = {"UV_CACHE_DIR", "UV_HTTP_TIMEOUT", "UV_NATIVE_TLS"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("UV_") or k in keep}
    if "PIP_CERT" in env:
        env.setdefault("SSL_CERT_FILE", env["PIP_CERT"])
    # The macOS that uv resolves aarch64-apple-darwin for.
    env["MACOSX_DEPLOYMENT_TARGET"] = ".".join(map(str, MACOS))
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
    size: int | None = None  # in bytes, where the index says

    @property
    def filename(self) -> str:
        return urllib.parse.unquote(self.url.rsplit("/", 1)[-1].split("#")[0])


def resolve(target: Target) -> list[Wheel]:
    """What pip would install on ``target``; raises ResolveError with uv's reason."""
    command = [
        *UV,
        "pip",
        "compile",
        "-",  # pip, from stdin: make upgrades pip from the pins first
        "--no-config",
        "--quiet",
        "--format",
        "pylock.toml",
        "--python-platform",
        target.machine.python_platform,
        "--python-version",
        target.python,
        "--only-binary",
        ":all:",
        "--default-index",
        index_url(),
        "--constraints",
        str(CONSTRAINTS),
    ]
    for group in GROUPS:
        command += ["--group", f"pyproject.toml:{group}"]
    if target.torch == "cpu":
        # pip takes each package from whichever index has the best version.
        command += ["--extra-index-url", CPU_INDEX, "-c", str(TORCH_CPU)]
        command += ["--index-strategy", "unsafe-best-match"]
    result = subprocess.run(
        command,
        input="pip\n",
        cwd=REPO,
        env=uv_environment(),
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    if result.returncode != 0:
        lines = (line.strip() for line in result.stderr.splitlines())
        reason = "; ".join(line.removeprefix("error: ") for line in lines if line)
        raise ResolveError(reason[-500:])
    return wheels_to_install(tomllib.loads(result.stdout), target)


def wheels_to_install(pylock: dict, target: Target) -> list[Wheel]:
    """Of each package in a resolution for ``target`` (a pylock.toml document,
    read), the wheel that pip installs: the one whose tag it prefers there."""
    from packaging.utils import canonicalize_name, parse_wheel_filename

    ranks = target.wheel_tags()

    def rank(wheel: Wheel) -> int | None:
        tags = parse_wheel_filename(wheel.filename)[3]
        return min((ranks[tag] for tag in tags if tag in ranks), default=None)

    chosen = []
    for package in pylock["packages"]:
        name, version = canonicalize_name(package["name"]), package["version"]
        listed = package.get("wheels", [])
        wheels = [Wheel(name, version, w["url"], w.get("size")) for w in listed]
        fitting = [wheel for wheel in wheels if rank(wheel) is not None]
        if not fitting:
            raise ResolveError(f"{name} {version} has no wheel for {target.key}")
        chosen.append(min(fitting, key=rank))
    return chosen


def recorded_sizes() -> dict[str, dict[str, int]]:
    """Per target key, the size in bytes of each file it downloads."""
    return json.loads(SIZES.read_text(encoding="utf-8")) if SIZES.exists() else {}


def gigabytes(size: int) -> str:
    return f"{size / 1e9:.1f} GB"
