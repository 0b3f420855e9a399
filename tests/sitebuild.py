"""Build a copy of the site the way `make html` does, for the tests."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
# The nine training programs in teaching order, as paths relative to examples/.
TEACHING_SECTIONS = ("tensors", "autograd", "nn")
PROGRAMS = sorted(
    (
        p.relative_to(EXAMPLES)
        for s in TEACHING_SECTIONS
        for p in (EXAMPLES / s).glob("plot_*.py")
    ),
    key=lambda p: p.name,
)
TORCH_PROGRAMS = [p for p in PROGRAMS if "import torch" in (EXAMPLES / p).read_text()]
# The pages beyond the original tutorial: they check and measure what the
# programs above take for granted, each in its own way.
BEYOND = sorted(
    p.relative_to(EXAMPLES) for p in (EXAMPLES / "beyond").glob("plot_*.py")
)


def copy_sources(dest: Path) -> Path:
    """Copy what the build reads (never its outputs) into ``dest``."""
    for name in ("conf.py", "gallery_hooks.py"):
        shutil.copy2(REPO / name, dest / name)
    ignore = shutil.ignore_patterns(
        "auto_examples", "gen_modules", "sg_execution_times.rst", "__pycache__"
    )
    shutil.copytree(REPO / "docs", dest / "docs", ignore=ignore)
    shutil.copytree(EXAMPLES, dest / "examples", ignore=ignore)
    return dest


def build_html(
    src_root: Path, *, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run a clean sphinx-build on ``src_root`` with warnings as errors."""
    full_env = {**os.environ, "MPLBACKEND": "Agg", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-c", ".", "-W", "--keep-going"]
        + ["-d", "_build/doctrees", "docs", "_build/html"],
        cwd=src_root,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def page_path(html_root: Path, program: Path) -> Path:
    """The HTML page that sphinx-gallery made for an example."""
    return html_root / "auto_examples" / program.with_suffix(".html")
