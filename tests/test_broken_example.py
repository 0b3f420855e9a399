"""A maintainer's broken example fails the build loudly, naming the file."""

from sitebuild import build_html, copy_sources

BROKEN = '''"""
A broken example
================

It raises on purpose.
"""

raise ValueError("this example is broken on purpose")
'''


def test_an_example_that_raises_fails_the_build(tmp_path):
    root = copy_sources(tmp_path)
    (root / "examples" / "nn" / "plot_broken.py").write_text(BROKEN)
    result = build_html(root, env={"EXAMPLES": "plot_broken"})
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "plot_broken.py" in log
    assert "this example is broken on purpose" in log
