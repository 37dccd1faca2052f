"""Command line: check, generate, build and serve; prints problems as path:line:col: message."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from build_scripts.pipeline.anchors import (
    LOCK_FILE,
    AnchorPlan,
    check_lock,
    parse_lock,
    plan_anchors,
    render_lock,
)
from build_scripts.pipeline.csl import Citer
from build_scripts.pipeline.load import load_project
from build_scripts.pipeline.model import Corpus, Site, build_corpus, build_index
from build_scripts.pipeline.problems import Problem, ProblemsFound
from build_scripts.pipeline.prose_checks import find_warnings
from build_scripts.pipeline.validate import site_url_problems, validate_project
from build_scripts.publish import EngineSettings, build_site, read_cache, write_cache, write_docs
from build_scripts.render.pages import Page, render_site
from build_scripts.tools.synth import write_corpus

CACHE = Path("build") / "cache" / "citations.json"


def read_lock(root: Path) -> list[tuple[int, str]] | None:
    """The entries of anchors.lock, or None when the project has not locked its permalinks."""
    path = root / LOCK_FILE
    return parse_lock(path.read_text(encoding="utf-8")) if path.is_file() else None


def load_corpus(
    root: Path, warnings: list[Problem] | None = None, site_url: str | None = None
) -> tuple[Corpus, AnchorPlan, list[tuple[int, str]] | None]:
    """load -> validate -> model, with the permalinks checked against anchors.lock.

    Warnings (which do not stop a build) go into `warnings` when given, else to stderr.
    `site_url`, when given (the environment's SITE_URL), is the site's address in place of
    site.url; a '/' is added when it does not end with one.
    """
    raw = load_project(root)
    problems = validate_project(raw)
    if site_url:
        problems += site_url_problems(site_url, "SITE_URL (environment)")
    if problems:
        raise ProblemsFound(problems)
    found = find_warnings(raw)
    if warnings is None:
        for warning in found:
            print(warning, file=sys.stderr)
    else:
        warnings.extend(found)
    corpus = build_corpus(raw)
    if site_url:
        address = site_url if site_url.endswith("/") else site_url + "/"
        corpus = replace(corpus, site=replace(corpus.site, url=address))
    locked = read_lock(root)
    anchors = plan_anchors(corpus, [entry for _, entry in locked or []])
    if locked is not None:
        problems = check_lock(anchors, locked)
        if problems:
            raise ProblemsFound(problems)
    return corpus, anchors, locked


def generate(
    root: Path, pandoc: bool = False, offline: bool = False, site_url: str | None = None
) -> list[Page]:
    """load -> validate -> model -> cite -> render; raises ProblemsFound on bad content.

    offline=True renders for the build that opens from the file system (see `make offline`);
    site_url is the site's address in place of site.url (see load_corpus).
    """
    return generate_site(root, pandoc, offline, site_url)[0]


def generate_site(
    root: Path, pandoc: bool = False, offline: bool = False, site_url: str | None = None
) -> tuple[list[Page], Site]:
    """`generate`, and the site's settings as built (its address, its release)."""
    corpus, anchors, locked = load_corpus(root, site_url=site_url)
    if locked is not None:
        new = anchors.current - {entry for _, entry in locked}
        if new:
            print(
                f"{LOCK_FILE}: {len(new)} new permalink(s) not locked yet; run `make lock` "
                "to publish them",
                file=sys.stderr,
            )
    index = build_index(corpus)
    cache = read_cache(root / CACHE)
    known = len(cache)
    citer = Citer(corpus.references, corpus.site.citation_style, corpus.site.locale, cache)
    pages = render_site(
        corpus, index, citer, root / "build" / "cache" / "templates", pandoc, anchors, offline
    )
    if len(citer.cache) != known:
        write_cache(root / CACHE, citer.cache)
    return pages, corpus.site


def check(root: Path, output: str, site_url: str | None = None) -> int:
    """Validation only: every problem (and warning) of the content, as text or as JSON."""
    warnings: list[Problem] = []
    try:
        load_corpus(root, None if output == "text" else warnings, site_url)
        problems: list[Problem] = []
    except ProblemsFound as found:
        problems = found.problems
    if output == "text":
        return report(problems) if problems else 0
    records = [
        {
            "path": p.path,
            "line": p.line,
            "column": p.column,
            "severity": severity,
            "message": p.message.removeprefix("warning: "),
        }
        for severity, group in (("error", problems), ("warning", warnings))
        for p in group
    ]
    print(json.dumps(records, ensure_ascii=False, indent=1))
    return 1 if problems else 0


def lock(root: Path) -> int:
    """Add every current permalink to anchors.lock (entries already there stay)."""
    _, anchors, locked = load_corpus(root)
    entries = {entry for _, entry in locked or []} | set(anchors.current)
    (root / LOCK_FILE).write_text(render_lock(entries), encoding="utf-8")
    added = len(entries) - len(locked or [])
    print(f"{LOCK_FILE}: {len(entries)} permalinks, {added} added", file=sys.stderr)
    return 0


def report(problems: list[Problem]) -> int:
    """Print every problem like a compiler and return the exit status."""
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s); nothing was written.", file=sys.stderr)
    return 1


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m build_scripts", description=__doc__)
    parser.add_argument("command", choices=["check", "generate", "build", "serve", "synth", "lock"])
    parser.add_argument(
        "--root",
        type=Path,
        default=Path("."),
        help="folder holding content/ and bib/ (default: the current folder)",
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help="mkdocs.yml to build with (default: ROOT/mkdocs.yml)",
    )
    parser.add_argument(
        "--docs",
        type=Path,
        default=None,
        help="generated Markdown folder (default: ROOT/build/docs)",
    )
    parser.add_argument("--site", type=Path, default=None, help="site folder (default: ROOT/site)")
    parser.add_argument(
        "--offline",
        action="store_true",
        help="build: the copy that opens from the file system, search included "
        "(defaults: ROOT/mkdocs.offline.yml, ROOT/build/docs-offline, ROOT/site-offline)",
    )
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="check: print problems as text lines or as JSON",
    )
    parser.add_argument(
        "--addr", default="127.0.0.1:8000", help="serve: address to serve on (default: %(default)s)"
    )
    parser.add_argument("--studies", type=int, default=6, help="synth: how many studies")
    parser.add_argument("--seed", type=int, default=1, help="synth: random seed")
    parser.add_argument(
        "--out", type=Path, default=None, help="synth: folder to write the corpus into"
    )
    parser.add_argument(
        "--no-citations", action="store_true", help="synth: prose without citations"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    """Run one command; user mistakes give a listing and exit 1, never a traceback."""
    args = parse_args(argv)
    root = args.root.resolve()
    suffix = "-offline" if args.offline else ""
    config = args.config or root / ("mkdocs.offline.yml" if args.offline else "mkdocs.yml")
    config = config.resolve()
    docs = (args.docs or root / "build" / f"docs{suffix}").resolve()
    site = (args.site or root / f"site{suffix}").resolve()
    site_url = os.environ.get("SITE_URL") or None
    if args.command == "synth":
        if args.out is None:
            print("synth needs --out DIR", file=sys.stderr)
            return 2
        write_corpus(args.out, args.studies, args.seed, citations=not args.no_citations)
        return 0
    try:
        if args.command == "check":
            return check(root, args.format, site_url)
        if args.command == "lock":
            return lock(root)
        pages, settings = generate_site(root, offline=args.offline, site_url=site_url)
        if args.command == "generate":
            write_docs(pages, docs)
            return 0
        if args.command == "build":
            # The offline copy has no address of its own (its permalinks are the online ones).
            engine = EngineSettings(
                None if args.offline else settings.url,
                settings.release.date if settings.release else None,
            )
            problems = build_site(pages, config, docs, site, engine)
            if problems:
                return report(problems)
            print(
                f"Built {sum(p.path.endswith('.md') for p in pages)} pages into {site}",
                file=sys.stderr,
            )
            return 0
        return serve(root, config, docs, args.addr, site_url)
    except ProblemsFound as found:
        return report(found.problems)


def _fingerprint(root: Path) -> tuple[tuple[str, float], ...]:
    files = sorted([*(root / "content").rglob("*.yaml"), *(root / "bib").glob("*.bib")])
    return tuple((str(f), f.stat().st_mtime) for f in files)


def serve(
    root: Path, config: Path, docs: Path, addr: str = "127.0.0.1:8000", site_url: str | None = None
) -> int:
    """Regenerate build/docs when YAML or BibTeX changes; mkdocs serve live-reloads the pages."""
    write_docs(generate(root, site_url=site_url), docs)
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-f", str(config)]
        + ["--dev-addr", addr]
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    seen = _fingerprint(root)
    try:
        while server.poll() is None:
            time.sleep(0.1)
            now = _fingerprint(root)
            if now == seen:
                continue
            seen = now
            try:
                changed = write_docs(generate(root, site_url=site_url), docs)
                print(f"regenerated: {changed} file(s) changed", file=sys.stderr)
            except ProblemsFound as found:
                for problem in found.problems:
                    print(problem, file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
    return server.wait()
