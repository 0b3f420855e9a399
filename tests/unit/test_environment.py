"""install/environment.py: what `make` and make.bat do to set up .venv, decided
once for every system, and the two front doors that run it."""

import os
import re
import sys

import pytest

from install import environment
from tools.site import REPO

ROOT_FILES = ("pyproject.toml", "constraints.txt")
POSIX, WINDOWS, MACOS = "linux", "win32", "darwin"


@pytest.fixture
def root(tmp_path):
    """A repository with its pins, written an hour ago."""
    for name in ROOT_FILES:
        (tmp_path / name).write_text(f"{name}\n", encoding="utf-8")
        os.utime(tmp_path / name, (os.path.getmtime(tmp_path / name) - 3600,) * 2)
    return tmp_path


class Runner:
    """Runs nothing: records each command, and fails the one asked to fail.

    Making the environment (``-m venv``) creates its interpreter, as venv does.
    """

    def __init__(self, fail_on=None):
        self.commands = []
        self.fail_on = fail_on

    def __call__(self, command):
        self.commands.append(command)
        if self.fail_on and self.fail_on in " ".join(command):
            return 1
        if command[1:3] == ["-m", "venv"]:
            python = environment.venv_python(command[3])
            python.parent.mkdir(parents=True)
            python.write_text("", encoding="utf-8")
        return 0


@pytest.mark.parametrize(
    "platform, python",
    [
        (POSIX, ".venv/bin/python"),
        (MACOS, ".venv/bin/python"),
        (WINDOWS, ".venv/Scripts/python.exe"),
    ],
)
def test_the_environment_s_interpreter_is_where_venv_puts_it(platform, python):
    assert environment.venv_python(".venv", platform).as_posix() == python


@pytest.mark.parametrize(
    "torch, platform, build",
    [
        ("", POSIX, "default"),
        ("cuda", POSIX, "default"),
        ("cpu", POSIX, "cpu"),
        # PyPI's torch is the only build there: CPU only on Windows.
        ("cpu", WINDOWS, "default"),
        ("cpu", MACOS, "default"),
        ("", WINDOWS, "default"),
    ],
)
def test_torch_names_a_build_only_linux_has_two_of(torch, platform, build):
    assert environment.torch_build(torch, platform) == build


def test_a_torch_that_is_no_build_is_one_line_and_changes_nothing(root, capsys):
    run = Runner()
    assert environment.set_up(".venv", "bogus", "python3", run, root=root) == 1
    assert capsys.readouterr().err == (
        "TORCH=bogus is not a torch build: use TORCH=cpu or TORCH=cuda, "
        "or leave it unset\n"
    )
    assert run.commands == []
    assert not (root / ".venv").exists()


@pytest.mark.parametrize("platform", [POSIX, WINDOWS])
def test_the_install_upgrades_pip_announces_then_installs_the_groups(platform):
    python = str(environment.venv_python(".venv", platform))
    pip = [python, "-m", "pip", "install", "--constraint", "constraints.txt"]
    assert environment.install_commands(".venv", "default", platform) == [
        [*pip, "pip"],
        [python, "-m", "install.announce", "default"],
        [*pip, "--group", "test", "--group", "bench"],
    ]


def test_the_cpu_build_takes_torch_alone_from_pytorch_s_index_first():
    commands = environment.install_commands(".venv", "cpu", POSIX)
    assert commands[1][-1] == "cpu"  # announced as the CPU build
    torch_first = commands[2]
    assert torch_first[torch_first.index("--index-url") + 1] == environment.CPU_INDEX
    assert "--no-deps" in torch_first and torch_first[-1] == "torch"
    constraint = torch_first[torch_first.index("--constraint") + 1]
    assert (REPO / constraint).is_file()
    assert commands[3][-4:] == ["--group", "test", "--group", "bench"]


def test_a_new_environment_is_made_installed_and_stamped(root):
    run = Runner()
    assert environment.set_up(".venv", "", "python3", run, root=root) == 0
    venv = root / ".venv"
    assert run.commands[0] == [sys.executable, "-m", "venv", str(venv)]
    assert run.commands[1:] == environment.install_commands(venv, "default")
    assert (venv / ".installed").read_text(encoding="utf-8") == "default\n"
    # Up to date now: the next run does nothing.
    again = Runner()
    assert environment.set_up(".venv", "cuda", "python3", again, root=root) == 0
    assert again.commands == []


def test_changed_pins_install_again_into_the_same_environment(root):
    environment.set_up(".venv", "", "python3", Runner(), root=root)
    (root / "constraints.txt").write_text("changed\n", encoding="utf-8")
    os.utime(root / "constraints.txt", (os.path.getmtime(root) + 60,) * 2)
    assert environment.what_to_do(root / ".venv", "default", root) == "install"
    run = Runner()
    assert environment.set_up(".venv", "", "python3", run, root=root) == 0
    assert run.commands == environment.install_commands(root / ".venv", "default")


