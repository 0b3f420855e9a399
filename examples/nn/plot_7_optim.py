r"""
torch.optim: let an optimizer update the weights
================================================

This program hands the weight update to an optimizer from ``torch.optim``. It
is :ref:`page 6 <sphx_glr_auto_examples_nn_plot_6_nn_module.py>` with the
hand-written update replaced by Adam, as in the original tutorial.

Writing the update rule by hand is fine for plain gradient descent. But the
optimizers people actually use keep running statistics of past gradients, and
writing those by hand is tedious. ``torch.optim`` provides them.
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
# Data and model
# --------------
# The same data, the same ``Sequential`` model and the same loss as on page 6.
N, D_in, H, D_out = 64, 1000, 100, 10

torch.manual_seed(0)
x = torch.randn(N, D_in).to(device)
y = torch.randn(N, D_out).to(device)

model = torch.nn.Sequential(
    torch.nn.Linear(D_in, H),
    torch.nn.ReLU(),
    torch.nn.Linear(H, D_out),
).to(device)
print(model)

loss_fn = torch.nn.MSELoss(reduction="sum")

# %%
# The optimizer
# -------------
# An optimizer is handed the parameters it should update when it is created.
# ``torch.optim.SGD`` given ``lr=learning_rate`` and no other option would
# make page 6's update, ``param -= learning_rate * param.grad``, up to
# rounding. Adam does more. For every number in every parameter, it keeps a
# running average of the gradient and of the gradient's square. It divides
# the one by the square root of the other. The gradient's scale cancels out,
# so each number moves by something of the order of ``learning_rate`` per
# step, however large or small its gradient. Almost every optimizer in
# ``torch.optim`` is created this way and driven by the same two calls,
# ``zero_grad()`` and ``step()``.
# ``LBFGS`` is the exception: its ``step`` needs a function that recomputes
# the loss.
learning_rate = 1e-4
optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)

# %%
# Training
# --------
# ``optimizer.step()`` replaces the manual update: it updates every parameter
# once ``loss.backward()`` has filled in the gradients. ``optimizer.zero_grad()``
# takes the place of ``model.zero_grad()`` and clears the gradients left from
# the previous step.
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
# Compare this curve and the final loss with
# :ref:`page 6's <sphx_glr_auto_examples_nn_plot_6_nn_module.py>`. The model,
# the data and the starting weights are identical, so any difference comes
# from the update rule alone.
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.semilogy(range(1, len(losses) + 1), losses)
ax.set_xlabel("training step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title(f"torch.optim.Adam ({device.type})")
fig.tight_layout()
plt.show()

print(
    f"Final loss after {len(losses)} steps: {losses[-1]:.4e}",
    f"(first step: {losses[0]:.4e})",
)

# %%
# **Against the original tutorial:** the original has no device code, so it
# runs on the CPU. This program picks its device, as page 2 does. It also
# seeds torch's generator, which the original leaves unseeded. So every run on
# the same machine and device prints the same losses. Like the original, it
# trains with Adam at a learning rate of ``1e-4``.
#
# Next, :ref:`page 8 <sphx_glr_auto_examples_nn_plot_8_custom_module.py>` writes
# the model as a class of its own.
