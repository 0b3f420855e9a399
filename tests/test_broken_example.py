"""A maintainer's mistake fails the build loudly and says where it is."""

import re

from sitebuild import (
    NO_EXAMPLE,
    REPO,
    TENSORFLOW_PROGRAMS,
    build_html,
    copy_sources,
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
    r"^tensorflow[-_]cpu==([^\s;#]+)", (REPO / "constraints.txt").read_text(), re.M
).group(1)


def build_log(result):
    return result.stdout + result.stderr


def test_an_example_that_raises_fails_the_build_naming_file_and_line(tmp_path):
    root = copy_sources(tmp_path)
    (root / "examples" / "nn" / "plot_broken.py").write_text(BROKEN)
    result = build_html(root, env={"EXAMPLES": "plot_broken"})
    log = build_log(result)
    assert result.returncode != 0
    line = BROKEN.splitlines().index(RAISING_LINE) + 1
    assert f'plot_broken.py", line {line}' in log
    assert "this example is broken on purpose" in log


def test_missing_tensorflow_says_in_one_line_how_to_install_it(tmp_path):
    stub = tmp_path / "no-tensorflow" / "tensorflow"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text(NO_TENSORFLOW)
    (tmp_path / "src").mkdir()
    root = copy_sources(tmp_path / "src")
    run_them = "|".join(re.escape(p.name) for p in TENSORFLOW_PROGRAMS)
    env = {"PYTHONPATH": str(stub.parent), "EXAMPLES": run_them}
    result = build_html(root, env=env)
    log = build_log(result)
    assert result.returncode != 0
    # The pip command works on every platform (tensorflow-cpu has no macOS
    # wheels) and installs the version the site is built with.
    message = (
        "ModuleNotFoundError: This example needs TensorFlow: "
        f"pip install tensorflow=={PINNED_TENSORFLOW}"
    )
    for program in TENSORFLOW_PROGRAMS:
        # The exception line that ends this program's traceback.
        where = re.escape(f'{program.name}", line ')
        traceback = rf"{where}\d+, in <module>\n(?:(?!.*Error: ).*\n)*"
        assert re.search(traceback + rf"\s*{re.escape(message)}$", log, re.M), program


def test_a_sphinx_warning_fails_the_build(tmp_path):
    root = copy_sources(tmp_path)
    with (root / "docs" / "index.rst").open("a") as index:
        index.write("\nSee also :doc:`a-page-that-does-not-exist`.\n")
    result = build_html(root, env={"EXAMPLES": NO_EXAMPLE})
    assert result.returncode != 0
    assert "a-page-that-does-not-exist" in build_log(result)
