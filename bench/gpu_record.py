"""make gpu-record: keep the timing page's measurement from this machine's accelerator.

Runs examples/beyond/plot_11_gpu_speed.py itself, unchanged, and writes its
accelerator's step times to examples/beyond/gpu_record_<date>_<device>.json,
which the page shows in every later build. A CPU run is refused: the page
measures the CPU live in every build already.

    python -m bench.gpu_record [--out DIR]
"""

import argparse
import contextlib
import datetime
import io
import json
import os
import re
import runpy
import shlex
import subprocess
import sys
from pathlib import Path

from sphinxext.build_inputs import chosen_device
from tools.site import REPO

PAGE = REPO / "examples" / "beyond" / "plot_11_gpu_speed.py"
FORMAT = 1


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


def make_record(page, command):
    import torch

    device = page["device"]
    name = f"torch {device.type}"
    backend = {
        key: value
        for key, value in (("cuda", torch.version.cuda), ("hip", torch.version.hip))
        if value
    } or {device.type: "built in"}
    steps = [
        {
            "size": list(size),
            "gflop": page["flops_per_step"](*size) / 1e9,
            "seconds_per_step": seconds,
            "gflop_per_s": page["flops_per_step"](*size) / seconds / 1e9,
        }
        for size, seconds in page["times"][name].items()
    ]
    return {
        "format": FORMAT,
        "device": (
            torch.cuda.get_device_name(device) if device.type == "cuda" else str(device)
        ),
        "device_type": device.type,
        "torch": torch.__version__,
        "backend": backend,
        "driver": driver_version() if device.type == "cuda" else "unknown",
        "date": datetime.date.today().isoformat(),
        "command": command,
        "steps": steps,
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
    record = make_record(page, os.environ.get("GPU_RECORD_COMMAND", command))
    path = record_path(args.out, record)
    path.write_text(json.dumps(record, indent=2) + "\n")
    print(f"Wrote {path}")


if __name__ == "__main__":
    main()
