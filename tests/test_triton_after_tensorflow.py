"""A Linux user's install has both TensorFlow and triton (torch brings it), and
a triton imported after TensorFlow crashes Python (tensorflow/tensorflow#124205).

The test environment has triton on Linux, whichever torch build it has, so
these tests meet the crash as a user's machine would: the reproduction must
crash, the build's hook and the programs' own import order must prevent it,
and the record of which releases clash must match the ones installed.
"""

import os
import platform
import re
import signal
import subprocess
import sys

import pytest
from sitebuild import (
    EXAMPLES,
    GALLERY,
    REPO,
    TENSORFLOW_PROGRAMS,
    imports,
    printed_output,
)

from site_extensions.gallery_hooks import (
    TENSORFLOW_ENVIRONMENT,
    installed_versions,
    triton_after_tensorflow_crashes,
)

# Where the default install brings triton with torch.
TRITON_PLATFORM = sys.platform == "linux" and platform.machine() in (
    "x86_64",
    "aarch64",
)
needs_triton_platform = pytest.mark.skipif(
    not TRITON_PLATFORM, reason="torch brings triton on Linux only"
)
CRASHED = -signal.SIGSEGV
# What makes torch load triton: torch.compile, or an optimizer.
USES_TRITON = re.compile(r"@torch\.compile\b|torch\.compile\(|torch\.optim\.\w+\(")


def source(program) -> str:
    return (EXAMPLES / program).read_text(encoding="utf-8")


# torch imports triton on the first optimizer it makes, as page 7 does.
FIRST_OPTIMIZER = (
    "import torch; torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=0.1)"
)


def run_python(code: str, *, cwd=REPO, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env={**os.environ, **TENSORFLOW_ENVIRONMENT, "MPLBACKEND": "Agg"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


@needs_triton_platform
def test_the_test_environment_has_what_a_users_install_has():
    versions = installed_versions()
    assert versions["triton"], (
        "no triton here, so nothing can show the crash a Linux user meets: "
        "pyproject.toml's test group installs it (make test sets it up)"
    )
    assert versions["tensorflow"], "no TensorFlow: make test sets it up"


@needs_triton_platform
def test_the_record_of_clashing_releases_matches_the_installed_ones():
    versions = installed_versions()
    reproduction = run_python("import tensorflow; import triton")
    crashed = reproduction.returncode == CRASHED
    assert crashed or reproduction.returncode == 0, reproduction.stderr[-3000:]
    if crashed and not triton_after_tensorflow_crashes(versions):
        pytest.fail(
            f"{versions} crash, yet site_extensions.gallery_hooks."
            "TRITON_AFTER_TENSORFLOW_CRASHES says they do not: widen it "
            "(and keep the workaround)"
        )
    if not crashed and triton_after_tensorflow_crashes(versions):
        pytest.fail(
            f"{versions} no longer crash: narrow site_extensions.gallery_hooks."
            "TRITON_AFTER_TENSORFLOW_CRASHES, and drop the workaround (the build's "
            "hook, the programs' `import triton`) once no pinned release needs it"
        )


@needs_triton_platform
def test_without_the_hook_the_build_would_crash_at_the_first_optimizer():
    if not triton_after_tensorflow_crashes(installed_versions()):
        pytest.skip("the installed releases do not clash")
    result = run_python(f"import tensorflow; {FIRST_OPTIMIZER}")
    assert result.returncode == CRASHED, result.stderr[-3000:]


@needs_triton_platform
def test_with_the_hook_first_tensorflow_and_the_optimizer_get_along(site):
    # The session's build ran, in one process, the first program that uses
    # TensorFlow and after it those that make torch load triton: with the
    # releases that clash (the test above), only the build's hook kept that
    # process alive, and each of those pages shows what its program printed.
    first = GALLERY.index(TENSORFLOW_PROGRAMS[0])
    after = [p for p in GALLERY[first + 1 :] if USES_TRITON.search(source(p))]
    assert after, "no program after the first TensorFlow one loads triton"
    for program in after:
        assert printed_output(site.html, program).strip(), program


BOTH = [p for p in GALLERY if imports(p, "tensorflow") and imports(p, "torch")]
# The workaround as a program carries it: a comment, then the guarded import.
WORKAROUND = re.compile(
    r"(#[^\n]*\n)*try:\n    import triton  # noqa: F401\n"
    r"except ImportError:[^\n]*\n    pass\n"
)


def test_some_programs_use_both_frameworks():
    assert BOTH, "no program imports both TensorFlow and torch"


@pytest.mark.parametrize("program", BOTH, ids=str)
def test_a_program_with_both_frameworks_imports_triton_first(program):
    source = (EXAMPLES / program).read_text(encoding="utf-8")
    workaround = WORKAROUND.search(source)
    assert workaround, f"{program} does not import triton before TensorFlow"
    assert "tensorflow/tensorflow#124205" in workaround.group()
    assert workaround.end() < source.index("import tensorflow")


# Programs that make torch load triton (through torch.compile or torch.optim)
# after TensorFlow: without the workaround, they crash when run alone.
LOADS_TRITON = [p for p in BOTH if USES_TRITON.search(source(p))]


@needs_triton_platform
@pytest.mark.parametrize("program", LOADS_TRITON, ids=str)
def test_without_its_workaround_a_program_run_alone_crashes(program, tmp_path):
    if not triton_after_tensorflow_crashes(installed_versions()):
        pytest.skip("the installed releases do not clash")
    source = (EXAMPLES / program).read_text(encoding="utf-8")
    stripped = tmp_path / program.name
    stripped.write_text(WORKAROUND.sub("", source, count=1), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(stripped)],
        cwd=tmp_path,
        env={**os.environ, "MPLBACKEND": "Agg"},
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert result.returncode == CRASHED, result.stdout[-2000:] + result.stderr[-2000:]
