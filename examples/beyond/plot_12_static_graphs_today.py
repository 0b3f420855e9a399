r"""
Static graphs today: tracing and compiling
==========================================

The TensorFlow program of this site builds a graph first and runs it in a
session; the PyTorch programs build a new graph on every forward pass. Both
frameworks have since met in the middle: you write ordinary eager code, and
the framework *traces* it once into a graph that it can optimize and reuse.
This page shows both versions of that idea on our network. TensorFlow 2's
``tf.function`` traces a Python function into a graph; PyTorch 2 captures the
model's graph with ``torch.export`` and compiles the training step with
``torch.compile``. The page counts what was traced, shows what the compiler
fused, and measures what compiling costs and what it saves on the machine
that built it.
"""

# %%
# Choosing a device and importing TensorFlow quietly
# --------------------------------------------------
# As on the other pages: TensorFlow's start-up messages switched off before
# it is imported, and PyTorch on an accelerator when it sees one.
import copy
import os
import re
import statistics
import time
from collections import Counter

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

try:
    import tensorflow as tf
except ModuleNotFoundError as err:
    raise ModuleNotFoundError(
        "This example needs TensorFlow: pip install tensorflow==2.21.0"
    ) from err

device = torch.device(
    os.environ.get("EXAMPLES_DEVICE")
    or torch.accelerator.current_accelerator(check_available=True)
    or "cpu"
)
print(f"Running on: {device}")

# %%
# TensorFlow 2: a Python function that becomes a graph
# ----------------------------------------------------
# The data and starting weights are those of the graph-and-session program,
# drawn from the same seeded numpy generator.
N, D_in, H, D_out = 64, 1000, 100, 10
steps = 500

rng = np.random.default_rng(0)
x_data = rng.standard_normal((N, D_in)).astype(np.float32)
y_data = rng.standard_normal((N, D_out)).astype(np.float32)
w1_init = rng.standard_normal((D_in, H)).astype(np.float32)
w2_init = rng.standard_normal((H, D_out)).astype(np.float32)


# %%
# The training step is eager TensorFlow code, as on the page that compared
# implementations: a ``GradientTape`` records the forward pass and yields the
# gradients. The decorator ``tf.function`` changes how it runs. On the first
# call, TensorFlow runs the Python body once with symbolic tensors and records
# every operation into a graph; later calls with inputs of the same shape and
# type skip Python and run that graph. The ``print`` is ordinary Python, so it
# runs only while TensorFlow traces.
learning_rate = 1e-6
w1 = tf.Variable(w1_init)
w2 = tf.Variable(w2_init)


@tf.function
def train_step(x, y):
    print(f"Tracing train_step for x of shape {x.shape} and type {x.dtype.name}")
    with tf.GradientTape() as tape:
        y_pred = tf.matmul(tf.maximum(tf.matmul(x, w1), 0.0), w2)
        loss = tf.reduce_sum(tf.square(y_pred - y))
    grad_w1, grad_w2 = tape.gradient(loss, [w1, w2])
    w1.assign_sub(learning_rate * grad_w1)
    w2.assign_sub(learning_rate * grad_w2)
    return loss


# %%
# The first call traces
# ---------------------
# The first call prints the tracing message and builds the graph. The graph
# can be looked at: here its operations are counted, by type. It holds the
# forward pass, the backward pass that the tape derived from it, and the
# updates of the two variables, just like the graph that the
# graph-and-session program built by hand.
x = tf.constant(x_data)
y = tf.constant(y_data)

tf_losses, tf_seconds = [], []
start = time.perf_counter()
loss = train_step(x, y)
tf_seconds.append(time.perf_counter() - start)
tf_losses.append(float(loss))

traces = train_step.experimental_get_tracing_count
graph = train_step.get_concrete_function(x, y).graph
operations = Counter(op.type for op in graph.get_operations())
print(f"Traces so far: {traces()}")
print(f"The traced graph holds {sum(operations.values())} operations, among them:")
for op_type, count in operations.most_common(8):
    print(f"  {count:3d} x {op_type}")

