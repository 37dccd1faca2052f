"""Command line: check, generate, build, serve, lock, synth, new, import-qdpx and export-qdpx.
It only parses the arguments and the environment (SITE_URL) and calls the driver
(build_scripts.build); problems are printed as path:line:col: message."""

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
from build_scripts.qdpx.export import export_qdpx
from build_scripts.qdpx.run import Outcome, import_qdpx
from build_scripts.tools.synth import write_corpus


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command and its own options (each command takes only the options it uses)."""
    parser = argparse.ArgumentParser(prog="python -m build_scripts", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    root = argparse.ArgumentParser(add_help=False)
    root.add_argument(
        "--root",
        type=Path,
        default=Path("."),
        help="folder holding content/ and bib/ (default: the current folder)",
    )
    project = argparse.ArgumentParser(add_help=False, parents=[root])
    project.add_argument(
        "--config",
        type=Path,
        default=None,
        help="mkdocs.yml to build with (default: ROOT/mkdocs.yml)",
    )
    project.add_argument(
        "--docs",
        type=Path,
        default=None,
        help="generated Markdown folder (default: ROOT/build/docs)",
    )
    project.add_argument("--site", type=Path, default=None, help="site folder (default: ROOT/site)")
    project.add_argument(
        "--offline",
        action="store_true",
        help="the copy that opens from the file system, search included "
        "(defaults: ROOT/mkdocs.offline.yml, ROOT/build/docs-offline, ROOT/site-offline)",
    )
    engine = argparse.ArgumentParser(add_help=False)
    engine.add_argument(
        "--engine",
        choices=["mkdocs", "zensical"],
        default="mkdocs",
        help="the engine that builds the site (default: %(default)s)",
    )
    check = commands.add_parser("check", parents=[project], help="validate only")
    check.add_argument(
        "--format", choices=["text", "json"], default="text", help="problems as text or as JSON"
    )
    commands.add_parser("generate", parents=[project], help="write the Markdown only")
    commands.add_parser("build", parents=[project, engine], help="generate and build the site")
    serve = commands.add_parser(
        "serve", parents=[project, engine], help="preview, rebuilt on edits"
    )
    serve.add_argument(
        "--addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)"
    )
    commands.add_parser("lock", parents=[root], help="add every current permalink to the lock")
    new = commands.add_parser("new", help="a new project in a folder of your choosing")
    new.add_argument("folder", type=Path, help="the new project's folder (made if missing)")
    qdpx = commands.add_parser(
        "import-qdpx", help="a draft of a study from a QDA tool's project (REFI-QDA .qdpx)"
    )
    qdpx.add_argument("file", type=Path, help="the .qdpx file your QDA tool exported")
    qdpx.add_argument("--study", required=True, help="the study's id (a lowercase slug)")
    qdpx.add_argument(
        "--out",
        type=Path,
        required=True,
        help="a new (empty) folder for a new project, or a project to add the study to",
    )
    export = commands.add_parser(
        "export-qdpx",
        parents=[root],
        help="the site's studies as a REFI-QDA project (.qdpx) for a QDA tool",
    )
    export.add_argument("file", type=Path, help="the .qdpx file to write (replaced if it exists)")
    synth = commands.add_parser("synth", help="write a synthetic corpus")
    synth.add_argument("--studies", type=int, default=6, help="how many studies")
    synth.add_argument("--seed", type=int, default=1, help="random seed")
    synth.add_argument("--out", type=Path, required=True, help="folder to write the corpus into")
    synth.add_argument("--no-citations", action="store_true", help="prose without citations")
    synth.add_argument(
        "--review-findings",
        type=int,
        default=0,
        help="add a review across all the studies with this many review findings",
    )
    return parser.parse_args(argv)


def engine_named(name: str, paths: driver.Paths) -> Engine:
    """The engine a build uses: mkdocs (the default), or Zensical from .venv-zensical."""
    if name == "zensical":
        return ZensicalEngine(paths.root / ".venv-zensical" / "bin" / "zensical")
    return MkDocsEngine()


def told(outcome: Outcome) -> int:
    """Print what an import or export has to tell, then its problems; the exit status."""
    for line in outcome.lines:
        print(line, file=sys.stderr)
    return driver.report(outcome.problems) if outcome.problems else 0


def main(argv: list[str]) -> int:
    """Run one command; user mistakes give a listing and exit 1, never a traceback."""
    args = parse_args(argv)
    if args.command == "new":
        problems = new_project(args.folder)
        if problems:
            return driver.report(problems)
        print(
            f"{args.folder}: a new project; `make -C {args.folder} site` builds it", file=sys.stderr
        )
        return 0
    if args.command == "import-qdpx":
        return told(import_qdpx(args.file, args.study, args.out))
    if args.command == "export-qdpx":
        return told(export_qdpx(args.root, args.file))
    if args.command == "synth":
        write_corpus(
            args.out,
            args.studies,
            args.seed,
            citations=not args.no_citations,
            review_findings=args.review_findings,
        )
        return 0
    memoise_citeproc_style_lookups()
    if args.command == "lock":
        try:
            return driver.lock(args.root.resolve())
        except ProblemsFound as found:
            return driver.report(found.problems)
    paths = driver.Paths.of(args.root, args.offline, args.config, args.docs, args.site)
    site_url = os.environ.get("SITE_URL") or None
    options = driver.GenerateOptions(offline=args.offline, site_url=site_url, tasks=ForkedTasks())
    try:
        if args.command == "check":
            return driver.check(paths.root, args.format, site_url, paths)
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
