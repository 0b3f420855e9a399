r"""
Is the accelerator really faster? Measured, not claimed
=======================================================

This page measures how much faster a training step of our network runs on an
accelerator than on the CPU. A GPU is often said to make deep learning fifty
times faster, and this page checks that claim.

A step is the forward pass, the hand-written backward pass and the update.
The page times it four ways:

- with numpy in float64,
- with numpy in float32,
- with PyTorch on the CPU,
- with PyTorch on an accelerator, when the machine running the page has one.

Each implementation starts at the site's usual size and grows it until a step
would take too long or the largest size is reached. The page then shows runs
of the same measurement that were recorded on accelerators, up to larger
sizes. It compares each with this run's PyTorch times on the CPU. Where the
record holds them, it also compares each with the CPU times of the machine it
was recorded on.

The records lie beside the program in the site's repository, where the site's
build finds them. A copy run elsewhere, such as the notebook on Colab, finds
none. With an accelerator of its own, its live tables answer the question for
that machine.
"""

# %%
# The machine this runs on
# ------------------------
# Every live number below comes from the run that prints it. On the site, they
# were measured while this page was built, so they describe the build machine,
# not yours. Run the program or its notebook yourself, and they describe the
# machine you run it on.
#
# The CPU's model name comes from ``/proc/cpuinfo`` on Linux. Elsewhere, and
# where ``/proc/cpuinfo`` lists no model name (on many ARM machines), it comes
# from Python's ``platform.processor()``. That often gives only the
# architecture, such as ``arm`` on an Apple-silicon Mac. Where it gives
# nothing, the page prints "not known".

# sphinx_gallery_parallel = False
import json
import math
import os
import platform
import re
import statistics
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import torch

device = torch.device(
    os.environ.get("EXAMPLES_DEVICE")
    or torch.accelerator.current_accelerator(check_available=True)
    or "cpu"
)
print(f"Running on: {device}")
cpuinfo = Path("/proc/cpuinfo")  # Linux only
cpu_info = cpuinfo.read_text(encoding="utf-8") if cpuinfo.exists() else ""
cpu_names = re.findall(r"^model name\s*: (.*)$", cpu_info, re.M)
print(f"CPU: {cpu_names[0] if cpu_names else platform.processor() or 'not known'}")
print(f"Architecture: {platform.machine()}, {os.cpu_count()} logical CPUs")
print(f"torch uses {torch.get_num_threads()} threads on the CPU")
if device.type == "cuda":
    print(f"Accelerator: {torch.cuda.get_device_name(device)}")
elif device.type != "cpu":
    print(f"Accelerator: {device}")
elif torch.accelerator.is_available():
    print("Accelerator: present, but EXAMPLES_DEVICE chose the CPU")
else:
    print("Accelerator: none present, so the live tables have CPU columns only")

# %%
# How much work one step is
# -------------------------
# A step multiplies five pairs of matrices, two forward and three backward.
# An ``(a, b)`` by ``(b, c)`` product costs ``2abc`` floating-point
# operations (FLOPs). The ReLU and the update are tiny in comparison.
SIZES = [
    (64, 1000, 100, 10),
    (128, 1024, 512, 64),
    (256, 2048, 1024, 128),
    (512, 2048, 2048, 512),
    (1024, 4096, 4096, 1024),
    (2048, 4096, 4096, 1024),
]


def flops_per_step(N, D_in, H, D_out):
    first_layer = 2 * N * D_in * H  # x @ w1 forward; grad_w1 backward
    second_layer = 2 * N * H * D_out  # h_relu @ w2; grad_w2 and grad_h backward
    return 2 * first_layer + 3 * second_layer


for size in SIZES:
    print(f"{str(size):26s} {flops_per_step(*size) / 1e9:8.3f} GFLOP per step")


# %%
# One training step, two ways
# ---------------------------
# These are the loops of
# :ref:`page 1 <sphx_glr_auto_examples_tensors_plot_1_numpy_warmup.py>`
# and :ref:`page 2 <sphx_glr_auto_examples_tensors_plot_2_pytorch_tensors.py>`
# without the loss bookkeeping. The torch version zeroes the ReLU's gradient
# with ``masked_fill_``.
learning_rate = 1e-6


def numpy_step(x, y, w1, w2):
    h = x @ w1
    h_relu = np.maximum(h, 0)
    grad_y_pred = 2.0 * (h_relu @ w2 - y)
    grad_w2 = h_relu.T @ grad_y_pred
    grad_h = grad_y_pred @ w2.T
    grad_h[h < 0] = 0
    w1 -= learning_rate * (x.T @ grad_h)
    w2 -= learning_rate * grad_w2


