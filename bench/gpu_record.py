"""make gpu-record: keep the timing page's measurement from this machine's accelerator.

Runs examples/beyond/plot_11_gpu_speed.py itself, unchanged, and writes its
step times on the accelerator and on this machine's CPU to
examples/beyond/gpu_record_<date>_<device>.json, which the page shows in every
later build. A CPU run is refused: the page measures the CPU live in every
build already, and a record is worth keeping for its accelerator.

    python -m bench.gpu_record [--out DIR]

A record (format 2) is one JSON object:

    format       2; format 1 (before cpu and cpu_steps) is still read by the page
    device       the accelerator's name, e.g. "NVIDIA H200"
    device_type  torch's device type: "cuda", "mps", ...
    torch        torch.__version__
    backend      {"cuda": version} or {"hip": version}; else {type: "built in"}
    driver       the NVIDIA driver's version, or "unknown"
    date         the day it was made, ISO 8601
    command      the command that made it
    cpu          the CPU of the same machine (format 2): model (from
                 /proc/cpuinfo, or "unknown"), machine (platform.machine()),
                 logical_cpus (os.cpu_count()), torch_threads
                 (torch.get_num_threads() while it ran)
    steps        the page's "torch <device_type>" times: one entry per size it
                 reached, {size: [N, D_in, H, D_out], gflop, seconds_per_step,
                 gflop_per_s}
    cpu_steps    the page's "torch cpu" times from the same run (format 2),
                 entries as in steps: the same code and sizes on the same
                 machine and torch, up to where the page's step budget
                 stopped the CPU

steps and cpu_steps together give the same-machine speed-up that the page
prints beside its cross-machine ratios (the live run's CPU against the record).
"""

import argparse
import contextlib
import datetime
import io
import json
import os
import platform
import re
import runpy
import shlex
import subprocess
import sys
from pathlib import Path

from site_extensions.build_inputs import chosen_device
from tools.site import REPO

PAGE = REPO / "examples" / "beyond" / "plot_11_gpu_speed.py"
FORMAT = 2


def accelerator_or_exit():
    """The accelerator the page will use; one line and exit 1 if it is the CPU."""
    import torch

    chosen = os.environ.get("EXAMPLES_DEVICE")
    device = torch.device(chosen_device(chosen))
    if device.type == "cpu":
        why = "EXAMPLES_DEVICE=cpu" if chosen else "torch finds no accelerator here"
        sys.exit(
            f"make gpu-record: refusing to record a CPU run ({why}); "
            "run it on a machine with a GPU or another accelerator"
        )
    return device


def driver_version():
    """The NVIDIA driver's version, if nvidia-smi answers; else "unknown"."""
    try:
        out = subprocess.run(
            ["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=30,
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        out = []
    return out[0] if out else "unknown"


def run_page():
    """Run the page as the build does (in its folder); return its globals."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    printed = io.StringIO()
    cwd = Path.cwd()
    os.chdir(PAGE.parent)
    try:
        with contextlib.redirect_stdout(printed):
            page = runpy.run_path(str(PAGE), run_name="__main__")
    finally:
        os.chdir(cwd)
    print(printed.getvalue())
    return page


def cpu_model():
    """The CPU's model name, from /proc/cpuinfo where there is one; else "unknown"."""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or "unknown"
    found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    return found[1].strip() if found else platform.processor() or "unknown"


def describe_machine(device):
    """The record's provenance: the accelerator, its software, the CPU beside it."""
    import torch

    backend = {
        key: value
        for key, value in (("cuda", torch.version.cuda), ("hip", torch.version.hip))
        if value
    } or {device.type: "built in"}
    return {
        "device": (
            torch.cuda.get_device_name(device) if device.type == "cuda" else str(device)
        ),
        "device_type": device.type,
        "torch": torch.__version__,
        "backend": backend,
        "driver": driver_version() if device.type == "cuda" else "unknown",
        "cpu": {
            "model": cpu_model(),
            "machine": platform.machine(),
            "logical_cpus": os.cpu_count(),
            "torch_threads": torch.get_num_threads(),
        },
    }


def step_entries(seconds_by_size, flops_per_step):
    """One entry per measured size: its work, its time and its throughput."""
    return [
        {
            "size": list(size),
            "gflop": flops_per_step(*size) / 1e9,
            "seconds_per_step": seconds,
            "gflop_per_s": flops_per_step(*size) / seconds / 1e9,
        }
        for size, seconds in seconds_by_size.items()
    ]


def make_record(page, machine, command, date):
    """The record of one run of the page (its globals) on ``machine``."""
    times, flops = page["times"], page["flops_per_step"]
    return {
        "format": FORMAT,
        **machine,
        "date": date.isoformat(),
        "command": command,
        "steps": step_entries(times[f"torch {machine['device_type']}"], flops),
        "cpu_steps": step_entries(times["torch cpu"], flops),
    }


def record_path(out, record):
    slug = re.sub(r"[^a-z0-9]+", "-", record["device"].lower()).strip("-")
    return Path(out) / f"gpu_record_{record['date']}_{slug}.json"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=PAGE.parent, help="folder for the record")
    args = parser.parse_args()
    accelerator_or_exit()
    page = run_page()
    command = shlex.join(
        [Path(sys.executable).name, "-m", __spec__.name, *sys.argv[1:]]
    )
    record = make_record(
        page,
        describe_machine(page["device"]),
        os.environ.get("GPU_RECORD_COMMAND", command),
        datetime.date.today(),
    )
    path = record_path(args.out, record)
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {path}")


if __name__ == "__main__":
    main()
