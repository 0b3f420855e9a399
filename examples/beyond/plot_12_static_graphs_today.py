r"""
Static graphs today: tracing and compiling
==========================================

Today you write eager code, and the framework *traces* it once into a graph
that it can optimize and reuse. This page turns a two-layer network's eager
code into graphs with TensorFlow 2's ``tf.function`` and PyTorch 2's
``torch.export`` and ``torch.compile``.

:ref:`Page 5 <sphx_glr_auto_examples_autograd_plot_5_tensorflow_static_graph.py>`
builds a graph first and runs it in a session. The PyTorch lessons build a new
graph on every forward pass. Both frameworks have since met in the middle.

The page also times training steps on the machine that runs it. TensorFlow's
whole step runs as a ``tf.function``. PyTorch's step runs eagerly, and, where
the machine can compile, with its forward pass and loss compiled.
"""

# %%
# Setting up
# ----------
# PyTorch runs on the accelerator when it sees one. Near the end of the page,
# *Setting up, in detail* explains this cell's environment variables and its
# TensorFlow and Triton imports.

# sphinx_gallery_parallel = False
import copy
import os
import re
import statistics
import sys
import time
from collections import Counter
from importlib.metadata import packages_distributions

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_FORCE_GPU_ALLOW_GROWTH", "true")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

# On Linux, torch comes with triton, the GPU compiler behind torch.compile,
# and imports it when first needed. A triton imported after TensorFlow crashes
# Python (tensorflow/tensorflow#124205), so it is imported first here.
try:
    import triton  # noqa: F401
except ImportError:  # no triton (macOS, Windows, the CPU build of torch)
    pass

try:
    import tensorflow as tf
except ModuleNotFoundError as err:
    raise ModuleNotFoundError(
        "This example needs TensorFlow: pip install tensorflow-cpu==2.21.0"
        " on Linux x86-64, tensorflow==2.21.0 elsewhere"
    ) from err

device = torch.device(
    os.environ.get("EXAMPLES_DEVICE")
    or torch.accelerator.current_accelerator(check_available=True)
    or "cpu"
)
print(f"Running on: {device}")
tensorflow_packages = ", ".join(packages_distributions()["tensorflow"])
print(f"TensorFlow {tf.__version__}, from {tensorflow_packages.replace('_', '-')}")
print(
    f"torch {torch.__version__}, using {torch.get_num_threads()} threads "
    f"of {os.cpu_count()} logical CPUs"
)

N, D_in, H, D_out = 64, 1000, 100, 10
steps = 500


# %%
# TensorFlow 2: a Python function that becomes a graph
# ----------------------------------------------------
# Page 5's data and weights, and an eager training step with a
# ``GradientTape``. ``tf.function`` turns the step into a graph. Its first
# call runs the Python body once on
# :term:`symbolic tensors <symbolic tensor>` and records a graph. Later calls
# with inputs of the same shape and type run that graph. The ``print`` is
# Python, so it runs only while tracing.
rng = np.random.default_rng(0)
x = tf.constant(rng.standard_normal((N, D_in)), tf.float32)
y = tf.constant(rng.standard_normal((N, D_out)), tf.float32)
w1 = tf.Variable(rng.standard_normal((D_in, H)), dtype=tf.float32)
w2 = tf.Variable(rng.standard_normal((H, D_out)), dtype=tf.float32)
learning_rate = 1e-6


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
# The first call traces a graph that holds the forward pass, the backward
# pass that the tape derived, and the updates, much like page 5's graph. The
# other 499 calls reuse it. All 500 calls train page 5's network from page
# 5's numbers, so the losses printed here can be compared with that page's
# last line. The traces are counted by ``experimental_get_tracing_count``.
# TensorFlow marks it experimental by its name, so it may change or go in a
# later release.
tf_losses, tf_seconds = [], []
for t in range(steps):
    start = time.perf_counter()
    loss = train_step(x, y)
    tf_losses.append(float(loss))
    tf_seconds.append(time.perf_counter() - start)
    if t == 0:
        traces = train_step.experimental_get_tracing_count
        graph = train_step.get_concrete_function(x, y).graph
        operations = Counter(op.type for op in graph.get_operations())
        print(f"Traces so far: {traces()}")
        print(f"The traced graph holds {operations.total()} operations, among them:")
        for op_type, count in operations.most_common(8):
            print(f"  {count:3d} x {op_type}")
