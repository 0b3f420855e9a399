"""conf.py is data: importing it does nothing, each setting is made once, and
every extension of site_extensions/ is switched on there by name."""

import ast
import importlib
import json
import os
import subprocess
import sys

import encoding_gate

from tools.site import REPO

CONF = REPO / "conf.py"
EXTENSIONS = sorted(
    f"site_extensions.{path.stem}"
    for path in (REPO / "site_extensions").glob("*.py")
    if "\ndef setup(app):" in path.read_text(encoding="utf-8")
)


def docs_tree():
    """Every file in docs/, generated ones included, with its size and time."""
    return {
        path: (path.stat().st_size, path.stat().st_mtime_ns)
        for path in (REPO / "docs").rglob("*")
    }


def test_importing_conf_py_changes_no_file_and_no_variable():
    # Variables that a build would reject: importing conf.py does not read them.
    probe = (
        "import json, os, sys; before = dict(os.environ); import conf; "
        "print(json.dumps([before == dict(os.environ), sorted(sys.modules)]))"
    )
    before = docs_tree()
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO,
        env={
            **encoding_gate.environment(REPO),
            "EXAMPLES_DEVICE": "bogus",
            "EXAMPLES": "[",
            "GITHUB_REPOSITORY": "not a repository",
            "PATH": "/usr/bin:/bin",
            # Windows' own folder, without which a Python there may not start.
            **{k: v for k, v in os.environ.items() if k.upper() == "SYSTEMROOT"},
        },
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    unchanged, modules = json.loads(result.stdout)
    assert unchanged and result.stderr == ""
    assert not {"sphinx", "torch", "matplotlib", "site_extensions"} & set(modules)
    assert docs_tree() == before


def test_each_setting_is_made_once():
    names = [
        target.id
        for node in ast.parse(CONF.read_text(encoding="utf-8")).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    ]
    assert sorted(names) == sorted(set(names))


def test_conf_py_defines_no_function():
    body = ast.parse(CONF.read_text(encoding="utf-8")).body
    assert not [node for node in body if isinstance(node, ast.FunctionDef)]


def test_every_extension_of_sphinxext_is_named_in_extensions():
    import conf

    ours = sorted(
        name for name in conf.extensions if name.startswith("site_extensions.")
    )
    assert ours == EXTENSIONS


def test_the_only_python_at_the_top_is_conf_py():
    assert [path.name for path in REPO.glob("*.py")] == ["conf.py"]


def test_every_config_value_an_extension_adds_is_set_in_conf_py():
    # ... but those the build sets from the environment (GITHUB_REPOSITORY).
    from fakes import FakeApp

    import conf
    from site_extensions.build_inputs import FROM_ENVIRONMENT

    for name in EXTENSIONS:
        app = FakeApp()
        importlib.import_module(name).setup(app)
        for value in app.config_values:
            if value in FROM_ENVIRONMENT:
                assert not hasattr(conf, value), f"conf.py sets {value}"
                continue
            assert hasattr(conf, value), f"{name} adds {value}, which conf.py omits"
