"""`make lighthouse` (and the end of `make bench`): Lighthouse's four scores for five page types of
the paper's site, beside one page of a stock Material site, printed.

Scores are measured here and printed, never asserted in a test: they move with the machine's load.
Lighthouse comes from build_scripts/tools/bench-node (its own package-lock.json), installed by the
make targets into build/bench-node, never by `make site`; it drives Debian's Chromium.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from build_scripts.folders import PACKAGE

PROJECT = PACKAGE.parent
LIGHTHOUSE = PROJECT / "build" / "bench-node" / "node_modules" / ".bin" / "lighthouse"
# What the served sites send gzipped.
COMPRESSED = frozenset({".html", ".css", ".js", ".json", ".svg", ".txt", ".xml"})
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The page types the issue measured, by the page of the paper's site that stands for each.
PAGES = (
    ("home", ""),
    ("finding", "findings/whisper-campaign/"),
    ("quotations index", "quotes/"),
    ("stage", "stages/framing/"),
    ("reference", "bibliography/bate2004/"),
)
STOCK = "stock Material"
# About as many words of the paper's prose as the finding page's article holds (1,844).
STOCK_WORDS = 1800


@dataclass(frozen=True)
class Scores:
    """What one Lighthouse report says of a page: the four scores (0-100, None when not scored),
    the layout shift, the legible-font-size audit, and the audits of the scored categories that
    fell short."""

    page: str
    version: str
    form_factor: str
    performance: int | None
    accessibility: int | None
    best_practices: int | None
    seo: int | None
    cls: float | None
    lcp: str
    tbt: str
    font_size: str
    below_full: tuple[str, ...]
    error: str = ""


def _score(value: object) -> int | None:
    return round(float(value) * 100) if isinstance(value, int | float) else None


def scores_of(page: str, report: dict[str, Any]) -> Scores:
    """The Scores in a Lighthouse JSON report (`--output=json`) of page."""
    audits: dict[str, Any] = report.get("audits", {})
    categories: dict[str, Any] = report.get("categories", {})
    score = {key: _score(categories.get(key, {}).get("score")) for key in CATEGORIES}
    cls = audits.get("cumulative-layout-shift", {}).get("numericValue")
    font = audits.get("font-size", {})
    if font.get("score") is None:
        font_size = font.get("scoreDisplayMode", "missing")
    else:
        verdict = "pass" if font["score"] == 1 else "FAIL"
        font_size = f"{verdict} {font.get('displayValue', '')}".strip()
    below = []
    for key in CATEGORIES[1:]:
        for ref in categories.get(key, {}).get("auditRefs", []):
            audit = audits.get(ref["id"], {})
            if ref.get("weight", 0) > 0 and audit.get("score") not in (None, 1):
                below.append(f"{key}: {ref['id']}")
    error = report.get("runtimeError", {}).get("message", "")
    return Scores(
        page=page,
        version=str(report.get("lighthouseVersion", "?")),
        form_factor=str(report.get("configSettings", {}).get("formFactor", "?")),
        performance=score["performance"],
        accessibility=score["accessibility"],
        best_practices=score["best-practices"],
        seo=score["seo"],
        cls=float(cls) if isinstance(cls, int | float) else None,
        lcp=str(audits.get("largest-contentful-paint", {}).get("displayValue", "-")),
        tbt=str(audits.get("total-blocking-time", {}).get("displayValue", "-")),
        font_size=font_size,
        below_full=tuple(below),
        error=str(error),
    )


def table(rows: list[Scores]) -> list[str]:
    """The printed table: a line per page, then what fell short of 100 outside performance."""

    def cell(value: int | None) -> str:
        return "-" if value is None else str(value)

    header = (
        f"{'page':18} {'perf':>5} {'a11y':>5} {'best pr.':>8} {'SEO':>5} {'CLS':>6} "
        f"{'LCP':>7} {'TBT':>8}  font size"
    )
    lines = [header]
    for row in rows:
        cls = "-" if row.cls is None else f"{row.cls:.3f}"
        lines.append(
            f"{row.page:18} {cell(row.performance):>5} {cell(row.accessibility):>5} "
            f"{cell(row.best_practices):>8} {cell(row.seo):>5} {cls:>6} {row.lcp:>7} "
            f"{row.tbt:>8}  {row.font_size}"
        )
    for row in rows:
        if row.error:
            lines.append(f"{row.page}: Lighthouse error: {row.error}")
        if row.below_full:
            lines.append(f"{row.page}: below 100: {', '.join(row.below_full)}")
    return lines


def stock_page(source_text: str, words: int = STOCK_WORDS) -> str:
    """A Markdown page of the paper's own prose for the stock site: its paragraphs from the
    Introduction on, about `words` long, its section names as headings."""
    lines = [line.strip() for line in source_text.splitlines() if line.strip()]
    start = lines.index("Introduction") if "Introduction" in lines else 0
    out, count = ["# A movement for improvement?"], 0
    for line in lines[start:]:
        if count >= words:
            break
        is_heading = line in ("Introduction", "Findings", "Discussion")
        out.append(f"## {line}" if is_heading else line)
        count += 0 if is_heading else len(line.split())
    return "\n\n".join(out) + "\n"


def build_stock_site(folder: Path) -> Path:
    """A stock mkdocs-material site (the default configuration, the same theme version) of one
    page of the paper's prose, built into folder/site."""
    (folder / "docs").mkdir(parents=True)
    source = (PROJECT / "sources" / "waring-crompton-2017.txt").read_text(encoding="utf-8")
    (folder / "docs" / "index.md").write_text(stock_page(source), encoding="utf-8")
    config = folder / "mkdocs.yml"
    config.write_text("site_name: Stock Material\ntheme:\n  name: material\n", encoding="utf-8")
    _quietly([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], folder)
    return folder / "site"


