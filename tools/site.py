"""The site as `make`, the tests, the bench and the audit build, serve and open it.

One home for each: the sphinx-build command, what a build generates beside
the sources, the copy of the sources that tests and the bench build, the
pages of a built site, the server on 127.0.0.1, and Chromium's flags.
`make` runs the same build, server and clean-up:

    python -m tools.site build BUILDDIR [--strict] [sphinx-build options]
    python -m tools.site serve DIRECTORY PORT
    python -m tools.site clean BUILDDIR

Standard library only, and imported by nothing heavy: `make clean` runs it
with any Python, and `make html` pays for its import on every rebuild.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import http.server
import os
import shutil
import socket
import sys
import sysconfig
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# What `make html` adds to the build: any Sphinx warning fails it, after
# every warning is reported. The tests build this way too.
STRICT = ("-W", "--keep-going")
# What the build reads: conf.py, these folders and the pins.
SOURCES = (
    "conf.py",
    "constraints.txt",
    "site_extensions",
    "install",
    "docs",
    "examples",
)
# ... and what runs it, which the tests and the bench build with.
TOOLS = ("tools",)
# The environment variables the build reads (site_extensions/build_inputs.py): a
# build with other values is another build.
BUILD_VARIABLES = (
    "EXAMPLES",
    "EXAMPLES_DEVICE",
    "SOURCE_DATE_EPOCH",
    "GITHUB_REPOSITORY",
    "GITHUB_SHA",
)
# Where a successful build keeps the digest of what it was built from
# (inputs_digest), in the build folder.
STAMP = "inputs.sha256"
# The lock that one build (or clean) of the checkout holds at a time, at its
# root: every build of it writes the same generated folders in docs/.
LOCK = ".build.lock"
# sphinx-build options that ask for work even when nothing changed.
FORCING = ("-a", "-E", "--write-all", "--fresh-env")
# Headless, and nothing that phones home: every request a page makes is the site's.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
# Any host but 127.0.0.1 fails to resolve: a page that needs one shows it.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


# What a make passes down to the programs it runs (its flags, its level), and
# the VENV that CI sets for its second environment: a make started from them
# (a test's, the bench's make test) must not inherit them.
OUTER_MAKE = ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "VENV")


def outside_make(environ) -> dict:
    """``environ`` less OUTER_MAKE, for a make that a program run by make
    starts as if from a shell."""
    return {name: value for name, value in environ.items() if name not in OUTER_MAKE}


def sphinx_build_args(builddir, *options) -> list[str]:
    """sphinx-build's arguments for the HTML site in ``builddir``/html.

    Sphinx's cache goes beside the site, not into it: ``builddir``/html is
    what gets published.
    """
    builddir = Path(builddir)
    return ["-b", "html", "-c", ".", "-d", str(builddir / "doctrees")] + [
        *options,
        "docs",
        str(builddir / "html"),
    ]


def build_command(builddir="_build", *options, strict=True) -> list[str]:
    """The command `make html` runs (``strict=False``: `make html-draft`),
    for a build in a process of its own, from the sources' root."""
    flags = ["--strict"] if strict else []
    return [
        sys.executable,
        "-m",
        "tools.site",
        "build",
        str(builddir),
        *flags,
        *options,
    ]


def generated() -> list[Path]:
    """What a build writes into docs/ beside the hand-written pages."""
    import conf  # data only: importing it has no side effects

    gallery = conf.sphinx_gallery_conf
    written = [
        gallery["gallery_dirs"],
        Path(gallery["backreferences_dir"]).parts[0],
        "sg_execution_times.rst",
        "sg_api_usage.rst",
    ]
    return [REPO / "docs" / name for name in written]


