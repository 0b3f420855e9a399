"""A reader downloads one program and runs it with `python file.py`: it learns.

The notebooks of these programs hold the same code (tests/test_notebooks.py
checks), so these runs answer for them too.
"""

import functools
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from sitebuild import (
    EXAMPLES,
    PROGRAMS,
    REPO,
    TORCH_PROGRAMS,
    expected_device,
    printed_output,
    unmeasured,
)

from site_extensions.gallery_hooks import TENSORFLOW_ENVIRONMENT

FINAL = re.compile(r"^Final loss after (\d+) steps: (\S+) \(first step: (\S+)\)$", re.M)
LOGGED = re.compile(r"^step +(\d+) +loss (\S+)", re.M)


def run_alone(program):
    """``program`` run alone, as a reader runs a download: `python file.py`."""
    # The program itself must set TensorFlow's environment, as the build does.
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in TENSORFLOW_ENVIRONMENT
    }
    env["MPLBACKEND"] = "Agg"
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / program)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@functools.cache
def runs():
    """The one run of each program in this test session, two at a time."""
    with ThreadPoolExecutor(2) as pool:
        return dict(zip(PROGRAMS, pool.map(run_alone, PROGRAMS), strict=True))


def run_program(program):
    return runs()[program]


each_program = pytest.mark.parametrize("program", PROGRAMS, ids=str)


@each_program
def test_final_loss_is_1000_times_below_the_first(program):
    steps, final, first = FINAL.search(run_program(program).stdout).groups()
    assert int(steps) == 500
    assert float(final) * 1000 <= float(first), (final, first)


@each_program
def test_loss_is_printed_every_100_steps(program):
    logged = LOGGED.findall(run_program(program).stdout)
    assert [int(step) for step, _ in logged] == [100, 200, 300, 400, 500]


@each_program
def test_nothing_but_plot_warnings_on_stderr(program):
    # TensorFlow's C++ start-up lines would land here.
    noise = [
        line
        for line in run_program(program).stderr.splitlines()
        if line.strip() and "non-interactive" not in line and "plt.show()" not in line
    ]
    assert noise == []


@pytest.mark.parametrize("program", TORCH_PROGRAMS, ids=str)
def test_torch_programs_say_which_device_ran(program):
    device = re.escape(expected_device())
    assert re.search(rf"^Running on: {device}$", run_program(program).stdout, re.M)


def test_forcing_a_device_is_honoured():
    program = EXAMPLES / TORCH_PROGRAMS[0]
    env = {**os.environ, "MPLBACKEND": "Agg", "EXAMPLES_DEVICE": "meta"}
    result = subprocess.run(
        [sys.executable, str(program)],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    # The meta device holds no data, so the program fails, but only after choosing it.
    assert "Running on: meta" in result.stdout


@each_program
def test_a_run_alone_prints_what_the_page_shows(site, program):
    # Every random generator is seeded: the same program prints the same
    # numbers, and the same lines, when the build runs it and when a reader
    # runs it alone.
    alone = run_program(program).stdout
    assert LOGGED.findall(alone), "no loss printed"
    built = printed_output(site.html, program)
    assert unmeasured(program, alone) == unmeasured(program, built)
