r"""
One network, five ways: do the implementations agree?
======================================================

The earlier pages claim that numpy with a hand-written backward pass, PyTorch
with a hand-written backward pass, autograd, ``torch.nn`` and TensorFlow all
compute the same thing. This page checks the claim instead of making it. Five
implementations start from the very same float64 data and weights; the page
prints how far apart their gradients are, draws their 500-step loss curves in
one figure, and then repeats the numpy run in float32 to show how much less
precise numbers change the result.
"""

# %%
# Choosing a device and importing TensorFlow quietly
# --------------------------------------------------
# The torch implementations run on the accelerator when PyTorch sees one.
# Apple's MPS has no float64, so there they fall back to the CPU. TensorFlow
# is imported with its start-up messages switched off.
import os

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
if device.type == "mps":
    device = torch.device("cpu")
print(f"Running on: {device}")

# %%
# One set of data and weights for everyone
# ----------------------------------------
# A single seeded numpy generator draws the data and the starting weights in
# float64. Every implementation below receives copies of these same arrays,
# so any difference in what they compute comes from the arithmetic alone.
N, D_in, H, D_out = 64, 1000, 100, 10
learning_rate = 1e-6
steps = 500

rng = np.random.default_rng(0)
x = rng.standard_normal((N, D_in))
y = rng.standard_normal((N, D_out))
w1 = rng.standard_normal((D_in, H))
w2 = rng.standard_normal((H, D_out))


# %%
# The five implementations
# ------------------------
# Each function trains the network by plain gradient descent and returns the
# loss of every step together with the gradients of the very first step,
# ``(grad_w1, grad_w2)``, as numpy arrays. The bodies are the training loops
# of the earlier pages, with only the data type left to the inputs.
#
# First, numpy with the backward pass written out by hand.
def numpy_by_hand(x, y, w1, w2):
    w1, w2 = w1.copy(), w2.copy()
    losses, first_grads = [], None
    for t in range(steps):
        h = x @ w1
        h_relu = np.maximum(h, 0)
        y_pred = h_relu @ w2
        loss = np.square(y_pred - y).sum()
        losses.append(float(loss))

        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.T @ grad_y_pred
        grad_h = grad_y_pred @ w2.T
        grad_h[h < 0] = 0
        grad_w1 = x.T @ grad_h
        if t == 0:
            first_grads = (grad_w1.copy(), grad_w2.copy())

        w1 -= learning_rate * grad_w1
        w2 -= learning_rate * grad_w2
    return losses, first_grads


# %%
# The same with torch tensors on the selected device. ``torch.tensor`` copies
# each array, keeping numpy's data type, so these tensors hold float64 too.
def to_torch(*arrays):
    return [torch.tensor(a, device=device) for a in arrays]


def to_numpy(*tensors):
    return tuple(t.detach().cpu().numpy().copy() for t in tensors)


def torch_by_hand(x, y, w1, w2):
    x, y, w1, w2 = to_torch(x, y, w1, w2)
    losses, first_grads = [], None
    for t in range(steps):
        h = x @ w1
        h_relu = h.clamp(min=0)
        y_pred = h_relu @ w2
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())

        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.T @ grad_y_pred
        grad_h = grad_y_pred @ w2.T
        grad_h[h < 0] = 0
        grad_w1 = x.T @ grad_h
        if t == 0:
            first_grads = to_numpy(grad_w1, grad_w2)

        w1 -= learning_rate * grad_w1
        w2 -= learning_rate * grad_w2
    return losses, first_grads