# %%
# Later calls reuse the graph
# ---------------------------
# The remaining 499 steps run the same graph. No tracing message appears,
# and the trace count stays where it was.
for t in range(1, steps):
    start = time.perf_counter()
    loss = train_step(x, y)
    tf_seconds.append(time.perf_counter() - start)
    tf_losses.append(float(loss))
    if t % 100 == 99:
        print(f"step {t + 1:3d}   loss {loss:.4e}")
print(f"Traces after {steps} steps: {traces()}")
print(
    f"First call {tf_seconds[0] * 1e3:.1f} ms, later calls "
    f"{statistics.median(tf_seconds[1:]) * 1e3:.2f} ms (median)"
)

# %%
# A new input signature traces again
# ----------------------------------
# A graph is specialized to the shapes and types of the inputs it was traced
# with, its *input signature*. Asking for the graph for a batch of 32
# examples makes TensorFlow trace the function again: the message reappears
# and the count grows. Asking for batch 64 again finds the first graph.
# ``get_concrete_function`` only traces; it runs nothing, so the weights are
# untouched.
train_step.get_concrete_function(
    tf.TensorSpec((32, D_in), tf.float32), tf.TensorSpec((32, D_out), tf.float32)
)
print(f"Traces after asking for batch 32: {traces()}")
train_step.get_concrete_function(x, y)
print(f"Traces after asking for batch 64 again: {traces()}")

# %%
# Compared with the graph-and-session program, placeholders have become the
# function's arguments, ``session.run`` has become a plain call, and
# ``tf.gradients`` has become a tape. What remains of define-and-run is the
# trace: Python runs once per input signature, and everything inside the
# function must be expressible as graph operations (TensorFlow converts a
# Python ``if`` or ``while`` on a tensor into ``tf.cond`` and
# ``tf.while_loop`` while tracing).
#
# PyTorch 2: capturing the model's graph
# --------------------------------------
# On the PyTorch side we take the ``torch.nn`` program: the same
# ``Sequential`` model, its default initialization, the same data from
# ``torch.manual_seed(0)`` and the same learning rate. ``torch.export``
# traces the model with an example input and returns its graph, written in
# PyTorch's low-level ``aten`` operations: the form in which a compiler sees
# the program.
torch.manual_seed(0)
x = torch.randn(N, D_in).to(device)
y = torch.randn(N, D_out).to(device)

model = torch.nn.Sequential(
    torch.nn.Linear(D_in, H),
    torch.nn.ReLU(),
    torch.nn.Linear(H, D_out),
).to(device)
loss_fn = torch.nn.MSELoss(reduction="sum")
learning_rate = 1e-4

exported = torch.export.export(model, (x,))
print(exported.graph_module.code.strip())

# %%
# Compiling the training step
# ---------------------------
# ``torch.compile`` wraps a function. On its first call, TorchDynamo traces
# the Python code into a graph, AOTAutograd derives the backward graph from
# it, and the Inductor compiler turns both into generated code: C++ on a CPU,
# Triton kernels on a GPU. Later calls run the compiled code for as long as
# the inputs keep their shapes.
#
# Two copies of the model start from the same weights: one is trained
# eagerly, one through the compiled function. The loss is part of the
# compiled function, so the compiler sees it too.
eager_model = model
compiled_model = copy.deepcopy(model)


def eager_loss(x, y):
    return loss_fn(eager_model(x), y)


@torch.compile
def compiled_loss(x, y):
    return loss_fn(compiled_model(x), y)


def train(compute_loss, model):
    losses, seconds = [], []
    for t in range(steps):
        start = time.perf_counter()
        loss = compute_loss(x, y)
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for param in model.parameters():
                param -= learning_rate * param.grad
        losses.append(loss.item())
        seconds.append(time.perf_counter() - start)
        if t % 100 == 99:
            print(f"step {t + 1:3d}   loss {losses[-1]:.4e}")
    return losses, seconds


# %%
# Where the fusing happens now
# ----------------------------
# The graph-and-session page said that a static graph lets a framework fuse
# operations before running them. In PyTorch 2 that is Inductor's job. Its
# helper ``run_and_get_code`` runs a function and returns the code that
# Inductor generated meanwhile, so the first step is taken through it, and its
# time is the cost of compiling. The calls in the generated programs show the
# plan: matrix products go to a library routine (``extern_kernels``), and the
# element-wise work around them is merged into generated kernels whose names
# list the operations fused into them.
#
# Inductor also keeps what it compiles in a cache on disk. When this machine
# had built the page before, the graphs are found there, and the time printed
# is mostly that of loading them; the line after it says whether that
# happened. (``run_and_get_code`` and the cache counters are internals of
# ``torch._inductor`` and ``torch._dynamo``, handy for looking inside.)
from torch._dynamo.utils import counters  # noqa: E402
from torch._inductor.utils import run_and_get_code  # noqa: E402


