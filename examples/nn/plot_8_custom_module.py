r"""
Writing your own nn.Module
==========================

``nn.Sequential`` covers models that are a straight chain of layers. For
anything else you write a subclass of ``nn.Module``: create the layers in
``__init__`` and say how they connect in ``forward``. This program wraps the
same two-layer network in such a class, ``TwoLayerNet``, and trains it with
the stochastic gradient descent optimizer, ``torch.optim.SGD``.
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
# sub-module: its parameters show up in ``model.parameters()`` and move with
# ``model.to(device)``. ``forward`` may use any tensor operation, not just
# modules; here the ReLU is the function ``clamp``.
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
# Creating the layers in the same order as the ``Sequential`` model of the
# previous programs draws the same starting weights from the seeded
# generator.
N, D_in, H, D_out = 64, 1000, 100, 10

torch.manual_seed(0)
x = torch.randn(N, D_in).to(device)
y = torch.randn(N, D_out).to(device)

model = TwoLayerNet(D_in, H, D_out).to(device)
n_params = sum(p.numel() for p in model.parameters())
print(f"TwoLayerNet has {n_params} parameters")

loss_fn = torch.nn.MSELoss(reduction="sum")

# %%
# Training
# --------
# ``torch.optim.SGD`` without extra options performs exactly the update that
# the ``torch.nn`` program wrote by hand, ``param -= lr * param.grad``.
learning_rate = 1e-4
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

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
# Same starting weights and the same update rule as the ``torch.nn``
# program: the printed losses should match that page's.
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.semilogy(range(1, len(losses) + 1), losses)
ax.set_xlabel("training step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title(f"custom nn.Module with SGD ({device.type})")
fig.tight_layout()
plt.show()

print(
    f"Final loss after {len(losses)} steps: {losses[-1]:.4e}",
    f"(first step: {losses[0]:.4e})",
)
