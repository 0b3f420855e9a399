r"""
TensorFlow: a static graph, defined once and run many times
===========================================================

A static graph is defined once, before any data flows, and then run again
and again ("define-and-run"). This program is
:ref:`the numpy warm-up <sphx_glr_auto_examples_tensors_plot_1_numpy_warmup.py>`
with its training loop turned into such a graph, in TensorFlow. PyTorch
instead builds its autograd graph *while* the forward pass runs, a new graph
on every step ("define-by-run"). TensorFlow 1 worked with static graphs,
and TensorFlow 2 still offers them through ``tf.compat.v1``.
"""

# %%
# Importing TensorFlow
# --------------------
# The program sets two environment variables, imports TensorFlow and prints
# which package it came from. The section *Setting up, in detail*, near the
# end, says why.
import os
from importlib.metadata import packages_distributions

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

try:
    import tensorflow as tf
except ModuleNotFoundError as err:
    raise ModuleNotFoundError(
        "This example needs TensorFlow: pip install tensorflow-cpu==2.21.0"
        " on Linux x86-64, tensorflow==2.21.0 elsewhere"
    ) from err

tensorflow_packages = ", ".join(packages_distributions()["tensorflow"])
print(f"TensorFlow {tf.__version__}, from {tensorflow_packages.replace('_', '-')}")

# %%
# Data and weights
# ----------------
# TensorFlow takes its data as numpy arrays. They come from page 1's seeded
# generator, drawn in the same order. So they are page 1's numbers, rounded to
# float32, the type this graph computes in.
N, D_in, H, D_out = 64, 1000, 100, 10

rng = np.random.default_rng(0)
x_data = rng.standard_normal((N, D_in)).astype(np.float32)
y_data = rng.standard_normal((N, D_out)).astype(np.float32)
w1_init = rng.standard_normal((D_in, H)).astype(np.float32)
w2_init = rng.standard_normal((H, D_out)).astype(np.float32)

# %%
# Defining the graph
# ------------------
# Nothing below computes a number. Each line adds *nodes* to ``graph``:
#
# - placeholders that will receive ``x`` and ``y`` when the graph runs,
# - variables that hold the weights between runs,
# - the forward pass and the loss,
# - and, from ``tf.gradients``, the nodes of the backward pass.
#
# Even the weight update is a node: ``assign`` writes the new value into the
# variable whenever it is run.
#
# Everything happens inside ``with graph.as_default():``. That scopes graph
# mode to this one graph and leaves TensorFlow's normal eager mode untouched
# for any code that runs afterwards.
learning_rate = 1e-6

graph = tf.Graph()
with graph.as_default():
    x = tf.compat.v1.placeholder(tf.float32, shape=(None, D_in), name="x")
    y = tf.compat.v1.placeholder(tf.float32, shape=(None, D_out), name="y")
    w1 = tf.Variable(w1_init, name="w1")
    w2 = tf.Variable(w2_init, name="w2")

    h_relu = tf.maximum(tf.matmul(x, w1), 0.0)
    y_pred = tf.matmul(h_relu, w2)
    loss = tf.reduce_sum(tf.square(y_pred - y))

    grad_w1, grad_w2 = tf.gradients(loss, [w1, w2])
    update = tf.group(
        w1.assign(w1 - learning_rate * grad_w1),
        w2.assign(w2 - learning_rate * grad_w2),
    )
    initialize = tf.compat.v1.variables_initializer([w1, w2])

print(f"The graph holds {len(graph.get_operations())} operations; none has run yet.")

# %%
# Running the graph
# -----------------
# A ``Session`` executes parts of a graph. Each call to ``session.run`` names
# what it wants, here the loss and the update, and feeds numpy arrays to the
# placeholders. TensorFlow then runs exactly the nodes those results depend
# on. The Python loop only repeats the call, and the graph itself never
# changes.
losses = []
with tf.compat.v1.Session(graph=graph) as session:
    session.run(initialize)
    for t in range(500):
        loss_value, _ = session.run([loss, update], feed_dict={x: x_data, y: y_data})
        losses.append(float(loss_value))
        if t % 100 == 99:
            print(f"step {t + 1:3d}   loss {loss_value:.4e}")

