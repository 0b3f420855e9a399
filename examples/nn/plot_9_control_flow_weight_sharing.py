r"""
Control flow and weight sharing
===============================

Because PyTorch records a fresh graph on every forward pass, ``forward`` can
be ordinary Python: loops, branches, random choices. This page's model loops
over one layer a random number of times per pass, and reusing a layer like
that is *weight sharing*.

The program is
:ref:`page 8 <sphx_glr_auto_examples_nn_plot_8_custom_module.py>` with that
odd model, ``DynamicNet``, whose depth changes from pass to pass. It applies
one and the same middle layer anywhere from zero to three times. The
program also swaps page 8's Adam for gradient descent with momentum, and
shows why.
"""

# %%
# Choosing a device
# -----------------
# An accelerator when PyTorch sees one, the CPU otherwise, and
# ``EXAMPLES_DEVICE`` to force a choice.
import copy
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
# between 0 and 3 with Python's ``random`` module. It then runs a plain
# ``for`` loop that many times, each time through ``self.middle``. There is
# only one ``self.middle``, so every pass of the loop multiplies by the *same*
# weight matrix. That single attribute is where the weights are shared.
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
# every run draws the same depths. A copy of the untrained model is kept for
# the comparison at the end.
N, D_in, H, D_out = 64, 1000, 100, 10

random.seed(0)
torch.manual_seed(0)
x = torch.randn(N, D_in).to(device)
y = torch.randn(N, D_out).to(device)

model = DynamicNet(D_in, H, D_out).to(device)
print(model)
untrained = copy.deepcopy(model)

loss_fn = torch.nn.MSELoss(reduction="sum")

# %%
# The optimizer
# -------------
# This program brings a second change. At this point the original tutorial
# adds momentum to its plain gradient descent. This site's page 8 trains with
# Adam, so here Adam gives way to the original's optimizer: gradient descent
# with momentum (``torch.optim.SGD``). Momentum keeps a running *velocity* for
# every parameter, a decaying sum of its past gradients. With
# ``momentum=0.9``, it keeps nine tenths of that sum at each step. Each step
# then moves the parameter along its velocity. The section after the training
# loop trains the same model with Adam to show why.
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
# Why not page 8's Adam?
# ----------------------
# A second copy of the untrained model, the same data and the same learning
# rate, with page 8's optimizer. Seeding ``random`` again draws the same depth
# at every step as in the first run. For each run, the page then prints how
# far the parameter (weight or bias) that moved most has gone from where it
# started. Last, it prints the ratio of the two runs' largest changes.
random.seed(0)
adam_model = copy.deepcopy(untrained)
adam = torch.optim.Adam(adam_model.parameters(), lr=learning_rate)
adam_losses = []
for _ in range(500):
    loss = loss_fn(adam_model(x), y)
    adam_losses.append(loss.item())
    adam.zero_grad()
    loss.backward()
    adam.step()


def largest_change(trained):
    pairs = zip(trained.parameters(), untrained.parameters(), strict=True)
    return max((p - p0).abs().max().item() for p, p0 in pairs)


for name, run, trained in [
    ("SGD with momentum", losses, model),
    ("Adam", adam_losses, adam_model),
]:
    print(
        f"{name}: loss {run[0]:.4e} at the first step, {run[-1]:.4e} at the last "
        f"({run[0] / run[-1]:,.0f} times lower); largest change of a parameter "
        f"{largest_change(trained):.3f}"
    )
ratio = largest_change(model) / largest_change(adam_model)
print(f"Largest change with momentum: {ratio:.1f} times that with Adam")

# %%
# The loss curves
# ---------------
# One set of weights has to serve all four depths, and each step draws its
# own. So these curves are ragged where
# :ref:`page 8's <sphx_glr_auto_examples_nn_plot_8_custom_module.py>` was
# smooth. Adam usually moves a parameter by at most about ``learning_rate``
# per step (:ref:`page 7 <sphx_glr_auto_examples_nn_plot_7_optim.py>`). A
# single step can reach a few times that. So in 500 steps a parameter rarely
# goes much further than ``500 * learning_rate``. Momentum's steps grow with
# the gradients instead, with no such bound. The last line printed above
# divides the two largest changes. The lines before it give each run's last
# loss.
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.semilogy(range(1, len(losses) + 1), losses, label="SGD with momentum")
ax.semilogy(range(1, len(adam_losses) + 1), adam_losses, "--", label="Adam")
ax.set_xlabel("training step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title(f"DynamicNet ({device.type})")
ax.legend()
fig.tight_layout()
plt.show()

print(
    f"Final loss after {len(losses)} steps: {losses[-1]:.4e}",
    f"(first step: {losses[0]:.4e})",
)

# %%
# **Against the original tutorial:** the model and the optimizer are the
# original's. The original changes its optimizer here too: it adds momentum to
# its plain gradient descent. This page swaps page 8's Adam for that
# optimizer. The Adam run it compares with is this site's own. The layers have
# shorter names: ``input``, ``middle`` and ``output`` for ``input_linear`` and
# so on. The original has no device code, so it runs on the CPU. This program
# picks its device, as page 8 does. It also seeds torch's generator and
# Python's ``random``, which the original leaves unseeded. So every run on the
# same machine and device prints the same losses.
#
# Next, :ref:`page 10 <sphx_glr_auto_examples_beyond_plot_10_implementations_agree.py>`
# goes beyond the original tutorial and checks how closely five
# implementations of this network agree.
