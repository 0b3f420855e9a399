r"""
One network on two processes: data parallel training
====================================================

With ``torch.distributed``, several processes train one network together.
Each process keeps a whole copy of the model and takes its share of the
batch. During every backward pass the processes average their gradients, so
every copy takes the same step. This page trains
:ref:`page 7's <sphx_glr_auto_examples_nn_plot_7_optim.py>` network on two
processes on the CPU, and checks when it learns what one process learns.

The original tutorial credits static graphs with letting a framework spread
a graph over many GPUs or machines. PyTorch spreads the *training* instead:
``DistributedDataParallel`` runs the lessons' eager code in every process.
"""

# %%
# One process's part
# ------------------
# Every process runs the function below. It joins the others in a
# :term:`process group` and learns its :term:`rank`, its number among the
# :term:`world size` processes. It makes page 7's data and model from the
# same seed, then keeps its share of the rows: every world-size-th row,
# starting at its rank.
# ``DistributedDataParallel`` (DDP) wraps the model. It starts every copy
# from rank 0's weights. During ``backward()``, it averages the gradients
# of all processes with an :term:`all-reduce`.
#
# The function trains three times: with page 7's Adam, with page 6's plain
# gradient descent (``SGD``), and with ``SGD`` on the loss times the world
# size. After each step it notes the loss, the time and a checksum of the
# weights. The backend is ``gloo``, which runs on the CPU on Linux, macOS
# and Windows.

# sphinx_gallery_parallel = False
import inspect
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import matplotlib.pyplot as plt
import torch
from torch.distributed import TCPStore

# gloo, torch.distributed's backend here, works with tensors on the CPU.
print("Running on: cpu")
print(f"torch {torch.__version__}, {os.cpu_count()} logical CPUs")


