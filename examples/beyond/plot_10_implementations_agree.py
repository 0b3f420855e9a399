r"""
One network, five ways: do the implementations agree?
======================================================

This page checks that the lessons' implementations of one network compute the
same thing. It trains a two-layer ReLU network five ways from the same float64
data and weights, and prints how far apart the results are.

The five ways are numpy and torch by hand, torch autograd, ``torch.nn`` and
TensorFlow. "By hand" means the lessons' hand-written backward pass. The page
compares the gradients of the first step and the losses of 500 steps. Then it
repeats the numpy run in float32 and finds out why that run drifts.

``torch.nn`` runs here without the biases that page 6 adds, so that it
computes the same network. TensorFlow enters through its ``GradientTape``,
run eagerly. It runs neither inside ``tf.function``, as on
:ref:`page 12 <sphx_glr_auto_examples_beyond_plot_12_static_graphs_today.py>`,
nor through the graph and ``tf.gradients`` of
:ref:`page 5 <sphx_glr_auto_examples_autograd_plot_5_tensorflow_static_graph.py>`.
"""

# %%
# Setting up
# ----------
# The torch versions run on the accelerator when PyTorch sees one. On Apple's
# MPS, which has no float64, they run on the CPU. The program sets three
# environment variables for TensorFlow and prints the versions it runs with.
# The section *Setting up, in detail*, at the end of the page, says why.
import os
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
if device.type == "mps":
    device = torch.device("cpu")
    print("MPS has no float64, so torch runs on the CPU here")
print(f"Running on: {device}")
tensorflow_packages = ", ".join(packages_distributions()["tensorflow"])
print(f"TensorFlow {tf.__version__}, from {tensorflow_packages.replace('_', '-')}")
print(f"torch {torch.__version__}, numpy {np.__version__}")

N, D_in, H, D_out = 64, 1000, 100, 10
learning_rate = 1e-6
steps = 500

rng = np.random.default_rng(0)
x = rng.standard_normal((N, D_in))
y = rng.standard_normal((N, D_out))
w1 = rng.standard_normal((D_in, H))
w2 = rng.standard_normal((H, D_out))


# %%
# Five ways to the loss and its gradients
# ---------------------------------------
# Each function takes numpy arrays and returns the loss and the gradients
# with respect to ``w1`` and ``w2``. Each computes them its own way, in the
# data type it was given. First come the lessons' hand-written backward
# passes, in numpy and in torch.
def numpy_by_hand(x, y, w1, w2):
    h = x @ w1
    h_relu = np.maximum(h, 0)
    y_pred = h_relu @ w2
    grad_y_pred = 2.0 * (y_pred - y)
    grad_h = grad_y_pred @ w2.T
    grad_h[h < 0] = 0
    return np.square(y_pred - y).sum(), x.T @ grad_h, h_relu.T @ grad_y_pred


def torch_by_hand(x, y, w1, w2):
    x, y, w1, w2 = (torch.tensor(a, device=device) for a in (x, y, w1, w2))
    h = x @ w1
    h_relu = h.clamp(min=0)
    y_pred = h_relu @ w2
    grad_y_pred = 2.0 * (y_pred - y)
    grad_h = grad_y_pred @ w2.T
    grad_h[h < 0] = 0
    grads = x.T @ grad_h, h_relu.T @ grad_y_pred
    return (y_pred - y).pow(2).sum().item(), *(g.cpu().numpy() for g in grads)


# %%
# Then come autograd, ``torch.nn`` and TensorFlow's ``GradientTape``. A
# ``Linear`` layer stores its weight transposed, hence the ``.T``.
def torch_autograd(x, y, w1, w2):
    x, y, w1, w2 = (torch.tensor(a, device=device) for a in (x, y, w1, w2))
    w1.requires_grad_(True)
    w2.requires_grad_(True)
    loss = ((x @ w1).clamp(min=0) @ w2 - y).pow(2).sum()
    loss.backward()
    return loss.item(), w1.grad.cpu().numpy(), w2.grad.cpu().numpy()


