"""The build's inputs, checked before any example runs: EXAMPLES, the device
(EXAMPLES_DEVICE), SOURCE_DATE_EPOCH, and the inputs that sphinx-gallery
cannot see, which make the examples that depend on them run again."""

import json
import os
import re
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from fakes import FakeApp, assert_gallery_changed, setup_of
from sphinx.errors import ExtensionError

from site_extensions import build_inputs
from site_extensions.build_inputs import Gallery
from tools.site import BUILD_VARIABLES

EXAMPLES = [Path("/src/examples/tensors/plot_1_numpy_warmup.py")]


def test_every_example_runs_when_examples_is_unset():
    pattern = build_inputs.examples_to_run(EXAMPLES, None)
    assert re.search(pattern, str(EXAMPLES[0]))
    assert not re.search(pattern, "/src/examples/tensors/README.rst")


def test_examples_that_is_no_regex_is_a_one_line_error():
    with pytest.raises(ValueError) as error:
        build_inputs.examples_to_run(EXAMPLES, "[")
    assert str(error.value).startswith("EXAMPLES='[' is not a regular expression: ")
    assert "\n" not in str(error.value)


def test_examples_that_matches_nothing_is_said_once(capsys):
    assert build_inputs.examples_to_run(EXAMPLES, "nothing") == "nothing"
    assert capsys.readouterr().out == (
        "EXAMPLES='nothing' matches no example: "
        "every page is built, none is executed.\n"
    )


@pytest.mark.parametrize(
    "given", ["someone/learning", "Some-One/learning.pytorch_2", "a/b", "a/..b"]
)
def test_a_repository_is_taken_as_owner_slash_name(given):
    assert build_inputs.github_repository(given) == given


@pytest.mark.parametrize("given", [None, ""])
def test_no_repository_is_none(given):
    assert build_inputs.github_repository(given) is None


@pytest.mark.parametrize(
    "given",
    [
        "learning",
        "someone/",
        "/learning",
        "someone/learning/extra",
        "https://github.com/someone/learning",
        "some one/learning",
        "-someone/learning",
        "some--one/learning",
        "someone/..",
        "x" * 40 + "/learning",
        "someone/" + "x" * 101,
    ],
)
def test_a_repository_that_is_not_owner_slash_name_is_a_one_line_error(given):
    with pytest.raises(ValueError) as error:
        build_inputs.github_repository(given)
    assert str(error.value) == (
        f"GITHUB_REPOSITORY={given!r} is not a GitHub repository; give it as "
        "owner/name, e.g. someone/learning (or leave it unset: no Colab links)"
    )


def test_unset_device_is_automatic_and_needs_no_torch(monkeypatch):
    monkeypatch.setattr(build_inputs, "checked_device", None)  # never called
    assert build_inputs.examples_device(None) == "automatic"


def test_a_device_this_machine_lacks_names_the_choices(monkeypatch):
    monkeypatch.setattr(
        build_inputs, "device_choices", lambda: ["cpu", "cuda", "cuda:0"]
    )
    with pytest.raises(ValueError) as error:
        build_inputs.checked_device("bogus")
    assert str(error.value) == (
        "EXAMPLES_DEVICE='bogus' is not a device of this machine; "
        "choose one of: cpu, cuda, cuda:0 (or leave it unset)"
    )


def test_the_chosen_device_is_one_of_the_choices_and_the_cpu_is_always_one():
    choices = build_inputs.device_choices()
    assert choices[0] == "cpu"
    assert build_inputs.chosen_device(None) in choices
    assert build_inputs.checked_device("cpu") == "cpu"
    assert build_inputs.chosen_device("cpu") == "cpu"


def test_examples_that_read_an_input_are_found_by_its_name(tmp_path):
    reads, other = tmp_path / "plot_2_a.py", tmp_path / "plot_1_b.py"
    reads.write_text('os.environ.get("EXAMPLES_DEVICE")', encoding="utf-8")
    other.write_text("import numpy", encoding="utf-8")
    assert build_inputs.examples_that_read("EXAMPLES_DEVICE", [other, reads]) == [reads]


def test_a_digest_changes_with_a_file_s_content(tmp_path):
    path = tmp_path / "gpu_record_1.json"
    path.write_text("{}", encoding="utf-8")
    before = build_inputs.digest([path])
    assert build_inputs.digest([path]) == before
    path.write_text("{ }", encoding="utf-8")
    assert build_inputs.digest([path]) != before
    assert len(before) == 16