def torch_step(x, y, w1, w2):
    h = x @ w1
    h_relu = h.clamp(min=0)
    grad_y_pred = 2.0 * (h_relu @ w2 - y)
    grad_w2 = h_relu.T @ grad_y_pred
    grad_h = (grad_y_pred @ w2.T).masked_fill_(h < 0, 0)
    w1 -= learning_rate * (x.T @ grad_h)
    w2 -= learning_rate * grad_w2


# %%
# Timing fairly, within a budget
# ------------------------------
# An accelerator works asynchronously, so the clock stops only after
# ``torch.accelerator.synchronize()``. A first, untimed step pays one-off
# costs. Short steps are timed in groups of about 20 ms, and timing one step
# sets the number of steps in a group. Each time is the median of five
# groups. An implementation stops growing once its next step would take
# longer than ``STEP_LIMIT``.
STEP_LIMIT = 0.25  # seconds


def seconds_per_step(step, data, sync):
    step(*data)  # warm-up
    sync()
    start = time.perf_counter()
    step(*data)
    sync()
    group = max(1, math.ceil(0.02 / (time.perf_counter() - start)))
    measurements = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(group):
            step(*data)
        sync()
        measurements.append((time.perf_counter() - start) / group)
    return statistics.median(measurements)


def numpy_data(size, dtype):
    N, D_in, H, D_out = size
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, D_in), dtype=dtype)
    y = rng.standard_normal((N, D_out), dtype=dtype)
    w1 = rng.standard_normal((D_in, H), dtype=dtype) / math.sqrt(D_in)
    w2 = rng.standard_normal((H, D_out), dtype=dtype) / math.sqrt(H)
    return x, y, w1, w2


def torch_data(size, on):
    return [torch.from_numpy(a).to(on) for a in numpy_data(size, np.float32)]


def no_sync():
    pass


implementations = {
    "numpy float64": lambda s: (numpy_step, numpy_data(s, np.float64), no_sync),
    "numpy float32": lambda s: (numpy_step, numpy_data(s, np.float32), no_sync),
    "torch cpu": lambda s: (torch_step, torch_data(s, "cpu"), no_sync),
}
if device.type != "cpu":
    accelerator = f"torch {device.type}"
    implementations[accelerator] = lambda s: (
        torch_step,
        torch_data(s, device),
        torch.accelerator.synchronize,
    )

# %%
# Measuring
# ---------
# ``times[name][size]`` holds the median seconds per step. The tables below
# leave a size empty where an implementation stopped before it.
times = {name: {} for name in implementations}
page_start = time.perf_counter()
for name, prepare in implementations.items():
    for previous, size in zip([None, *SIZES], SIZES, strict=False):
        growth = flops_per_step(*size) / flops_per_step(*(previous or size))
        if previous and times[name][previous] * growth > STEP_LIMIT:
            break
        step, data, sync = prepare(size)
        times[name][size] = seconds_per_step(step, data, sync)
print(f"Measuring took {time.perf_counter() - page_start:.1f} s")
names = list(times)


def print_table(columns):
    """One row per size; a cell function returns "" where nothing was measured."""
    print(f"{'N, D_in, H, D_out':25s}" + "".join(f"{c:>15s}" for c in columns))
    for size in SIZES:
        print(
            f"{str(size):25s}"
            + "".join(f"{cell(size):>15s}" for cell in columns.values())
        )


# %%
# Milliseconds per step, and speed-ups
# ------------------------------------
# An empty cell is a size that implementation skipped. Every torch column,
# ``torch cpu`` included, runs the step in float32, as the lessons do. The
# speed-ups divide the time of numpy float64, the loop of
# :ref:`page 1 <sphx_glr_auto_examples_tensors_plot_1_numpy_warmup.py>`,
# by each other implementation's. With an accelerator, a last column compares
# the accelerator's time with that of the very same code on the CPU.
def milliseconds(name):
    return lambda s: f"{times[name][s] * 1e3:.3f}" if s in times[name] else ""


def speedup(name, baseline):
    both = lambda s: s in times[name] and s in times[baseline]  # noqa: E731
    return lambda s: f"{times[baseline][s] / times[name][s]:.1f}x" if both(s) else ""


print_table({name: milliseconds(name) for name in names})
print()
columns = {name: speedup(name, "numpy float64") for name in names[1:]}
if device.type != "cpu":
    columns[f"{device.type} vs cpu"] = speedup(accelerator, "torch cpu")