tf_device = tf.DeviceSpec.from_string(loss.device).device_type.lower()
print(f"Traces after {steps} steps: {traces()}")
print(
    f"Loss {tf_losses[0]:.4e} at the first step, {tf_losses[-1]:.4e} "
    f"after {steps} steps"
)
print(
    f"tf.function on {tf_device}: first call {tf_seconds[0] * 1e3:.1f} ms, "
    f"later calls {statistics.median(tf_seconds[1:]) * 1e3:.2f} ms (median)"
)

# %%
# A graph is specialized to its *input signature*, the shapes and types it
# was traced with. Asking for batch 32 traces again. Asking for batch 64 finds
# the first graph. ``get_concrete_function`` only traces, so the weights stay
# as they are.
batch_32 = [tf.TensorSpec((32, d), tf.float32) for d in (D_in, D_out)]
train_step.get_concrete_function(*batch_32)
print(f"Traces after asking for batch 32: {traces()}")
train_step.get_concrete_function(x, y)
print(f"Traces after asking for batch 64 again: {traces()}")

# %%
# PyTorch 2: capturing the model's graph
# --------------------------------------
# :ref:`Page 6's <sphx_glr_auto_examples_nn_plot_6_nn_module.py>` model, data
# and update. ``torch.export`` traces the model with an example input. It
# returns the model's graph in PyTorch's :term:`aten` operators, one per layer
# (``linear``, ``relu``). The compiler below breaks these down further.
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
# Compiling the forward pass and the loss
# ---------------------------------------
# ``torch.compile`` wraps the function that computes the loss, that is, the
# model's forward pass and the loss function. Its first call does three
# things:
#
# - :term:`TorchDynamo` traces the Python code into a graph.
# - Autograd's backward for that graph is derived ahead of time.
# - The :term:`Inductor` compiler generates code for both: C++ on a CPU,
#   :term:`Triton` :term:`kernels <kernel>` on an NVIDIA GPU, and Metal
#   shaders on Apple's.
#
# The rest of a training step runs eagerly in both runs below: ``zero_grad()``,
# the update and ``.item()``. Two copies of the model start from the same
# weights. One trains eagerly, the other through the compiled function.
#
# On a CPU, Inductor needs a C++ compiler. By default it calls ``g++`` on
# Linux, Apple's ``clang`` (with OpenMP) on macOS and Microsoft's ``cl`` on
# Windows. The ``CXX`` variable names another. Triton, on an NVIDIA GPU,
# needs a C compiler. Without one, this page prints what to install, and
# trains eagerly only.
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
# Where this machine can compile, the first compiled step runs through
# Inductor's ``run_and_get_code``, which returns the generated code. That
# step's time includes tracing, and either compiling or, when this machine
# ran the page before, loading the compiled graphs from Inductor's on-disk
# cache. The cache's counters say which, and the printed
# line says it in words. Matrix products go to a library (``extern_kernels``).
# The element-wise work and reductions around them go into generated
# :term:`fused kernels <fused kernel>`.
#
# Both imports are private APIs (``torch._dynamo``, ``torch._inductor``),
# which may change in any release. PyTorch has no public Python API that
# returns the generated code or the cache's counters.
# ``TORCH_LOGS=output_code`` prints the code to the log instead. The errors
# for a missing or failing compiler (``InvalidCxxCompiler``,
# ``CppCompileError``) are private too, and may be renamed.
from torch._dynamo.utils import counters  # noqa: E402
from torch._inductor.utils import run_and_get_code  # noqa: E402