model = torch.nn.Sequential(
    torch.nn.Linear(D_in, H, bias=False),
    torch.nn.ReLU(),
    torch.nn.Linear(H, D_out, bias=False),
).to(device, torch.float64)
loss_fn = torch.nn.MSELoss(reduction="sum")


def torch_nn(x, y, w1, w2):
    x, y, w1, w2 = (torch.tensor(a, device=device) for a in (x, y, w1, w2))
    with torch.no_grad():
        model[0].weight.copy_(w1.T)
        model[2].weight.copy_(w2.T)
    model.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    grads = model[0].weight.grad.T, model[2].weight.grad.T
    return loss.item(), *(g.cpu().numpy() for g in grads)


def tensorflow_tape(x, y, w1, w2):
    w1, w2 = tf.constant(w1), tf.constant(w2)
    with tf.GradientTape() as tape:
        tape.watch([w1, w2])
        loss = tf.reduce_sum(tf.square(tf.maximum(x @ w1, 0.0) @ w2 - y))
    return float(loss), *(g.numpy() for g in tape.gradient(loss, [w1, w2]))


implementations = {
    "numpy, by hand": numpy_by_hand,
    "torch, by hand": torch_by_hand,
    "torch autograd": torch_autograd,
    "torch.nn": torch_nn,
    "TensorFlow GradientTape": tensorflow_tape,
}


# %%
# Training with each
# ------------------
# One loop of plain gradient descent serves them all, so that only the
# computation of the loss and the gradients differs. The loop can also keep
# the weights in another type than the one the gradients are computed in.
# The float32 section below needs that.
def train(loss_and_gradients, maths=np.float64, weights=np.float64):
    data = x.astype(maths), y.astype(maths)
    stored = [w1.astype(weights), w2.astype(weights)]
    losses = []
    for t in range(steps):
        loss, *grads = loss_and_gradients(*data, *(w.astype(maths) for w in stored))
        losses.append(float(loss))
        if t == 0:
            first_grads = grads
        last_step = stored, grads
        stored = [
            (w - learning_rate * g).astype(weights)
            for w, g in zip(stored, grads, strict=True)
        ]
    return losses, first_grads, last_step


runs = {name: train(f) for name, f in implementations.items()}
for name, (losses, _, _) in runs.items():
    print(f"{name:24s} final loss after {len(losses)} steps: {losses[-1]:.6e}")

# %%
# The gradients agree
# -------------------
# numpy's gradients of the first step are the reference. Each number in the
# table is the largest difference from them, divided by the reference's
# largest entry.
reference_losses, reference_grads, _ = runs.pop("numpy, by hand")


def relative_difference(a, reference):
    return np.abs(a - reference).max() / np.abs(reference).max()


print(f"{'implementation':24s} {'grad w1':>10s} {'grad w2':>10s}")
differences = {
    name: [
        relative_difference(g, r) for g, r in zip(grads, reference_grads, strict=True)
    ]
    for name, (_, grads, _) in runs.items()
}
for name, (d1, d2) in differences.items():
    print(f"{name:24s} {d1:10.1e} {d2:10.1e}")
largest_grad_difference = max(max(d) for d in differences.values())
unit = np.finfo(np.float64).eps / 2
print(
    f"Largest relative gradient difference: {largest_grad_difference:.1e}, "
    f"{largest_grad_difference / unit:.0f} times float64's rounding unit"
)

# %%
# float64's :term:`rounding unit` is the largest relative error of rounding
# one result to float64. Implementations that add the same products in
# another order differ by some of these units. A wrong formula would give a
# relative difference near 1. To measure what order alone does, numpy
# computes the same gradients again with the rows of the batch reversed.
# That changes nothing in the mathematics, only the order of the additions:
_, *reordered_grads = numpy_by_hand(x[::-1], y[::-1], w1, w2)
reordered = max(map(relative_difference, reordered_grads, reference_grads))
print(
    f"numpy against itself, batch reversed: {reordered:.1e}, "
    f"{reordered / unit:.0f} times float64's rounding unit"
)

