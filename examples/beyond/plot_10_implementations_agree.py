r"""
One network, five ways: do the implementations agree?
======================================================

The lessons say that numpy and torch with hand-written gradients, autograd,
``torch.nn`` and TensorFlow compute the same thing. This page checks it: all
five start from the same float64 data and weights, and the page prints how
far apart their gradients and 500-step loss curves are. Then it repeats the
numpy run in float32.
"""

# %%
# Setting up
# ----------
# The torch versions run on the accelerator when PyTorch sees one, except on
# Apple's MPS, which has no float64. ``TF_CPP_MIN_LOG_LEVEL=2`` keeps
# TensorFlow's start-up messages out of the output; ``TF_ENABLE_ONEDNN_OPTS=0``
# switches its oneDNN optimisations off, which changes speed and rounding.
# triton, which torch uses to compile, is imported before TensorFlow, for the
# reason its comment gives.
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

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
        " (on macOS: tensorflow==2.21.0)"
    ) from err

device = torch.device(
    os.environ.get("EXAMPLES_DEVICE")
    or torch.accelerator.current_accelerator(check_available=True)
    or "cpu"
)
if device.type == "mps":
    device = torch.device("cpu")
print(f"Running on: {device}")

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
# with respect to ``w1`` and ``w2``, computed its own way, in the data type
# it was given. First the lessons' hand-written backward pass, in numpy and
# in torch.
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
# Then autograd, ``torch.nn`` (a ``Linear`` layer stores its weight
# transposed, hence the ``.T``) and TensorFlow's ``GradientTape``.
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
# computation of the loss and the gradients differs.
def train(loss_and_gradients, dtype=np.float64):
    data, weights = (
        (x.astype(dtype), y.astype(dtype)),
        [w1.astype(dtype), w2.astype(dtype)],
    )
    losses = []
    for t in range(steps):
        loss, *grads = loss_and_gradients(*data, *weights)
        losses.append(float(loss))
        if t == 0:
            first_grads = grads
        weights = [w - learning_rate * g for w, g in zip(weights, grads, strict=True)]
    return losses, first_grads


runs = {name: train(f) for name, f in implementations.items()}
for name, (losses, _) in runs.items():
    print(f"{name:24s} final loss after {len(losses)} steps: {losses[-1]:.6e}")

# %%
# The gradients agree
# -------------------
# With numpy's gradients of the first step as the reference: the largest
# difference, divided by the reference's largest entry.
reference_losses, reference_grads = runs.pop("numpy, by hand")


def relative_difference(a, reference):
    return np.abs(a - reference).max() / np.abs(reference).max()


print(f"{'implementation':24s} {'grad w1':>10s} {'grad w2':>10s}")
differences = {
    name: [
        relative_difference(g, r) for g, r in zip(grads, reference_grads, strict=True)
    ]
    for name, (_, grads) in runs.items()
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
# A few rounding units is what summing the same products in another order
# gives; a wrong gradient would differ by about 1.
#
# The loss curves coincide
# ------------------------
# Each step feeds its rounding into the next. The largest relative gap to
# numpy's loss, over all 500 steps, says whether those differences grew.
reference = np.array(reference_losses)
gaps = {
    name: np.abs(np.array(losses) - reference) / reference
    for name, (losses, _) in runs.items()
}
for name, gap in gaps.items():
    print(f"{name:24s} largest relative loss gap {gap.max():.1e}")
largest_loss_gap = max(gap.max() for gap in gaps.values())
print(f"Largest relative loss gap over {steps} steps: {largest_loss_gap:.1e}")

styles = ["-", "--", "-.", ":", (0, (1, 4))]
fig, ax = plt.subplots(figsize=(6, 3.5))
curves = {"numpy, by hand": reference_losses} | {
    n: losses for n, (losses, _) in runs.items()
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
losses_32, grads_32 = train(numpy_by_hand, np.float32)
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
# While the loss is large the two runs stay close. Once the errors it sums
# approach float32's rounding, the float32 run can follow no further and
# levels off. The gaps on a log scale (a step where two runs agree exactly
# has no point):
fig, ax = plt.subplots(figsize=(6, 4.5), layout="constrained")
for (name, gap), style in zip(gaps.items(), styles[1:], strict=True):
    ax.semilogy(range(1, steps + 1), gap, linestyle=style, label=f"{name} (float64)")
ax.semilogy(
    range(1, steps + 1), gap_32, color="black", label="numpy, by hand (float32)"
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
# Next, :ref:`page 11 <sphx_glr_auto_examples_beyond_plot_11_gpu_speed.py>`
# measures how fast each of these runs a training step.
