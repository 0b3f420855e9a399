"""Callables that conf.py hands to sphinx-gallery by name.

sphinx-gallery runs every example in the same Python process, so whatever one
example leaves behind in a library's global state is seen by the next one.
"""

import gc
import re
import sys
from pathlib import Path


def reset_tensorflow_state(gallery_conf, fname):
    """Give the next example a fresh TensorFlow default graph in eager mode.

    Does nothing until some example has imported TensorFlow, so builds that
    never touch it do not pay for importing it.
    """
    tf = sys.modules.get("tensorflow")
    if tf is None:
        return
    # No example uses Keras, so its session is left alone: clearing it runs a
    # full garbage collection, which cost 3.6 s per build here.
    tf.compat.v1.reset_default_graph()
    if not tf.executing_eagerly():
        raise RuntimeError(
            f"{fname} left TensorFlow in graph mode (disable_eager_execution), "
            "which would leak into every later example. Build TF1-style code inside "
            "`with tf.Graph().as_default():` instead."
        )


def freeze_long_lived_objects(gallery_conf, fname):
    """Keep the garbage collections between examples short.

    sphinx-gallery runs a full ``gc.collect()`` before every example. Once
    torch and TensorFlow are imported, that walks millions of long-lived
    objects each time (about 0.16 s here). Collecting once and then freezing
    whatever is still alive, mostly imported modules, takes those objects out
    of later collections, which then only look at what the last example made.
    """
    gc.collect()
    gc.freeze()


def teaching_order(path):
    """Sort key for mini-galleries: examples by their number, plot_<n>_*.py."""
    number = re.match(r"plot_(\d+)_", Path(path).name)
    return (int(number.group(1)) if number else float("inf"), Path(path).name)