def test_another_torch_build_remakes_the_environment(root, capsys, monkeypatch):
    monkeypatch.setattr(sys, "platform", POSIX)
    environment.set_up(".venv", "", "python3", Runner(), root=root)
    left_over = root / ".venv" / "left-over"
    left_over.write_text("from the default build", encoding="utf-8")
    capsys.readouterr()
    run = Runner()
    assert environment.set_up(".venv", "cpu", "python3", run, root=root) == 0
    assert capsys.readouterr().out == "Remaking .venv for the cpu torch build\n"
    assert not left_over.exists()
    assert run.commands[0][1:3] == ["-m", "venv"]
    assert (root / ".venv" / ".installed").read_text(encoding="utf-8") == "cpu\n"
    # Unset, TORCH keeps it; TORCH=cuda asks for PyPI's build again.
    kept = Runner()
    assert environment.set_up(".venv", "", "python3", kept, root=root) == 0
    assert kept.commands == []
    capsys.readouterr()
    assert environment.set_up(".venv", "cuda", "python3", Runner(), root=root) == 0
    assert capsys.readouterr().out == "Remaking .venv for the default torch build\n"
    assert (root / ".venv" / ".installed").read_text(encoding="utf-8") == "default\n"


def test_an_empty_stamp_is_the_default_build(root):
    (root / ".venv").mkdir()
    (root / ".venv" / ".installed").write_text("", encoding="utf-8")
    assert environment.what_to_do(root / ".venv", "default", root) is None
    assert environment.what_to_do(root / ".venv", "cpu", root) == "remake"


def test_a_failed_install_removes_the_environment(root, capsys):
    run = Runner(fail_on="--group test")
    assert environment.set_up(".venv", "", "python3", run, root=root) == 1
    assert capsys.readouterr().out == (
        "Setting up .venv failed, so it was removed: run make again to retry\n"
    )
    assert not (root / ".venv").exists()


@pytest.mark.parametrize(
    "platform, way_out",
    [
        (POSIX, "`make html PYTHON=python3.12`"),
        (WINDOWS, "`set PYTHON=py -3.12`, then `make html`"),
    ],
)
def test_an_unsupported_python_makes_nothing(
    root, capsys, monkeypatch, platform, way_out
):
    monkeypatch.setattr(sys, "platform", platform)
    run = Runner()
    status = environment.set_up(
        ".venv", "", "python3.14", run, version=(3, 14, 0), root=root
    )
    assert status == 1
    assert run.commands == []
    assert not (root / ".venv").exists()
    err = capsys.readouterr().err
    assert err.startswith("python3.14: Python 3.14.0 is not supported: use Python ")
    assert err.endswith(f", e.g. {way_out}\n")


# The two front doors: the Makefile (GNU make, on Linux and macOS) and make.bat
# (cmd and PowerShell, on Windows).
MAKEFILE = (REPO / "Makefile").read_text(encoding="utf-8")
MAKE_BAT = (REPO / "make.bat").read_bytes().decode()


def makefile_targets():
    phony = re.findall(r"^\.PHONY:(.*)$", MAKEFILE, re.M)
    return {name for line in phony for name in line.split()} - {"FORCE"}


def make_bat_targets():
    return set(re.findall(r"^:target_(\S+)\r$", MAKE_BAT, re.M))


def test_make_bat_has_every_target_of_the_makefile():
    assert make_bat_targets() == makefile_targets()


def test_make_bat_has_windows_line_endings():
    # cmd misreads labels in a batch file with bare newlines.
    assert "\n" not in MAKE_BAT.replace("\r\n", "")
    assert "*.bat text eol=crlf" in (REPO / ".gitattributes").read_text(
        encoding="utf-8"
    )


def test_both_front_doors_set_up_with_the_one_script():
    assert re.search(
        r"^\t@\$\(PYTHON\) install/environment\.py --venv \$\(VENV\) "
        r'--torch "\$\(TORCH\)" --python \$\(PYTHON\)$',
        MAKEFILE,
        re.M,
    )
    assert (
        '%PYTHON% install\\environment.py --venv "%VENV%" --torch "%TORCH%" '
        '--python "%PYTHON:"=%"\r\n' in MAKE_BAT
    )
    # Each runs the environment's interpreter where venv_python says it is.
    posix = environment.venv_python("$(VENV)", POSIX)
    assert re.search(r"^BIN +:= \$\(VENV\)/bin$", MAKEFILE, re.M)
    assert posix.as_posix() == "$(VENV)/bin/python"
    windows = environment.venv_python("%VENV%", WINDOWS)
    assert f'set "PY={windows}"'.replace("/", "\\") in MAKE_BAT


@pytest.mark.parametrize(
    "torch, platform, said",
    [
        ("default", POSIX, "torch as PyPI serves it (the CUDA build)"),
        ("default", WINDOWS, "torch as PyPI serves it (the CPU build)"),
        ("default", MACOS, "torch as PyPI serves it"),
        ("cpu", POSIX, "torch's CPU build, from PyTorch's CPU index (TORCH=cpu)"),
    ],
)
def test_the_announcement_says_which_torch_build_comes(torch, platform, said):
    from install import announce

    assert announce.described_build(torch, platform) == said


def test_no_two_test_files_share_a_name():
    # make test collects tests/ and tests/unit/ in one run, and pytest cannot
    # import two test modules of one name from folders that are not packages.
    names = [path.name for path in (REPO / "tests").rglob("test_*.py")]
    assert sorted(names) == sorted(set(names))
