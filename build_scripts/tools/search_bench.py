"""`make bench`'s search part: on synthetic corpora of several sizes, our cold build (with its search
index), and mkdocs with the theme's lunr search plugin on the same generated pages (one process);
on each site, in headless Chromium on localhost, the bytes a first search fetches (each file
gzipped, as a server would send it) and the seconds from typing a phrase to the first result.
Figures are printed, never asserted.

    python -m build_scripts.tools.search_bench [STUDIES ...]
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright

from build_scripts.folders import PACKAGE
from build_scripts.tools.local_server import served
from build_scripts.tools.stock import mkdocs_build

PROJECT = PACKAGE.parent
SIZES = (10, 30, 100)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# What a search fetches: the index, the worker and the theme's search scripts.
SEARCH_FILES = ("/search/", "search-worker.js", "/workers/search.", "/lunr/")


def lunr_config(folder: Path) -> Path:
    """The project's configuration with the theme's search plugin on (its lunr index)."""
    config = folder / "mkdocs-lunr.yml"
    config.write_text(
        f"INHERIT: {PROJECT / 'mkdocs.yml'}\ntheme:\n  name: material\n"
        f"  custom_dir: {PROJECT / 'overrides'}\nplugins:\n  - search\n",
        encoding="utf-8",
    )
    return config


def cold_build(root: Path, config: Path, site: str) -> float:
    """Wall seconds of a cold `build` (nothing kept from an earlier one) into root/site."""
    from build_scripts.cli import main as cli

    shutil.rmtree(root / "build", ignore_errors=True)
    start = time.perf_counter()
    code = cli(["build", "--root", str(root), "--config", str(config), "--site", str(root / site)])
    assert code == 0, f"build with {config} failed"
    return time.perf_counter() - start


def a_phrase(root: Path) -> str:
    """Six words of a quotation in the middle of the corpus."""
    studies = sorted((root / "content" / "studies").glob("*.yaml"))
    data = yaml.safe_load(studies[len(studies) // 2].read_text(encoding="utf-8"))
    words = data["quotes"][len(data["quotes"]) // 2]["text"].split()
    return " ".join(words[2:8])


def first_search(site: Path, phrase: str) -> tuple[int, float]:
    """Bytes (gzipped) of the search's files fetched from the home page's load to the first
    result, and the seconds from typing the phrase (as soon as the page has loaded) to it."""
    with served(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        fetched: list[str] = []
        page.on("requestfinished", lambda request: fetched.append(request.url))
        page.goto(base, wait_until="load")
        search = page.locator("input.md-search__input")
        search.click()
        start = time.perf_counter()
        search.fill(phrase[:-1])
        search.press(phrase[-1])  # the theme searches on a key's release
        page.locator(".md-search-result__item").first.wait_for(timeout=120_000)
        seconds = time.perf_counter() - start
        browser.close()
    size = 0
    for url in dict.fromkeys(fetched):
        path = url.removeprefix(base).split("#")[0].split("?")[0]
        if any(part in f"/{path}" for part in SEARCH_FILES) and (site / path).is_file():
            size += len(gzip.compress((site / path).read_bytes(), 6))
    return size, seconds


def one_size(studies: int) -> dict[str, float]:
    """Both builds and both first searches on one synthetic corpus."""
    from build_scripts.tools.synth import write_corpus

    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        root = Path(tmp)
        write_corpus(root, studies, review_findings=30)
        shutil.copyfile(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
        lunr = lunr_config(root)
        ours_build = cold_build(root, PROJECT / "mkdocs.yml", "site")
        start = time.perf_counter()  # the theme's search: mkdocs and its plugin, same pages
        mkdocs_build(lunr, root / "build" / "docs", root / "site-lunr")
        lunr_build = time.perf_counter() - start
        phrase = a_phrase(root)
        ours = first_search(root / "site", phrase)
        theirs = first_search(root / "site-lunr", phrase)
        pages = sum(1 for _ in (root / "site").rglob("*.html"))
    return {
        "studies": studies,
        "pages": pages,
        "ours_build": ours_build,
        "lunr_build": lunr_build,
        "ours_kb": ours[0] / 1024,
        "ours_s": ours[1],
        "lunr_kb": theirs[0] / 1024,
        "lunr_s": theirs[1],
    }


def main(sizes: tuple[int, ...] = SIZES) -> None:
    """Print the table, one corpus size a row, each size in a fresh process."""
    print(
        "\nSearch: our cold build (s) with its index, and mkdocs with the theme's lunr plugin on "
        "the same pages (one process); a first search on localhost: gzipped KB fetched and "
        "seconds to the first result"
    )
    print(
        f"{'studies':>7} {'pages':>6} {'build':>7} {'lunr':>7} {'KB':>7} {'lunr KB':>8} "
        f"{'s':>6} {'lunr s':>7} {'KB/lunr':>8} {'s/lunr':>7}"
    )
    for studies in sizes:
        command = [sys.executable, "-m", "build_scripts.tools.search_bench", "--one", str(studies)]
        out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=PROJECT)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{row['studies']:7d} {row['pages']:6d} {row['ours_build']:7.1f} "
            f"{row['lunr_build']:7.1f} {row['ours_kb']:7.0f} {row['lunr_kb']:8.0f} "
            f"{row['ours_s']:6.2f} {row['lunr_s']:7.2f} "
            f"{row['ours_kb'] / row['lunr_kb']:8.2f} {row['ours_s'] / row['lunr_s']:7.2f}"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(one_size(int(sys.argv[2]))))
    else:
        main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
