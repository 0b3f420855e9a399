"""What a reader downloads per page: every byte, read to the end of the page.

    .venv/bin/python -m audit.page_weight _build/html

Opens each page of a built site in headless Chromium, at a 1x and a 2x screen
(device scale factor), scrolls to its end so that lazy images load, and adds
up the bodies of all responses. Prints a Markdown table, in KiB.
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from tools.site import CHROMIUM_ARGS, SiteServer, chromium, pages

SCALES = (1, 2)


def weight(context, url: str) -> int:
    page = context.new_page()
    sizes = []
    page.on(
        "requestfinished", lambda req: sizes.append(req.sizes()["responseBodySize"])
    )
    page.goto(url, wait_until="networkidle")
    height = page.evaluate("document.body.scrollHeight")
    for _ in range(0, height, 600):
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(20)
    page.wait_for_load_state("networkidle")
    page.close()
    return sum(sizes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    args = parser.parse_args()
    # Served as the site's host serves it, text gzip-compressed (as make audit).
    with SiteServer(args.site, like_host=True) as server:
        table(args.site, server.url)


def table(site: Path, base: str):
    print("| page | " + " | ".join(f"{s}x screen (KiB)" for s in SCALES) + " |")
    print("|---|" + "---|" * len(SCALES))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium(), args=CHROMIUM_ARGS
        )
        totals = dict.fromkeys(SCALES, 0)
        for page in (page.as_posix() for page in pages(site)):
            row = []
            for scale in SCALES:
                # Each page in a fresh context: nothing comes from the cache.
                context = browser.new_context(
                    device_scale_factor=scale, viewport={"width": 1280, "height": 800}
                )
                kib = weight(context, base + page) / 1024
                context.close()
                totals[scale] += kib
                row.append(f"{kib:.0f}")
            print(f"| {page} | " + " | ".join(row) + " |")
        print("| all pages | " + " | ".join(f"{totals[s]:.0f}" for s in SCALES) + " |")
        browser.close()


if __name__ == "__main__":
    main()