def test_rerun_when_changed_clears_the_checksums_of_its_examples_only(tmp_path):
    gallery = Gallery(examples=tmp_path / "examples", output=tmp_path / "out")
    depends, other = Path("beyond/plot_11_x.py"), Path("tensors/plot_1_y.py")
    checksums = {p: gallery.checksum_file(p) for p in (depends, other)}
    assert checksums[depends] == tmp_path / "out" / "beyond" / "plot_11_x.py.md5"

    def rerun_when_changed(value):
        for checksum in checksums.values():
            checksum.parent.mkdir(parents=True, exist_ok=True)
            checksum.touch()
        gallery.rerun_when_changed("records", value, [depends])
        return {program for program, path in checksums.items() if not path.exists()}

    # Never seen before, so no checksum can be trusted to match it.
    assert rerun_when_changed("v1") == {depends}
    assert rerun_when_changed("v1") == set()
    assert rerun_when_changed("v2") == {depends}
    # Another input is remembered on its own; examples may be absolute paths.
    gallery.rerun_when_changed("other", "x", [tmp_path / "examples" / other])
    assert not checksums[other].exists()
    assert rerun_when_changed("v2") == set()
    assert json.loads(gallery.remembered.read_text(encoding="utf-8")) == {
        "other": "x",
        "records": "v2",
    }


def checked(srcdir, passing):
    """check_checksums, after sphinx-gallery passed ``passing`` (source files)."""
    gallery_conf = {
        "examples_dirs": "../examples",
        "gallery_dirs": "auto",
        "passing_examples": [str(path) for path in passing],
    }
    build_inputs.check_checksums(FakeApp(srcdir, sphinx_gallery_conf=gallery_conf))


def test_each_example_that_passed_has_its_checksum_where_reruns_delete_it(tmp_path):
    srcdir = tmp_path / "docs"
    example = tmp_path / "examples" / "tensors" / "plot_1_y.py"
    checksum = srcdir / "auto" / "tensors" / "plot_1_y.py.md5"
    checksum.parent.mkdir(parents=True)
    checksum.touch()
    checked(srcdir, [example])
    # sphinx-gallery keeps it elsewhere, or under another name: nothing to delete.
    checksum.rename(checksum.with_suffix(".sha256"))
    with pytest.raises(ExtensionError) as error:
        checked(srcdir, [example])
    assert_gallery_changed(
        error,
        f"site_extensions.build_inputs: {example}: sphinx-gallery ran it but its "
        f"checksum ({checksum}) not found;",
    )
    # One that did not run (EXAMPLES left it out) or failed has none.
    checked(srcdir, [])


def test_without_the_examples_that_passed_the_check_fails_naming_the_key(tmp_path):
    app = FakeApp(
        tmp_path, sphinx_gallery_conf={"examples_dirs": "e", "gallery_dirs": "a"}
    )
    with pytest.raises(ExtensionError, match="no 'passing_examples'"):
        build_inputs.check_checksums(app)


def test_a_change_is_said_with_the_old_and_new_value(tmp_path, capsys):
    gallery = Gallery(examples=tmp_path / "examples", output=tmp_path / "out")
    example = Path("tensors/plot_2_x.py")
    gallery.rerun_when_changed("EXAMPLES_DEVICE", "automatic", [example])
    gallery.checksum_file(example).parent.mkdir(parents=True)
    gallery.checksum_file(example).touch()
    gallery.rerun_when_changed("EXAMPLES_DEVICE", "cpu", [example])
    assert capsys.readouterr().out == (
        "EXAMPLES_DEVICE changed from 'automatic' to 'cpu': "
        "the examples that depend on it run again (1).\n"
    )