# %%
# The loss curves coincide
# ------------------------
# Each step feeds its rounding into the next. Did those differences grow?
# Each row gives the relative gap to numpy's loss at the first step, and the
# largest gap over all 500 steps.
reference = np.array(reference_losses)
gaps = {
    name: np.abs(np.array(losses) - reference) / reference
    for name, (losses, _, _) in runs.items()
}
for name, gap in gaps.items():
    print(
        f"{name:24s} relative loss gap {gap[0]:.1e} at step 1, largest {gap.max():.1e}"
    )
first_loss_gap = max(gap[0] for gap in gaps.values())
largest_loss_gap = max(gap.max() for gap in gaps.values())
print(f"Largest relative loss gap at step 1: {first_loss_gap:.1e}")
print(f"Largest relative loss gap over {steps} steps: {largest_loss_gap:.1e}")

# %%
# They grew, yet the curves still coincide on a log scale. As the loss falls,
# it becomes a sum of squares of errors far smaller than the predictions they
# are computed from. So the same tiny differences in the weights make a
# larger relative difference in it.
styles = ["-", "--", "-.", ":", (0, (1, 4))]
fig, ax = plt.subplots(figsize=(6, 3.5))
curves = {"numpy, by hand": reference_losses} | {
    n: losses for n, (losses, _, _) in runs.items()
}
for (name, losses), style in zip(curves.items(), styles, strict=True):
    ax.semilogy(range(1, steps + 1), losses, linestyle=style, linewidth=2, label=name)
