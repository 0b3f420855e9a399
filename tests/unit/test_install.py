"""The set-up's facts: the supported Pythons (pyproject.toml's requires-python),
the pins of constraints.txt per machine, the wheel pip installs of those uv
resolves for a machine, and what `make check-install` says."""

import subprocess
import tomllib

import pytest

from install import check, check_python, matrix, pins


@pytest.fixture
def pyproject(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nrequires-python = ">=3.11.5,<3.14"\n', encoding="utf-8")
    return path


def test_the_range_is_read_from_requires_python(pyproject):
    assert check_python.supported_range(pyproject) == ((3, 11, 5), (3, 13))
    assert check_python.described(pyproject) == "3.11.5 to 3.13"


@pytest.mark.parametrize("version", [(3, 11, 5), (3, 12, 0), (3, 13, 9)])
def test_supported_pythons_pass(pyproject, version):
    assert check_python.problem(version, pyproject) is None


@pytest.mark.parametrize("version", [(3, 10, 14), (3, 11, 4), (3, 14, 0)])
def test_other_pythons_are_named_with_the_way_out(pyproject, version):
    found = ".".join(map(str, version))
    assert check_python.problem(version, pyproject, "linux") == (
        f"Python {found} is not supported: use Python 3.11.5 to 3.13, "
        "e.g. `make html PYTHON=python3.12`"
    )


def test_a_range_of_another_shape_is_an_error(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('requires-python = ">=3.11"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="requires-python must read"):
        check_python.supported_range(path)


def test_the_machines_are_resolved_for_the_oldest_release_of_each_python():
    (major, minor, patch), (_, newest) = check_python.supported_range()
    assert matrix.PYTHONS[0] == f"{major}.{minor}.{patch}"
    assert matrix.PYTHONS[-1] == f"{major}.{newest}.0"
    assert len(matrix.PYTHONS) == newest - minor + 1


def test_a_pin_is_chosen_by_the_machine_s_markers(tmp_path):
    constraints = tmp_path / "constraints.txt"
    constraints.write_text(
        "tensorflow==2.21.0 ; sys_platform != 'linux'  # via the examples\n"
        "tensorflow-cpu==2.21.0 ; sys_platform == 'linux'\n"
        "Pillow==13.0.0\n",
        encoding="utf-8",
    )
    mac = {"sys_platform": "darwin"}
    assert pins.pin_for("tensorflow", mac, constraints).name == "tensorflow"
    assert pins.pin_for("tensorflow-cpu", mac, constraints) is None
    linux = {"sys_platform": "linux"}
    assert pins.pin_for("tensorflow-cpu", linux, constraints).name == "tensorflow-cpu"
    assert pins.pinned_version(pins.pin_for("pillow", mac, constraints)) == "13.0.0"


@pytest.fixture
def numpy_pinned(monkeypatch):
    """constraints.txt as check-install sees it: numpy 2.4.6 and nothing else."""
    pinned = pins.parse("numpy==2.4.6")[0]
    monkeypatch.setattr(
        check, "pin_for", lambda name, env: pinned if name == "numpy" else None
    )


def test_check_install_names_target_and_unpinned_package(monkeypatch, numpy_pinned):
    target = matrix.targets()[0]
    url = "https://files.example/{}"
    wheels = [
        matrix.Wheel("numpy", "2.4.6", url.format("numpy-2.4.6-cp311-none-any.whl")),
        matrix.Wheel("leftpad", "1.0", url.format("leftpad-1.0-py3-none-any.whl")),
    ]
    monkeypatch.setattr(check, "resolve", lambda _: wheels)
    recorded = {target.key: {w.filename: 1 for w in wheels}}
    assert check.problems(target, recorded) == [
        f"{target.key}: leftpad 1.0 is not pinned in constraints.txt: run `make lock`"
    ]


def test_check_install_notices_stale_download_sizes(monkeypatch, numpy_pinned):
    target = matrix.targets()[0]
    wheel = matrix.Wheel("numpy", "2.4.6", "https://files.example/numpy-2.4.6.whl")
    monkeypatch.setattr(check, "resolve", lambda _: [wheel])
    [problem] = check.problems(target, {target.key: {"numpy-2.4.5.whl": 1}})
    assert problem.startswith(f"{target.key}: install/download-sizes.json lists")


@pytest.mark.parametrize("target", matrix.targets(), ids=lambda t: t.key)
def test_every_machine_has_a_pin_for_each_install_line_package(target):
    # What a downloaded program's install line names, on each machine.
    import conf

    environment = target.marker_environment()
    for module, package in conf.install_lines_packages.items():
        if package is not None:
            found = [pins.pin_for(name, environment) for name in package[1]]
            assert any(found), f"{target.key}: no pin for {module}"


def test_windows_is_resolved_with_its_own_markers_and_wheels():
    (windows,) = (m for m in matrix.MACHINES if m.name == "windows-x86_64")
    assert windows.python_platform == "x86_64-pc-windows-msvc"
    assert windows.wheel_platforms() == ["win_amd64"]
    markers = matrix.Target(windows, matrix.PYTHONS[0]).marker_environment()
    assert markers["sys_platform"] == "win32"
    assert markers["platform_system"] == "Windows"
    assert markers["platform_machine"] == "AMD64"  # as Windows' Python says it
    assert markers["os_name"] == "nt"
    # Its tensorflow is the plain package, and it gets no triton.
    assert pins.pin_for("tensorflow", markers).name == "tensorflow"
    assert pins.pin_for("tensorflow-cpu", markers) is None
    assert pins.pin_for("triton", markers) is None
    # TORCH=cpu is resolved for Linux only: elsewhere PyPI's is the only build.
    assert all("linux" in t.machine.name for t in matrix.targets("cpu"))


def machine(name):
    (found,) = (m for m in matrix.MACHINES if m.name == name)
    return found


def test_linux_accepts_glibc_2_28_and_older_newest_first():
    x86 = machine("linux-x86_64").wheel_platforms()
    assert x86[:2] == ["manylinux_2_28_x86_64", "manylinux_2_27_x86_64"]
    after_2_17 = x86.index("manylinux_2_17_x86_64") + 1
    assert x86[after_2_17] == "manylinux2014_x86_64"
    assert x86[-3:] == ["manylinux_2_5_x86_64", "manylinux1_x86_64", "linux_x86_64"]
    aarch64 = machine("linux-aarch64").wheel_platforms()
    assert aarch64[-3:] == [
        "manylinux_2_17_aarch64",
        "manylinux2014_aarch64",
        "linux_aarch64",
    ]
    mac = machine("macos-arm64").wheel_platforms()
    assert mac[:2] == ["macosx_14_0_arm64", "macosx_14_0_universal2"]


# A resolution as `uv pip compile --format pylock.toml` writes it: every wheel
# of a package that fits the target, in no order of preference.
PYLOCK = """
lock-version = "1.0"
created-by = "uv"

[[packages]]
name = "charset-normalizer"
version = "3.5"
[[packages.wheels]]
url = "https://f.example/charset_normalizer-3.5-py3-none-any.whl"
size = 1
[[packages.wheels]]
url = "https://f.example/charset_normalizer-3.5-cp37-abi3-manylinux_2_28_x86_64.whl"
size = 2
[[packages.wheels]]
url = "https://f.example/charset_normalizer-3.5-cp311-cp311-manylinux2014_x86_64.whl"
size = 3

[[packages]]
name = "Wrapt"
version = "2.5"
marker = "sys_platform == 'linux'"
[[packages.wheels]]
url = "https://f.example/wrapt-2.5-cp311-cp311-manylinux_2_17_x86_64.whl"
size = 4
[[packages.wheels]]
url = "https://f.example/wrapt-2.5-cp311-cp311-manylinux_2_28_x86_64.whl"
size = 5

[[packages]]
name = "torch"
version = "2.13.0+cpu"
[[packages.wheels]]
url = "https://d.example/torch-2.13.0%2Bcpu-cp311-cp311-manylinux_2_28_x86_64.whl"
"""


def linux(python):
    return matrix.Target(machine("linux-x86_64"), python)


def test_the_wheel_pip_prefers_is_chosen_of_those_uv_lists():
    wheels = matrix.wheels_to_install(tomllib.loads(PYLOCK), linux("3.11.5"))
    assert [(w.name, w.version, w.size) for w in wheels] == [
        ("charset-normalizer", "3.5", 3),  # cp311's own ABI over abi3 and none
        ("wrapt", "2.5", 5),  # the newest glibc of those that fit
        ("torch", "2.13.0+cpu", None),  # an index that gives no size
    ]
    assert (
        wheels[-1].filename == "torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl"
    )


def test_a_package_without_a_wheel_for_the_target_is_named():
    pylock = tomllib.loads(PYLOCK)
    # On Python 3.12 charset-normalizer's abi3 wheel fits; wrapt's cp311 ones not.
    with pytest.raises(matrix.ResolveError, match="wrapt 2.5 has no wheel for"):
        matrix.wheels_to_install(pylock, linux("3.12.0"))
    del pylock["packages"][1:]
    [wheel] = matrix.wheels_to_install(pylock, linux("3.12.0"))
    assert "-abi3-" in wheel.filename


@pytest.mark.parametrize("torch", ["default", "cpu"])
def test_uv_resolves_for_the_target_without_this_machine_s_settings(monkeypatch, torch):
    monkeypatch.setenv("UV_FIND_LINKS", "/opt/wheels")
    monkeypatch.setenv("UV_CACHE_DIR", "/tmp/uv-cache")
    ran = {}

    def run(command, **kwargs):
        ran.update(kwargs, command=command)
        return subprocess.CompletedProcess(command, 0, stdout=PYLOCK, stderr="")

    monkeypatch.setattr(matrix.subprocess, "run", run)
    target = matrix.Target(machine("linux-x86_64"), "3.11.5", torch)
    assert len(matrix.resolve(target)) == 3
    command = " ".join(ran["command"])
    assert "--python-platform x86_64-manylinux_2_28 --python-version 3.11.5" in command
    assert "--group pyproject.toml:test --group pyproject.toml:bench" in command
    # TORCH=cpu: pip takes each package from the index with its best version.
    cpu_index = f"--extra-index-url {matrix.CPU_INDEX}"
    assert (cpu_index in command) == (torch == "cpu")
    assert ("--index-strategy unsafe-best-match" in command) == (torch == "cpu")
    assert ran["input"] == "pip\n"
    assert "UV_FIND_LINKS" not in ran["env"]
    assert ran["env"]["UV_CACHE_DIR"] == "/tmp/uv-cache"
    assert ran["env"]["MACOSX_DEPLOYMENT_TARGET"] == "14.0"


def test_uv_s_reason_is_the_resolve_error(monkeypatch):
    stderr = "error: No solution found\n  cause: numpy==9.9 is unsatisfiable\n"
    monkeypatch.setattr(
        matrix.subprocess,
        "run",
        lambda command, **_: subprocess.CompletedProcess(command, 1, "", stderr),
    )
    with pytest.raises(matrix.ResolveError) as error:
        matrix.resolve(linux("3.11.5"))
    assert str(error.value) == "No solution found; cause: numpy==9.9 is unsatisfiable"