def train_worker(rank, world_size, port, folder, runs):
    import json
    import os
    import sys
    import threading
    import time
    import zlib
    from datetime import timedelta
    from pathlib import Path

    import torch

    # Leave at once if the program that started this process is gone.
    threading.Thread(
        target=lambda: (sys.stdin.read(), os._exit(1)), daemon=True
    ).start()
    # The machine's logical CPUs, shared out between the processes.
    torch.set_num_threads(max(1, (os.cpu_count() or 1) // world_size))
    store = torch.distributed.TCPStore("127.0.0.1", port, is_master=False)
    torch.distributed.init_process_group(
        "gloo",
        store=store,
        rank=rank,
        world_size=world_size,
        timeout=timedelta(seconds=60),
    )

    N, D_in, H, D_out = 64, 1000, 100, 10
    learning_rate = 1e-4
    results = {"threads": torch.get_num_threads(), "runs": {}}
    optimizers = {"Adam": torch.optim.Adam, "SGD": torch.optim.SGD}
    for name, optimizer_name, loss_scale in runs:
        torch.manual_seed(0)
        x = torch.randn(N, D_in)
        y = torch.randn(N, D_out)
        model = torch.nn.Sequential(
            torch.nn.Linear(D_in, H),
            torch.nn.ReLU(),
            torch.nn.Linear(H, D_out),
        )
        ddp_model = torch.nn.parallel.DistributedDataParallel(model)
        loss_fn = torch.nn.MSELoss(reduction="sum")
        optimizer = optimizers[optimizer_name](model.parameters(), lr=learning_rate)
        x, y = x[rank::world_size], y[rank::world_size]

        losses, seconds, checksums = [], [], []
        for t in range(500):
            start = time.perf_counter()
            loss = loss_fn(ddp_model(x), y)
            optimizer.zero_grad()
            (loss * loss_scale).backward()
            optimizer.step()
            seconds.append(time.perf_counter() - start)
            losses.append(loss.item())
            weights = torch.cat([p.detach().flatten() for p in model.parameters()])
            checksums.append(zlib.crc32(weights.numpy().tobytes()))
            if t == 0:
                gradient = torch.cat([p.grad.flatten() for p in model.parameters()])
                first_gradient_norm = gradient.norm().item()
        results["runs"][name] = {
            "losses": losses,
            "seconds": seconds,
            "checksums": checksums,
            "first_gradient_norm": first_gradient_norm,
        }

    # The communication alone: all-reduces of as many numbers as the gradients.
    gradients = torch.zeros(sum(p.numel() for p in model.parameters()))
    all_reduce_seconds = []
    for _ in range(100):
        start = time.perf_counter()
        torch.distributed.all_reduce(gradients)
        all_reduce_seconds.append(time.perf_counter() - start)
    results["all_reduce_seconds"] = all_reduce_seconds
    results["gradient_count"] = gradients.numel()
    torch.distributed.destroy_process_group()
    Path(folder, f"rank{rank}.json").write_text(json.dumps(results), encoding="utf-8")
    # Done: leave now. Python's own shutdown can meet the process group's
    # threads still stopping, and abort.
    os._exit(0)


# %%
# Starting the processes
# ----------------------
# ``launch`` starts ``world_size`` new Python processes. Each runs
# ``train_worker``, handed over as source code with ``python -c``. A
# notebook, or the site's build, has no file that a new process could
# import, and this way works on every system. (A program saved as a file can
# use ``torchrun`` or ``torch.multiprocessing.spawn`` instead.) The processes
# first meet (a :term:`rendezvous`) at a small key-value store that this
# process serves on ``127.0.0.1``.
#
# If a process fails, or the launch takes too long, ``launch`` stops them
# all and raises an error that names the process. ``RUNS`` lists the three
# trainings: a name, an optimizer, and whether the loss is multiplied by the
# world size.
RUNS = [
    ("Adam", "Adam", False),
    ("SGD", "SGD", False),
    ("SGD, loss times world size", "SGD", True),
]


def launch(world_size, timeout=600):
    """train_worker's results on ``world_size`` new processes, by rank."""
    runs = [(name, opt, world_size if scaled else 1) for name, opt, scaled in RUNS]
    store = TCPStore("127.0.0.1", 0, is_master=True, wait_for_workers=False)
    with tempfile.TemporaryDirectory() as folder:
        program = "import sys\n" + inspect.getsource(train_worker)
        program += (
            f"\ntrain_worker(int(sys.argv[1]), {world_size}, {store.port}, "
            f"{folder!r}, {runs!r})\n"
        )
        logs = [Path(folder, f"rank{rank}.log") for rank in range(world_size)]
        # The processes talk over this machine's loopback interface: gloo
        # would otherwise look for one by the machine's name.
        loopback = {"linux": "lo", "darwin": "lo0"}.get(sys.platform)
        env = {"GLOO_SOCKET_IFNAME": loopback, **os.environ} if loopback else None
        processes = []
        for rank, log in enumerate(logs):
            with log.open("wb") as output:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "-c", program, str(rank)],
                        stdin=subprocess.PIPE,
                        stdout=output,
                        stderr=subprocess.STDOUT,
                        env=env,
                    )
                )
        deadline = time.monotonic() + timeout
        try:
            while True:
                codes = [process.poll() for process in processes]
                failed = [rank for rank, code in enumerate(codes) if code]
                if failed or None not in codes or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
        finally:
            # The others would wait for a failed one until their own timeout.
            for process in processes:
                process.kill()
                process.wait()
                process.stdin.close()
        if failed or None in codes:
            stopped = []
            for rank in failed or [codes.index(None)]:
                said = logs[rank].read_text(encoding="utf-8", errors="replace")
                lines = [line.strip() for line in said.splitlines() if line.strip()]
                what = (
                    f"stopped with exit code {codes[rank]}"
                    if failed
                    else f"did not finish within {timeout} s"
                )
                stopped.append(
                    f"Process {rank} of {world_size} (pid {processes[rank].pid}) "
                    f"{what}; its last line: {lines[-1] if lines else 'none'}"
                )
            raise RuntimeError(" / ".join(stopped))
        return [
            json.loads(Path(folder, f"rank{rank}.json").read_text(encoding="utf-8"))
            for rank in range(world_size)
        ]


# %%
# One process, then two
# ---------------------
# The same program is launched twice: on one process, which takes the whole
# batch, and on two, which take half of it each.
start = time.perf_counter()
one = launch(world_size=1)
two = launch(world_size=2)
print(f"Both launches took {time.perf_counter() - start:.1f} s")
print(
    f"Threads per process: {one[0]['threads']} with one process, "
    f"{two[0]['threads']} with two"
)


def losses_of(ranks, run):
    """The loss over the whole batch: the sum of the processes' losses."""
    per_rank = [rank["runs"][run]["losses"] for rank in ranks]
    return [sum(step) for step in zip(*per_rank, strict=True)]


# %%
# What averaging does to the update
# ---------------------------------
# The original's loss is a *sum* over the batch. Each process sums over its
# half, and DDP *averages* the two gradients. So two processes get half the
# gradient that one process gets. The third training, on the loss times the
# world size, gets all of it. Here is the ratio at the first step:
for run, _, _ in RUNS:
    ratio = (
        two[0]["runs"][run]["first_gradient_norm"]
        / one[0]["runs"][run]["first_gradient_norm"]
    )
    print(f"{run}: gradient on two processes / on one = {ratio:.3f}")

