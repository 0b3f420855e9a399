"""What `make`, the tests, the bench and the audit share (tools/site.py): the
build command, what a build generates, the copy of the sources, the pages of
a built site and the server on 127.0.0.1."""

import gzip
import mimetypes
import re
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tools import site


def test_the_build_is_sphinx_build_of_docs_with_its_cache_beside_the_site():
    # The system's own paths (_build\\html on Windows), for sphinx-build.
    assert site.sphinx_build_args("_build", "-q") == [
        "-b",
        "html",
        "-c",
        ".",
        "-d",
        str(Path("_build", "doctrees")),
        "-q",
        "docs",
        str(Path("_build", "html")),
    ]


def test_make_html_s_command_is_strict_and_make_html_draft_s_not():
    strict = site.build_command("out")
    assert strict == [sys.executable, "-m", "tools.site", "build", "out", "--strict"]
    assert "--strict" not in site.build_command("out", strict=False)


def test_what_the_build_generates_is_read_from_conf_py():
    import conf

    names = [path.name for path in site.generated()]
    assert names[0] == conf.sphinx_gallery_conf["gallery_dirs"]
    assert "gen_modules" in names and "sg_execution_times.rst" in names
    assert all(path.parent == site.REPO / "docs" for path in site.generated())


def test_a_copy_of_the_sources_holds_what_the_build_reads_and_nothing_it_wrote(
    tmp_path,
):
    copy = site.copy_sources(tmp_path / "copy")
    assert (copy / "conf.py").is_file() and (copy / "constraints.txt").is_file()
    for folder in ("site_extensions", "tools", "install", "docs", "examples"):
        assert (copy / folder).is_dir(), folder
    assert not list(copy.rglob("__pycache__"))
    for generated in site.generated():
        assert not (copy / generated.relative_to(site.REPO)).exists(), generated
    assert not (copy / "tests").exists()


