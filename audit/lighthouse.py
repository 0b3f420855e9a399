"""make audit: Lighthouse's mobile audit of every page of the built site.

Serves the site on 127.0.0.1 as its host would (HostLikeHandler), runs the
pinned Lighthouse (audit/package-lock.json) on each page in headless
Chromium, writes every report to audit-results/, prints a table of the four
scores, and fails if a page scores under TARGETS. What only the web server
decides (compression, cache lifetimes) is not this site's to fix: the server
here compresses as GitHub Pages does, and sets no cache lifetimes.
"""

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# Sphinx marks its search page noindex, so search engines are told to skip it
# and Lighthouse's SEO score of it says only that.
EXEMPT = {("search.html", "seo")}
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


class HostLikeHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site as its host, GitHub Pages, does: connections kept alive
    (http.server's HTTP/1.0 would open one per file) and text compressed with
    gzip for a browser that accepts it. Both are the host's part, not the
    site's, and Lighthouse's slow simulated network would otherwise time the
    uncompressed pages that no reader receives."""

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

    def log_message(self, format, *args):
        pass


def serve(site: Path) -> tuple[http.server.HTTPServer, str]:
    """``site`` served on 127.0.0.1 from a thread: the server and its URL."""
    handler = functools.partial(HostLikeHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def pages(site: Path) -> list[str]:
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).parts[0].startswith((".", "_"))
    )


def audit(url: str, report: Path, chrome: str) -> dict[str, int]:
    """Lighthouse's four scores (0-100) for ``url``; its JSON report to ``report``."""
    report.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={report}"]
        + [
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env={**os.environ, "CHROME_PATH": chrome},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        sys.exit(f"lighthouse failed on {url}:\n{result.stderr[-3000:]}")
    categories = json.loads(report.read_text())["categories"]
    return {name: round(100 * categories[name]["score"]) for name in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site, e.g. _build/html")
    parser.add_argument("--out", type=Path, default=Path("audit-results"))
    parser.add_argument("--jobs", type=int, default=1, help="pages audited at once")
    args = parser.parse_args()

    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `make audit`, which installs it")
    chrome = os.environ.get("CHROME_PATH") or shutil.which("chromium")
    if not chrome:
        sys.exit(
            "no Chromium for Lighthouse: `apt-get install chromium`, or set CHROME_PATH"
        )
    if not (args.site / "index.html").is_file():
        sys.exit(f"no site in {args.site}: run `make html` first")

    server, base = serve(args.site)

    started = time.monotonic()
    names = pages(args.site)
    with ThreadPoolExecutor(args.jobs) as pool:
        scores = dict(
            zip(
                names,
                pool.map(
                    lambda page: audit(
                        base + page,
                        args.out / f"{page.removesuffix('.html')}.json",
                        chrome,
                    ),
                    names,
                ),
                strict=True,
            )
        )
    # Performance is timed on this machine and varies from run to run; a page
    # under its target is audited twice more and judged by the median of its
    # three scores, as Lighthouse's documentation advises for noisy runs.
    for page, score in scores.items():
        if score["performance"] < TARGETS["performance"]:
            again = [
                audit(
                    base + page,
                    args.out / f"{page.removesuffix('.html')}-{i}.json",
                    chrome,
                )
                for i in (2, 3)
            ]
            runs = sorted(s["performance"] for s in [score, *again])
            print(f"{page}: performance {runs} over three runs, median {runs[1]}")
            score["performance"] = runs[1]
    server.shutdown()
    took = time.monotonic() - started

    print("| page | " + " | ".join(CATEGORIES) + " |")
    print("|---|" + "---|" * len(CATEGORIES))
    for page, score in scores.items():
        print(f"| {page} | " + " | ".join(str(score[c]) for c in CATEGORIES) + " |")
    (args.out / "scores.json").write_text(json.dumps(scores, indent=1) + "\n")
    below = [
        f"{page}: {category} {score[category]} < {target}"
        for page, score in scores.items()
        for category, target in TARGETS.items()
        if score[category] < target and (page, category) not in EXEMPT
    ]
    print(f"{len(names)} pages audited in {took:.0f} s; reports in {args.out}/")
    if below:
        print("Below target (see the page's report for why):\n  " + "\n  ".join(below))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