def copy_sources(dest) -> Path:
    """Copy what the build reads, never what it wrote, and this module, which
    builds it, into the folder ``dest``."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    skipped = {path.name for path in generated()} | {"__pycache__"}
    for name in SOURCES + TOOLS:
        source = REPO / name
        if source.is_dir():
            ignore = shutil.ignore_patterns(*skipped)
            shutil.copytree(source, dest / name, ignore=ignore)
        else:
            shutil.copy2(source, dest / name)
    return dest


def pages(html) -> list[Path]:
    """Every HTML page of the built site in ``html``, relative to it."""
    return sorted(
        path.relative_to(html)
        for path in Path(html).rglob("*.html")
        if not path.relative_to(html).parts[0].startswith((".", "_"))
    )


def chromium() -> str | None:
    """The Chromium to drive: CHROME_PATH, else Debian's, else None (Playwright's)."""
    return os.environ.get("CHROME_PATH") or shutil.which("chromium")


def socket_options() -> dict[int, int]:
    """The SOL_SOCKET options that SiteServer's socket gets before it binds,
    read from the system then (sys.platform), so that each refuses a taken port.

    http.server sets SO_REUSEADDR. On Windows that option lets a second socket
    bind the very address and port that another is listening on, so a taken
    PORT would go unnoticed and either server could get the reader's
    requests: there it stays off, and the socket asks for the port alone
    (SO_EXCLUSIVEADDRUSE) where the socket module has it. On POSIX systems it
    never lets two sockets listen on one address and port (on macOS and the
    BSDs, a server on every address leaves 127.0.0.1's to this one, which then
    gets what is asked of 127.0.0.1); it lets a restarted `make serve` bind
    the port while the last one's connections linger in TIME_WAIT, so it
    stays on there.
    """
    if sys.platform in ("win32", "cygwin"):
        options = {socket.SO_REUSEADDR: 0}
        if hasattr(socket, "SO_EXCLUSIVEADDRUSE"):
            options[socket.SO_EXCLUSIVEADDRUSE] = 1
        return options
    return {socket.SO_REUSEADDR: 1}


class _Server(http.server.ThreadingHTTPServer):
    """http.server's threading server, with socket_options() instead of its
    SO_REUSEADDR."""

    allow_reuse_address = False

    def server_bind(self):
        for option, value in socket_options().items():
            self.socket.setsockopt(socket.SOL_SOCKET, option, value)
        super().server_bind()


class _Handler(http.server.SimpleHTTPRequestHandler):
    """http.server's, keeping each answer as (path, status) in ``server.answered``."""

    # The types a browser checks before it uses a file, named here: on Windows,
    # mimetypes reads them from the registry, which may call a script text/plain.
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html",
        ".css": "text/css",
        ".js": "text/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
    }

    def log_request(self, code="-", size="-"):
        self.server.answered.append((self.path, int(code)))
        if self.server.log:
            super().log_request(code, size)

    def log_message(self, format, *args):
        if self.server.log:
            super().log_message(format, *args)