print_table(columns)

# %%
# Throughput, in billions of floating-point operations per second (GFLOP/s),
# makes sizes comparable. Each implementation's is printed at its best size.
best = {
    name: max(flops_per_step(*s) / t for s, t in times[name].items()) / 1e9
    for name in names
}
for name in names:
    print(f"{name:15s} best {best[name]:9.1f} GFLOP/s")
fastest = min(times[name][SIZES[0]] for name in names)
for name in names:
    ratio = times[name][SIZES[0]] / fastest
    print(f"At the usual size, {name} takes {ratio:.2f}x the fastest time")
if device.type == "cpu":
    print("This run used no accelerator, so it has no accelerator speed-up.")
else:
    ratio = best[accelerator] / best["torch cpu"]
    print(f"{accelerator} at its best: {ratio:.0f}x torch cpu at its best")


# %%
# Recorded runs on accelerators
# -----------------------------
# A machine without an accelerator can still show one's times, recorded
# elsewhere. In the site's repository, ``make gpu-record`` runs this page's
# measurement on a machine with an accelerator. It saves the times as a
# ``gpu_record_*.json`` file, and the site's build runs this program beside
# those files. A copy of the program run anywhere else finds none beside it,
# unless you put them there, and says so. With an accelerator of its own, its
# live tables above already compare that accelerator with its CPU.
#
# A record holds the accelerator's times. A record of the second format holds
# the same run's ``torch cpu`` times too. The page prints each record with
# where, when and with what it was made.
#
# For each record, the first ratios divide this run's live ``torch cpu``
# times by the recorded accelerator times. They are *cross-machine* ratios.
# Two machines made them, each with its own torch version, one timing a CPU
# and the other an accelerator. So they say how a step on that accelerator
# compares with a step on the CPU that ran this page. They do not say how
# much the accelerator speeds up its own machine. After the sizes come three
# lines:
#
# - the smallest size from which the recorded accelerator beats this run's
#   CPU at every size both measured,
# - the smallest size from which the ratio stays at or above the "fifty
#   times" of the introduction,
# - the two torch versions compared.
#
# A record of the second format then gives *same-machine* speed-ups. Each
# divides the record's CPU time by its accelerator time, at a size both
# ran. One machine and one torch version ran the same code for both. The same
# two summaries follow. A record of the first format holds no CPU time of its
# machine, and the page says so.
def from_which_size(ratios, holds):
    """The smallest size from which ``holds(ratio)`` at every size after it."""
    sizes = list(ratios)
    failing = [i for i, size in enumerate(sizes) if not holds(ratios[size])]
    rest = sizes[failing[-1] + 1 :] if failing else sizes
    return rest[0] if rest else None


def summarise(ratios, beats, kind):
    """Print from which size on the ratios stay above 1, and at 50 or more."""
    wins_from = from_which_size(ratios, lambda ratio: ratio > 1)
    if wins_from:
        print(f"  beats {beats} from {wins_from} on")
    else:
        print(f"  does not beat {beats} at the largest size both ran")
    fifty_from = from_which_size(ratios, lambda ratio: ratio >= 50)
    if fifty_from:
        print(f"  {kind} 50x or more from {fifty_from} on")
    else:
        print(f"  {kind} under 50x at the largest size both ran")


# The records lie beside this program. Run as a file, ``__file__`` names it.
# A notebook has no ``__file__``, nor does this code when the site's build runs
# it (from the program's own folder). Both look in the current folder.
here = Path(__file__).parent if "__file__" in globals() else Path()
records = [
    json.loads(p.read_text(encoding="utf-8"))
    for p in sorted(here.glob("gpu_record_*.json"))
]
if not records:
    print("No recorded accelerator runs beside this program.")
    if device.type == "cpu":
        print(
            "To time one, run this on a machine with an accelerator (a GPU "
            "runtime on Colab, say): the tables above then gain its columns."
        )
    else:
        print(
            f"This run timed its own {device.type} above: the '{device.type} vs cpu' "
            "column is its speed-up over the CPU of the same machine."
        )
