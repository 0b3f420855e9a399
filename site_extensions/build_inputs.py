"""What a build reads besides conf.py: the environment and the inputs that
examples' output depends on.

A Sphinx extension. When Sphinx has read conf.py (``config-inited``), before
sphinx-gallery reads its configuration and before any example runs, it

- checks the build modes, read once from the environment: EXAMPLES, a regex
  of the example paths to execute, and EXAMPLES_DEVICE, the torch examples'
  device; a bad value stops the build with one line that says what is wrong
  and how to fix it. SOURCE_DATE_EPOCH makes a reproducible build, whose
  pages leave out their run times. GITHUB_REPOSITORY (owner/name, which
  GitHub Actions sets) is the repository whose notebooks the example pages
  link on Colab (site_extensions.colab_links); it becomes the config value
  ``github_repository``, None when the build is told none. GITHUB_SHA,
  which GitHub Actions sets too, the commit the sources come from, becomes
  ``github_commit`` (site_extensions.report_link), and SOURCE_DATE_EPOCH's day
  ``build_day`` (site_extensions.run_info); each None when unset;
- sets what sphinx-gallery takes from them and from the examples' names:
  ``filename_pattern``, ``subsection_order`` (the sections in teaching
  order) and ``min_reported_time``;
- makes the examples run again whose output depends on an input that changed
  since the last build, which sphinx-gallery cannot see (see
  ``Gallery.rerun_when_changed``): the device, the installed versions of the
  libraries the examples import, the GPU records beside the timing page, and
  the code that saves every example's figures.

Once sphinx-gallery has run the examples (``builder-inited``), it checks that
each that passed has its checksum file where the re-runs delete it, and fails
the build if not (see site_extensions's docstring).
"""

import contextlib
import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import gallery_changed, gallery_private_key
from .gallery_hooks import examples_in_teaching_order, sections_in_teaching_order
from .run_info import installed

# The accelerator runs that `make gpu-record` keeps beside the timing page.
GPU_RECORDS = "gpu_record_*.json"
# A repository as GitHub names it: an owner of up to 39 letters, digits and
# single inner hyphens, then a name of up to 100 letters, digits, ".", "-" and
# "_" that is neither "." nor "..".
GITHUB_REPOSITORY = re.compile(
    r"(?=[A-Za-z0-9-]{1,39}/)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"
    r"/(?!\.\.?$)[A-Za-z0-9._-]{1,100}"
)
# The config values that configure_gallery sets from the environment, which
# conf.py therefore leaves out.
FROM_ENVIRONMENT = ("github_repository", "github_commit", "build_day")
# A commit's hash, as git writes it (SHA-1, or SHA-256).
COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


@contextlib.contextmanager
def stop_on_bad_input():
    """Turn a ValueError into one line on stderr and exit status 2.

    Sphinx reports any exception raised in an event handler, SystemExit
    included, with a traceback and a request to report a bug; a typing
    mistake deserves one line, so this leaves the process directly.
    """
    try:
        yield
    except ValueError as err:
        sys.stdout.flush()
        print(err, file=sys.stderr, flush=True)
        os._exit(2)


def examples_to_run(examples, given=None):
    """The regex of example paths to execute: ``given`` (EXAMPLES), or every example.

    sphinx-gallery searches it in each example's full path; ``examples`` are
    those paths. A regex that matches none of them is allowed (the pages are
    built without output) and said once.
    """
    if not given:
        return re.escape(os.sep) + "plot_"
    try:
        pattern = re.compile(given)
    except re.error as err:
        raise ValueError(
            f"EXAMPLES={given!r} is not a regular expression: {err}"
        ) from None
    if not any(pattern.search(os.path.normpath(path)) for path in examples):
        print(
            f"EXAMPLES={given!r} matches no example: every page is built, "
            "none is executed."
        )
    return given


def _matching(given, pattern, problem):
    """``given`` if ``pattern`` matches all of it, None when it is unset or
    empty; else ValueError: ``problem``, with ``given`` filled in."""
    if not given:
        return None
    if not pattern.fullmatch(given):
        raise ValueError(problem.format(given=given))
    return given


def github_repository(given=None):
    """The repository that ``given`` (GITHUB_REPOSITORY) names, as owner/name,
    or None when it is unset or empty."""
    return _matching(
        given,
        GITHUB_REPOSITORY,
        "GITHUB_REPOSITORY={given!r} is not a GitHub repository; give it as "
        "owner/name, e.g. someone/learning (or leave it unset: no Colab links)",
    )


