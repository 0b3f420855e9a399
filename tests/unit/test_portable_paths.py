"""A path turned into text is compared as the system writes it: with "\\" on
Windows. No code of ours compares or looks one up against a string with "/":
paths are compared as Path objects, or as text with ``.as_posix()``.

The check reads every Python file of the project (git's list, new ones too)
and names each place, file:line, where one side of a comparison or a lookup
is a path as the system writes it (``str(path)``, ``os.fspath``,
``os.path.join``, an f-string of a path) and the other holds a "/": a string
(not an address, with "://"), a list, set or dict of them, or a module-level
name that one of our files binds to such a collection (``LESSONS``).
"""

import ast
import itertools
import subprocess
from pathlib import Path

import pytest

from tools.site import REPO

# Methods of a str that compare it, or cut it, with another string.
TEXT_METHODS = {
    "startswith",
    "endswith",
    "split",
    "rsplit",
    "partition",
    "rpartition",
    "removeprefix",
    "removesuffix",
    "find",
    "rfind",
    "index",
    "count",
}
# What a lookup of text in a collection calls.
LOOKUPS = {"get", "index", "count", "pop", "setdefault", "__getitem__"}
# What a path becomes, or is made from, when it is written into an f-string.
PATH_ATTRIBUTES = {"parent", "with_suffix", "with_name", "relative_to", "resolve"}
PATH_CLASSES = {"Path", "PurePath", "PosixPath", "WindowsPath"}
# os.path's functions that give a path as the system writes it.
OS_PATH_TEXT = {"join", "normpath", "abspath", "realpath", "relpath", "dirname"}
# Collections, and what wraps one without changing its items.
WRAPPERS = {"sorted", "list", "set", "tuple", "frozenset", "iter", "reversed"}


# What a build or an install writes beside the sources, in a tree with no git
# to ask (a copy, as make bench makes, or an unpacked download).
GENERATED = {"_build", "auto_examples", "gen_modules", "node_modules", "__pycache__"}


def python_files() -> list[Path]:
    """The project's Python files: git's, tracked or new, that exist; where
    the tree is no git checkout, every one outside hidden and generated
    folders."""
    if not (REPO / ".git").exists():
        return sorted(
            path
            for path in REPO.rglob("*.py")
            if not any(
                part.startswith(".") or part in GENERATED
                for part in path.relative_to(REPO).parent.parts
            )
        )
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return [
        REPO / name
        for name in sorted(set(listed.split("\0")))
        if name.endswith(".py") and (REPO / name).is_file()
    ]


def called(node) -> str | None:
    """The name a call calls: ``str`` for str(x), ``join`` for os.path.join(x)."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def is_path_expression(node) -> bool:
    """Whether ``node`` is, by its form, a Path: Path(...), a / b, p.parent."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return True
    if called(node) in PATH_CLASSES | PATH_ATTRIBUTES:
        return True
    return isinstance(node, ast.Attribute) and node.attr in PATH_ATTRIBUTES


def is_path_text(node) -> bool:
    """Whether ``node`` is a path written as this system writes it."""
    name = called(node)
    if name in ("str", "fspath") and len(node.args) == 1:
        return True
    if name in OS_PATH_TEXT and isinstance(node.func, ast.Attribute):
        module = node.func.value
        return isinstance(module, ast.Attribute) and module.attr == "path"
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(part, ast.FormattedValue)
            and part.format_spec is None
            and is_path_expression(part.value)
            for part in node.values
        )
    return False


def holds_path_text(node) -> bool:
    """Whether ``node`` is path text, or a collection of it (a comprehension,
    sorted(...) of one)."""
    if is_path_text(node):
        return True
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return holds_path_text(node.elt)
    if isinstance(node, ast.DictComp):
        return holds_path_text(node.key)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return any(holds_path_text(element) for element in node.elts)
    if called(node) in WRAPPERS and node.args:
        return holds_path_text(node.args[0])
    return False


def is_slashed(node) -> bool:
    """A string constant with a "/" that is not an address's."""
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and "/" in node.value
        and "://" not in node.value
    )