# What to install for the code Inductor generates, on each system.
COMPILER_INSTALL = {
    "linux": "install g++ and Python's headers "
    "(Debian and Ubuntu: sudo apt-get install g++ python3-dev)",
    "darwin": "install Apple's command line tools (xcode-select --install) "
    "and OpenMP (with Homebrew: brew install libomp)",
    "win32": "install Visual Studio's Build Tools with the C++ workload, then "
    "start Python from its x64 Native Tools Command Prompt, where cl is on PATH",
}


def compiler_problem(error):
    """What went wrong with the compiler, if that is what ``error``, as
    torch.compile raised it, comes from; else None."""
    while error is not None:
        if type(error).__name__ == "InvalidCxxCompiler":
            return "no working C++ compiler"
        if type(error).__name__ == "CppCompileError":
            said = [line for line in error.output.splitlines() if "error" in line]
            return "the C++ compiler failed" + (f", {said[0].strip()}" if said else "")
        if "Failed to find C compiler" in str(error):  # Triton's
            return "no working C compiler for Triton"
        error = getattr(error, "inner_exception", None) or error.__cause__
    return None


def first_compiled_step():
    compiled_loss(x, y).backward()


hits_before = counters["inductor"]["fxgraph_cache_hit"]
start = time.perf_counter()
try:
    _, generated = run_and_get_code(first_compiled_step)
except Exception as error:
    problem = compiler_problem(error)
    if problem is None:
        raise
    generated = None
    how = COMPILER_INSTALL.get(sys.platform, "install a C++ compiler")
    print(
        f"torch.compile cannot compile on this machine ({problem}): {how}. "
        "This run goes on without the compiled model."
    )
compile_seconds = time.perf_counter() - start
can_compile = generated is not None

if can_compile:
    cache_hits = counters["inductor"]["fxgraph_cache_hit"] - hits_before
    print(f"Graphs found in Inductor's on-disk cache: {cache_hits} of {len(generated)}")
    if cache_hits == 0:
        first_cost = "tracing and compiling"
    elif cache_hits == len(generated):
        first_cost = "tracing and loading the compiled graphs from Inductor's cache"
    else:
        first_cost = "tracing, compiling, and loading from Inductor's cache"
    print(
        f"First compiled step, including {first_cost}: {compile_seconds:.1f} s "
        f"(torch on {device.type})"
    )

    for code in generated:
        kind = "backward" if "tangents_" in code else "forward"
        # The kernels Inductor generated, whatever the device names them.
        kernels = re.findall(r"^(\w+) = async_compile\.", code, re.M)
        names = "|".join([r"extern_kernels\.\w+", *kernels])
        calls = re.findall(rf"^ +({names})(?:\.run)?\(", code, re.M)
        print(f"{kind} graph runs {len(calls)} kernels:")
        for call in calls:
            print(f"    {call}")

# %%
# Eager versus compiled
# ---------------------
# Both copies train for 500 steps, or only the eager one where the page
# cannot compile.
print("eager:")
eager_losses, eager_seconds = train(eager_loss, eager_model)
eager_step = statistics.median(eager_seconds)

if not can_compile:
    print(f"Median step: eager {eager_step * 1e3:.3f} ms (torch on {device.type})")
else:
    print("compiled:")
    compiled_losses, compiled_seconds = train(compiled_loss, compiled_model)
    compiled_step = statistics.median(compiled_seconds)
    gap = max(
        abs(a - b) / a for a, b in zip(eager_losses, compiled_losses, strict=True)
    )
    print(
        f"Median step: eager {eager_step * 1e3:.3f} ms, "
        f"compiled {compiled_step * 1e3:.3f} ms (torch on {device.type})"
    )
    print(
        f"Compiled steps take {compiled_step / eager_step:.2f} times as long "
        "as eager ones"
    )
    print(f"Largest relative gap between the two loss curves: {gap:.1e}")
    if compiled_step < eager_step:
        break_even = compile_seconds / (eager_step - compiled_step)
        print(
            f"The first compiled step ({first_cost}) is paid back after about "
            f"{break_even:,.0f} faster steps"
        )
    else:
        print(
            "On this machine the compiled step is not faster, so the first "
            f"compiled step ({first_cost}) is never paid back"
        )

