r"""
torch.nn: layers and losses as building blocks
==============================================

The ``torch.nn`` package builds a network from ready-made parts called
*modules*. This program is
:ref:`page 3 <sphx_glr_auto_examples_autograd_plot_3_autograd.py>` rebuilt
from modules: layers that own their weights, and a loss function.

On page 3, autograd computed the gradients, but we still created and tracked
every weight matrix ourselves. Here a ``Linear`` layer owns its weight and
bias, and a container such as ``Sequential`` chains layers. A ready-made loss
function measures the error. The program still updates the weights with a
hand-written step of gradient descent.

The modules also change what is computed: they add biases and start from
smaller weights. With them comes a third change, a larger learning rate.
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
# ``nn.Sequential`` runs its modules in order, and ``model.to(device)`` moves
# every parameter at once. Two of ``nn.Linear``'s defaults change what the
# network computes:
#
# * **Biases.** Each ``nn.Linear`` computes ``x @ weight.T + bias``, so,
#   unlike the earlier programs, this network adds a learned vector after
#   each product.
# * **Starting weights.** ``nn.Linear`` draws its weights and biases
#   uniformly between −1/√n and +1/√n, n being the layer's number of
#   inputs. Page 3 drew its weights from a standard normal instead. For the
#   first layer the bound is 1/√1000, about 0.03. The line printed right
#   after the model shows the largest weight drawn, beside that bound.
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
bound = model[0].weight.abs().max().item()
print(f"first layer's weights lie within ±{bound:.4f}; 1/sqrt(D_in) = {D_in**-0.5:.4f}")

loss_fn = torch.nn.MSELoss(reduction="sum")

# %%
# Training
# --------
# Calling ``model(x)`` runs the forward pass. ``model.zero_grad()`` clears
# the gradients of every parameter. ``model.parameters()`` lists the
# parameters for the update, whatever layers the model contains. The loss is
# again the *sum* of squared errors (``reduction="sum"``), not the mean.
#
# * **Learning rate.** Smaller weights give smaller gradients, so this program
#   takes larger steps. It raises the learning rate from page 3's ``1e-6`` to
#   ``1e-4``, the value the original tutorial uses here.
learning_rate = 1e-4
losses = []
for t in range(500):
    y_pred = model(x)

    loss = loss_fn(y_pred, y)
    losses.append(loss.item())
    if t % 100 == 99:
        print(f"step {t + 1:3d}   loss {loss.item():.4e}")

    model.zero_grad()
    loss.backward()

    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad

# %%
# The loss curve
# --------------
# Thanks to the smaller starting weights, the first loss is far lower than on
# :ref:`page 3 <sphx_glr_auto_examples_autograd_plot_3_autograd.py>`. Compare
# the first-step losses at the end of the two pages' last printed lines.
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.semilogy(range(1, len(losses) + 1), losses)
ax.set_xlabel("training step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title(f"torch.nn, manual update ({device.type})")
fig.tight_layout()
plt.show()

print(
    f"Final loss after {len(losses)} steps: {losses[-1]:.4e}",
    f"(first step: {losses[0]:.4e})",
)

# %%
# **Against the original tutorial:** the original's ``torch.nn`` program makes
# the same three changes. Its ``nn.Linear`` layers add biases and start from
# smaller weights, and its learning rate rises from ``1e-6`` to ``1e-4``. The
# original sets ``torch.device("cpu")``, puts its data and model there, and
# offers a line to uncomment for a GPU. This program picks the device itself,
# as page 2 does. It also seeds torch's generator, which the original leaves
# unseeded. So every run on the same machine and device prints the same
# losses.
#
# Next, :ref:`page 7 <sphx_glr_auto_examples_nn_plot_7_optim.py>` hands the
# update to an optimizer.
