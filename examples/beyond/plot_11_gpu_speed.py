r"""
Is the accelerator really faster? Measured, not claimed
=======================================================

Tutorials like to say that a GPU makes deep learning fifty times faster. This
page measures that claim for our own network on the machine that built the
site: it times one training step (forward pass, hand-written backward pass
and update) with numpy in float64 and float32, with PyTorch on the CPU, and
with PyTorch on an accelerator if the machine has one. It starts at the size
used everywhere else on this site and grows the network up to 2048 examples,
4096 inputs, 4096 hidden units and 1024 outputs. A table lists the times and
the speed-ups, and a plot shows how both depend on the amount of work.
"""

# %%
# The machine that built this page
# --------------------------------
# Every number below was measured while this page was built, so it describes
# the build machine, not yours. The first lines say what that machine offered:
# its CPU cores, the threads PyTorch uses on them, and the accelerator, if
# PyTorch found one.
import math
import os
import platform
import statistics
import time

import matplotlib.pyplot as plt
import numpy as np
import torch

device = torch.device(
    os.environ.get("EXAMPLES_DEVICE")
    or torch.accelerator.current_accelerator(check_available=True)
    or "cpu"
)
print(f"Running on: {device}")
print(f"CPU: {platform.machine()}, {os.cpu_count()} cores")
print(f"torch uses {torch.get_num_threads()} threads on the CPU")
if device.type == "cuda":
    print(f"Accelerator: {torch.cuda.get_device_name(device)}")
elif device.type != "cpu":
    print(f"Accelerator: {device}")
elif torch.accelerator.is_available():
    print("Accelerator: present, but EXAMPLES_DEVICE chose the CPU")
else:
    print("Accelerator: none present, so the table has CPU columns only")

# %%
# How much work one step is
# -------------------------
# A step multiplies five pairs of matrices: two in the forward pass
# (``x @ w1`` and ``h_relu @ w2``) and three in the backward pass (for
# ``grad_w2``, ``grad_h`` and ``grad_w1``). Multiplying an ``(a, b)`` matrix
# by a ``(b, c)`` one takes ``2abc`` floating-point operations (FLOPs), and
# everything else in the step, the ReLU and the update, is tiny in
# comparison. The sizes grow from the site's usual network to one that needs
# several thousand times more work per step.
SIZES = [
    (64, 1000, 100, 10),
    (128, 1024, 512, 64),
    (256, 2048, 1024, 128),
    (512, 2048, 2048, 512),
    (1024, 4096, 4096, 1024),
    (2048, 4096, 4096, 1024),
]


def flops_per_step(N, D_in, H, D_out):
    forward = 2 * N * D_in * H + 2 * N * H * D_out
    backward = 2 * H * N * D_out + 2 * N * D_out * H + 2 * D_in * N * H
    return forward + backward


for size in SIZES:
    print(f"{str(size):26s} {flops_per_step(*size) / 1e9:8.3f} GFLOP per step")


# %%
# One training step, two ways
# ---------------------------
# Both steps are the loops of the first two pages, minus the bookkeeping of
# the loss: forward, backward by hand, update in place. The torch version
# uses ``masked_fill_`` for the ReLU's gradient, which works on every device
# without copying the mask back to the CPU.
learning_rate = 1e-6


def numpy_step(x, y, w1, w2):
    h = x @ w1
    h_relu = np.maximum(h, 0)
    y_pred = h_relu @ w2
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.T @ grad_y_pred
    grad_h = grad_y_pred @ w2.T
    grad_h[h < 0] = 0
    grad_w1 = x.T @ grad_h
    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2


def torch_step(x, y, w1, w2):
    h = x @ w1
    h_relu = h.clamp(min=0)
    y_pred = h_relu @ w2
    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.T @ grad_y_pred
    grad_h = (grad_y_pred @ w2.T).masked_fill_(h < 0, 0)
    grad_w1 = x.T @ grad_h
    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2


