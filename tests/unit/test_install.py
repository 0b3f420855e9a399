"""The set-up's facts: the supported Pythons (pyproject.toml's requires-python),
the pins of constraints.txt per machine, and what `make check-install` says."""

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
    assert windows.platforms == ("win_amd64",)
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
