"""A person mistypes a value: one line says what is wrong and how to fix it,
before anything runs."""

import re
import socket

from sitebuild import REPO, build_html, copy_sources, run_make

from site_extensions.build_inputs import device_choices


def make(tmp_path, *args, env=None, timeout=300):
    """``make <args>`` in the work tree, its build going to ``tmp_path``."""
    return run_make(REPO, *args, f"BUILDDIR={tmp_path}", env=env, timeout=timeout)


def said(result):
    """What a failed make printed on stderr, less make's own line about it."""
    return [
        line
        for line in result.stderr.splitlines()
        if line.strip() and not re.match(r"make(\[\d+\])?: \*\*\*", line)
    ]


def test_examples_that_is_no_regex_stops_make_html_with_one_line(tmp_path):
    result = make(tmp_path, "html", "EXAMPLES=[")
    assert result.returncode != 0
    (line,) = said(result)
    assert line.startswith("EXAMPLES='[' is not a regular expression: "), line
    assert "generating gallery" not in result.stdout


def test_examples_that_matches_nothing_builds_and_says_so_once(tmp_path):
    result = build_html(copy_sources(tmp_path), env={"EXAMPLES": "nothing-matches"})
    assert result.returncode == 0, result.stderr[-3000:]
    log = result.stdout + result.stderr
    assert log.count("EXAMPLES='nothing-matches' matches no example") == 1


def test_unknown_device_stops_the_build_before_any_example_runs(tmp_path):
    result = make(tmp_path, "html", env={"EXAMPLES_DEVICE": "bogus"})
    assert result.returncode != 0
    (line,) = said(result)
    assert line.startswith("EXAMPLES_DEVICE='bogus' is not a device of this machine")
    listed = (
        re.search(r"choose one of: ([\w:]+(?:, [\w:]+)*)", line).group(1).split(", ")
    )
    assert listed == device_choices()
    assert "generating gallery" not in result.stdout


def test_accelerator_this_machine_lacks_stops_the_build(tmp_path):
    missing = next(t for t in ("cuda", "mps", "xpu") if t not in device_choices())
    result = make(tmp_path, "html", env={"EXAMPLES_DEVICE": missing})
    assert result.returncode != 0
    (line,) = said(result)
    assert line.startswith(f"EXAMPLES_DEVICE='{missing}' is not a device of this")
    assert "generating gallery" not in result.stdout


def test_repository_that_is_not_owner_slash_name_stops_the_build(tmp_path):
    result = make(tmp_path, "html", env={"GITHUB_REPOSITORY": "learning"})
    assert result.returncode != 0
    (line,) = said(result)
    assert line.startswith("GITHUB_REPOSITORY='learning' is not a GitHub repository")
    assert "owner/name" in line
    assert "generating gallery" not in result.stdout


def test_make_serve_on_a_taken_port_says_so_in_one_line(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        # A server that took the port after all would serve until stopped.
        result = make(tmp_path, "serve", f"PORT={port}", timeout=60)
    assert result.returncode != 0
    (line,) = said(result)
    assert f"port {port} on 127.0.0.1 cannot be used" in line
    assert f"PORT={port + 1}" in line