def test_the_pages_are_the_html_files_outside_hidden_and_static_folders(tmp_path):
    for path in ("index.html", "a/b.html", "_static/x.html", ".doctrees/y.html"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("", encoding="utf-8")
    assert site.pages(tmp_path) == [Path("a/b.html"), Path("index.html")]


@pytest.fixture
def html(tmp_path):
    (tmp_path / "index.html").write_text(
        "<p>" + "hello " * 100 + "</p>", encoding="utf-8"
    )
    return tmp_path


def test_the_server_answers_and_keeps_every_answer(html):
    with site.SiteServer(html) as server:
        assert server.url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(server.url) as response:
            assert b"hello" in response.read()
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(server.url + "missing.html")
    assert server.answered == [("/", 200), ("/missing.html", 404)]
    assert server.refused() == [("/missing.html", 404)]
    assert server.refused(since=2) == []


def test_the_server_names_the_types_a_browser_checks_whatever_the_system_says(
    html, monkeypatch
):
    # As Windows' registry may say, through mimetypes: every file is plain text.
    monkeypatch.setattr(mimetypes, "guess_type", lambda *a, **k: ("text/plain", None))
    for name in ("a.js", "a.css"):
        (html / name).write_text("/* */", encoding="utf-8")
    served = {"": "text/html", "a.js": "text/javascript", "a.css": "text/css"}
    with site.SiteServer(html) as server:
        for name, kind in served.items():
            with urllib.request.urlopen(server.url + name) as response:
                assert response.headers.get_content_type() == kind, name


def test_like_the_host_the_server_compresses_text(html):
    request = {"headers": {"Accept-Encoding": "gzip"}}
    with site.SiteServer(html, like_host=True) as server:
        with urllib.request.urlopen(urllib.request.Request(server.url, **request)) as r:
            assert r.headers["Content-Encoding"] == "gzip"
            assert b"hello" in gzip.decompress(r.read())


@pytest.fixture
def never_serving(monkeypatch):
    """SiteServer.serve_forever replaced by a failure: a test of a port that
    make serve must refuse ends, even where the server binds it after all."""

    def fail(server):
        server._httpd.server_close()
        pytest.fail(f"make serve took a port that is in use: {server.url}")

    monkeypatch.setattr(site.SiteServer, "serve_forever", fail)


# How each system's server is set up: this one's, and Windows' faked here.
SYSTEMS = sorted({sys.platform, "win32"})


@pytest.mark.parametrize("system", SYSTEMS)
def test_make_serve_on_a_taken_port_says_so_in_one_line(
    html, never_serving, monkeypatch, system
):
    monkeypatch.setattr(sys, "platform", system)
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        said = site.serve(html, str(port))
    assert said.startswith(f"make serve: port {port} on 127.0.0.1 cannot be used (")
    assert said.endswith(f"try another, e.g. make serve PORT={port + 1}")


@pytest.mark.parametrize("system", SYSTEMS)
def test_two_servers_cannot_share_a_port(html, monkeypatch, system):
    monkeypatch.setattr(sys, "platform", system)
    with site.SiteServer(html) as first:
        with pytest.raises(OSError):
            site.SiteServer(html, port=urlsplit(first.url).port)


def reuses_address(server) -> bool:
    option = socket.SO_REUSEADDR
    return bool(server._httpd.socket.getsockopt(socket.SOL_SOCKET, option))


def test_on_windows_the_server_does_not_let_another_socket_share_its_port(
    html, monkeypatch
):
    # There SO_REUSEADDR, which http.server sets, lets a second server bind a
    # port in use; a Linux run cannot see that, but it can see the option.
    monkeypatch.setattr(sys, "platform", "win32")
    with site.SiteServer(html) as server:
        assert not reuses_address(server)
    monkeypatch.setattr(socket, "SO_EXCLUSIVEADDRUSE", -4, raising=False)
    assert site.socket_options() == {socket.SO_REUSEADDR: 0, -4: 1}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX's SO_REUSEADDR")
def test_elsewhere_a_restarted_server_may_take_its_port_back_at_once(html):
    # A port the last make serve's connections left in TIME_WAIT.
    with site.SiteServer(html) as server:
        assert reuses_address(server)


@pytest.mark.parametrize("port", ["http", "99999"])
def test_make_serve_on_no_port_number_says_so_in_one_line(html, port):
    assert site.serve(html, port) == (
        f"make serve: PORT={port} is not a port number; try make serve PORT=8001"
    )


def test_an_unknown_command_gets_the_usage():
    assert site.main(["publish"]).startswith("usage: python -m tools.site")


def test_chromium_runs_headless_and_offline():
    assert "--headless" in site.CHROMIUM_ARGS
    assert site.OFFLINE.startswith("--host-resolver-rules=MAP * ~NOTFOUND")


# -- make html with nothing to do -----------------------------------------------


@pytest.fixture
def sources(tmp_path, monkeypatch):
    """A tree with every folder and file of SOURCES and TOOLS, as site.REPO."""
    for name in site.SOURCES + site.TOOLS:
        path = tmp_path / name
        if "." in name:
            path.write_text(name, encoding="utf-8")
        else:
            path.mkdir()
            (path / "a.txt").write_text("a", encoding="utf-8")
    monkeypatch.setattr(site, "REPO", tmp_path)
    for name in site.BUILD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_the_digest_stays_while_nothing_changes(sources):
    (sources / "_build").mkdir()
    first = site.inputs_digest("_build", ("--strict",))
    (sources / "_build" / site.STAMP).write_text(first, encoding="utf-8")
    (sources / "site_extensions" / "__pycache__").mkdir()
    (sources / "site_extensions" / "__pycache__" / "x.pyc").write_text(
        "compiled", encoding="utf-8"
    )
    assert site.inputs_digest("_build", ("--strict",)) == first


@pytest.mark.parametrize(
    "change",
    ["edit", "add", "remove", "output", "options", "variable"],
)
def test_the_digest_changes_with_any_input_and_any_output(sources, monkeypatch, change):
    (sources / "_build" / "html").mkdir(parents=True)
    (sources / "_build" / "html" / "index.html").write_text("page", encoding="utf-8")
    before = site.inputs_digest("_build", ("--strict",))
    options = ("--strict",)
    if change == "edit":
        (sources / "examples" / "a.txt").write_text("b", encoding="utf-8")
    elif change == "add":
        (sources / "docs" / "new.rst").write_text("new", encoding="utf-8")
    elif change == "remove":
        (sources / "conf.py").unlink()
    elif change == "output":
        (sources / "_build" / "html" / "index.html").unlink()
    elif change == "options":
        options = ()
    else:
        monkeypatch.setenv(site.BUILD_VARIABLES[0], "plot_1")
    assert site.inputs_digest("_build", options) != before


@pytest.fixture
def sphinx_runs(monkeypatch):
    """sphinx-build replaced by a fake that counts its runs and succeeds."""
    import sphinx.cmd.build

    runs = []
    monkeypatch.setattr(sphinx.cmd.build, "main", lambda args: runs.append(args) or 0)
    return runs


def test_a_build_with_nothing_changed_does_nothing_and_says_so(
    sources, sphinx_runs, capsys
):
    assert site.build("_build", "--strict") == 0
    assert len(sphinx_runs) == 1
    assert (sources / "_build" / site.STAMP).is_file()
    assert site.build("_build", "--strict") == 0
    assert len(sphinx_runs) == 1
    assert f"{Path('_build', 'html')} is up to date" in capsys.readouterr().out
    (sources / "examples" / "a.txt").write_text("edited", encoding="utf-8")
    assert site.build("_build", "--strict") == 0
    assert len(sphinx_runs) == 2


@pytest.mark.parametrize("option", [*site.FORCING, "--always"])
def test_a_forcing_option_always_runs_sphinx(sources, sphinx_runs, option):
    site.build("_build", option)
    site.build("_build", option)
    assert len(sphinx_runs) == 2
    assert all("--always" not in args for args in sphinx_runs)


def test_a_failed_build_leaves_no_stamp(sources, monkeypatch):
    import sphinx.cmd.build

    monkeypatch.setattr(sphinx.cmd.build, "main", lambda args: 0)
    site.build("_build")
    monkeypatch.setattr(sphinx.cmd.build, "main", lambda args: 1)
    (sources / "docs" / "a.txt").write_text("broken", encoding="utf-8")
    assert site.build("_build") == 1
    assert not (sources / "_build" / site.STAMP).exists()


def test_every_variable_the_build_reads_is_a_build_variable():
    read = set()
    for path in [site.REPO / "conf.py", *(site.REPO / "site_extensions").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        read |= set(re.findall(r"os\.environ\.get\(\"(\w+)\"", text))
        read |= set(re.findall(r"os\.environ\[\"(\w+)\"\]", text))
        read |= set(re.findall(r"\"(\w+)\" in os\.environ", text))
    assert read and read <= set(site.BUILD_VARIABLES)


# -- two builds of one checkout -------------------------------------------------

HOLD_THE_LOCK = """
import sys, time
from tools import site
with site.one_build_at_a_time(sys.argv[1]):
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
    open(sys.argv[1] + "/done", "w", encoding="utf-8").close()
"""


def hold_the_lock(root, seconds):
    """Another process that holds ``root``'s build lock for ``seconds``."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(root), str(seconds)],
        cwd=site.REPO,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert holder.stdout.readline() == "holding\n"
    return holder


def test_a_second_build_waits_for_the_first_and_says_so_in_one_line(tmp_path, capsys):
    holder = hold_the_lock(tmp_path, 1.5)
    with site.one_build_at_a_time(tmp_path):
        assert (tmp_path / "done").exists(), "it went on while the first still ran"
    holder.wait()
    out = capsys.readouterr().out
    assert out == (
        f"Another build of this checkout is running (pid {holder.pid});"
        " this one waits for it to end.\n"
    )


def test_a_build_killed_midway_leaves_no_lock_behind(tmp_path, capsys):
    holder = hold_the_lock(tmp_path, 60)
    holder.kill()
    holder.wait()
    with site.one_build_at_a_time(tmp_path):
        pass
    assert capsys.readouterr().out == ""


def test_the_build_and_clean_hold_the_lock_while_they_work(sources, monkeypatch):
    import sphinx.cmd.build

    def held():
        with open(sources / site.LOCK, "r+b") as other:
            return not site._try_lock(other)

    seen = []
    monkeypatch.setattr(sphinx.cmd.build, "main", lambda args: seen.append(held()))
    site.build("_build", "--always")
    monkeypatch.setattr(site, "generated", lambda: seen.append(held()) or [])
    site.clean("_build")
    assert seen == [True, True]
    assert not held()