# %%
# Autograd works out the gradients instead.
def torch_autograd(x, y, w1, w2):
    x, y, w1, w2 = to_torch(x, y, w1, w2)
    w1.requires_grad_(True)
    w2.requires_grad_(True)
    losses, first_grads = [], None
    for t in range(steps):
        loss = ((x @ w1).clamp(min=0) @ w2 - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        if t == 0:
            first_grads = to_numpy(w1.grad, w2.grad)

        with torch.no_grad():
            w1 -= learning_rate * w1.grad
            w2 -= learning_rate * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
    return losses, first_grads


# %%
# ``torch.nn`` layers without biases hold the same two matrices. A ``Linear``
# layer stores its weight transposed, as ``(out_features, in_features)``, so
# the weights go in, and the gradients come out, through ``.T``.
def torch_nn(x, y, w1, w2):
    x, y, w1, w2 = to_torch(x, y, w1, w2)
    model = torch.nn.Sequential(
        torch.nn.Linear(D_in, H, bias=False),
        torch.nn.ReLU(),
        torch.nn.Linear(H, D_out, bias=False),
    ).to(device, torch.float64)
    with torch.no_grad():
        model[0].weight.copy_(w1.T)
        model[2].weight.copy_(w2.T)
    loss_fn = torch.nn.MSELoss(reduction="sum")

    losses, first_grads = [], None
    for t in range(steps):
        loss = loss_fn(model(x), y)
        losses.append(loss.item())
        model.zero_grad()
        loss.backward()
        if t == 0:
            first_grads = to_numpy(model[0].weight.grad.T, model[2].weight.grad.T)

        with torch.no_grad():
            for param in model.parameters():
                param -= learning_rate * param.grad
    return losses, first_grads


# %%
# TensorFlow 2 records the forward pass on a ``GradientTape`` and asks the
# tape for the gradients, much as autograd does.
def tensorflow_tape(x, y, w1, w2):
    x, y = tf.constant(x), tf.constant(y)
    w1, w2 = tf.Variable(w1), tf.Variable(w2)
    losses, first_grads = [], None
    for t in range(steps):
        with tf.GradientTape() as tape:
            y_pred = tf.matmul(tf.maximum(tf.matmul(x, w1), 0.0), w2)
            loss = tf.reduce_sum(tf.square(y_pred - y))
        losses.append(float(loss))
        grad_w1, grad_w2 = tape.gradient(loss, [w1, w2])
        if t == 0:
            first_grads = (grad_w1.numpy(), grad_w2.numpy())

        w1.assign_sub(learning_rate * grad_w1)
        w2.assign_sub(learning_rate * grad_w2)
    return losses, first_grads


# %%
# Running all five
# ----------------
# Each implementation trains for 500 steps from copies of the same arrays.
implementations = {
    "numpy, by hand": numpy_by_hand,
    "torch, by hand": torch_by_hand,
    "torch autograd": torch_autograd,
    "torch.nn": torch_nn,
    "TensorFlow GradientTape": tensorflow_tape,
}
runs = {name: train(x, y, w1, w2) for name, train in implementations.items()}
for name, (losses, _) in runs.items():
    print(f"{name:24s} final loss after {len(losses)} steps: {losses[-1]:.6e}")

# %%
# The gradients agree
# -------------------
# numpy's hand-written gradients are the reference. For each other
# implementation and each weight matrix, the table gives the largest
# difference between the two gradients, divided by the largest entry of the
# reference, so that 1e-16 would mean agreement to the last bit of a float64
# (whose rounding unit is about 1.1e-16).
reference_losses, reference_grads = runs["numpy, by hand"]


def relative_difference(a, reference):
    return np.abs(a - reference).max() / np.abs(reference).max()


print(f"{'implementation':24s} {'grad w1':>10s} {'grad w2':>10s}")
largest_grad_difference = 0.0
for name, (_, grads) in runs.items():
    if name == "numpy, by hand":
        continue
    differences = [
        relative_difference(g, r) for g, r in zip(grads, reference_grads, strict=True)
    ]
    largest_grad_difference = max(largest_grad_difference, *differences)
    print(f"{name:24s} {differences[0]:10.1e} {differences[1]:10.1e}")
unit = np.finfo(np.float64).eps / 2
print(
    f"Largest relative gradient difference: {largest_grad_difference:.1e}, "
    f"{largest_grad_difference / unit:.0f} times float64's rounding unit"
)

# %%
# A difference of a few rounding units is what adding up the same products
# in another order produces, and each library has its own
# matrix-multiplication kernels that choose the order. A mistake in a
# gradient would show up as a difference near 1.
#
# The loss curves coincide
# ------------------------
# Gradient descent feeds each step's rounding into the next, so small
# differences could in principle grow over 500 steps. The largest relative gap
# between any implementation's loss and numpy's, over all steps, says whether
# they did.
reference = np.array(reference_losses)
gaps = {
    name: np.abs(np.array(losses) - reference) / reference
    for name, (losses, _) in runs.items()
    if name != "numpy, by hand"
}
for name, gap in gaps.items():
    print(f"{name:24s} largest relative loss gap {gap.max():.1e}")
largest_loss_gap = max(gap.max() for gap in gaps.values())
print(f"Largest relative loss gap over {steps} steps: {largest_loss_gap:.1e}")

# %%
# Drawn in one figure, with a different line style for each implementation:
# with gaps as small as those printed, the five curves lie on top of each
# other.
styles = ["-", "--", "-.", ":", (0, (1, 4))]
fig, ax = plt.subplots(figsize=(6, 3.5))
for (name, (losses, _)), style in zip(runs.items(), styles, strict=True):
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
# The torch pages of this site compute in float32, whose rounding unit is
# about 6e-8 rather than 1.1e-16. Running numpy's hand-written version again
# on float32 copies of the same data shows how far that moves the result.
losses_32, grads_32 = numpy_by_hand(*(a.astype(np.float32) for a in (x, y, w1, w2)))
gap_32 = np.abs(np.array(losses_32) - reference) / reference
grad_difference_32 = max(
    relative_difference(g, r) for g, r in zip(grads_32, reference_grads, strict=True)
)
steps_within_1_percent = int(np.argmax(gap_32 > 0.01)) if gap_32.max() > 0.01 else steps
print(f"float32 relative gradient difference at step 1: {grad_difference_32:.1e}")
print(f"float32 relative loss gap at step 1: {gap_32[0]:.1e}")
print(f"float32 loss stays within 1% of float64 for {steps_within_1_percent} steps")
print(f"float32 largest relative loss gap: {gap_32.max():.1e}")
print(f"final loss: float32 {losses_32[-1]:.4e}, float64 {reference_losses[-1]:.4e}")

# %%
# Rounding in float32 is about half a billion times coarser, and the gradients
# of the first step differ accordingly. While the loss is large, that barely
# matters: the two runs follow each other closely. But the loss is a sum of
# squared differences between predictions and targets of size about 1, and
# once those differences shrink towards the size of float32's rounding
# errors, the float32 run cannot follow float64 any further and its loss
# levels off, as the printed final losses show.
#
# On a log scale, the relative gap of every float64 implementation to numpy's
# float64 run stays near the bottom of the figure, while the float32 run sits
# many orders of magnitude above it. Steps where two runs agree exactly are
# missing from a log scale, which cannot show zero.
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