ax.set_xlabel("training step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title("Five implementations, float64")
ax.legend()
fig.tight_layout()
plt.show()

# %%
# float32 versus float64
# ----------------------
# The torch lessons compute in float32. The numpy version again, on float32
# copies of the same data:
losses_32, grads_32, (weights_32, last_grads_32) = train(
    numpy_by_hand, np.float32, np.float32
)
gap_32 = np.abs(np.array(losses_32) - reference) / reference
grad_difference_32 = max(map(relative_difference, grads_32, reference_grads))
steps_within_1_percent = int(np.argmax(gap_32 > 0.01)) if gap_32.max() > 0.01 else steps
unit_32 = np.finfo(np.float32).eps / 2
print(f"float32 rounding unit {unit_32:.1e}, {unit_32 / unit:.1e} times float64's")
print(f"float32 relative gradient difference at step 1: {grad_difference_32:.1e}")
print(f"float32 relative loss gap at step 1: {gap_32[0]:.1e}")
print(f"float32 loss stays within 1% of float64 for {steps_within_1_percent} steps")
print(f"float32 largest relative loss gap: {gap_32.max():.1e}")
print(f"final loss: float32 {losses_32[-1]:.4e}, float64 {reference_losses[-1]:.4e}")

# %%
# Which float32 matters?
# ----------------------
# A run computes gradients, and it stores weights. Two more runs split the
# two. One does float32 arithmetic on weights kept in float64. The other does
# float64 arithmetic on weights rounded to float32 after every update.
mixed = {
    "float32 maths, float64 weights": train(numpy_by_hand, np.float32, np.float64),
    "float64 maths, float32 weights": train(numpy_by_hand, np.float64, np.float32),
}
columns = {
    "float64": reference_losses,
    "float32": losses_32,
    "f32 maths, f64 weights": mixed["float32 maths, float64 weights"][0],
    "f64 maths, f32 weights": mixed["float64 maths, float32 weights"][0],
}
print("loss at step" + "".join(f"{name:>23s}" for name in columns))
for step in range(100, steps + 1, 100):
    print(f"{step:12d}" + "".join(f"{run[step - 1]:23.4e}" for run in columns.values()))
ratios = [
    f"{name} {run[-1] / reference_losses[-1]:.2f}x" for name, run in columns.items()
]
print(f"Loss at step {steps} as a multiple of float64's: {'; '.join(ratios[1:])}")

# %%
# Weights kept in float64 end far closer to the float64 run than weights
# stored in float32, though not on it, as the last line shows. float64
# arithmetic does not help weights that are stored in float32.
# Storing a weight in float32 rounds it to the nearest float32 number. So an
# update smaller than half the spacing of float32 numbers at that weight
# changes nothing. At the float32 run's last step:
for name, w, g in zip(("w1", "w2"), weights_32, last_grads_32, strict=True):
    update = np.abs(learning_rate * g)
    spacing = np.spacing(np.abs(w))
    unchanged = np.mean(w - learning_rate * g == w)
    print(
        f"{name}: median update {np.median(update):.1e}, median spacing of the "
        f"weights {np.median(spacing):.1e}; the update leaves {unchanged:.0%} "
        "of the weights as they were"
    )

# %%
# At the last step, most of the float32 run's updates were lost to rounding.
# So its loss falls more slowly, yet it still falls, as the table shows. The
# figure plots the gaps on a log scale. A step where two runs agree exactly
# has no point on it.
fig, ax = plt.subplots(figsize=(6, 5), layout="constrained")
for (name, gap), style in zip(gaps.items(), styles[1:], strict=True):
    ax.semilogy(range(1, steps + 1), gap, linestyle=style, label=f"{name} (float64)")
ax.semilogy(
    range(1, steps + 1), gap_32, color="black", label="numpy, by hand (float32)"
)
mixed_styles = ["-", (0, (5, 2, 1, 2, 1, 2))]
for (name, (losses, _, _)), style in zip(mixed.items(), mixed_styles, strict=True):
    gap = np.abs(np.array(losses) - reference) / reference
    ax.semilogy(
        range(1, steps + 1), gap, linestyle=style, color="gray", label=f"numpy, {name}"
    )
ax.set_xlabel("training step")
ax.set_ylabel("relative gap to numpy float64")
ax.set_title("How far each run's loss is from numpy's float64 loss")
fig.legend(loc="outside lower center", ncols=2, fontsize="small")
plt.show()

print(
    f"Final loss after {steps} steps: {reference_losses[-1]:.4e} "
    f"(first step: {reference_losses[0]:.4e})"
)

# %%
# Setting up, in detail
# ---------------------
# Before it imports TensorFlow, the program sets three environment
# variables, unless they are set already:
#
# - ``TF_CPP_MIN_LOG_LEVEL=2`` keeps TensorFlow's start-up messages out of the
#   output.
# - ``TF_ENABLE_ONEDNN_OPTS=0`` switches TensorFlow's :term:`oneDNN`
#   optimisations off. Switching them off changes speed and rounding.
# - ``TF_FORCE_GPU_ALLOW_GROWTH=true`` has a GPU build of TensorFlow (Colab's,
#   for one) take GPU memory as it needs it. Otherwise it takes nearly all the
#   free memory at once, which would leave too little for torch.
#
# TensorFlow computes last on this page. So the last setting matters only if
# torch runs after TensorFlow in the same Python process, as when a notebook
# cell is run again.
#
# :term:`Triton`, the GPU compiler behind ``torch.compile``, is imported
# before TensorFlow, for the reason the comment above its import gives.
#
# The install line and the error message in the code can name different
# TensorFlow packages, as
# :ref:`page 5 <sphx_glr_auto_examples_autograd_plot_5_tensorflow_static_graph.py>`
# explains. The install line is in the download area and the notebook's
# first cell. So the program prints the package this run used, beside the
# versions of the three libraries.

# %%
# Next, :ref:`page 11 <sphx_glr_auto_examples_beyond_plot_11_gpu_speed.py>`
# measures how long a training step takes with numpy and with torch, on a CPU
# and, where there is one, on an accelerator.
