"""A maintainer builds again: whatever the last build did not finish, or did
with other inputs, runs again."""

import re
import shutil
import signal
import sys
import time
import zipfile

import pytest
from sitebuild import (
    GALLERY,
    SESSION_BUILD,
    build_html,
    copy_sources,
    gallery_copy,
    page_path,
    printed_output,
    start_build,
)

# An example that runs until the test lets it finish.
WAITING = '''"""
Waiting for the test
====================

It says that it has started, then waits until the test lets it finish.
"""

import pathlib
import time

pathlib.Path({started!r}).touch()
while pathlib.Path({hold!r}).exists():
    time.sleep(0.05)
print({says!r})
'''


def wait_until_started(build, started):
    """Until the WAITING example that ``build`` runs says it has started."""
    deadline = time.monotonic() + 300
    while not started.exists():
        assert build.poll() is None, build.communicate()
        assert time.monotonic() < deadline, "the example never started"
        time.sleep(0.1)


# Windows sends no SIGINT to one process: Ctrl-C goes to a whole console.
@pytest.mark.skipif(sys.platform == "win32", reason="no SIGINT for one process")
def test_an_example_interrupted_by_ctrl_c_runs_again_in_the_next_build(tmp_path):
    root = copy_sources(tmp_path / "src")
    waiting = root / "examples" / "tensors" / "plot_99_waiting.py"
    started, hold = tmp_path / "started", tmp_path / "hold"
    env = {"EXAMPLES": "plot_99_"}

    def write(says):
        waiting.write_text(
            WAITING.format(started=str(started), hold=str(hold), says=says),
            encoding="utf-8",
        )

    write("first version")
    assert build_html(root, env=env).returncode == 0
    # Edited, then interrupted while it runs: its page still shows the first version.
    write("second version")
    started.unlink()
    hold.touch()
    build = start_build(root, env=env)
    wait_until_started(build, started)
    build.send_signal(signal.SIGINT)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode != 0
    assert "Interrupted" in stderr

    hold.unlink()
    result = build_html(root, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    html = root / "_build" / "html"
    assert printed_output(html, waiting.relative_to(root / "examples")).strip() == (
        "second version"
    )
    # And the site is whole: every page, every download of the example.
    for program in GALLERY:
        assert page_path(html, program).is_file(), program
    gallery = gallery_copy(root) / "tensors"
    for suffix in (".py", ".ipynb"):
        assert "second version" in (gallery / f"plot_99_waiting{suffix}").read_text(
            encoding="utf-8"
        )
    with zipfile.ZipFile(gallery / "plot_99_waiting.zip") as archive:
        assert "second version" in archive.read("plot_99_waiting.py").decode()
    # Built, and nothing changed since: the next make html starts no Sphinx.
    again = build_html(root, env=env)
    assert again.returncode == 0
    assert "is up to date" in again.stdout
    assert "Running Sphinx" not in again.stdout + again.stderr


def test_two_builds_started_together_end_with_one_complete_site(tmp_path):
    # A second terminal, or an editor that builds on save: the second build
    # waits for the first, in one line, then finds the site up to date.
    root = copy_sources(tmp_path / "src")
    waiting = root / "examples" / "tensors" / "plot_99_waiting.py"
    started, hold = tmp_path / "started", tmp_path / "hold"
    waiting.write_text(
        WAITING.format(started=str(started), hold=str(hold), says="built once"),
        encoding="utf-8",
    )
    env = {"EXAMPLES": "plot_99_"}
    hold.touch()
    first = start_build(root, env=env)
    wait_until_started(first, started)
    second = start_build(root, env=env)
    said = second.stdout.readline()
    assert said.startswith("Another build of this checkout is running (pid ")
    assert said.endswith("this one waits for it to end.\n")
    hold.unlink()
    first_out, first_err = first.communicate(timeout=600)
    second_out, second_err = second.communicate(timeout=600)
    assert first.returncode == 0, first_err[-3000:]
    assert second.returncode == 0, second_err[-3000:]
    assert "Another build" not in first_out
    assert "is up to date" in second_out and "Running Sphinx" not in second_out
    html = root / "_build" / "html"
    program = waiting.relative_to(root / "examples")
    assert printed_output(html, program).strip() == "built once"
    for program in GALLERY:
        assert page_path(html, program).is_file(), program


def checksum_times(root, programs):
    """When each program's checksum was last written by sphinx-gallery."""
    gallery = gallery_copy(root)
    return {
        program: (gallery / f"{program}.md5").stat().st_mtime_ns for program in programs
    }


def test_another_device_reruns_the_examples_that_read_it_and_only_those(site, tmp_path):
    # A copy of the session's site, built with the device chosen automatically.
    root = tmp_path / "site"
    shutil.copytree(site.root, root, symlinks=True)
    numpy_program, torch_program = GALLERY[0], GALLERY[1]
    assert "EXAMPLES_DEVICE" not in (root / "examples" / numpy_program).read_text(
        encoding="utf-8"
    )
    assert "EXAMPLES_DEVICE" in (root / "examples" / torch_program).read_text(
        encoding="utf-8"
    )
    names = "|".join(re.escape(p.name) for p in (numpy_program, torch_program))

    def build(**env):
        result = build_html(root, env={**SESSION_BUILD, "EXAMPLES": names, **env})
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout, checksum_times(root, (numpy_program, torch_program))

    first = checksum_times(root, (numpy_program, torch_program))
    log, second = build(EXAMPLES_DEVICE="cpu")
    assert second[numpy_program] == first[numpy_program]
    assert second[torch_program] != first[torch_program]
    assert "EXAMPLES_DEVICE changed from 'automatic' to 'cpu'" in log
    _, third = build(EXAMPLES_DEVICE="cpu")
    assert third == second