def github_commit(given=None):
    """The commit that ``given`` (GITHUB_SHA) names, or None when it is unset
    or empty."""
    return _matching(
        given,
        COMMIT,
        "GITHUB_SHA={given!r} is not a commit's hash; give git's full one, "
        "e.g. $(git rev-parse HEAD) (or leave it unset: no commit named)",
    )


def build_day(given=None):
    """The day, in UTC, of a reproducible build (``given``: SOURCE_DATE_EPOCH),
    as 2026-01-01; None when it is unset or empty."""
    if not given:
        return None
    if not given.isdigit():
        raise ValueError(
            f"SOURCE_DATE_EPOCH={given!r} is not a number of seconds since "
            "1970; e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)"
        )
    return datetime.fromtimestamp(int(given), UTC).date().isoformat()


def installed_versions(packages: dict) -> str:
    """The installed version of each library in ``packages`` (conf.py's
    install_lines_packages), as one string: the examples' output depends on
    them, and site_extensions.run_info names them on the pages."""
    return "; ".join(filter(None, map(installed, packages.values())))


# -- The device of the torch examples ------------------------------------------
# The one definition of the choice every torch example makes for itself (each
# keeps its own few lines, since readers download single files): the build,
# the tests and `make gpu-record` ask these functions.


def device_choices():
    """The devices EXAMPLES_DEVICE may name here: the CPU, then the accelerator
    torch finds (its type, then each of its devices by number), if any."""
    import torch

    choices = ["cpu"]
    accelerator = torch.accelerator.current_accelerator(check_available=True)
    if accelerator is not None:
        count = torch.accelerator.device_count()
        choices += [accelerator.type] + [
            f"{accelerator.type}:{i}" for i in range(count)
        ]
    return choices


def chosen_device(given=None):
    """The device a torch example runs on: ``given`` (EXAMPLES_DEVICE), else
    the accelerator if torch finds one, else the CPU; as torch names it."""
    import torch

    given = given or torch.accelerator.current_accelerator(check_available=True)
    return str(torch.device(given or "cpu"))


def checked_device(given):
    """``given`` as torch names it; ValueError naming the choices if this
    machine has no such device."""
    choices = device_choices()
    try:
        device = chosen_device(given)
    except RuntimeError:
        device = None
    if device not in choices:
        raise ValueError(
            f"EXAMPLES_DEVICE={given!r} is not a device of this machine; "
            f"choose one of: {', '.join(choices)} (or leave it unset)"
        )
    return device


def examples_device(given=None):
    """The device that ``given`` (EXAMPLES_DEVICE) asks for, or "automatic".

    Unset, each example picks the accelerator if there is one, else the CPU;
    working that out needs torch, whose import would add about a second to
    every rebuild, so torch is imported only to check a device asked for by
    name.
    """
    return checked_device(given) if given else "automatic"


# -- Inputs that sphinx-gallery cannot see -------------------------------------


def examples_that_read(text, examples):
    """Those of ``examples`` whose source mentions ``text`` (a variable, a file)."""
    return [path for path in examples if text in Path(path).read_text(encoding="utf-8")]


def digest(paths: list[Path]) -> str:
    """A short hash of the names and contents of ``paths``, in their order."""
    hashed = hashlib.sha256()
    for path in paths:
        hashed.update(path.name.encode() + b"\0" + path.read_bytes())
    return hashed.hexdigest()[:16]