def build_paper_site(folder: Path) -> Path:
    """The paper's site as `make site` builds it (the build writes only inside the project:
    into build/lighthouse-site), copied to folder/site."""
    built = PROJECT / "build" / "lighthouse-site"
    _quietly([sys.executable, "-m", "build_scripts", "build", "--site", str(built)], PROJECT)
    site = folder / "site"
    shutil.copytree(built, site)
    return site


def _quietly(command: list[str], cwd: Path) -> None:
    """Run a build, its output shown only when it fails."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(command, check=False, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")


class _QuietHandler(SimpleHTTPRequestHandler):
    # HTTP/1.1 keeps connections open, as any real host does (http.server's default is 1.0).
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        """Text files gzipped when the browser accepts it, as static hosts (GitHub Pages,
        Netlify, nginx's defaults) serve them; everything else as http.server does."""
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSED and path.is_file()):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def served(site: Path) -> Iterator[str]:
    """site served on a free port of 127.0.0.1 by Python's http.server, text gzipped (no cache
    headers: the same for both sites); yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def run_lighthouse(url: str, report: Path) -> str:
    """One Lighthouse run (mobile, its default) of url, its JSON report written to report; what
    it printed on its error output when it failed."""
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE}: missing; run make lighthouse, which installs it")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    done = subprocess.run(
        command, check=False, env=env, capture_output=True, text=True, timeout=300
    )
    return done.stderr.strip().splitlines()[-1] if done.returncode and done.stderr.strip() else ""


def measure(pages: list[tuple[str, str]], reports: Path) -> list[Scores]:
    """Lighthouse on each (label, url) in turn, once each; each report kept in reports/."""
    reports.mkdir(parents=True, exist_ok=True)
    rows = []
    for label, url in pages:
        report = reports / f"{label.replace(' ', '-')}.json"
        report.unlink(missing_ok=True)
        failure = run_lighthouse(url, report) or "no report written"
        if report.exists():
            rows.append(scores_of(label, json.loads(report.read_text(encoding="utf-8"))))
        else:
            rows.append(scores_of(label, {"runtimeError": {"message": failure}}))
    return rows


def lighthouse_bench(site: Path | None, url: str | None, stock: bool, reports: Path) -> None:
    """Build (or take) the paper's site, serve it and a stock Material site, run Lighthouse on
    the five page types and the stock page, and print the table with the time it took."""
    start, load = time.perf_counter(), os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-lighthouse-") as tmp:
        work = Path(tmp)
        rows: list[Scores] = []
        if url is None:
            with served(site or build_paper_site(work / "paper")) as base:
                rows += measure([(label, base + path) for label, path in PAGES], reports)
        else:
            base = url if url.endswith("/") else url + "/"
            rows += measure([(label, base + path) for label, path in PAGES], reports)
        if stock:
            with served(build_stock_site(work / "stock")) as base:
                rows += measure([(STOCK, base)], reports)
    seconds = time.perf_counter() - start
    first = rows[0] if rows else None
    print(
        f"\nLighthouse {first.version if first else '?'} ({first.form_factor if first else '?'}, "
        "simulated throttling), each page once, served by Python's http.server on 127.0.0.1 (text gzipped); "
        f"reports in {reports}"
    )
    print("\n".join(table(rows)))
    end = os.getloadavg()
    print(
        f"{len(rows)} pages in {seconds:.0f} s; load average {load[0]:.2f} before, "
        f"{end[0]:.2f} after (2 cores: scores move with the load)"
    )


def main(argv: list[str]) -> None:
    """Parse the options of the Lighthouse part and run it."""
    parser = argparse.ArgumentParser(prog="python -m build_scripts.tools.bench --lighthouse-only")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--site", type=Path, help="a built site folder to serve and measure")
    where.add_argument("--url", help="the base URL of a site already served")
    parser.add_argument("--no-stock", action="store_true", help="skip the stock Material page")
    parser.add_argument(
        "--reports",
        type=Path,
        default=PROJECT / "build" / "lighthouse",
        help="folder for the JSON reports (default: build/lighthouse)",
    )
    options = parser.parse_args(argv)
    if options.site and not (options.site / "index.html").exists():
        raise SystemExit(f"{options.site}: no index.html; build the site first")
    lighthouse_bench(options.site, options.url, not options.no_stock, options.reports)


if __name__ == "__main__":
    main(sys.argv[1:])
