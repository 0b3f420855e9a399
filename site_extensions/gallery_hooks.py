"""Callables that conf.py hands to sphinx-gallery by name, and the teaching order.

sphinx-gallery runs every example in the same Python process, so whatever one
example leaves behind in a library's global state is seen by the next one.
"""

import gc
import importlib.metadata
import importlib.util
import itertools
import os
import re
import sys
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import Version

# The one record of tensorflow/tensorflow#124205: TensorFlow's Linux wheels
# load their library with RTLD_GLOBAL, which puts their own copy of LLVM in
# the process's global symbols; a triton imported after that binds to it and
# crashes Python in its initialisers. torch imports triton on first use of
# torch.optim or torch.compile, so on Linux, where torch brings triton, any
# example that follows a TensorFlow one would crash the build. These are the
# releases that clash; tests/test_triton_after_tensorflow.py fails when the
# installed ones no longer behave as this says (a fixed TensorFlow, a new
# triton), so the workaround goes when it is no longer needed.
TRITON_AFTER_TENSORFLOW_CRASHES = {
    "tensorflow": SpecifierSet(">=2.20"),
    "triton": SpecifierSet(">=3.7"),
}


def triton_after_tensorflow_crashes(versions):
    """Whether importing triton after TensorFlow crashes, for ``versions``
    ({"tensorflow": "2.21.0", "triton": "3.7.1"}); False when either is None
    (not installed)."""
    return all(
        versions.get(name) is not None and Version(versions[name]) in releases
        for name, releases in TRITON_AFTER_TENSORFLOW_CRASHES.items()
    )


def installed_versions():
    """The installed TensorFlow and triton, {name: version or None}. TensorFlow
    comes as tensorflow or tensorflow-cpu; either provides ``tensorflow``."""
    providers = importlib.metadata.packages_distributions()
    versions = {}
    for name in TRITON_AFTER_TENSORFLOW_CRASHES:
        dists = providers.get(name, [])
        versions[name] = importlib.metadata.version(dists[0]) if dists else None
    return versions


def import_triton_before_tensorflow(gallery_conf, fname):
    """Import triton, where it is installed, before an example that imports
    TensorFlow runs (see TRITON_AFTER_TENSORFLOW_CRASHES). It is imported
    whatever the versions, so the build never depends on that record being
    up to date; and only for such an example, so a rebuild that runs only
    torch examples does not pay its import (a tenth of a second).
    """
    # macOS, Windows and the CPU build of torch have no triton.
    if "triton" in sys.modules or importlib.util.find_spec("triton") is None:
        return
    if "tensorflow" in sys.modules:
        raise RuntimeError(
            f"TensorFlow was imported before triton (before {fname}), which "
            "crashes Python once torch loads triton (tensorflow/tensorflow#124205): "
            "import_triton_before_tensorflow must run before any example"
        )
    examples = Path(gallery_conf["src_dir"], gallery_conf["examples_dirs"])
    (example,) = examples.rglob(Path(fname).name)
    if "tensorflow" in example.read_text(encoding="utf-8"):
        import triton  # noqa: F401


def reset_tensorflow_state(gallery_conf, fname):
    """Give the next example a fresh TensorFlow default graph in eager mode.

    Does nothing until some example has imported TensorFlow, so builds that
    never touch it do not pay for importing it.
    """
    tf = sys.modules.get("tensorflow")
    if tf is None:
        return
    # No example uses Keras, so its session is left alone: clearing it runs a
    # full garbage collection before every example, seconds per build.
    tf.compat.v1.reset_default_graph()
    if not tf.executing_eagerly():
        raise RuntimeError(
            f"{fname} left TensorFlow in graph mode (disable_eager_execution), "
            "which would leak into every later example. Build TF1-style code inside "
            "`with tf.Graph().as_default():` instead."
        )


def freeze_long_lived_objects(gallery_conf, fname, when):
    """Keep the garbage collections between examples short.

    sphinx-gallery runs a full ``gc.collect()`` before every example. Once
    torch and TensorFlow are imported, that walks millions of long-lived
    objects each time, a large share of a short example's run. Collecting
    once after each example and then freezing whatever is still alive,
    mostly imported modules, takes those objects out of later collections,
    which then only look at what the last example made. Before an example,
    or on entering a folder of examples, there is nothing new to freeze.
    """
    if when == "after" and fname is not None:
        gc.collect()
        gc.freeze()


# An example's file name: its number is its place in the teaching order.
EXAMPLE_NAME = re.compile(r"plot_(\d+)_\w+\.py")


def teaching_order(path):
    """An example's place in the site, the number in its name plot_<n>_<topic>.py.

    The one definition of the teaching order: conf.py orders pages and sections
    by it, and so do the tests and the bench. A name without a number raises
    ValueError naming the file.
    """
    match = EXAMPLE_NAME.fullmatch(Path(path).name)
    if match is None:
        raise ValueError(
            f"{path}: an example's file name must be plot_<number>_<topic>.py, "
            "where the number gives its place in the teaching order"
        )
    return int(match.group(1))


def examples_in_teaching_order(examples_dir):
    """Every example, ``examples_dir/<section>/*.py``, in teaching order.

    Two examples with the same number raise ValueError naming both.
    """
    examples = sorted(Path(examples_dir).glob("*/*.py"), key=teaching_order)
    for before, after in itertools.pairwise(examples):
        if teaching_order(before) == teaching_order(after):
            raise ValueError(
                f"{before} and {after} share the number {teaching_order(after)}: "
                "give each example its own place in the teaching order"
            )
    return examples


def sections_in_teaching_order(examples):
    """The section folders of ``examples`` (in teaching order), first one first."""
    return list(dict.fromkeys(Path(path).parent.name for path in examples))


# TensorFlow reads these when it is first imported, which happens inside
# whichever example imports it first. The TensorFlow examples set them too
# (each stands alone); the build and the bench set them before any runs.
TENSORFLOW_ENVIRONMENT = {
    # Its C++ core's start-up messages stay out of the pages' output.
    "TF_CPP_MIN_LOG_LEVEL": "2",
    # Its oneDNN optimisations off: they change speed and rounding.
    "TF_ENABLE_ONEDNN_OPTS": "0",
}


def set_tensorflow_environment(app, config):
    """TENSORFLOW_ENVIRONMENT, where the environment does not say otherwise."""
    for name, value in TENSORFLOW_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def setup(app):
    app.connect("config-inited", set_tensorflow_environment)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
