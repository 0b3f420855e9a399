"""The pages' branches for machines these tests cannot have, run from the
pages' own code with the machine faked: the device each torch page picks on
an Apple GPU (mps), an NVIDIA one or none, and what page 12 says where
torch.compile finds no C++ compiler."""

import ast
import contextlib
import io
import os
from pathlib import Path

import pytest
import torch
from torch._inductor import exc

from site_extensions.build_inputs import chosen_device
from tools.site import REPO

EXAMPLES = REPO / "examples"
# The pages that choose a torch device.
CHOOSERS = sorted(
    path.relative_to(EXAMPLES)
    for path in EXAMPLES.rglob("plot_*.py")
    if "torch.accelerator.current_accelerator" in path.read_text(encoding="utf-8")
)
STATIC_GRAPHS = EXAMPLES / "beyond" / "plot_12_static_graphs_today.py"


def statements(program: Path, first, last) -> ast.Module:
    """The top-level statements of ``program`` from the first for which
    ``first(source)`` holds to the next for which ``last(source)`` does."""
    body = ast.parse(program.read_text(encoding="utf-8")).body
    sources = [ast.unparse(node) for node in body]
    start = next(i for i, source in enumerate(sources) if first(source))
    end = next(i for i in range(start, len(body)) if last(sources[i]))
    return ast.Module(body=body[start : end + 1], type_ignores=[])


def run_device_lines(program: Path, accelerator, monkeypatch, given=None) -> str:
    """What ``program``'s lines from ``device = ...`` to its ``Running on:``
    print, printed on a machine whose accelerator is ``accelerator``."""
    monkeypatch.setattr(
        torch.accelerator,
        "current_accelerator",
        lambda check_available=False: accelerator and torch.device(accelerator),
    )
    if given:
        monkeypatch.setenv("EXAMPLES_DEVICE", given)
    else:
        monkeypatch.delenv("EXAMPLES_DEVICE", raising=False)
    lines = statements(
        EXAMPLES / program,
        lambda source: source.startswith("device = "),
        lambda source: "Running on: " in source,
    )
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(
            compile(lines, str(program), "exec"),
            {"torch": torch, "os": os},
        )
    return printed.getvalue()


def test_the_pages_that_choose_a_device_are_found():
    assert len(CHOOSERS) >= 10, CHOOSERS


@pytest.mark.parametrize("accelerator", [None, "cuda", "mps"])
@pytest.mark.parametrize("program", CHOOSERS, ids=str)
def test_each_page_runs_on_the_accelerator_torch_reports(
    program, accelerator, monkeypatch
):
    printed = run_device_lines(program, accelerator, monkeypatch)
    device = printed.splitlines()[-1].removeprefix("Running on: ")
    source = (EXAMPLES / program).read_text(encoding="utf-8")
    if accelerator == "mps" and "torch.float64" in source:
        # MPS has no float64: a page that needs it runs torch on the CPU,
        # and says why.
        assert device == "cpu", printed
        assert (
            printed.splitlines()[0]
            == "MPS has no float64, so torch runs on the CPU here"
        )
    else:
        # As the build and the tests expect (site_extensions.build_inputs).
        assert printed.splitlines() == [f"Running on: {accelerator or 'cpu'}"]
        assert device == chosen_device()


@pytest.mark.parametrize("program", CHOOSERS, ids=str)
def test_examples_device_keeps_every_page_off_an_accelerator(program, monkeypatch):
    # As the workflow's macOS runner needs: it reports an MPS that fails.
    printed = run_device_lines(program, "mps", monkeypatch, given="cpu")
    assert printed.splitlines() == ["Running on: cpu"]


@pytest.fixture(scope="module")
def compiler_problem():
    """Page 12's compiler_problem and its COMPILER_INSTALL, run from its code."""
    lines = statements(
        STATIC_GRAPHS,
        lambda source: source.startswith("COMPILER_INSTALL = "),
        lambda source: source.startswith("def compiler_problem("),
    )
    namespace = {}
    exec(compile(lines, str(STATIC_GRAPHS), "exec"), namespace)
    return namespace["compiler_problem"], namespace["COMPILER_INSTALL"]


def inductor_error(inner):
    """``inner`` as torch.compile raises it: inside Inductor's own error."""
    return exc.InductorError(inner, None)


def test_page_12_tells_no_compiler_from_a_failed_one_from_other_errors(
    compiler_problem,
):
    problem, _ = compiler_problem
    no_compiler = inductor_error(exc.InvalidCxxCompiler())
    assert problem(no_compiler) == "no working C++ compiler"
    output = "In file included from k.cpp:1:\n"
    output += "k.cpp:2:10: fatal error: 'omp.h' file not found\n"
    failed = inductor_error(exc.CppCompileError(["clang++"], output))
    assert problem(failed) == (
        "the C++ compiler failed, k.cpp:2:10: fatal error: 'omp.h' file not found"
    )
    # Triton, on an NVIDIA GPU, builds its launcher with a C compiler.
    triton = RuntimeError("Failed to find C compiler. Please specify via CC")
    assert problem(inductor_error(triton)) == "no working C compiler for Triton"
    # Another wrapper that keeps the compiler's error as its cause.
    try:
        raise RuntimeError("backend failed") from exc.InvalidCxxCompiler("cl")
    except RuntimeError as wrapped:
        assert problem(wrapped) == "no working C++ compiler"
    # Anything else is the page's own error, raised as it is.
    assert problem(inductor_error(ValueError("shape mismatch"))) is None
    assert problem(RuntimeError("CUDA out of memory")) is None


def test_page_12_says_what_to_install_on_each_system(compiler_problem):
    _, install = compiler_problem
    assert "g++" in install["linux"] and "python3-dev" in install["linux"]
    assert "libomp" in install["darwin"] and "xcode-select" in install["darwin"]
    assert "Build Tools" in install["win32"] and "cl" in install["win32"]
