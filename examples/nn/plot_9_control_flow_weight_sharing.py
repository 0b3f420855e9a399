r"""
Control flow and weight sharing
===============================

Because PyTorch records a fresh graph on every forward pass, ``forward`` can
be ordinary Python: loops, branches, random choices. This last program builds
a deliberately odd model, ``DynamicNet``, whose depth changes from pass to
pass: it applies one and the same middle layer anywhere from zero to three
times. Reusing a layer like that is *weight sharing*, and the page shows
exactly where the shared weights live and how their gradient is formed.
"""

# %%
# Choosing a device
# -----------------
# An accelerator when PyTorch sees one, the CPU otherwise, and
# ``EXAMPLES_DEVICE`` to force a choice.
import os
import random

import matplotlib.pyplot as plt
import numpy as np
import torch

device = torch.device(
    os.environ.get("EXAMPLES_DEVICE")
    or torch.accelerator.current_accelerator(check_available=True)
    or "cpu"
)
print(f"Running on: {device}")


# %%
# A model whose depth is decided at run time
# ------------------------------------------
# ``DynamicNet`` owns three ``Linear`` layers. ``forward`` draws a depth
# between 0 and 3 with Python's ``random`` module and runs a plain ``for``
# loop that many times, each time through ``self.middle``. There is only one
# ``self.middle``: every pass of the loop multiplies by the *same* weight
# matrix. That single attribute is where the weights are shared.
class DynamicNet(torch.nn.Module):
    def __init__(self, D_in, H, D_out):
        super().__init__()
        self.input = torch.nn.Linear(D_in, H)
        self.middle = torch.nn.Linear(H, H)
        self.output = torch.nn.Linear(H, D_out)
        self.last_depth = 0

    def forward(self, x):
        h_relu = self.input(x).clamp(min=0)
        self.last_depth = random.randint(0, 3)
        for _ in range(self.last_depth):
            h_relu = self.middle(h_relu).clamp(min=0)
        return self.output(h_relu)


# %%
# Data and model
# --------------
# Python's ``random`` is seeded too, so every build draws the same depths.
N, D_in, H, D_out = 64, 1000, 100, 10

random.seed(0)
torch.manual_seed(0)
x = torch.randn(N, D_in).to(device)
y = torch.randn(N, D_out).to(device)

model = DynamicNet(D_in, H, D_out).to(device)
for name, param in model.named_parameters():
    print(f"{name:15s} {tuple(param.shape)}")

loss_fn = torch.nn.MSELoss(reduction="sum")

# %%
# Where the shared weights get their gradient
# -------------------------------------------
# However many times the loop runs, the model has exactly the six parameter
# tensors listed above. When ``self.middle`` is used twice in one pass,
# autograd's graph contains two uses of ``middle.weight``, and
# ``backward()`` *adds* the gradient from each use into the one
# ``middle.weight.grad``. The check below does a pass of depth 2 and splits
# that sum apart with a forward hook that records each use's input.
uses = []
hook = model.middle.register_forward_hook(
    lambda module, args, out: uses.append((args[0], out))
)
model.last_depth = 2
h_relu = model.input(x).clamp(min=0)
for _ in range(2):
    h_relu = model.middle(h_relu).clamp(min=0)
check_loss = loss_fn(model.output(h_relu), y)
hook.remove()

per_use = torch.autograd.grad(check_loss, [out for _, out in uses], retain_graph=True)
grad_from_each_use = [g.T @ inp for g, (inp, _) in zip(per_use, uses, strict=True)]
(total,) = torch.autograd.grad(check_loss, [model.middle.weight])
gap = (total - sum(grad_from_each_use)).abs().max().item()
print(f"middle.weight was used {len(uses)} times in this pass")
print(
    f"its gradient equals the sum of the per-use gradients (max difference {gap:.1e})"
)

# %%
# Training
# --------
# Stochastic gradient descent with momentum (0.9) keeps a running velocity
# for every parameter, which smooths the updates of a model whose depth, and
# so whose gradient, jumps from step to step. The printed lines show the
# depth that each logged step happened to draw.
learning_rate = 1e-4
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate, momentum=0.9)

losses = []
depths = []
for t in range(500):
    y_pred = model(x)

    loss = loss_fn(y_pred, y)
    losses.append(loss.item())
    depths.append(model.last_depth)
    if t % 100 == 99:
        print(
            f"step {t + 1:3d}   loss {loss.item():.4e}",
            f"  middle layer used {model.last_depth}x",
        )

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

# %%
# The loss curve
# --------------
# The points are coloured by the depth drawn at that step. One set of
# weights has to serve all four depths, and a fit that suits one depth is a
# little off for the others. So, unlike the fixed-depth models of the
# earlier pages, this loss levels off into a noisy floor instead of falling
# steadily; the medians printed below the plot show how high that floor is
# for each depth over the last 100 steps.
fig, ax = plt.subplots(figsize=(6, 3.5))
losses, depths = np.array(losses), np.array(depths)
ax.semilogy(np.arange(1, len(losses) + 1), losses, color="0.7", linewidth=0.8, zorder=1)
for depth in range(4):
    at = np.flatnonzero(depths == depth)
    ax.scatter(at + 1, losses[at], s=6, label=f"middle layer used {depth}x", zorder=2)
ax.set_xlabel("training step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title(f"DynamicNet, SGD with momentum ({device.type})")
ax.legend(fontsize="small")
fig.tight_layout()
plt.show()

for depth in range(4):
    tail = losses[-100:][depths[-100:] == depth]
    print(
        f"last 100 steps, middle layer used {depth}x: median loss {np.median(tail):.3e}"
    )
print(
    f"Final loss after {len(losses)} steps: {losses[-1]:.4e}",
    f"(first step: {losses[0]:.4e})",
)