# %%
# Static versus dynamic graphs
# ----------------------------
# Because the whole graph is known before the first step, a framework can
# study it up front. It can fuse operations, drop nodes whose results are
# never used, and plan memory. It can place parts on different devices, or
# save the graph to run without Python. That is the appeal of a static graph.
#
# The price is that control flow must be part of the graph too. Take a loop
# whose length depends on the data, or an ``if`` on a tensor's value. Neither
# can be a Python ``for`` or ``if``, since Python runs only once, while the
# graph is being built. Each has to be a graph operator such as
# ``tf.while_loop`` or ``tf.cond``. In PyTorch the graph is rebuilt on every
# forward pass. So plain Python loops and branches just work, and
# :ref:`page 9 <sphx_glr_auto_examples_nn_plot_9_control_flow_weight_sharing.py>`
# uses exactly that.

# %%
# The loss curve
# --------------
# The printed losses agree with
# :ref:`page 1's <sphx_glr_auto_examples_tensors_plot_1_numpy_warmup.py>` at
# first. They part from them as the loss falls, because this graph computes in
# float32 and page 1 in float64.
# :ref:`Page 10 <sphx_glr_auto_examples_beyond_plot_10_implementations_agree.py>`
# runs page 1's program in float32 too, and finds the cause in the float32
# weights.
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.semilogy(range(1, len(losses) + 1), losses)
ax.set_xlabel("training step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title("TensorFlow static graph")
fig.tight_layout()
plt.show()

print(
    f"Final loss after {len(losses)} steps: {losses[-1]:.4e}",
    f"(first step: {losses[0]:.4e})",
)

# %%
# Setting up, in detail
# ---------------------
# Two environment variables are read when TensorFlow is imported. The program
# sets both before the import, unless the environment already has them.
#
# - ``TF_CPP_MIN_LOG_LEVEL=2`` keeps the start-up messages of TensorFlow's C++
#   core out of the output.
# - ``TF_ENABLE_ONEDNN_OPTS=0`` switches off TensorFlow's :term:`oneDNN`
#   optimisations, which change speed and rounding. This site's TensorFlow
#   numbers are computed without them.
#
# TensorFlow comes as two packages with the same ``import tensorflow``:
# ``tensorflow``, and ``tensorflow-cpu``, the same release without GPU
# support. ``tensorflow-cpu`` has wheels for x86-64 Linux and Windows only.
# ``tensorflow`` has them for every machine this site supports.
#
# On Linux x86-64 the plain package is a larger GPU build, so this site
# installs ``tensorflow-cpu`` there. It installs ``tensorflow`` on the others:
# Linux aarch64, macOS on Apple silicon and Windows x86-64. The install line
# in the download area names ``tensorflow``, which installs on all of them.
# When TensorFlow is missing, the program's message suggests
# ``tensorflow-cpu`` on Linux x86-64 and ``tensorflow`` elsewhere. The first
# line the program prints names the package this run used.
#
# Compared with the original
# --------------------------
# **Against the original tutorial:** the original is written for TensorFlow 1.
# It uses ``tf.placeholder`` and ``tf.Session`` on TensorFlow's default graph,
# with weights from ``tf.random_normal``. TensorFlow 2 keeps these only in
# ``tf.compat.v1``, so this program reaches them there and builds its own
# ``tf.Graph``. It starts from page 1's seeded numpy numbers, not from
# unseeded random ones. Like the original, it computes in float32, where
# page 1 used float64. It runs one ``tf.group`` of both updates, where the
# original fetches ``new_w1`` and ``new_w2``. It initialises just ``w1`` and
# ``w2``, where the original calls ``tf.global_variables_initializer()``.
#
# Next, :ref:`page 6 <sphx_glr_auto_examples_nn_plot_6_nn_module.py>` returns to
# PyTorch and builds the network from ``torch.nn`` layers.