# %%
# Timing fairly, within a budget
# ------------------------------
# An accelerator runs asynchronously: a PyTorch call returns as soon as the
# work is queued, so the clock is read only after
# ``torch.accelerator.synchronize()`` has waited for it to finish. The first
# step at each size is a warm-up that is not timed, because it pays one-off
# costs (allocating memory, loading kernels). A second step shows how long a
# step takes; shorter ones are then timed in groups, so that each measurement
# lasts at least 20 ms, and the page reports the median of five measurements.
#
# To keep the page's own cost bounded, an implementation skips every size at
# which its step would take longer than ``STEP_LIMIT``, predicted from its
# speed at the previous size. Skipped cells are empty in the table.
STEP_LIMIT = 0.25  # seconds
REPEATS = 5
MIN_MEASUREMENT = 0.02  # seconds


def seconds_per_step(step, data, sync):
    step(*data)  # warm-up
    sync()
    start = time.perf_counter()
    step(*data)
    sync()
    group = max(1, math.ceil(MIN_MEASUREMENT / (time.perf_counter() - start)))
    measurements = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(group):
            step(*data)
        sync()
        measurements.append((time.perf_counter() - start) / group)
    return statistics.median(measurements)


# %%
# Each implementation gets its own copy of the same data: numpy arrays in
# float64 or float32, torch tensors (float32) on the CPU or on the
# accelerator. The weights are scaled down with the size of the layer, so
# that the numbers stay moderate however large the network grows.
def numpy_data(size, dtype):
    N, D_in, H, D_out = size
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, D_in), dtype=dtype)
    y = rng.standard_normal((N, D_out), dtype=dtype)
    w1 = rng.standard_normal((D_in, H), dtype=dtype) / math.sqrt(D_in)
    w2 = rng.standard_normal((H, D_out), dtype=dtype) / math.sqrt(H)
    return x, y, w1, w2


def no_sync():
    pass


implementations = {
    "numpy float64": lambda size: (numpy_step, numpy_data(size, np.float64), no_sync),
    "numpy float32": lambda size: (numpy_step, numpy_data(size, np.float32), no_sync),
    "torch cpu": lambda size: (
        torch_step,
        [torch.from_numpy(a) for a in numpy_data(size, np.float32)],
        no_sync,
    ),
}
if device.type != "cpu":
    implementations[f"torch {device.type}"] = lambda size: (
        torch_step,
        [torch.from_numpy(a).to(device) for a in numpy_data(size, np.float32)],
        torch.accelerator.synchronize,
    )

# %%
# Measuring
# ---------
# ``times[name][size]`` holds the median seconds per step.
times = {name: {} for name in implementations}
page_start = time.perf_counter()
for name, prepare in implementations.items():
    previous = None
    for size in SIZES:
        if previous is not None:
            ratio = flops_per_step(*size) / flops_per_step(*previous)
            if times[name][previous] * ratio > STEP_LIMIT:
                break
        step, data, sync = prepare(size)
        times[name][size] = seconds_per_step(step, data, sync)
        previous = size
print(f"Measuring took {time.perf_counter() - page_start:.1f} s")

# %%
# Milliseconds per step
# ---------------------
# One row per size, one column per implementation; an empty cell is a size
# that implementation skipped.
names = list(implementations)


def print_table(columns):
    print(f"{'N, D_in, H, D_out':25s}" + "".join(f"{c:>15s}" for c in columns))
    for size in SIZES:
        row = "".join(f"{cell(size):>15s}" for cell in columns.values())
        print(f"{str(size):25s}{row}")


def milliseconds(name):
    return lambda size: f"{times[name][size] * 1e3:.3f}" if size in times[name] else ""


print_table({name: milliseconds(name) for name in names})


# %%
# Speed-ups
# ---------
# Each cell divides one implementation's time by another's at the same size.
# The first columns compare with numpy float64, the first program of this
# site; when there is an accelerator, the last column compares it with
# PyTorch on the CPU, the very same code on the other device. Where either
# time is missing, so is the speed-up.
def speedup(name, baseline):
    def cell(size):
        if size in times[name] and size in times[baseline]:
            return f"{times[baseline][size] / times[name][size]:.1f}x"
        return ""

    return cell