def slashed_collection(node) -> bool:
    """A list, tuple, set or dict literal with a "/" string among its items or keys."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return any(is_slashed(element) for element in node.elts)
    if isinstance(node, ast.Dict):
        return any(is_slashed(key) for key in node.keys if key is not None)
    return False


def slashed_names(trees) -> set[str]:
    """The module-level names that the files bind to a collection of "/" strings."""
    names = set()
    for tree in trees:
        for statement in tree.body:
            if isinstance(statement, ast.Assign):
                targets, value = statement.targets, statement.value
            elif isinstance(statement, ast.AnnAssign) and statement.value:
                targets, value = [statement.target], statement.value
            else:
                continue
            if slashed_collection(value):
                names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def holds_slash(node, names) -> bool:
    """Whether ``node`` is a "/" string, a collection of them, or a name of one."""
    if is_slashed(node) or slashed_collection(node):
        return True
    if isinstance(node, ast.Name):
        return node.id in names
    if isinstance(node, ast.Attribute):
        return node.attr in names
    if called(node) in WRAPPERS and node.args:
        return holds_slash(node.args[0], names)
    return False


def text_path_comparisons(tree, names) -> list[int]:
    """The lines of ``tree`` where path text meets a "/" string."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            # A chain compares each operand with its neighbour.
            operands = [node.left, *node.comparators]
            for a, b in itertools.pairwise(operands):
                if (holds_path_text(a) and holds_slash(b, names)) or (
                    holds_slash(a, names) and holds_path_text(b)
                ):
                    lines.append(node.lineno)
        elif isinstance(node, ast.Subscript):
            if holds_path_text(node.slice) and holds_slash(node.value, names):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner, method = node.func.value, node.func.attr
            arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
            if method in TEXT_METHODS and is_path_text(owner):
                if any(holds_slash(argument, names) for argument in arguments):
                    lines.append(node.lineno)
            elif method in LOOKUPS and holds_slash(owner, names):
                if any(holds_path_text(argument) for argument in arguments):
                    lines.append(node.lineno)
    return sorted(set(lines))


def findings(sources: dict[str, str]) -> list[str]:
    """Every "file:line: code" of ``sources`` ({file: text}) that compares
    path text with a "/" string."""
    trees = {name: ast.parse(text, name) for name, text in sources.items()}
    names = slashed_names(trees.values())
    return [
        f"{name}:{line}: {sources[name].splitlines()[line - 1].strip()}"
        for name, tree in trees.items()
        for line in text_path_comparisons(tree, names)
    ]


def test_no_path_as_text_meets_a_string_with_a_slash():
    files = python_files()
    assert REPO / "tools" / "site.py" in files
    sources = {
        path.relative_to(REPO).as_posix(): path.read_text(encoding="utf-8")
        for path in files
    }
    assert findings(sources) == [], (
        "compare Path objects, or path.as_posix(), with a string that has '/'"
    )


# What the check must find: one of each kind, on its own line.
FOUND = """
LESSONS = {"tensors/plot_2.py": ("tensors/plot_1.py", "idea")}
assert str(path) == "_build/html"
assert "_build/doctrees" in [str(a) for a in args]
assert sorted(LESSONS) == sorted(str(p) for p in programs)
idea = LESSONS[str(program)]
idea = LESSONS.get(str(program))
assert str(program) in LESSONS
assert str(path).startswith("docs/auto_examples")
parts = str(path).split("/")
assert f"{root / 'html'} is up to date" == "_build/html is up to date"
assert os.path.join("a", "b") != "a/b"
assert os.fspath(path) in {"a/b", "c/d"}
assert f"{path.parent}" == "examples/nn"
"""
# What it must let pass: native text against native text, posix against "/".
PASSED = """
LESSONS = {"tensors/plot_2.py": ("tensors/plot_1.py", "idea")}
assert path.as_posix() == "_build/html"
assert Path(path) == Path("_build/html")
assert str(path) == str(Path("_build", "html"))
assert str(error) == "no such thing"
assert str(url) == "https://example.com/a"
idea = LESSONS[program.as_posix()]
assert f"{name}/{other}" == "a/b"
assert str(path).startswith("docs")
"""


@pytest.mark.parametrize("kind", ["found", "passed"])
def test_the_check_finds_each_kind_and_only_those(kind):
    source = FOUND if kind == "found" else PASSED
    found = findings({"example.py": source})
    lines = source.strip().splitlines()
    expected = lines[1:] if kind == "found" else []
    assert [line.split(": ", 1)[1] for line in found] == expected
    assert all(line.startswith("example.py:") for line in found)