# %%
# Adam divides each gradient by a running measure of its own size (page 7),
# so half the gradient gives almost the same step. Plain gradient descent
# takes a step in proportion to the gradient: half the gradient, half the
# step. Multiplying the loss by the world size before ``backward()`` undoes
# the averaging. Below, each training's loss on two processes is compared
# with the same training's on one process, at the first step and at the
# worst step. Step 1's loss comes before any update, so there only rounding
# differs.
gaps = {}
for run, _, _ in RUNS:
    single, double = losses_of(one, run), losses_of(two, run)
    gaps[run] = [abs(b - a) / a for a, b in zip(single, double, strict=True)]
    print(
        f"{run}: final loss {single[-1]:.4e} on one process, {double[-1]:.4e} "
        f"on two; relative difference {gaps[run][0]:.1e} at step 1, "
        f"{max(gaps[run]):.1e} at most"
    )

sgd = losses_of(one, "SGD")[-1], losses_of(two, "SGD")[-1]
print(
    f"Plain SGD on two processes ends at {sgd[1] / sgd[0]:,.0f} times "
    "the loss of one process"
)

# %%
# The scaled SGD training and Adam still differ a little. Two processes add
# up the batch in another order, and float32 rounds each sum. As on
# :ref:`page 10 <sphx_glr_auto_examples_beyond_plot_10_implementations_agree.py>`,
# such differences start near float32's :term:`rounding unit` and grow as
# training goes on. Adam's gap may also come from its small constant
# ``eps``, which halving the gradient makes count twice as much.

# %%
# Every copy holds the same weights
# ---------------------------------
# DDP keeps the copies in step: both start from rank 0's weights, and both
# apply the same averaged gradient. The checksums of the weights after each
# step show whether they stayed equal, bit for bit.
steps_compared = 0
steps_equal = 0
for run, _, _ in RUNS:
    first, second = (rank["runs"][run]["checksums"] for rank in two)
    steps_compared += len(first)
    steps_equal += sum(a == b for a, b in zip(first, second, strict=True))
print(
    f"Steps after which both processes held identical weights: "
    f"{steps_equal} of {steps_compared}"
)

# %%
# What a step costs
# -----------------
# Each step of the Adam training was timed in every process. With two processes,
# a step does half the arithmetic but adds an all-reduce. The all-reduce was
# also timed alone, on as many numbers as the network has gradients. The two
# processes share the machine's logical CPUs between them.
one_step = statistics.median(one[0]["runs"]["Adam"]["seconds"])
two_step = statistics.median(two[0]["runs"]["Adam"]["seconds"])
all_reduce = statistics.median(two[0]["all_reduce_seconds"])
gradient_count = two[0]["gradient_count"]
print(
    f"Median Adam step: {one_step * 1e3:.3f} ms on one process, "
    f"{two_step * 1e3:.3f} ms on two"
)
print(
    f"Median all-reduce of {gradient_count:,} float32 numbers (as many as the "
    f"gradients) between two processes: {all_reduce * 1e3:.3f} ms"
)
print(f"A step on two processes takes {two_step / one_step:.2f} times as long")

# %%
zero_gaps = sum(gap == 0 for gap in gaps["Adam"])
print(f"Adam steps whose losses on one and two processes are equal: {zero_gaps}")

# %%
# On the left, the Adam training's loss on one process and on two. On the
# right, for each training, the largest relative difference between the two
# up to each step. It shows the largest so far because a log scale cannot
# show a difference of 0, which some steps have.
fig, (ax_loss, ax_gap) = plt.subplots(1, 2, figsize=(9, 3.8))
after = range(1, 501)
ax_loss.semilogy(after, losses_of(one, "Adam"), "-", label="1 process")
ax_loss.semilogy(after, losses_of(two, "Adam"), "--", label="2 processes")
ax_loss.set(xlabel="training step", ylabel="loss (sum of squared errors)")
ax_loss.set_title("Adam, page 7's network (cpu)")
ax_loss.legend(fontsize="small")
for (run, gap), style in zip(gaps.items(), ["-", "--", ":"], strict=True):
    largest_so_far = list(itertools.accumulate(gap, max))
    ax_gap.semilogy(after, largest_so_far, style, label=run)
ax_gap.set(xlabel="training step", ylabel="largest relative difference so far")
ax_gap.set_title("Loss on 2 processes against 1")
ax_gap.legend(fontsize="small")
fig.tight_layout()
plt.show()

# %%
# This network is tiny, and both processes share the logical CPUs of the
# machine that ran the page. Their all-reduce goes over TCP on its loopback
# interface, never over a real network. Anything else running on the machine
# shows up in these times too. So the timings say little about the speed of
# data parallel training. It pays off when each process has its own GPU and
# the model is large. There the backend is ``nccl``, and each process picks
# its GPU by its local rank, its number on its machine. On several machines,
# ``torchrun`` runs on each one, starts its processes and gives them one
# rendezvous address. ``launch`` and the store then go, and the model moves
# to its GPU; the training loop stays the same.
#
# The page :doc:`/graphs` compares the ways of building a graph, and
# :doc:`/glossary` explains the terms of this page.
