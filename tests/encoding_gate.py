"""Text that names no encoding is an error in our code, wherever the tests run it.

Windows reads and writes text in the locale's encoding (cp1252) where no
``encoding=`` is given, and a wrong decode is often silent. Python started
with ``-X warn_default_encoding`` (make check and make test start pytest so)
or with PYTHONWARNDEFAULTENCODING set warns of every such read or write. The
warning is an error in our code: in pytest's process by pyproject.toml's
``filterwarnings``, in every process the tests start (builds, programs,
notebook kernels) by ``environment()``, which tests/conftest.py puts in
``os.environ``. Other packages' warnings are ignored. (In a notebook, IPython
stands its own function in for ``open``, and the warning names IPython's
module; the build has run the same code, with the builtin.)
"""

from pathlib import Path


def package_files(root: Path) -> list[Path]:
    """The modules of the repository at ``root``: conf.py beside the packages,
    and every module of each package, its subpackages' too."""
    files = sorted(root.glob("*.py"))
    for init in sorted(root.glob("*/__init__.py")):
        files += package_files(init.parent)
    return files


def our_modules(root: Path) -> list[str]:
    """Every name our code runs under in the repository at ``root``: the
    programs, scripts and ``python -m`` tools as ``__main__`` (sphinx-gallery
    runs the examples so too), and the name of each of package_files(root)."""
    names = ["__main__"]
    for path in package_files(root):
        parts = path.relative_to(root).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def environment(root: Path) -> dict[str, str]:
    """The variables that put a Python process started from ``root`` behind
    the gate: the warning on, an error in ``our_modules(root)`` (a warnings
    option names a module exactly), ignored elsewhere; and its standard streams
    in UTF-8, as the tests decode them, which a child on Windows would write in
    the locale's encoding."""
    options = ["ignore::EncodingWarning"]
    options += [f"error::EncodingWarning:{name}" for name in our_modules(root)]
    return {
        "PYTHONWARNDEFAULTENCODING": "1",
        "PYTHONWARNINGS": ",".join(options),
        "PYTHONIOENCODING": "utf-8",
    }
