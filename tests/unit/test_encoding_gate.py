"""Text read or written with no encoding fails the tests where our code does
it, in pytest's process and in every process the tests start, and only there
(tests/encoding_gate.py); and where neither that warning nor ruff's PLW1514
sees such a call, this file reads it in our code."""

import ast
import os
import subprocess
import sys
import warnings

import encoding_gate
import pytest

from tools.site import REPO

TESTS = REPO / "tests"
# Every name our code runs under in pytest's process: the repository's, and
# the test modules' and their helpers' (pytest imports them by file name).
IN_PYTEST = encoding_gate.our_modules(REPO) + sorted(
    {path.stem for path in TESTS.rglob("*.py")}
)
# Names of other packages' modules, some of them close to ours.
ELSEWHERE = ["configparser", "sphinx.config", "toolz", "installer", "test"]

# Opens a file as text, naming no encoding, as the module called sys.argv[2:]
# one after the other; prints each name whose open raised EncodingWarning.
OPEN_AS = """
import sys
for name in sys.argv[2:]:
    try:
        exec("open(sys.argv[1]).close()", {"__name__": name, "sys": sys})
    except EncodingWarning:
        print(name)
"""

# A module that reads a file as text, naming UTF-8 ({} filled in) or nothing.
READER = "def read(path):\n    return open(path{}).read()\n"


def open_as(name: str, path) -> None:
    exec("open(path).close()", {"__name__": name, "path": path})


@pytest.mark.skipif(
    not sys.flags.warn_default_encoding,
    reason="pytest runs without -X warn_default_encoding (make check starts it so)",
)
def test_in_pytest_our_modules_fail_and_others_pass_silently(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("naïve\n", encoding="utf-8")
    for name in IN_PYTEST:
        with pytest.raises(EncodingWarning):
            open_as(name, path)
    with warnings.catch_warnings(record=True) as shown:
        for name in ELSEWHERE:
            open_as(name, path)
    assert shown == []


def test_every_process_the_tests_start_fails_in_our_modules_only(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("naïve\n", encoding="utf-8")
    names = encoding_gate.our_modules(REPO)
    result = subprocess.run(
        [sys.executable, "-c", OPEN_AS, path, *names, *ELSEWHERE],
        capture_output=True,
        encoding="utf-8",
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.split() == names


@pytest.fixture
def repository(tmp_path):
    """A repository of a package (ours), a program and a module of another
    package (vendor/elsewhere.py), behind the gate as tests/conftest.py puts
    this repository: each reads a file with and without naming UTF-8."""
    (tmp_path / "ours").mkdir()
    (tmp_path / "ours" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "vendor").mkdir()
    for utf8 in (False, True):
        reader = READER.format(', encoding="utf-8"' if utf8 else "")
        suffix = "_utf8" if utf8 else ""
        for module in (f"ours/reader{suffix}.py", f"vendor/elsewhere{suffix}.py"):
            (tmp_path / module).write_text(reader, encoding="utf-8")
        (tmp_path / f"program{suffix}.py").write_text(
            f"{reader}\nprint(read('a.txt'), end='')\n", encoding="utf-8"
        )
    (tmp_path / "a.txt").write_text("naïve\n", encoding="utf-8")
    assert encoding_gate.our_modules(tmp_path) == [
        "__main__",
        "program",
        "program_utf8",
        "ours",
        "ours.reader",
        "ours.reader_utf8",
    ]
    return tmp_path


def run_in(root, *arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=root,
        env={**os.environ, **encoding_gate.environment(root)},
        capture_output=True,
        encoding="utf-8",
    )


def reading_with(module: str) -> str:
    """A -c program that prints a.txt as ``module`` (or vendor's) reads it."""
    return (
        f"import sys; sys.path.append('vendor'); import {module}; "
        f"print({module}.read('a.txt'), end='')"
    )


@pytest.mark.parametrize(
    "arguments",
    [["-c", reading_with("ours.reader")], ["program.py"]],
    ids=["package", "program"],
)
def test_our_code_that_names_no_encoding_fails(repository, arguments):
    result = run_in(repository, *arguments)
    assert result.returncode != 0
    assert "EncodingWarning: 'encoding' argument not specified" in result.stderr


@pytest.mark.parametrize(
    "arguments",
    [
        ["-c", reading_with("ours.reader_utf8")],
        ["program_utf8.py"],
        ["-c", reading_with("elsewhere")],
    ],
    ids=["package", "program", "another-package"],
)
def test_utf8_and_other_packages_pass_silently(repository, arguments):
    result = run_in(repository, *arguments)
    assert (result.returncode, result.stdout, result.stderr) == (0, "naïve\n", "")


# Calls with no encoding= that Python does not warn of (a process run in text
# mode) or ruff's PLW1514 does not see (pathlib's text methods on a path it
# did not see made with Path(...), such as ``(folder / name).read_text()``),
# and a path opened with a text mode ("a"), as a Path's open is.
UNSEEN = """
subprocess.run(command, text=True)
subprocess.Popen(command, universal_newlines=True)
(folder / name).read_text()
(folder / name).write_text(text)
(folder / name).open("a")
"""
SEEN = """
subprocess.run(command, text=True, encoding="utf-8")
subprocess.run(command, capture_output=True)
(folder / name).read_text(encoding="utf-8")
(folder / name).read_text("utf-8")
(folder / name).write_text(text, encoding="utf-8")
(folder / name).read_bytes()
(folder / name).open("rb")
Image.open(path)
archive.open(name)
"""


def unnamed_encodings(source: str) -> list[int]:
    """The lines of ``source`` that make a call of the kinds UNSEEN shows."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        keywords = {keyword.arg: keyword.value for keyword in node.keywords}
        method = getattr(node.func, "attr", None)
        mode = node.args[0] if method == "open" and node.args else None
        if "encoding" in keywords:
            continue
        if (
            (method == "read_text" and not node.args)
            or (method == "write_text" and len(node.args) < 2)
            or any(
                getattr(keywords.get(flag), "value", None) is True
                for flag in ("text", "universal_newlines")
            )
            or (
                isinstance(mode, ast.Constant)
                and isinstance(mode.value, str)
                and set(mode.value) <= set("rwxa+t")
            )
        ):
            lines.append(node.lineno)
    return sorted(lines)


def test_the_calls_the_warning_and_ruff_miss_are_found():
    assert unnamed_encodings(UNSEEN) == [2, 3, 4, 5, 6]
    assert unnamed_encodings(SEEN) == []


def test_our_code_names_the_encoding_where_the_warning_and_ruff_miss_it():
    files = encoding_gate.package_files(REPO) + sorted(
        path for folder in (TESTS, REPO / "examples") for path in folder.rglob("*.py")
    )
    unnamed = [
        f"{path.relative_to(REPO).as_posix()}:{line}"
        for path in files
        for line in unnamed_encodings(path.read_text(encoding="utf-8"))
    ]
    assert unnamed == [], 'name the encoding: encoding="utf-8"'