recorded_times = {}  # the records' seconds per step, by the label they are plotted with
for record in records:
    backend = ", ".join(f"{k} {v}" for k, v in record["backend"].items())
    print(f"Recorded on {record['device']} on {record['date']}")
    print(f"  torch {record['torch']}, {backend}, driver {record['driver']}")
    print(f"  command: {record['command']}")
    recorded = {tuple(r["size"]): r["seconds_per_step"] for r in record["steps"]}
    label = f"recorded {record['device_type']}: {record['device']}, {record['date']}"
    recorded_times[label] = recorded
    ratios = {}
    for size, seconds in recorded.items():
        if size in times["torch cpu"]:
            ratios[size] = times["torch cpu"][size] / seconds
        versus = f", cross-machine ratio {ratios[size]:.1f}x" if size in ratios else ""
        print(f"  {size}: {seconds * 1e3:.3f} ms{versus}")
    summarise(ratios, "this run's torch cpu", "cross-machine ratio")
    print(
        f"  cross-machine: this run's torch {torch.__version__} on its CPU, "
        f"against torch {record['torch']} on the recorded {record['device_type']}"
    )
    if record["format"] == 1:
        print(
            "  the record (format 1) holds no CPU time of its own machine: "
            "no same-machine speed-up"
        )
        continue
    cpu, accelerator_type = record["cpu"], record["device_type"]
    print(
        f"  same-machine: torch {record['torch']} on the recorded machine, "
        f"its {accelerator_type} ({record['device']}) against its own CPU"
    )
    print(
        f"  its CPU: {cpu['model']} ({cpu['machine']}), {cpu['logical_cpus']} "
        f"logical CPUs, torch used {cpu['torch_threads']} threads"
    )
    own_cpu = {tuple(r["size"]): r["seconds_per_step"] for r in record["cpu_steps"]}
    recorded_times[f"recorded cpu: {record['device']}'s machine, {record['date']}"] = (
        own_cpu
    )
    speedups = {s: own_cpu[s] / recorded[s] for s in own_cpu if s in recorded}
    for size, times_faster in speedups.items():
        print(
            f"  {size}: cpu {own_cpu[size] * 1e3:.3f} ms, {accelerator_type} "
            f"{recorded[size] * 1e3:.3f} ms, same-machine speed-up {times_faster:.1f}x"
        )
    summarise(speedups, "its own torch cpu", "same-machine speed-up")

# %%
# Time and throughput against work
# --------------------------------
# The figure plots seconds per step (left) and throughput (right) against
# the work per step. Where a line is flat on the left and climbs on the
# right, steps are too small to keep the hardware busy. Their time goes to
# starting operations, not to arithmetic. Recorded runs, if any, are dashed.
series = {name: times[name] for name in names} | recorded_times
fig, (ax_time, ax_rate) = plt.subplots(1, 2, figsize=(9, 3.8))
for (label, measured), marker in zip(series.items(), "osD^vP*X", strict=False):
    work = [flops_per_step(*s) / 1e9 for s in measured]
    style = "--" if label in recorded_times else "-"
    ax_time.loglog(work, list(measured.values()), style, marker=marker, label=label)
    rate = [w / t for w, t in zip(work, measured.values(), strict=True)]
    ax_rate.loglog(work, rate, style, marker=marker, label=label)
ax_time.set(xlabel="work per step (GFLOP)", ylabel="seconds per step")
ax_time.set_title("Time per training step")
ax_rate.set(xlabel="work per step (GFLOP)", ylabel="GFLOP/s", title="Throughput")
ax_time.legend(fontsize="small")
fig.tight_layout()
plt.show()

# %%
# Reading the result
# ------------------
# Every accelerator operation is launched from Python through a driver, which
# costs microseconds however little it computes. A step at the usual size is a
# dozen small operations, so an accelerator spends it launching. Where an
# accelerator's line, live or recorded, is flat on the left, the work per
# step grew and the time did not. Only large matrices fill a step with the
# arithmetic it is built for.
#
# A claim like "fifty times faster" names two things, and the page can only
# compute the ratios it has. A cross-machine ratio sets a recorded
# accelerator against this run's CPU: two machines, each with its own torch.
# So where the ratio reaches fifty, printed above, depends as much on that
# CPU as on the accelerator.
#
# Among the records, only those of the second format give a same-machine
# speed-up. It sets the accelerator against the CPU of its own machine, with
# the same torch. That is the comparison the claim makes, though for one CPU
# and one accelerator. A live accelerator gives one as well, in the
# ``vs cpu`` column of the speed-up table. Run this page on a machine with a
# GPU, Colab's for one, and that column answers the question for its GPU and
# its CPU.
#
# Next, :ref:`page 12 <sphx_glr_auto_examples_beyond_plot_12_static_graphs_today.py>`
# looks at what tracing and compiling a step changes.