@pytest.fixture
def site(tmp_path):
    """A small site: conf.py's folder, docs/ and two sections of examples."""
    for path in ("tensors/plot_1_a.py", "tensors/plot_2_b.py", "nn/plot_3_c.py"):
        (tmp_path / "examples" / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "examples" / path).write_text("print(1)\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "site_extensions").mkdir()
    (tmp_path / "site_extensions" / "figure_scraper.py").write_text(
        "", encoding="utf-8"
    )
    return tmp_path


def configured(site, monkeypatch, **environment):
    """The gallery's options after configure_gallery, with ``environment``."""
    return configured_config(site, monkeypatch, **environment).sphinx_gallery_conf


def configured_config(site, monkeypatch, **environment):
    """The config after configure_gallery, with ``environment`` and no other
    variable of the build."""
    for name in BUILD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    app = FakeApp(
        srcdir=site / "docs",
        confdir=site,
        sphinx_gallery_conf={
            "examples_dirs": "../examples",
            "gallery_dirs": "auto_examples",
        },
        examples_rerun_for_code=["site_extensions/figure_scraper.py"],
    )
    build_inputs.configure_gallery(app, app.config)
    return app.config


def test_the_gallery_s_options_come_from_the_environment_and_the_names(
    site, monkeypatch
):
    conf = configured(site, monkeypatch, EXAMPLES="plot_2_")
    assert conf["filename_pattern"] == "plot_2_"
    assert conf["subsection_order"] == ["../examples/tensors", "../examples/nn"]
    assert conf["min_reported_time"] == 0
    remembered = site / "docs" / "auto_examples" / "build_inputs.json"
    assert set(json.loads(remembered.read_text(encoding="utf-8"))) == {
        "EXAMPLES_DEVICE",
        "library versions",
        "GPU records",
        "figures",
    }


def test_the_repository_becomes_a_config_value(site, monkeypatch):
    assert configured_config(site, monkeypatch).github_repository is None
    config = configured_config(site, monkeypatch, GITHUB_REPOSITORY="someone/learning")
    assert config.github_repository == "someone/learning"


def test_the_commit_and_the_day_of_a_reproducible_build_become_config_values(
    site, monkeypatch
):
    config = configured_config(site, monkeypatch)
    assert (config.github_commit, config.build_day) == (None, None)
    sha = "0123456789abcdef" * 2 + "01234567"
    environment = {"GITHUB_SHA": sha, "SOURCE_DATE_EPOCH": "1767225600"}
    config = configured_config(site, monkeypatch, **environment)
    assert (config.github_commit, config.build_day) == (sha, "2026-01-01")


@pytest.mark.parametrize("value", ["HEAD", "0123abc", "0123456789ABCDEF" * 5])
def test_a_commit_is_a_full_hash(value):
    with pytest.raises(ValueError, match=f"GITHUB_SHA={value!r} is not a commit"):
        build_inputs.github_commit(value)


@pytest.mark.parametrize("value", ["yesterday", "-1", "1.5"])
def test_a_day_is_a_number_of_seconds(value):
    with pytest.raises(ValueError, match="is not a number of seconds"):
        build_inputs.build_day(value)


def test_the_examples_run_again_when_a_library_they_import_changes():
    packages = {"numpy": ("numpy", ("numpy",)), "triton": None}
    assert build_inputs.installed_versions(packages) == f"numpy {version('numpy')}"


def test_a_reproducible_build_reports_no_run_times(site, monkeypatch):
    conf = configured(site, monkeypatch, SOURCE_DATE_EPOCH="1767225600")
    assert conf["min_reported_time"] == sys.maxsize


def test_a_bad_value_ends_the_build_with_one_line_on_stderr(site, monkeypatch, capsys):
    def exit(status):
        raise SystemExit(status)

    monkeypatch.setattr(os, "_exit", exit)
    with pytest.raises(SystemExit) as stopped:
        configured(site, monkeypatch, EXAMPLES="(")
    assert stopped.value.code == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("EXAMPLES='(' is not a regular expression")
    with pytest.raises(SystemExit) as stopped:
        configured(site, monkeypatch, GITHUB_REPOSITORY="learning")
    assert stopped.value.code == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("GITHUB_REPOSITORY='learning' is not a GitHub repository")


def test_it_runs_before_sphinx_gallery_reads_its_configuration():
    app, metadata = setup_of(build_inputs)
    [(event, handler, priority), checks] = app.handlers
    assert (event, handler) == ("config-inited", build_inputs.configure_gallery)
    assert priority < 10  # sphinx-gallery's own handler has priority 10
    # ... and checks the checksums once sphinx-gallery (priority 500) ran examples.
    assert checks == ("builder-inited", build_inputs.check_checksums, 600)
    assert app.config_values == {
        "examples_rerun_for_code": [],
        "github_repository": None,
        "github_commit": None,
        "build_day": None,
    }
    assert metadata == {"parallel_read_safe": True, "parallel_write_safe": True}
