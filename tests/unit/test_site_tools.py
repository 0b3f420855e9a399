"""What `make`, the tests, the bench and the audit share (tools/site.py): the
build command, what a build generates, the copy of the sources, the pages of
a built site and the server on 127.0.0.1."""

import gzip
import socket
import sys
import urllib.request
from pathlib import Path

import pytest

from tools import site


def test_the_build_is_sphinx_build_of_docs_with_its_cache_beside_the_site():
    assert site.sphinx_build_args("_build", "-q") == [
        "-b",
        "html",
        "-c",
        ".",
        "-d",
        "_build/doctrees",
        "-q",
        "docs",
        "_build/html",
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
    for folder in ("sphinxext", "tools", "install", "docs", "examples"):
        assert (copy / folder).is_dir(), folder
    assert not list(copy.rglob("__pycache__"))
    for generated in site.generated():
        assert not (copy / generated.relative_to(site.REPO)).exists(), generated
    assert not (copy / "tests").exists()


def test_the_pages_are_the_html_files_outside_hidden_and_static_folders(tmp_path):
    for path in ("index.html", "a/b.html", "_static/x.html", ".doctrees/y.html"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("")
    assert site.pages(tmp_path) == [Path("a/b.html"), Path("index.html")]


@pytest.fixture
def html(tmp_path):
    (tmp_path / "index.html").write_text("<p>" + "hello " * 100 + "</p>")
    return tmp_path


def test_the_server_answers_and_keeps_every_answer(html):
    with site.SiteServer(html) as server:
        assert server.url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(server.url) as response:
            assert b"hello" in response.read()
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(server.url + "missing.html")
    assert server.answered == [("/", 200), ("/missing.html", 404)]


def test_like_the_host_the_server_compresses_text(html):
    request = {"headers": {"Accept-Encoding": "gzip"}}
    with site.SiteServer(html, like_host=True) as server:
        with urllib.request.urlopen(urllib.request.Request(server.url, **request)) as r:
            assert r.headers["Content-Encoding"] == "gzip"
            assert b"hello" in gzip.decompress(r.read())


def test_make_serve_on_a_taken_port_says_so_in_one_line(html):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        said = site.serve(html, str(port))
    assert said.startswith(f"make serve: port {port} on 127.0.0.1 cannot be used (")
    assert said.endswith(f"try another, e.g. make serve PORT={port + 1}")


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
