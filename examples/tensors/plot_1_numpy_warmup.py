r"""
Warm-up: a two-layer network in numpy
=====================================

Before any PyTorch, this page trains a small network with plain numpy arrays.
numpy has no idea that the arrays form a network, so the forward pass, the
loss and every gradient are written out by hand. The network has one hidden
ReLU layer and learns to map 64 random inputs to 64 random targets. Watch the
printed loss fall by many orders of magnitude, then see the same fall on a
log-scale plot.
"""

# %%
# Data and weights
# ----------------
# A batch holds ``N`` examples, each with ``D_in`` input features. The network
# has ``H`` hidden units and ``D_out`` outputs. Every lesson uses these sizes,
# and only the speed page,
# :ref:`page 11 <sphx_glr_auto_examples_beyond_plot_11_gpu_speed.py>`, grows them.
# Inputs, targets and the starting weights are all drawn from a standard
# normal distribution. A seeded generator makes every run draw the same
# numbers.
import matplotlib.pyplot as plt
import numpy as np

N, D_in, H, D_out = 64, 1000, 100, 10

rng = np.random.default_rng(0)
x = rng.standard_normal((N, D_in))
y = rng.standard_normal((N, D_out))
w1 = rng.standard_normal((D_in, H))
w2 = rng.standard_normal((H, D_out))

# %%
# Training by hand
# ----------------
# Each step runs the network forward and measures the sum of squared errors.
# Then it applies the chain rule backwards, layer by layer, to get the
# gradient of the loss with respect to ``w1`` and ``w2``. The ReLU passes the
# gradient through everywhere except where its input was negative. Plain
# gradient descent then moves each weight a small step against its gradient.
learning_rate = 1e-6
losses = []
for t in range(500):
    # Forward: input -> hidden (ReLU) -> output.
    h = x @ w1
    h_relu = np.maximum(h, 0)
    y_pred = h_relu @ w2

    loss = np.square(y_pred - y).sum()
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
# On a logarithmic axis, a loss that shrinks by the same factor at every step
# is a straight line. So the plot shows where training speeds up and where it
# slows down.
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.semilogy(range(1, len(losses) + 1), losses)
ax.set_xlabel("training step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title("numpy, gradients by hand")
fig.tight_layout()
plt.show()

print(
    f"Final loss after {len(losses)} steps: {losses[-1]:.4e}",
    f"(first step: {losses[0]:.4e})",
)

# %%
# **Against the original tutorial:** the numbers come from numpy's seeded
# ``default_rng(0)``, where the original calls the unseeded
# ``np.random.randn``. So every run on the same machine prints the same
# losses. This program multiplies with ``@`` where the original calls
# ``.dot``. It zeroes the product in place, where the original first copies it
# into ``grad_h``. It prints the loss every 100 steps and plots all 500, where
# the original prints it at every step. Every later lesson prints and plots
# the same way.
#
# Next, :ref:`page 2 <sphx_glr_auto_examples_tensors_plot_2_pytorch_tensors.py>`
# runs the same program on PyTorch tensors.