# %%
# Where the page could compile, the two PyTorch loss curves differ a little,
# because compiling regroups the arithmetic. Compiling does not make the
# matrix products any faster, though they are most of this network's
# arithmetic. Both runs send them to the same library. What compiling changes
# is the work around them, which runs as fewer, fused kernels. The median step
# times above measured how much that saves on this machine, if anything.
#
# The figure draws the compiled run only where the page could compile:
#
# - On the left is the loss of each PyTorch run. Where there are two runs,
#   they train the same network from the same weights.
# - On the right is the time of each step of every run. The compiled run's
#   step 0 there is its first forward and backward pass, with no update,
#   which includes tracing, and compiling or loading.
#
# The TensorFlow steps train page 5's network, without biases, with page 5's
# learning rate of ``1e-6``. The PyTorch steps train page 6's, with biases,
# with page 6's ``1e-4``, at the same sizes. Step times are noisy, since
# whatever else runs on the machine shows up in single steps. The medians and
# first steps printed above are the numbers to read.
fig, (ax_loss, ax_time) = plt.subplots(1, 2, figsize=(9, 3.8))
tf_label = f"TensorFlow tf.function ({tf_device})"
eager_label = f"PyTorch eager ({device.type})"
compiled_label = f"PyTorch compiled ({device.type})"
after = range(1, steps + 1)
# A line style per implementation, so that the lines differ without colour.
ax_loss.semilogy(after, eager_losses, "-", label=eager_label)
if can_compile:
    ax_loss.semilogy(after, compiled_losses, "--", label=compiled_label)
ax_loss.set(xlabel="training step", ylabel="loss (sum of squared errors)")
ax_loss.set_title("PyTorch loss, page 6's network")
ax_loss.legend(fontsize="small")
ax_time.semilogy(after, tf_seconds, ":", label=tf_label)
ax_time.semilogy(after, eager_seconds, "-", label=eager_label)
if can_compile:
    compiled_steps = [compile_seconds] + compiled_seconds
    ax_time.semilogy(range(steps + 1), compiled_steps, "--", label=compiled_label)
ax_time.set(xlabel="training step", ylabel="seconds", title="Time of each step")
ax_time.legend(fontsize="small")
fig.tight_layout()
plt.show()

# %%
# Setting up, in detail
# ---------------------
# The first code cell sets three environment variables before it imports
# TensorFlow:
#
# - ``TF_CPP_MIN_LOG_LEVEL=2`` keeps TensorFlow's start-up messages out, as
#   on page 5.
# - ``TF_ENABLE_ONEDNN_OPTS=0`` switches its :term:`oneDNN` optimisations
#   off, as on page 5. That changes speed and rounding.
# - ``TF_FORCE_GPU_ALLOW_GROWTH=true``, which page 5 does not set, keeps a
#   GPU build of TensorFlow from taking nearly all the GPU's free memory at
#   once. Colab's TensorFlow is such a build. Taking that memory would leave
#   too little for torch, which runs after TensorFlow here.
#
# TensorFlow comes from the package that the second printed line names, and
# runs where the line about ``tf.function`` says. As page 5 explains, the
# error message in the first code cell and the install line can name
# different packages. The install line is in the download area and in the
# notebook's first cell.
#
# :term:`Triton`, the GPU compiler behind ``torch.compile``, is imported
# before TensorFlow, for the reason its comment gives.

# %%
# The page :doc:`/graphs` sets define-and-run, define-by-run and tracing
# side by side.
#
# Next, :ref:`page 13 <sphx_glr_auto_examples_beyond_plot_13_shared_weight_gradient.py>`
# looks inside page 9's shared weight and the gradient that autograd gives it.
