r"""
PyTorch Tensors: the same arithmetic, on any device
===================================================

A PyTorch ``Tensor`` is an n-dimensional array, much like a numpy array, that
can also live on an accelerator and compute there. Such accelerators include
CUDA or ROCm GPUs and Apple's MPS. This program is
:ref:`the numpy warm-up <sphx_glr_auto_examples_tensors_plot_1_numpy_warmup.py>`
line for line, with tensors in place of arrays. The gradients are still worked
out by hand, and the new idea is *where* the numbers live. The page prints
which device ran it.
"""

# %%
# Choosing a device
# -----------------
# ``torch.accelerator`` reports the accelerator PyTorch was built for and can
# see, if any. Without one, the program falls back to the CPU. To force a
# device, set the environment variable ``EXAMPLES_DEVICE``, for example
# ``EXAMPLES_DEVICE=cpu``.
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
# A seeded generator draws the tensors on the CPU, and ``.to(device)`` then
# moves them to the device. So every device starts from the very same numbers.
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
# ``h.clamp(min=0)``, and ``.T`` and ``@`` stay the same. ``.item()`` pulls the
# loss back to the CPU as a Python number.
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
# The losses are not numpy's, because torch's generator drew other random
# numbers, and because these tensors hold 32-bit floats where numpy used
# 64-bit ones.
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
# and creates its tensors there, with a line to uncomment for a GPU. This
# program picks the device itself and draws every tensor on the CPU first. It
# also seeds torch's generator, which the original leaves unseeded. So every
# run on the same machine and device prints the same losses. Like the
# original, it computes in float32, torch's default, where page 1 used
# float64. It writes ``@`` and ``.T`` where the original calls ``.mm`` and
# ``.t()``. It zeroes the product in place, where the original first clones
# it into ``grad_h``.
#
# Next, :ref:`page 3 <sphx_glr_auto_examples_autograd_plot_3_autograd.py>`
# lets PyTorch work out the gradients.
