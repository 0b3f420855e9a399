"""`make inventories` (tools/inventories.py) puts each documentation's
objects.inv in place whole, or says which failed and why and leaves none."""

import http.server
import threading

import pytest
from fakes import inventory_bytes

from tools import inventories
from tools.site import SiteServer

TORCH = inventory_bytes("PyTorch", {"torch.nn.Linear": ("class", "nn.html#$")})


@pytest.fixture
def stand_in(tmp_path):
    """A documentation host on 127.0.0.1: torch/ has an inventory, html/
    serves a page in its place, missing/ nothing."""
    served = tmp_path / "served"
    (served / "torch").mkdir(parents=True)
    (served / "torch" / "objects.inv").write_bytes(TORCH)
    (served / "html").mkdir()
    (served / "html" / "objects.inv").write_text(
        "<html>Sign in</html>", encoding="utf-8"
    )
    with SiteServer(served) as server:
        yield server.url


def test_each_inventory_is_downloaded_into_the_folder(stand_in, tmp_path):
    folder = tmp_path / "_build" / "inventories"
    failures = inventories.download_all({"torch": stand_in + "torch/"}, folder)
    assert failures == []
    assert (folder / "torch.inv").read_bytes() == TORCH
    assert [path.name for path in folder.iterdir()] == ["torch.inv"]


def test_a_failed_download_says_which_and_why_and_leaves_no_file(stand_in, tmp_path):
    folder = tmp_path / "inventories"
    documentation = {
        "numpy": stand_in + "missing/",
        "matplotlib": stand_in + "html/",
        "torch": stand_in + "torch/",
    }
    failures = inventories.download_all(documentation, folder)
    assert len(failures) == 2
    missing, html = failures
    assert missing.startswith("make inventories: no numpy inventory from ")
    assert f"{stand_in}missing/objects.inv" in missing and "HTTP 404" in missing
    assert html.startswith("make inventories: no matplotlib inventory from ")
    assert "not a Sphinx inventory" in html
    assert all("\n" not in line for line in failures)
    # The one that arrived is there; the others left nothing, not even a part.
    assert sorted(path.name for path in folder.iterdir()) == ["torch.inv"]


def test_a_download_cut_off_halfway_leaves_the_previous_inventory(tmp_path):
    class CutOff(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", str(len(TORCH) * 2))
            self.end_headers()
            self.wfile.write(TORCH)  # half of what it announced, then it closes

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), CutOff)
    threading.Thread(target=server.handle_request, daemon=True).start()
    folder = tmp_path / "inventories"
    folder.mkdir()
    (folder / "torch.inv").write_bytes(b"the inventory downloaded before")
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    (failure,) = inventories.download_all({"torch": url}, folder)
    server.server_close()
    assert failure.startswith(f"make inventories: no torch inventory from {url}")
    assert list(folder.iterdir()) == [folder / "torch.inv"]
    assert (folder / "torch.inv").read_bytes() == b"the inventory downloaded before"


def test_an_unreachable_host_is_one_line_naming_it(tmp_path):
    with SiteServer(tmp_path) as server:
        url = server.url  # a port that was free, and is closed again below
    (failure,) = inventories.download_all({"python": url}, tmp_path / "inventories")
    assert failure.startswith(f"make inventories: no python inventory from {url}")
    assert "refused" in failure.lower()
    assert not (tmp_path / "inventories").exists()


def test_the_inventories_go_where_the_build_reads_them():
    import conf

    url = inventories.inventory_url(conf.api_links_documentation["torch"])
    assert url == "https://docs.pytorch.org/docs/stable/objects.inv"
    assert conf.api_links_inventories.startswith("_build/")
