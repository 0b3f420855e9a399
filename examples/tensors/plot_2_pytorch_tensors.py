r"""
PyTorch Tensors: the same arithmetic, on any device
===================================================

A PyTorch ``Tensor`` is an n-dimensional array, much like a numpy array, with
one big difference: it can live on an accelerator (a CUDA or ROCm GPU, Apple's
MPS, ...) and compute there. This program is
:ref:`the numpy warm-up <sphx_glr_auto_examples_tensors_plot_1_numpy_warmup.py>`
line for line, with tensors in place of arrays, and so with torch's random
numbers and its default 32-bit floats where numpy drew its own 64-bit ones.
The gradients are still worked out by hand; the new idea is *where* the
numbers live. The page prints which device ran it.
"""

# %%
# Choosing a device
# -----------------
# ``torch.accelerator`` reports the accelerator PyTorch was built for and can
# see, if any; without one the program falls back to the CPU. Set the
# environment variable ``EXAMPLES_DEVICE`` (for example ``EXAMPLES_DEVICE=cpu``)
# to force a device.
import os

import matplotlib.pyplot as plt
import torch

device = torch.device(
    os.environ.get("EXAMPLES_DEVICE")
    or torch.accelerator.current_accelerator(check_available=True)
    or "cpu"
)
print(f"Running on: {device}")

# %%
# Data and weights
# ----------------
# The tensors are drawn from a seeded generator on the CPU and then moved to
# the device with ``.to(device)``, so every device starts from the very same
# numbers.
N, D_in, H, D_out = 64, 1000, 100, 10

torch.manual_seed(0)
x = torch.randn(N, D_in).to(device)
y = torch.randn(N, D_out).to(device)
w1 = torch.randn(D_in, H).to(device)
w2 = torch.randn(H, D_out).to(device)

# %%
# Training by hand
# ----------------
# Compare with the numpy program: ``np.maximum(h, 0)`` becomes
# ``h.clamp(min=0)``, ``.T`` and ``@`` stay the same, and the loss is pulled
# back to the CPU as a Python number with ``.item()``.
learning_rate = 1e-6
losses = []
for t in range(500):
    # Forward: input -> hidden (ReLU) -> output.
    h = x @ w1
    h_relu = h.clamp(min=0)
    y_pred = h_relu @ w2

    loss = (y_pred - y).pow(2).sum().item()
    losses.append(loss)
    if t % 100 == 99:
        print(f"step {t + 1:3d}   loss {loss:.4e}")

    # Backward: from the loss back to each weight matrix.
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.T @ grad_y_pred
    grad_h = grad_y_pred @ w2.T
    grad_h[h < 0] = 0
    grad_w1 = x.T @ grad_h

    # Update.
    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2

# %%
# The loss curve
# --------------
# The losses are not numpy's: torch's generator drew other random numbers,
# and these tensors hold 32-bit floats where numpy used 64-bit ones.
# :ref:`Page 10 <sphx_glr_auto_examples_beyond_plot_10_implementations_agree.py>`
# starts both from the same numbers and measures what 32 bits alone change.
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.semilogy(range(1, len(losses) + 1), losses)
ax.set_xlabel("training step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title(f"PyTorch tensors, gradients by hand ({device.type})")
fig.tight_layout()
plt.show()

print(
    f"Final loss after {len(losses)} steps: {losses[-1]:.4e}",
    f"(first step: {losses[0]:.4e})",
)

# %%
# **Against the original tutorial:** the original sets ``torch.device("cpu")``
# and offers a line to uncomment for a GPU, and creates its tensors there;
# this program picks the device itself and draws every tensor on the CPU
# first. It also seeds its random numbers, which the original leaves unseeded,
# so that every run on the same machine and device prints the same losses. It
# writes ``@`` and ``.T`` where the original calls ``.mm`` and ``.t()``, and
# zeroes the product in place where the original first clones it into
# ``grad_h``.
#
# Next, :ref:`page 3 <sphx_glr_auto_examples_autograd_plot_3_autograd.py>`
# lets PyTorch work out the gradients.
