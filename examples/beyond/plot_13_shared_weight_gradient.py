r"""
Shared weights: one gradient, summed over every use
===================================================

A weight used several times in one forward pass still has a single
``.grad``. ``backward()`` stores the sum of the gradients from each use in it.

:ref:`Page 9 <sphx_glr_auto_examples_nn_plot_9_control_flow_weight_sharing.py>`
runs one middle layer up to three times in a forward pass, yet its model has a
single ``middle.weight``. This page looks inside one such pass and checks that
sum. On the way it uses three tools the lessons did not need: a forward hook,
``torch.autograd.grad`` and ``retain_graph``.
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
# One pass that uses a layer twice
# --------------------------------
# Page 9's three layers and data. The forward pass is written out, with the
# middle layer applied twice, as ``DynamicNet`` does when it draws depth 2.
#
# A *forward hook* is a function that a module calls after each forward pass
# through it, with its input and its output. Here it keeps both, once per use
# of ``middle``, and is removed once the pass is done.
N, D_in, H, D_out = 64, 1000, 100, 10

torch.manual_seed(0)
x = torch.randn(N, D_in).to(device)
y = torch.randn(N, D_out).to(device)
first = torch.nn.Linear(D_in, H).to(device)
middle = torch.nn.Linear(H, H).to(device)
last = torch.nn.Linear(H, D_out).to(device)
loss_fn = torch.nn.MSELoss(reduction="sum")

uses = []
hook = middle.register_forward_hook(
    lambda module, args, output: uses.append((args[0], output))
)
h_relu = first(x).clamp(min=0)
for _ in range(2):
    h_relu = middle(h_relu).clamp(min=0)
loss = loss_fn(last(h_relu), y)
hook.remove()
print(f"middle ran {len(uses)} times")

# %%
# The gradient from each use
# --------------------------
# ``torch.autograd.grad`` returns the gradient of the loss with respect to
# any tensors of the graph, without touching any ``.grad``. Here those
# tensors are the outputs of the two uses. A use computed
# ``output = input @ weight.T + bias``, so its share of the weight's gradient
# is ``grad_output.T @ input``.
#
# Computing gradients frees the intermediate results that the graph saved for
# them, so a graph serves one backward pass. ``retain_graph=True`` keeps them
# for the ``backward()`` that follows.
grad_outputs = torch.autograd.grad(
    loss, [output for _, output in uses], retain_graph=True
)
shares = [g.T @ inp for g, (inp, _) in zip(grad_outputs, uses, strict=True)]
for number, share in enumerate(shares, start=1):
    print(f"use {number}: its share of the gradient has norm {share.norm():.4e}")

# %%
# What ``backward()`` stores
# --------------------------
# Now the usual call. The largest difference between ``middle.weight.grad``
# and the sum of the shares says whether the two are the same numbers. Where
# they differ, the line below puts that difference next to the gradient's
# largest entry.
loss.backward()
total = middle.weight.grad
difference = (total - sum(shares)).abs().max().item()
largest = total.abs().max().item()
if difference == 0:
    print("middle.weight.grad equals the sum of the shares exactly")
else:
    print(
        f"middle.weight.grad differs from the sum of the shares by at most "
        f"{difference:.1e}, where its largest entry is {largest:.1e}"
    )

# %%
# The same, drawn for the first 20 entries of one row of ``middle.weight``,
# the row whose gradient is largest. The figure shows the two shares, their
# sum, and what ``backward()`` stored, on which the sum lies. Rows and
# columns are counted from 0, as Python indexes them.
row = total.norm(dim=1).argmax().item()
columns = range(20)
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(columns, shares[0][row, :20].tolist(), ":", marker="o", label="use 1")
ax.plot(columns, shares[1][row, :20].tolist(), "-.", marker="s", label="use 2")
ax.plot(columns, total[row, :20].tolist(), "-", linewidth=4, label="middle.weight.grad")
ax.plot(columns, sum(shares)[row, :20].tolist(), "--", label="use 1 + use 2")
ax.set_xticks(range(0, 20, 2))
ax.set_xlabel(f"column (row {row} of middle.weight)")
ax.set_ylabel("gradient of the loss")
ax.set_title(f"Shared weight: gradient per use and in total ({device.type})")
ax.legend(fontsize="small")
fig.tight_layout()
plt.show()

# %%
# Where autograd meets the same tensor twice in a graph, it adds the
# gradients that flow back along each path. That is why an optimizer step
# on page 9 moves the shared weight by what every use asked for together.
# It is also why ``.grad`` must be cleared between steps, since
# ``backward()`` adds to what it already holds.
#
# Next, :ref:`page 14 <sphx_glr_auto_examples_beyond_plot_14_data_parallel.py>`
# trains one network on two processes, which average their gradients.