@dataclass(frozen=True)
class Gallery:
    """The examples' folder, and the one sphinx-gallery writes their pages into."""

    examples: Path
    output: Path

    @classmethod
    def of(cls, srcdir, gallery_conf) -> "Gallery":
        """The gallery that ``gallery_conf`` (sphinx_gallery_conf) names."""
        return cls(
            examples=Path(srcdir, gallery_conf["examples_dirs"]).resolve(),
            output=Path(srcdir, gallery_conf["gallery_dirs"]),
        )

    @property
    def remembered(self) -> Path:
        """The inputs that rerun_when_changed saw last, kept with sphinx-gallery's
        checksums so that `make clean` forgets both together."""
        return self.output / "build_inputs.json"

    def checksum_file(self, example) -> Path:
        """The file whose checksum tells sphinx-gallery an example is unchanged.

        ``example``: its source file, absolute or relative to ``examples``.
        """
        copy = self.output / (self.examples / example).relative_to(self.examples)
        return copy.with_name(copy.name + ".md5")

    def rerun_when_changed(self, name: str, value: str, examples) -> None:
        """Re-run ``examples`` if ``value`` differs from the one the last build had.

        For an input that examples' output depends on but sphinx-gallery cannot
        see: it re-runs an example only when the example's source changed,
        which it tells from a checksum file next to the example's copy.
        Deleting that file makes the example run again, in this build if it is
        one of those EXAMPLES selects, or else in the next that selects it.

        ``name`` names the input (one per input); ``value`` is what this build
        sees, as a string (a device, a hash of files); ``examples`` are the
        source files of the examples that depend on it.
        """
        try:
            remembered = json.loads(self.remembered.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            remembered = {}  # a clean build, or a file cut short
        if remembered.get(name) == value:
            return
        stale = [
            checksum
            for example in examples
            if (checksum := self.checksum_file(example)).exists()
        ]
        for checksum in stale:
            checksum.unlink()
        if stale:
            was = remembered.get(name, "not recorded")
            print(
                f"{name} changed from {was!r} to {value!r}: "
                f"the examples that depend on it run again ({len(stale)})."
            )
        # Written only after the checksums are gone: if the build stops in
        # between, the next one sees the change again.
        remembered[name] = value
        self.remembered.parent.mkdir(parents=True, exist_ok=True)
        new = self.remembered.with_suffix(".new")
        new.write_text(
            json.dumps(remembered, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        new.replace(self.remembered)


# -- The extension ---------------------------------------------------------------


def configure_gallery(app, config):
    """Check the build modes and set the gallery's options from them, before
    sphinx-gallery reads its configuration; re-run what changed inputs need."""
    gallery_conf = config.sphinx_gallery_conf
    gallery = Gallery.of(app.srcdir, gallery_conf)
    with stop_on_bad_input():
        examples = examples_in_teaching_order(gallery.examples)
        pattern = examples_to_run(examples, os.environ.get("EXAMPLES"))
        device = examples_device(os.environ.get("EXAMPLES_DEVICE"))
        repository = github_repository(os.environ.get("GITHUB_REPOSITORY"))
        config.github_commit = github_commit(os.environ.get("GITHUB_SHA"))
        config.build_day = build_day(os.environ.get("SOURCE_DATE_EPOCH"))
    config.github_repository = repository
    gallery_conf["filename_pattern"] = pattern
    gallery_conf["subsection_order"] = [
        f"{gallery_conf['examples_dirs']}/{section}"
        for section in sections_in_teaching_order(examples)
    ]
    # A reproducible build: its pages leave out their run times, the one thing
    # sphinx-gallery writes that changes from build to build.
    reproducible = "SOURCE_DATE_EPOCH" in os.environ
    gallery_conf["min_reported_time"] = sys.maxsize if reproducible else 0

    gallery.rerun_when_changed(
        "EXAMPLES_DEVICE", device, examples_that_read("EXAMPLES_DEVICE", examples)
    )
    gallery.rerun_when_changed(
        "library versions",
        installed_versions(getattr(config, "install_lines_packages", {})),
        examples,
    )
    records = sorted(gallery.examples.glob(f"*/{GPU_RECORDS}"))
    gallery.rerun_when_changed(
        "GPU records",
        digest(records),
        examples_that_read(GPU_RECORDS.split("*")[0], examples),
    )
    figure_code = [Path(app.confdir, path) for path in config.examples_rerun_for_code]
    gallery.rerun_when_changed("figures", digest(figure_code), examples)


def check_checksums(app):
    """Each example that sphinx-gallery ran and passed in this build has its
    checksum where Gallery.checksum_file says; else rerun_when_changed would
    delete nothing and no example would run again for a changed input."""
    gallery_conf = app.config.sphinx_gallery_conf
    gallery = Gallery.of(app.srcdir, gallery_conf)
    for example in gallery_private_key(gallery_conf, "passing_examples", __name__):
        checksum = gallery.checksum_file(Path(example).resolve())
        if not checksum.is_file():
            raise gallery_changed(
                __name__,
                f"{example}: sphinx-gallery ran it but its checksum "
                f"({checksum}) not found; deleting that file cannot make it run "
                "again when an input changes",
            )


def setup(app):
    # Files of code that make every example's output (its figures): when one
    # changes, every example runs again, or its page would keep the old output.
    app.add_config_value("examples_rerun_for_code", [], "", list)
    # GITHUB_REPOSITORY, checked (configure_gallery), for the Colab links: a
    # change re-reads every page.
    app.add_config_value("github_repository", None, "env")
    # GITHUB_SHA, checked, named on every page's report link: a change rewrites
    # every page.
    app.add_config_value("github_commit", None, "html")
    # SOURCE_DATE_EPOCH's day, checked, named on every example page.
    app.add_config_value("build_day", None, "env")
    # Before sphinx-gallery's own handler (priority 10), which reads the options.
    app.connect("config-inited", configure_gallery, priority=5)
    # After sphinx-gallery's handler (priority 500), which runs the examples.
    app.connect("builder-inited", check_checksums, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
