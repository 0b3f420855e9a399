"""A reader runs the data-parallel page, and one of its processes dies, or
the page itself is stopped: what is left must stop too, and the reader is
told in one line which process failed."""

import os
import re
import subprocess
import sys
import time

import psutil
import pytest
from sitebuild import EXAMPLES

PAGE = EXAMPLES / "beyond" / "plot_14_data_parallel.py"


def start_page(folder) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(PAGE)],
        cwd=folder,
        env={**os.environ, "MPLBACKEND": "Agg"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def workers_of(page: subprocess.Popen, count: int):
    """The page's ``count`` workers (``python -c ...``), once it has started
    that many, and every process they are made of: on Windows, a virtual
    environment's python.exe starts the real interpreter as its child."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        processes = []
        for child in psutil.Process(page.pid).children(recursive=True):
            try:
                if "-c" in child.cmdline():
                    processes.append(child)
            except psutil.NoSuchProcess:
                pass
        pids = {process.pid for process in processes}
        workers = [p for p in processes if p.ppid() not in pids]
        if len(workers) == count:
            return workers, processes
        assert page.poll() is None, page.communicate()
        time.sleep(0.05)
    pytest.fail(f"the page did not start {count} workers in 120 s")


def gone(processes, within: float) -> bool:
    _, alive = psutil.wait_procs(processes, timeout=within)
    return not alive


def test_a_worker_that_dies_stops_the_page_in_one_line_naming_it(tmp_path):
    page = start_page(tmp_path)
    try:
        workers_of(page, 1)  # the one-process launch first
        workers, processes = workers_of(page, 2)  # then the two-process one
        time.sleep(3)  # importing torch, then training
        (victim,) = [w for w in workers if w.cmdline()[-1] == "1"]
        victim.kill()
        _, stderr = page.communicate(timeout=120)
    finally:
        page.kill()
    assert page.returncode != 0
    # The traceback ends in one line that names the process that stopped.
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("RuntimeError: Process "), last
    assert re.search(
        rf"Process 1 of 2 \(pid {victim.pid}\) stopped with exit code", last
    )
    # The other process, which would wait for it, was stopped too.
    assert gone(processes, within=10)


def test_workers_stop_when_the_page_is_stopped(tmp_path):
    page = start_page(tmp_path)
    try:
        _, processes = workers_of(page, 1)
    finally:
        page.kill()  # as a closed notebook kernel or a killed build would be
        page.communicate()
    # Its input closes with the page, and it leaves.
    assert gone(processes, within=30)
