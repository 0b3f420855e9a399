"""The teaching order, read from the examples' names, and the state each
example leaves behind for the next."""

import os
import sys
from pathlib import Path

import pytest
from fakes import setup_of

from site_extensions import gallery_hooks


def test_an_example_s_number_is_its_place():
    assert gallery_hooks.teaching_order("examples/nn/plot_12_x_y.py") == 12


@pytest.mark.parametrize("name", ["plot_x.py", "plot_1.py", "tutorial_1_x.py"])
def test_a_name_without_a_number_is_an_error_naming_the_file(name):
    with pytest.raises(ValueError, match=f"{name}: an example's file name must be"):
        gallery_hooks.teaching_order(name)


def make(root, *paths):
    for path in paths:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("", encoding="utf-8")


def test_examples_and_sections_come_in_teaching_order(tmp_path):
    make(tmp_path, "nn/plot_10_c.py", "basics/plot_2_b.py", "nn/plot_3_a.py")
    make(tmp_path, "basics/plot_1_a.py", "basics/README.rst")
    examples = gallery_hooks.examples_in_teaching_order(tmp_path)
    assert [p.name for p in examples] == [
        "plot_1_a.py",
        "plot_2_b.py",
        "plot_3_a.py",
        "plot_10_c.py",
    ]
    assert gallery_hooks.sections_in_teaching_order(examples) == ["basics", "nn"]


def test_two_examples_with_one_number_are_an_error_naming_both(tmp_path):
    make(tmp_path, "a/plot_4_x.py", "b/plot_4_y.py")
    with pytest.raises(
        ValueError, match=r"plot_4_\w\.py and .*plot_4_\w\.py share the number 4"
    ):
        gallery_hooks.examples_in_teaching_order(tmp_path)


def test_tensorflow_s_state_is_left_alone_until_an_example_imports_it(monkeypatch):
    monkeypatch.delitem(gallery_hooks.sys.modules, "tensorflow", raising=False)
    assert gallery_hooks.reset_tensorflow_state({}, "plot_1_x.py") is None


def test_tensorflow_s_environment_is_set_unless_the_environment_says_otherwise(
    monkeypatch,
):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    monkeypatch.delenv("TF_ENABLE_ONEDNN_OPTS", raising=False)
    app, metadata = setup_of(gallery_hooks)
    [(event, handler, _)] = app.handlers
    assert event == "config-inited"
    handler(app, app.config)
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "0"
    assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == "0"
    assert metadata == {"parallel_read_safe": True, "parallel_write_safe": True}


# tensorflow/tensorflow#124205: which releases clash, and the build's hook.
def test_the_record_decides_by_both_versions():
    assert gallery_hooks.triton_after_tensorflow_crashes(
        {"tensorflow": "2.21.0", "triton": "3.7.1"}
    )
    assert not gallery_hooks.triton_after_tensorflow_crashes(
        {"tensorflow": "2.19.1", "triton": "3.7.1"}
    )
    assert not gallery_hooks.triton_after_tensorflow_crashes(
        {"tensorflow": "2.21.0", "triton": "3.6.0"}
    )
    assert not gallery_hooks.triton_after_tensorflow_crashes(
        {"tensorflow": "2.21.0", "triton": None}
    )
    assert set(gallery_hooks.TRITON_AFTER_TENSORFLOW_CRASHES) == {
        "tensorflow",
        "triton",
    }


def test_the_hook_names_the_example_when_tensorflow_came_first(monkeypatch):
    if not gallery_hooks.installed_versions()["triton"]:
        pytest.skip("without triton the hook has nothing to do")
    monkeypatch.delitem(sys.modules, "triton", raising=False)
    monkeypatch.setitem(sys.modules, "tensorflow", object())
    with pytest.raises(RuntimeError, match=r"before plot_6_nn_module\.py.*#124205"):
        gallery_hooks.import_triton_before_tensorflow({}, "plot_6_nn_module.py")


def test_the_hook_imports_triton_only_before_an_example_that_imports_tensorflow(
    tmp_path, monkeypatch
):
    import conf
    from tools.site import REPO

    # A stand-in triton, whether or not the real one is installed.
    (tmp_path / "triton.py").write_text("", encoding="utf-8")
    monkeypatch.syspath_prepend(tmp_path)
    monkeypatch.delitem(sys.modules, "triton", raising=False)
    gallery_conf = {**conf.sphinx_gallery_conf, "src_dir": str(REPO / "docs")}
    hook = gallery_hooks.import_triton_before_tensorflow
    hook(gallery_conf, "plot_3_autograd.py")
    assert "triton" not in sys.modules
    hook(gallery_conf, "plot_5_tensorflow_static_graph.py")
    assert Path(sys.modules["triton"].__file__) == tmp_path / "triton.py"


def test_without_triton_the_hook_lets_tensorflow_come_first(monkeypatch):
    # macOS, Windows, the CPU build of torch: nothing clashes, nothing to say.
    monkeypatch.delitem(sys.modules, "triton", raising=False)
    monkeypatch.setitem(sys.modules, "tensorflow", object())
    monkeypatch.setattr(gallery_hooks.importlib.util, "find_spec", lambda name: None)
    gallery_hooks.import_triton_before_tensorflow({}, "plot_6_nn_module.py")
    assert "triton" not in sys.modules
