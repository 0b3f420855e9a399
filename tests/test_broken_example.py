"""A maintainer's mistake fails the build loudly and says where it is."""

import re
import shutil
import sys
from pathlib import Path

from sitebuild import (
    NO_EXAMPLE,
    REPO,
    TENSORFLOW_PROGRAMS,
    build_html,
    copy_sources,
    run_make,
)

RAISING_LINE = 'raise ValueError("this example is broken on purpose")'
BROKEN = f'''"""
A broken example
================

It raises on purpose.
"""

{RAISING_LINE}
'''
# Importing this package fails the way a missing TensorFlow does.
NO_TENSORFLOW = (
    "raise ModuleNotFoundError(\"No module named 'tensorflow'\", name='tensorflow')\n"
)
# The pin may carry an environment marker (; ...) and a comment (# via ...).
PINNED_TENSORFLOW = re.search(
    r"^tensorflow[-_]cpu==([^\s;#]+)",
    (REPO / "constraints.txt").read_text(encoding="utf-8"),
    re.M,
).group(1)


def build_log(result):
    return result.stdout + result.stderr


def test_an_example_that_raises_fails_the_build_naming_file_and_line(tmp_path):
    root = copy_sources(tmp_path)
    (root / "examples" / "nn" / "plot_99_broken.py").write_text(
        BROKEN, encoding="utf-8"
    )
    result = build_html(root, env={"EXAMPLES": "plot_99_broken"})
    log = build_log(result)
    assert result.returncode != 0
    line = BROKEN.splitlines().index(RAISING_LINE) + 1
    assert f'plot_99_broken.py", line {line}' in log
    assert "this example is broken on purpose" in log


def test_an_example_without_a_number_stops_the_build_naming_it(tmp_path):
    root = copy_sources(tmp_path)
    unnumbered = root / "examples" / "nn" / "plot_broken.py"
    unnumbered.write_text(BROKEN, encoding="utf-8")
    result = build_html(root, env={"EXAMPLES": NO_EXAMPLE})
    assert result.returncode != 0
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        f"{unnumbered}: an example's file name must be plot_<number>_"
    )
    assert "generating gallery" not in result.stdout


def test_missing_tensorflow_says_in_one_line_how_to_install_it(tmp_path):
    stub = tmp_path / "no-tensorflow" / "tensorflow"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text(NO_TENSORFLOW, encoding="utf-8")
    (tmp_path / "src").mkdir()
    root = copy_sources(tmp_path / "src")
    run_them = "|".join(re.escape(p.name) for p in TENSORFLOW_PROGRAMS)
    env = {"PYTHONPATH": str(stub.parent), "EXAMPLES": run_them}
    result = build_html(root, env=env)
    log = build_log(result)
    assert result.returncode != 0
    # The pip command installs the package and version the site is built with;
    # tensorflow-cpu is the site's TensorFlow on Linux x86-64 only, so the
    # line names the package for everywhere else too.
    message = (
        "ModuleNotFoundError: This example needs TensorFlow: "
        f"pip install tensorflow-cpu=={PINNED_TENSORFLOW}"
        f" on Linux x86-64, tensorflow=={PINNED_TENSORFLOW} elsewhere"
    )
    for program in TENSORFLOW_PROGRAMS:
        # The exception line that ends this program's traceback.
        where = re.escape(f'{program.name}", line ')
        traceback = rf"{where}\d+, in <module>\n(?:(?!.*Error: ).*\n)*"
        assert re.search(traceback + rf"\s*{re.escape(message)}$", log, re.M), program


def make(root, target, **variables):
    """`make <target>` in a copy of the repository, using the environment that
    runs these tests (.venv, or the one named by VENV)."""
    venv = Path(sys.prefix)
    assignments = [f"{name}={value}" for name, value in variables.items()]
    # The environment is the project's own, already made: never remake it
    # (make.bat finds it up to date, as the copy keeps the pins' times).
    keep_venv = [] if sys.platform == "win32" else ["-o", str(venv / ".installed")]
    return run_make(
        root,
        target,
        f"VENV={venv}",
        *assignments,
        *keep_venv,
        env={"MPLBACKEND": "Agg"},
    )


def test_a_sphinx_warning_fails_make_html_but_not_the_draft_build(tmp_path):
    root = copy_sources(tmp_path)
    for name in ("Makefile", "make.bat", "pyproject.toml", "constraints.txt"):
        shutil.copy2(REPO / name, root / name)
    with (root / "docs" / "index.rst").open("a", encoding="utf-8") as index:
        index.write("\nSee also :doc:`a-page-that-does-not-exist`.\n")
    strict = make(root, "html", EXAMPLES=NO_EXAMPLE)
    assert strict.returncode != 0
    assert "a-page-that-does-not-exist" in build_log(strict)
    # Sphinx would not read the unchanged page again: start from nothing.
    shutil.rmtree(root / "_build")
    draft = make(root, "html-draft", EXAMPLES=NO_EXAMPLE)
    assert draft.returncode == 0, build_log(draft)[-3000:]
    assert "a-page-that-does-not-exist" in build_log(draft)
    assert (root / "_build" / "html" / "index.html").is_file()
