r"""
Writing your own nn.Module
==========================

A model of your own design is a subclass of ``nn.Module``: it creates its
layers in ``__init__`` and connects them in ``forward``. ``nn.Sequential``
covers only models that are a straight chain of layers.

This program is :ref:`page 7 <sphx_glr_auto_examples_nn_plot_7_optim.py>`
with its ``Sequential`` model rewritten as such a class, ``TwoLayerNet``.
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
# The model as a class
# --------------------
# Any ``nn.Module`` assigned as an attribute in ``__init__`` becomes a
# sub-module. Its parameters show up in ``model.parameters()`` and move with
# ``model.to(device)``. ``forward`` may use any tensor operation, not just
# modules. Here the ReLU is the function ``clamp``.
class TwoLayerNet(torch.nn.Module):
    def __init__(self, D_in, H, D_out):
        super().__init__()
        self.linear1 = torch.nn.Linear(D_in, H)
        self.linear2 = torch.nn.Linear(H, D_out)

    def forward(self, x):
        h_relu = self.linear1(x).clamp(min=0)
        return self.linear2(h_relu)


# %%
# Data and model
# --------------
# The same data and loss as on page 7. Creating the layers in the same order
# as its ``Sequential`` model draws the same starting weights from the seeded
# generator.
N, D_in, H, D_out = 64, 1000, 100, 10

torch.manual_seed(0)
x = torch.randn(N, D_in).to(device)
y = torch.randn(N, D_out).to(device)

model = TwoLayerNet(D_in, H, D_out).to(device)
print(model)

loss_fn = torch.nn.MSELoss(reduction="sum")

# %%
# The optimizer
# -------------
# As on page 7: Adam.
learning_rate = 1e-4
optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)

# %%
# Training
# --------
# Unchanged: ``model(x)`` calls ``forward``, whatever the class of ``model``.
losses = []
for t in range(500):
    y_pred = model(x)

    loss = loss_fn(y_pred, y)
    losses.append(loss.item())
    if t % 100 == 99:
        print(f"step {t + 1:3d}   loss {loss.item():.4e}")

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

# %%
# The loss curve
# --------------
# Same starting weights, same update rule, and the same computation but for
# one point. At an input of exactly 0, ``clamp`` passes the gradient on and
# ``nn.ReLU`` does not
# (:ref:`page 4 <sphx_glr_auto_examples_autograd_plot_4_custom_function.py>`).
# So the printed losses are
# :ref:`page 7's <sphx_glr_auto_examples_nn_plot_7_optim.py>` until a hidden
# unit's input comes out exactly 0. Then they differ in the last digits.
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.semilogy(range(1, len(losses) + 1), losses)
ax.set_xlabel("training step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title(f"custom nn.Module ({device.type})")
fig.tight_layout()
plt.show()

print(
    f"Final loss after {len(losses)} steps: {losses[-1]:.4e}",
    f"(first step: {losses[0]:.4e})",
)

# %%
# **Against the original tutorial:** the original trains ``TwoLayerNet`` with
# ``torch.optim.SGD`` at the same learning rate, without momentum. This page
# keeps page 7's Adam, so that only the model changes. Like the original, its
# ``forward`` writes the ReLU as ``clamp(min=0)``, where page 7 used
# ``nn.ReLU``. That swap moves the last digits of the losses. The original has
# no device code, so it runs on the CPU. This program picks its device, as
# page 7 does. It also seeds torch's generator, which the original leaves
# unseeded. So every run on the same machine and device prints the same
# losses.
#
# Next, :ref:`page 9 <sphx_glr_auto_examples_nn_plot_9_control_flow_weight_sharing.py>`
# writes a ``forward`` whose loop length changes from step to step.
