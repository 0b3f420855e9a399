r"""
Defining a new autograd Function
================================

You can add an operation of your own to autograd, as a subclass of
``torch.autograd.Function``. Here the ReLU of
:ref:`page 3 <sphx_glr_auto_examples_autograd_plot_3_autograd.py>` becomes such
a hand-made operation, with a backward pass written by hand.

Every primitive operation autograd knows is a pair of functions. A *forward*
computes outputs from inputs. A *backward* turns the gradient of the loss with
respect to the outputs into the gradient with respect to the inputs. A new
operation is that pair, written by you. The program first compares the new
ReLU's gradient with those of ``clamp`` and ``torch.relu``, and tries it with
``torch.func``. Then it trains as page 3 does, with the new ReLU.
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
# A ReLU with a hand-written backward pass
# ----------------------------------------
# ``forward`` computes the output from the input alone. ``setup_context`` then
# gets the inputs and the output, and keeps what ``backward`` will need on a
# context object, ``ctx``. Here that is the input, because the ReLU's gradient
# is 1 where the input was positive and 0 where it was negative. ``backward``
# gets the same ``ctx`` and the gradient of the loss with respect to the
# output. Older code takes ``ctx`` as ``forward``'s first argument and saves
# there, which still works with ``backward()``. But the ``torch.func``
# transforms accept only the split form.
class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return x.clamp(min=0)

    @staticmethod
    def setup_context(ctx, inputs, output):
        (x,) = inputs
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[x < 0] = 0
        return grad_input


# %%
# A custom Function is never called directly: its ``apply`` method runs
# ``forward`` and links the result into autograd's graph. A check on a few
# numbers, 0 among them, compares its gradient with those of ``clamp`` and of
# PyTorch's own ``torch.relu``. Then it asks ``torch.func`` for the gradient.
# The ``grad`` transform works with ``MyReLU`` as written. ``vmap``, which
# maps a function over a batch, also needs a rule for batches. That rule is a
# ``vmap`` staticmethod, or ``generate_vmap_rule = True``. ``MyReLU`` gives
# none, and ``vmap`` says so.
relu = MyReLU.apply

probe = torch.tensor([-2.0, -0.5, 0.0, 0.5, 2.0])
print(f"input                 {probe.tolist()}")
for name, function in [
    ("MyReLU", relu),
    ("clamp(min=0)", lambda t: t.clamp(min=0)),
    ("torch.relu", torch.relu),
]:
    t = probe.clone().requires_grad_(True)
    function(t).sum().backward()
    print(f"gradient {name:12s} {t.grad.tolist()}")

grad_of_sum = torch.func.grad(lambda t: relu(t).sum())
print(f"gradient {'func.grad':12s} {grad_of_sum(probe).tolist()}")
try:
    torch.vmap(relu)(probe)
except RuntimeError as err:
    print(f"torch.vmap: {str(err).split('.')[0]}")

# %%
# At exactly 0 the ReLU has no derivative, so each implementation picks a
# side. Ours passes the gradient there, as ``clamp`` does, and ``torch.relu``
# does not.
#
# Data and weights
# ----------------
# Exactly as on page 3.
N, D_in, H, D_out = 64, 1000, 100, 10

torch.manual_seed(0)
x = torch.randn(N, D_in).to(device)
y = torch.randn(N, D_out).to(device)
w1 = torch.randn(D_in, H).to(device).requires_grad_(True)
w2 = torch.randn(H, D_out).to(device).requires_grad_(True)

# %%
# Training with the custom ReLU
# -----------------------------
# The one change in the loop is ``relu(x @ w1)`` in place of
# ``(x @ w1).clamp(min=0)``. During ``loss.backward()``, autograd calls
# ``MyReLU.backward`` for that step of the graph.
learning_rate = 1e-6
losses = []
for t in range(500):
    y_pred = relu(x @ w1) @ w2

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
# ``MyReLU`` computes the gradient that ``clamp`` did, so the printed losses
# are those of :ref:`page 3 <sphx_glr_auto_examples_autograd_plot_3_autograd.py>`.
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.semilogy(range(1, len(losses) + 1), losses)
ax.set_xlabel("training step")
ax.set_ylabel("loss (sum of squared errors)")
ax.set_title(f"custom autograd Function ({device.type})")
fig.tight_layout()
plt.show()

print(
    f"Final loss after {len(losses)} steps: {losses[-1]:.4e}",
    f"(first step: {losses[0]:.4e})",
)

# %%
# **Against the original tutorial:** the original's ``MyReLU.forward`` takes
# ``ctx`` and saves the input there. This one moves that into
# ``setup_context``, the form that ``torch.func`` needs. The check of its
# gradient before training is this page's own. Like page 3, this program picks
# its device, where the original sets ``torch.device("cpu")`` and offers a
# line to uncomment for a GPU. This program also seeds torch's generator,
# which the original leaves unseeded. So every run on the same machine and
# device prints the same losses. It writes ``@`` where the original calls
# ``.mm``.
#
# Next,
# :ref:`page 5 <sphx_glr_auto_examples_autograd_plot_5_tensorflow_static_graph.py>`
# trains the network with a graph that is built before any data flows.