class _HostLikeHandler(_Handler):
    """Serves as the site's host, GitHub Pages, does: connections kept alive
    and text compressed with gzip for a browser that accepts it."""

    protocol_version = "HTTP/1.1"
    COMPRESSED = (".html", ".css", ".js", ".svg", ".json", ".txt")

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path /= "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in self.COMPRESSED and path.is_file()):
            return super().do_GET()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class SiteServer:
    """``directory`` served on 127.0.0.1 from a thread, as ``with SiteServer(...)``.

    ``port`` 0 takes a free one. Every answer is kept in ``answered``, so a
    test also sees requests the browser makes on its own (a favicon).
    ``like_host``: as GitHub Pages serves it, connections kept alive (not
    http.server's HTTP/1.0, one per file) and text gzip-compressed for a
    browser that accepts it; both are the host's part, not the site's, and
    Lighthouse's slow simulated network would otherwise time pages that no
    reader receives. ``log``: each request on stderr, as http.server logs it.
    """

    def __init__(self, directory, *, port=0, like_host=False, log=False):
        handler = _HostLikeHandler if like_host else _Handler
        self._httpd = _Server(
            ("127.0.0.1", port), functools.partial(handler, directory=str(directory))
        )
        self._httpd.log = log
        self.answered = self._httpd.answered = []
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/"

    def refused(self, since=0) -> list[tuple[str, int]]:
        """The answers, from the ``since``-th on, that were errors (400 or more)."""
        return [answer for answer in self.answered[since:] if answer[1] >= 400]

    def __enter__(self):
        # A short poll, so that leaving the with block does not wait half a second.
        serve = functools.partial(self._httpd.serve_forever, poll_interval=0.05)
        threading.Thread(target=serve, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._httpd.shutdown()
        self._httpd.server_close()

    def serve_forever(self):
        """Serve in this thread until Ctrl-C."""
        try:
            self._httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self._httpd.server_close()


def serve(directory, port: str) -> int:
    """`make serve`: ``directory`` on 127.0.0.1:``port`` until Ctrl-C.

    A port that cannot be used gets one line, not http.server's traceback.
    """
    try:
        number = int(port)
        server = SiteServer(directory, port=number, log=True)
    except (ValueError, OverflowError):
        return f"make serve: PORT={port} is not a port number; try make serve PORT=8001"
    except OSError as err:
        # strerror, not os.strerror(errno): Windows' C library has no text
        # for a socket's error numbers (WSAEADDRINUSE, 10048).
        reason = err.strerror or err
        return (
            f"make serve: port {number} on 127.0.0.1 cannot be used ({reason}); "
            f"try another, e.g. make serve PORT={number + 1}"
        )
    print(f"Serving {directory} at {server.url} (Ctrl-C stops it)", flush=True)
    server.serve_forever()
    return 0


def _try_lock(handle) -> bool:
    """Take the lock on the open file ``handle`` if no other process holds it."""
    if sys.platform == "win32":
        import msvcrt

        # One byte far past what the file holds, so that the holder's pid at
        # its start stays readable to the process that waits.
        handle.seek(1 << 20)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def one_build_at_a_time(root=None):
    """Hold the checkout's build lock (``root``, else REPO, /LOCK) while the
    block runs.

    A second build of the checkout (another terminal, an editor that builds
    on save) waits for the first to end, saying so in one line, and then
    finds the site up to date or builds what changed. The operating system
    frees the lock of a process that dies, even by SIGKILL.
    """
    path = Path(root or REPO, LOCK)
    path.touch()
    with open(path, "r+b") as handle:
        if not _try_lock(handle):
            holder = path.read_bytes()[:64].decode("ascii", "replace").strip()
            print(
                "Another build of this checkout is running"
                f" ({holder or 'pid unknown'}); this one waits for it to end.",
                flush=True,
            )
            while not _try_lock(handle):
                time.sleep(0.5)
        handle.seek(0)
        handle.write(f"pid {os.getpid()}".ljust(64).encode("ascii"))
        handle.flush()
        try:
            yield
        finally:
            if sys.platform == "win32":
                import msvcrt

                handle.seek(1 << 20)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


def clean(builddir) -> int:
    """`make clean`: the build folder and what the build generated in docs/."""
    with one_build_at_a_time():
        for path in [Path(builddir), *generated()]:
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
    return 0


def inputs_digest(builddir, options) -> str:
    """A hash of everything a build in ``builddir`` with ``options`` depends
    on: the interpreter, its installed packages, BUILD_VARIABLES, and the
    name, size and modification time of every file in SOURCES, TOOLS and
    ``builddir`` (what the build wrote), but for the stamp itself."""
    hashed = hashlib.sha256()
    variables = {name: os.environ.get(name) for name in BUILD_VARIABLES}
    packages = sorted(os.listdir(sysconfig.get_path("purelib")))
    hashed.update(repr((sys.executable, packages, options, variables)).encode())
    stamp = REPO / builddir / STAMP
    for top in (*SOURCES, *TOOLS, builddir):
        files = [REPO / top] if (REPO / top).is_file() else []
        for folder, subfolders, names in os.walk(REPO / top):
            subfolders[:] = sorted(set(subfolders) - {"__pycache__"})
            files += [Path(folder, name) for name in sorted(names)]
        for path in files:
            if path != stamp:
                stat = path.stat()
                line = f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n"
                hashed.update(line.encode())
    return hashed.hexdigest()


def build(builddir, *options) -> int:
    """`make html`: sphinx-build in this process (``--strict`` adds STRICT).

    Like make, it does nothing when nothing the last successful build was
    built from has changed (inputs_digest, kept in ``builddir``/STAMP) and
    none of ``options`` is FORCING; ``--always`` builds anyway. One build of
    the checkout runs at a time (one_build_at_a_time).
    """
    with one_build_at_a_time():
        return _build(builddir, *options)


def _build(builddir, *options) -> int:
    from_scratch = "--always" in options or any(o in FORCING for o in options)
    options = tuple(option for option in options if option != "--always")
    stamp = REPO / builddir / STAMP
    if not from_scratch and stamp.is_file():
        if stamp.read_text(encoding="utf-8") == inputs_digest(builddir, options):
            print(
                f"{Path(builddir, 'html')} is up to date: nothing it is built "
                "from has changed since its last build."
            )
            return 0
    stamp.unlink(missing_ok=True)

    from sphinx.cmd.build import main

    strict = [*STRICT] if "--strict" in options else []
    sphinx_options = [option for option in options if option != "--strict"]
    status = main(sphinx_build_args(builddir, *sphinx_options, *strict))
    if status == 0:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(inputs_digest(builddir, options), encoding="utf-8")
    return status


def main(argv) -> int:
    commands = {"build": build, "serve": serve, "clean": clean}
    if not argv or argv[0] not in commands:
        return f"usage: python -m tools.site {{{','.join(commands)}}} ..."
    return commands[argv[0]](*argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
