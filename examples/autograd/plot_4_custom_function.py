r"""
Defining a new autograd Function
================================

Every operation autograd knows is a pair of functions: a *forward* that
computes outputs from inputs, and a *backward* that turns the gradient of the
loss with respect to the outputs into the gradient with respect to the inputs.
You can add your own operation by writing that pair yourself, as a subclass
of ``torch.autograd.Function``. Here the ReLU of the previous program becomes
such a hand-made operation; the rest of the program is unchanged.
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
# Both methods are static and receive a context object, ``ctx``, as their
# first argument. ``forward`` stores whatever ``backward`` will need with
# ``ctx.save_for_backward``; here that is the input, because the ReLU's
# gradient is 1 where the input was positive and 0 elsewhere.
class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[x < 0] = 0
        return grad_input


# %%
# A custom Function is never called directly: its ``apply`` method runs
# ``forward`` and links the result into autograd's graph. A quick check on a
# few numbers shows the gradient that ``backward`` produced.
relu = MyReLU.apply

probe = torch.tensor([-2.0, -0.5, 0.5, 2.0], requires_grad=True)
relu(probe).sum().backward()
print(f"input {probe.tolist()} -> gradient {probe.grad.tolist()}")

# %%
# Data and weights
# ----------------
# Exactly as in the autograd program.
N, D_in, H, D_out = 64, 1000, 100, 10

torch.manual_seed(0)
x = torch.randn(N, D_in).to(device)
y = torch.randn(N, D_out).to(device)
w1 = torch.randn(D_in, H).to(device).requires_grad_(True)
w2 = torch.randn(H, D_out).to(device).requires_grad_(True)

# %%
# Training with the custom ReLU
# -----------------------------
# The one change in the loop: ``relu(x @ w1)`` in place of
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
# The hand-written backward computes the same gradient as PyTorch's built-in
# ReLU, so this curve is the autograd program's curve again.
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
