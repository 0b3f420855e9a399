r"""
Autograd: let PyTorch compute the gradients
===========================================

PyTorch's *autograd* works out the gradients for you. This program is
:ref:`page 2 <sphx_glr_auto_examples_tensors_plot_2_pytorch_tensors.py>` with
the hand-written backward pass replaced by a single call to ``loss.backward()``.
Writing the backward pass by hand was fine for two layers, but it grows with
every layer and every change to the model. Autograd records the forward pass
as it runs, as a graph from the tensors that need a gradient to the loss.
Here those tensors are the weights, and autograd then walks the graph
backwards to get their gradients.
"""

# %%
# Choosing a device
# -----------------
# An accelerator when PyTorch sees one, the CPU otherwise, and
# ``EXAMPLES_DEVICE`` to force a choice.
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
# The new idea is one call: ``.requires_grad_(True)`` marks the weights, and
# autograd then tracks every operation that uses them. The data needs no
# gradient, so it is not tracked.
N, D_in, H, D_out = 64, 1000, 100, 10

torch.manual_seed(0)
x = torch.randn(N, D_in).to(device)
y = torch.randn(N, D_out).to(device)
w1 = torch.randn(D_in, H).to(device).requires_grad_(True)
w2 = torch.randn(H, D_out).to(device).requires_grad_(True)

# %%
# Training with autograd
# ----------------------
# The program no longer needs to keep ``h`` and ``h_relu`` for a hand-written
# backward pass, so the forward pass shrinks to one line. After
# ``loss.backward()``, ``w1.grad`` and ``w2.grad`` hold the gradients.
#
# Two details matter. The update itself must not be recorded as part of the
# graph, so it runs inside ``torch.no_grad()``. And ``backward()`` *adds* to
# ``.grad`` rather than overwriting it, so the gradients are reset to zero
# after every update.
learning_rate = 1e-6
losses = []
for t in range(500):
    y_pred = (x @ w1).clamp(min=0) @ w2

    loss = (y_pred - y).pow(2).sum()
    losses.append(loss.item())
    if t % 100 == 99:
        print(f"step {t + 1:3d}   loss {loss.item():.4e}")

    loss.backward()

    with torch.no_grad():
        w1 -= learning_rate * w1.grad
        w2 -= learning_rate * w2.grad
        w1.grad.zero_()
        w2.grad.zero_()

# %%
# The loss curve
# --------------
# Same data, same starting weights, same gradients: the printed losses are
# those of :ref:`page 2 <sphx_glr_auto_examples_tensors_plot_2_pytorch_tensors.py>`.
# Autograd changed how much code we write, not what is computed.
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.semilogy(range(1, len(losses) + 1), losses)
ax.set_xlabel("training step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title(f"autograd ({device.type})")
fig.tight_layout()
plt.show()

print(
    f"Final loss after {len(losses)} steps: {losses[-1]:.4e}",
    f"(first step: {losses[0]:.4e})",
)

# %%
# **Against the original tutorial:** like page 2, this program picks its
# device. The original sets ``torch.device("cpu")`` and offers a line to
# uncomment for a GPU. This program also seeds torch's generator, which the
# original leaves unseeded. So every run on the same machine and device prints
# the same losses. It writes ``@`` where the original calls ``.mm``.
#
# Next, :ref:`page 4 <sphx_glr_auto_examples_autograd_plot_4_custom_function.py>`
# writes an operation of its own for autograd.
