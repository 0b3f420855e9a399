"""The README is a guide a newcomer can trust: short, and every command, path,
link and Python version it names is one this repository has."""

import re

import pytest

from tools.site import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
MAX_LINES = 250


def makefile_targets():
    """The targets the Makefile defines a rule for (not variables, not files
    under $(...))."""
    targets = set()
    for line in (REPO / "Makefile").read_text(encoding="utf-8").splitlines():
        rule = re.match(
            r"([A-Za-z][\w.-]*(?:[ \t]+[A-Za-z][\w.-]*)*)[ \t]*:(?![=:])", line
        )
        if rule:
            targets.update(rule.group(1).split())
    return targets


def fenced_blocks(text):
    """(language, body) of every ``` block."""
    return re.findall(r"^```(\w*)\n(.*?)^```", text, flags=re.M | re.S)


def commands():
    """Every command the README shows: its code spans (which may wrap), and
    the lines of its shell blocks, comments left out."""
    outside_blocks = re.sub(r"^```.*?^```", "", README, flags=re.M | re.S)
    spans = re.findall(r"`([^`]+)`", outside_blocks)
    shell = [
        line.split("#")[0]
        for language, body in fenced_blocks(README)
        if language in ("sh", "bash", "console")
        for line in body.splitlines()
    ]
    return spans + shell


def make_targets_named():
    """Each `make <target>` the README names. In a command, every word after
    `make` up to the first that is neither a target nor VARIABLE=value
    (`make clean html`, `make html EXAMPLES=autograd`); in the layout's prose,
    the first word only."""
    named = set()
    for command in commands():
        for words in re.findall(r"\bmake((?:\s+\S+)+)", command):
            for word in words.split():
                if re.fullmatch(r"[A-Z_]+=\S*", word):
                    continue
                if not re.fullmatch(r"[a-z][\w-]*", word):
                    break
                named.add(word)
    named.update(re.findall(r"\bmake[ \t]+([a-z][\w-]*)", layout_block()))
    return named


def layout_block():
    _, after = README.split("\n## Layout\n", 1)
    return fenced_blocks(after)[0][1]


def layout_paths():
    """The path each line of the layout block starts with; an indented line
    names a file inside the folder above it."""
    paths, folder = [], ""
    for line in layout_block().splitlines():
        if not line.strip():
            continue
        first = line.split()[0]
        if line.startswith(" "):
            paths.append(folder + first)
        else:
            folder = first if first.endswith("/") else folder
            paths.append(first)
    return paths


def slug(heading):
    """The anchor GitHub gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_the_readme_is_short_enough_to_be_read():
    lines = len(README.splitlines())
    assert lines <= MAX_LINES, (
        f"README.md has {lines} lines, more than {MAX_LINES}: it is a guide; "
        "measurements and details belong beside the tool that makes them"
    )


def test_the_finders_see_what_the_readme_names():
    assert {"html", "test", "check", "clean", "bench"} <= make_targets_named()
    assert {"conf.py", "site_extensions/alt_text.py", ".ci/run"} <= set(layout_paths())


def test_every_make_target_it_names_is_in_the_makefile():
    missing = make_targets_named() - makefile_targets()
    assert not missing, f"README.md names make targets the Makefile lacks: {missing}"


def test_every_path_in_its_layout_exists():
    missing = [path for path in layout_paths() if not (REPO / path).exists()]
    assert not missing, f"README.md's layout names paths that do not exist: {missing}"


def test_its_layout_names_every_extension():
    named = set(layout_paths())
    modules = {
        path.relative_to(REPO).as_posix()
        for path in (REPO / "site_extensions").glob("*.py")
        if path.name != "__init__.py"
    }
    assert not modules - named, f"not in README.md's layout: {modules - named}"


@pytest.mark.parametrize("target", sorted(set(re.findall(r"\]\(([^)\s]+)\)", README))))
def test_every_link_within_the_repository_resolves(target):
    if re.match(r"[a-z]+:", target):
        return  # another site's page
    path, _, anchor = target.partition("#")
    if path:
        assert (REPO / path).exists(), f"README.md links to {path}, which is missing"
    else:
        headings = re.findall(r"^#+ (.+)$", README, flags=re.M)
        assert anchor in {slug(heading) for heading in headings}


def test_the_python_range_it_states_is_pyproject_s():
    lowest, major, minor = re.search(
        r'^requires-python = ">=([\d.]+),<(\d+)\.(\d+)"',
        (REPO / "pyproject.toml").read_text(encoding="utf-8"),
        flags=re.M,
    ).groups()
    assert f"Python {lowest} to {major}.{int(minor) - 1}" in README