def first_compiled_step():
    loss = compiled_loss(x, y)
    loss.backward()


hits_before = counters["inductor"]["fxgraph_cache_hit"]
start = time.perf_counter()
_, generated = run_and_get_code(first_compiled_step)
compile_seconds = time.perf_counter() - start
print(f"First compiled step, including compiling: {compile_seconds:.1f} s")
cache_hits = counters["inductor"]["fxgraph_cache_hit"] - hits_before
print(f"Graphs found in Inductor's on-disk cache: {cache_hits} of {len(generated)}")

for code in generated:
    kind = "backward" if "tangents_" in code else "forward"
    calls = re.findall(r"^ +(extern_kernels\.\w+|\w*fused\w*)(?:\.run)?\(", code, re.M)
    print(f"{kind} graph runs {len(calls)} kernels:")
    for call in calls:
        print(f"    {call}")

# %%
# Eager versus compiled, step by step
# -----------------------------------
# Both copies now train for 500 steps. The compiled one already paid for
# compiling above, so every one of its steps runs compiled code.
print("eager:")
eager_losses, eager_seconds = train(eager_loss, eager_model)
print("compiled:")
compiled_losses, compiled_seconds = train(compiled_loss, compiled_model)

eager_step = statistics.median(eager_seconds)
compiled_step = statistics.median(compiled_seconds)
gap = max(abs(a - b) / a for a, b in zip(eager_losses, compiled_losses, strict=True))
print(
    f"Median step: eager {eager_step * 1e3:.3f} ms, "
    f"compiled {compiled_step * 1e3:.3f} ms"
)
print(
    f"Compiled steps take {compiled_step / eager_step:.2f} times as long as eager ones"
)
print(f"Largest relative gap between the two loss curves: {gap:.1e}")
if compiled_step < eager_step:
    break_even = compile_seconds / (eager_step - compiled_step)
    print(f"Compiling pays for itself after about {break_even:,.0f} steps")
else:
    print(
        "On this machine the compiled step is not faster, so compiling never pays off"
    )

# %%
# The gap between the two loss curves comes from rounding: compiling changes
# how the arithmetic is grouped, not what is computed. Whether it also saves
# time depends on how much work there is, and the medians above answer that
# for this network on this machine. A step of this tiny network is mostly its
# matrix products, which eager mode already hands to the same library
# routines (the ``extern_kernels`` calls above), so fusing the few
# element-wise operations around them has little to gain, while compiling
# costs the time printed above once.
#
# The plot shows both sides: on the left the loss curves, TensorFlow's from
# its own starting weights; on the right the time of every step, where the
# first call of the traced TensorFlow function stands out, and so does
# compiling (drawn as the compiled run's step 0).
fig, (ax_loss, ax_time) = plt.subplots(1, 2, figsize=(9, 3.8))
ax_loss.semilogy(range(1, steps + 1), tf_losses, label="TensorFlow tf.function")
ax_loss.semilogy(range(1, steps + 1), eager_losses, label="PyTorch eager")
ax_loss.semilogy(
    range(1, steps + 1), compiled_losses, linestyle="--", label="PyTorch compiled"
)
ax_loss.set_xlabel("training step")
ax_loss.set_ylabel("loss (sum of squared errors)")
ax_loss.set_title("Loss")
ax_loss.legend()

ax_time.semilogy(range(1, steps + 1), tf_seconds, label="TensorFlow tf.function")
ax_time.semilogy(range(1, steps + 1), eager_seconds, label="PyTorch eager")
ax_time.semilogy(
    range(0, steps + 1), [compile_seconds] + compiled_seconds, label="PyTorch compiled"
)
ax_time.set_xlabel("training step")
ax_time.set_ylabel("seconds")
ax_time.set_title("Time of each step")
ax_time.legend()
fig.tight_layout()
plt.show()