columns = {name: speedup(name, "numpy float64") for name in names[1:]}
if device.type != "cpu":
    accelerator = f"torch {device.type}"
    columns[f"{device.type} vs cpu"] = speedup(accelerator, "torch cpu")
print_table(columns)

# %%
# Throughput makes sizes comparable: billions of floating-point operations per
# second (GFLOP/s), each implementation at its best over all the sizes it ran.
best = {
    name: max(flops_per_step(*size) / t for size, t in times[name].items()) / 1e9
    for name in names
}
for name in names:
    print(f"{name:15s} best {best[name]:9.1f} GFLOP/s")

# %%
# Time and throughput against work
# --------------------------------
# On the left, seconds per step against the work per step, both on log scales;
# on the right, the throughput. Where a line is flat on the left and climbs on
# the right, the steps are too small to keep that hardware busy: their time
# goes to fixed costs, such as starting each operation, not to arithmetic.
fig, (ax_time, ax_rate) = plt.subplots(1, 2, figsize=(9, 3.8))
for name, marker in zip(names, "osD^"[: len(names)], strict=True):
    sizes = list(times[name])
    work = [flops_per_step(*s) / 1e9 for s in sizes]
    seconds = [times[name][s] for s in sizes]
    rate = [w / t for w, t in zip(work, seconds, strict=True)]
    ax_time.loglog(work, seconds, marker=marker, label=name)
    ax_rate.loglog(work, rate, marker=marker, label=name)
ax_time.set_xlabel("work per step (GFLOP)")
ax_time.set_ylabel("seconds per step")
ax_time.set_title("Time per training step")
ax_rate.set_xlabel("work per step (GFLOP)")
ax_rate.set_ylabel("GFLOP/s")
ax_rate.set_title("Throughput")
ax_time.legend()
fig.tight_layout()
plt.show()

# %%
# What this build measured
# ------------------------
# The lines below are computed from the measurements, so they hold for the
# machine that built this page. First the site's usual size: each
# implementation's time as a multiple of the fastest one's.
original = SIZES[0]
fastest = min(times[name][original] for name in names)
for name in names:
    ratio = times[name][original] / fastest
    print(f"At the usual size, {name} takes {ratio:.2f}x the fastest time")

# %%
# Then the claim itself: the accelerator's best throughput against the best
# of numpy float64 and of PyTorch on the CPU, and its speed-up over PyTorch on
# the CPU at the smallest and at the largest size that both measured.
if device.type == "cpu":
    print("No accelerator was used, so this build could not test the claim.")
else:
    for baseline in ("numpy float64", "torch cpu"):
        ratio = best[accelerator] / best[baseline]
        verdict = "at least" if ratio >= 50 else "less than"
        print(f"{accelerator} at its best: {ratio:.0f}x {baseline}, {verdict} 50x")
    both = [s for s in SIZES if s in times[accelerator] and s in times["torch cpu"]]
    for size in dict.fromkeys((both[0], both[-1])):
        ratio = times["torch cpu"][size] / times[accelerator][size]
        print(f"{accelerator} vs torch cpu at {size}: {ratio:.1f}x")

# %%
# Why small steps profit little
# -----------------------------
# An accelerator has thousands of arithmetic units, but every operation is
# first launched from Python through its driver, which costs microseconds
# however little the operation computes. A step at the usual size is a dozen
# small operations, so on an accelerator it can be almost all launching,
# while a CPU starts each operation for about the price of a function call.
# Only once the matrices are large does the arithmetic, where the accelerator
# excels, fill the step.
#
# When this build had an accelerator, its two speed-ups over the CPU printed
# above show where the build stood: a small first one and a large second one
# mean that the small steps were spent launching, and then the accelerator's
# line on the left stays nearly flat while the work grows. A claim like "50x"
# can only be about the large sizes, and it depends on the CPU code it is
# compared with, which is why the page prints the ratio to both numpy and
# PyTorch on the CPU.
