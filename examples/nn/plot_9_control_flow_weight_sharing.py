r"""
Control flow and weight sharing
===============================

Because PyTorch records a fresh graph on every forward pass, ``forward`` can
be ordinary Python: loops, branches, random choices. This program is
:ref:`page 8 <sphx_glr_auto_examples_nn_plot_8_custom_module.py>` with a
deliberately odd model, ``DynamicNet``, whose depth changes from pass to pass:
it applies one and the same middle layer anywhere from zero to three times.
Reusing a layer like that is *weight sharing*.
"""

# %%
# Choosing a device
# -----------------
# An accelerator when PyTorch sees one, the CPU otherwise, and
# ``EXAMPLES_DEVICE`` to force a choice.
import os
import random

import matplotlib.pyplot as plt
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

    def forward(self, x):
        h_relu = self.input(x).clamp(min=0)
        for _ in range(random.randint(0, 3)):
            h_relu = self.middle(h_relu).clamp(min=0)
        return self.output(h_relu)


# %%
# Data and model
# --------------
# The same data and loss as on page 8. Python's ``random`` is seeded too, so
# every build draws the same depths.
N, D_in, H, D_out = 64, 1000, 100, 10

random.seed(0)
torch.manual_seed(0)
x = torch.randn(N, D_in).to(device)
y = torch.randn(N, D_out).to(device)

model = DynamicNet(D_in, H, D_out).to(device)
print(model)

loss_fn = torch.nn.MSELoss(reduction="sum")

# %%
# The optimizer
# -------------
# As on page 8: stochastic gradient descent with momentum.
learning_rate = 1e-4
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate, momentum=0.9)

# %%
# Training
# --------
# Unchanged: ``model(x)`` calls ``forward``, which now draws a new depth at
# every step, and autograd records whatever graph that pass built.
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
# One set of weights has to serve all four depths, and each step draws its
# own, so this curve is ragged where
# :ref:`page 8's <sphx_glr_auto_examples_nn_plot_8_custom_module.py>` was
# smooth.
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.semilogy(range(1, len(losses) + 1), losses)
ax.set_xlabel("training step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title(f"DynamicNet ({device.type})")
fig.tight_layout()
plt.show()

print(
    f"Final loss after {len(losses)} steps: {losses[-1]:.4e}",
    f"(first step: {losses[0]:.4e})",
)

# %%
# Extra: where the shared weights get their gradient
# --------------------------------------------------
# This section adds nothing to the program above; it looks inside it. However
# many times the loop runs, the model has the parameters printed above, with a
# single ``middle.weight``.
# When ``self.middle`` is used twice in one pass, autograd's graph holds two
# uses of ``middle.weight``, and ``backward()`` *adds* the gradient from each
# use into the one ``middle.weight.grad``. The check below makes a pass of
# depth 2 by hand, records each use's input and output with a forward hook,
# and compares the gradient of ``middle.weight`` with the sum of the per-use
# gradients.
uses = []
hook = model.middle.register_forward_hook(
    lambda module, args, out: uses.append((args[0], out))
)
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
# Next, :ref:`page 10 <sphx_glr_auto_examples_beyond_plot_10_implementations_agree.py>`
# goes beyond the original tutorial and checks that five implementations of
# this network compute the same numbers.
