"""Command line: check, generate, build, serve, lock, synth and new. It only parses the arguments and
the environment (SITE_URL) and calls the driver (build_scripts.build); problems are printed as
path:line:col: message."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from build_scripts import build as driver
from build_scripts.engine import Engine
from build_scripts.engine.executor import ForkedTasks
from build_scripts.engine.mkdocs_engine import MkDocsEngine
from build_scripts.engine.speedups import memoise_citeproc_style_lookups
from build_scripts.engine.zensical_engine import ZensicalEngine
from build_scripts.new_project import new_project
from build_scripts.pipeline.problems import ProblemsFound
from build_scripts.publish import write_docs
from build_scripts.tools.synth import write_corpus


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m build_scripts", description=__doc__)
    parser.add_argument(
        "command", choices=["check", "generate", "build", "serve", "synth", "lock", "new"]
    )
    parser.add_argument(
        "folder", nargs="?", type=Path, help="new: the folder of the new project (made if missing)"
    )
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
        "--engine",
        choices=["mkdocs", "zensical"],
        default="mkdocs",
        help="build: the engine that builds the site (default: %(default)s)",
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
    parser.add_argument(
        "--review-findings",
        type=int,
        default=0,
        help="synth: add a review across all the studies with this many review findings",
    )
    return parser.parse_args(argv)


def engine_named(name: str, paths: driver.Paths) -> Engine:
    """The engine a build uses: mkdocs (the default), or Zensical from .venv-zensical."""
    if name == "zensical":
        return ZensicalEngine(paths.root / ".venv-zensical" / "bin" / "zensical")
    return MkDocsEngine()


def main(argv: list[str]) -> int:
    """Run one command; user mistakes give a listing and exit 1, never a traceback."""
    args = parse_args(argv)
    if args.command == "new":
        if args.folder is None:
            print("new needs a folder: python -m build_scripts new DIR", file=sys.stderr)
            return 2
        problems = new_project(args.folder)
        if problems:
            return driver.report(problems)
        print(
            f"{args.folder}: a new project; `make -C {args.folder} site` builds it", file=sys.stderr
        )
        return 0
    if args.command == "synth":
        if args.out is None:
            print("synth needs --out DIR", file=sys.stderr)
            return 2
        write_corpus(
            args.out,
            args.studies,
            args.seed,
            citations=not args.no_citations,
            review_findings=args.review_findings,
        )
        return 0
    paths = driver.Paths.of(args.root, args.offline, args.config, args.docs, args.site)
    site_url = os.environ.get("SITE_URL") or None
    memoise_citeproc_style_lookups()
    options = driver.GenerateOptions(offline=args.offline, site_url=site_url, tasks=ForkedTasks())
    try:
        if args.command == "check":
            return driver.check(paths.root, args.format, site_url, paths)
        if args.command == "lock":
            return driver.lock(paths.root)
        if args.command == "generate":
            unsafe = paths.problems()
            if unsafe:
                return driver.report(unsafe)
            write_docs(driver.generate(paths.root, options), paths.docs)
            return 0
        if args.command == "build":
            return driver.build(paths, options, engine_named(args.engine, paths))
        return driver.serve(paths, options, engine_named(args.engine, paths), args.addr)
    except ProblemsFound as found:
        return driver.report(found.problems)
