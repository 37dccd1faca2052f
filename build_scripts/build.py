"""The driver: runs the pipeline (load -> validate -> model -> anchors), renders the pages and
hands them to the engine through the publisher. Each command of the CLI is one function here;
problems are raised as ProblemsFound, or printed like a compiler by `report`."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from importlib.metadata import version
from pathlib import Path

from build_scripts.engine import Engine, EngineOptions, Preview
from build_scripts.engine.config_file import unsafe_tag_problems
from build_scripts.engine.executor import in_background
from build_scripts.folders import PACKAGE
from build_scripts.pipeline.anchors import (
    LOCK_FILE,
    AnchorPlan,
    check_lock,
    parse_lock,
    plan_anchors,
    render_lock,
)
from build_scripts.pipeline.csl import Citer
from build_scripts.pipeline.entities import Corpus, Index, Site
from build_scripts.pipeline.load import SOURCES_FOLDER, load_project
from build_scripts.pipeline.model import build_corpus, build_index
from build_scripts.pipeline.plan import PagePlan, plan_site
from build_scripts.pipeline.problems import Problem, ProblemsFound, shown_as_text
from build_scripts.pipeline.prose_checks import find_warnings
from build_scripts.pipeline.remember import Remember, recompute
from build_scripts.pipeline.review_checks import confidence_warnings
from build_scripts.pipeline.schema_info import CONTENT_SCHEMA, ContentSchema
from build_scripts.pipeline.sources import source_warnings
from build_scripts.pipeline.text_files import folder_problems, read_text
from build_scripts.pipeline.validate import site_url_problems, validate_project
from build_scripts.publish import build_site, write_docs
from build_scripts.render.pages import (
    SERIAL,
    Page,
    RenderOptions,
    Tasks,
    data_pages,
    render_export,
    render_pages,
    search_files,
    text_digest,
)
from build_scripts.render.reads import collections
from build_scripts.state.build_state import BuildState
from build_scripts.state.files import atomic_write
from build_scripts.state.memo import Remembered
from build_scripts.state.outdated import Earlier, Texts, merged, outdated

# The form of what `build` keeps for the next build; a change makes earlier states unread.
STATE_FORMAT = "pages 2"
# The libraries whose output lands in the generated pages.
RENDERING_LIBRARIES = ("jinja2", "citeproc-py", "bibtexparser", "PyYAML", "Markdown")


def read_lock(root: Path) -> list[tuple[int, str]] | None:
    """The entries of anchors.lock, or None when the project has not locked its permalinks;
    a lock file that cannot be read as the project's text (pipeline.text_files) is a problem."""
    path = root / LOCK_FILE
    if not (path.exists() or path.is_symlink()):
        return None
    problems: list[Problem] = []
    text = read_text(path, LOCK_FILE, problems, root)
    if text is None:
        raise ProblemsFound(problems)
    return parse_lock(text)


def load_corpus(
    root: Path,
    warnings: list[Problem] | None = None,
    site_url: str | None = None,
    remember: Remember = recompute,
    schema: ContentSchema = CONTENT_SCHEMA,
) -> tuple[Corpus, AnchorPlan, list[tuple[int, str]] | None]:
    """load -> validate -> model, with the permalinks checked against anchors.lock; the content
    checked against `schema`.

    Warnings (which do not stop a build) go into `warnings` when given, else to stderr.
    `site_url`, when given (the environment's SITE_URL), is the site's address in place of
    site.url; a '/' is added when it does not end with one. Each file is read and checked
    alone through `remember` (state.memo.Remembered: only files whose text changed).
    """
    raw = load_project(root, remember)
    problems = validate_project(raw, remember, schema)
    if site_url:
        problems += site_url_problems(site_url, "SITE_URL (environment variable)", schema)
    if problems:
        raise ProblemsFound(problems)
    found = find_warnings(raw, remember, schema)
    found += source_warnings(raw.files)
    found += confidence_warnings(raw.files)
    if warnings is None:
        for warning in found:
            print(warning, file=sys.stderr)
    else:
        warnings.extend(found)
    corpus = build_corpus(raw, remember, schema)
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


@dataclass(frozen=True)
class Paths:
    """Where a project's files are: its root (content/, bib/, anchors.lock), the engine's
    configuration, the generated Markdown and the site."""

    root: Path
    config: Path
    docs: Path
    site: Path

    @classmethod
    def of(
        cls,
        root: Path,
        offline: bool = False,
        config: Path | None = None,
        docs: Path | None = None,
        site: Path | None = None,
    ) -> Paths:
        """The default places under root (the offline copy's: mkdocs.offline.yml,
        build/docs-offline, site-offline), each replaced by the one given."""
        suffix = "-offline" if offline else ""
        root = root.resolve()
        default = root / ("mkdocs.offline.yml" if offline else "mkdocs.yml")
        # Absolute but not resolved: a link in the way is refused (problems), never
        # followed to a folder elsewhere.
        return cls(
            root,
            (config or default).resolve(),
            Path(os.path.abspath(docs or root / "build" / f"docs{suffix}")),
            Path(os.path.abspath(site or root / f"site{suffix}")),
        )

    def problems(self) -> list[Problem]:
        """A problem for each folder the build writes that is not a real folder inside the
        project (pipeline.text_files.folder_problems: the docs, the site and build/cache), and
        for each tag of the configuration that would run code (engine.config_file)."""
        problems = []
        for folder in (self.docs, self.site, BuildState.of(self.root).folder):
            shown = os.path.relpath(folder, self.root)
            problems += folder_problems(self.root, folder, shown)
        return sorted({*problems, *unsafe_tag_problems(self.config)})


@dataclass(frozen=True)
class GenerateOptions:
    """How to generate: `offline` for the copy that opens from the file system (see `make
    offline`); `site_url`, the site's address in place of site.url (see load_corpus); `pandoc`
    to leave prose citations in pandoc syntax (the bench's comparison); `tasks`, how the pages
    are shared out (engine.executor.ForkedTasks: on every core); `schema`, the content schema
    (a copy that adds a field, in a test)."""

    offline: bool = False
    site_url: str | None = None
    pandoc: bool = False
    tasks: Tasks = SERIAL
    schema: ContentSchema = CONTENT_SCHEMA


def generate(root: Path, options: GenerateOptions = GenerateOptions()) -> list[Page]:
    """load -> validate -> model -> cite -> render; raises ProblemsFound on bad content."""
    return generate_site(root, options)[0].pages


def code_key(schema: ContentSchema) -> str:
    """A digest of the generator itself: its code, templates, schemas, styles and assets, the
    content schema in use (a test's copy), and the versions of Python and of the libraries
    whose output lands in its pages."""
    parts = [sys.version, *(f"{name} {version(name)}" for name in RENDERING_LIBRARIES)]
    parts.append(schema.text)
    for file in sorted(PACKAGE.rglob("*")):
        if file.is_file() and "__pycache__" not in file.parts:
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
            parts.append(f"{file.relative_to(PACKAGE)} {digest}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def generation_key(options: GenerateOptions, site: Site, code: str) -> str:
    """A digest of what a page's text depends on besides the collections its render records
    (render.reads): the generator (`code`, see code_key), the options and the site's settings."""
    parts = [code, repr((options.offline, options.pandoc)), repr(site)]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Kept:
    """What earlier runs left for this one: the results of per-file steps (`remember`), the
    last render (`earlier`) and the texts of its pages (`texts(path, digest)`: the text at path
    if its render.pages.text_digest is digest, else None)."""

    remember: Remember = recompute
    earlier: Earlier | None = None
    texts: Texts = lambda path, digest: None


@dataclass(frozen=True)
class Rendered:
    """A render's pages (as render.pages.render_site gives them), what it leaves for the next
    render, the paths of the pages it took from the one before rather than rendered, and the
    making of the search index (render.search_index; none offline): its files by their place in
    the site, which no page links to and the engine does not build (the driver decides when to
    make them)."""

    pages: list[Page]
    earlier: Earlier
    kept: frozenset[str]
    search: Callable[[], Mapping[str, str]] = dict

    @property
    def rendered(self) -> int:
        """How many pages were rendered (not taken from the render before)."""
        return len(self.earlier.pages) - len(self.kept)


@dataclass(frozen=True)
class Planned:
    """The plan phase's result: the corpus, its index, the citer (with the citations earlier
    builds formatted) and every page to render."""

    corpus: Corpus
    index: Index
    citer: Citer
    anchors: AnchorPlan
    plans: list[PagePlan]


def plan(root: Path, options: GenerateOptions, remember: Remember) -> Planned:
    """Phase 1: load -> validate -> model -> anchors -> citations -> page plans."""
    corpus, anchors, locked = load_corpus(
        root, site_url=options.site_url, remember=remember, schema=options.schema
    )
    if locked is not None:
        new = anchors.current - {entry for _, entry in locked}
        if new:
            print(
                f"{LOCK_FILE}: {len(new)} new permalink(s) not locked yet; run `make lock` "
                "to publish them",
                file=sys.stderr,
            )
    index = build_index(corpus)
    cache = BuildState.of(root).citations()
    citer = Citer(corpus.references, corpus.site.citation_style, corpus.site.locale, cache)
    plans = plan_site(corpus, index, citer.bibliography_order(), anchors)
    return Planned(corpus, index, citer, anchors, plans)


def generate_site(
    root: Path, options: GenerateOptions = GenerateOptions(), kept: Kept = Kept()
) -> tuple[Rendered, Site]:
    """`generate`, with what the render leaves for the next one, and the site's settings as
    built (its address, its release), in phases: plan; what is outdated (state.outdated); render
    that. Only what changed since `kept` is done again; the pages are the same as when nothing
    is kept."""
    planned = plan(root, options, kept.remember)
    corpus, index, citer = planned.corpus, planned.index, planned.citer
    key = generation_key(options, corpus.site, code_key(options.schema))
    now = collections(corpus, index)
    todo = outdated(planned.plans, now, key, kept.earlier, kept.texts)
    state = BuildState.of(root)
    render_options = RenderOptions(
        options.offline, options.pandoc, planned.anchors, template_cache=state.templates
    )
    known = len(citer.cache)
    made = render_pages(corpus, index, citer, todo.todo, render_options, options.tasks)
    export, items = render_export(corpus, index, citer, todo.export_item)
    pages, records = merged(planned.plans, made, todo, corpus)
    if len(citer.cache) != known:
        state.keep_citations(citer.cache)
    search = partial(search_files, planned.plans, pages, corpus, index, citer)
    rendered = Rendered(
        [*pages, *data_pages(export, render_options, corpus.source_texts)],
        Earlier(key, now, records, items),
        frozenset(todo.kept),
        dict if options.offline else search,
    )
    return rendered, corpus.site


def check(
    root: Path,
    output: str,
    site_url: str | None = None,
    paths: Paths | None = None,
    schema: ContentSchema = CONTENT_SCHEMA,
) -> int:
    """Validation only: every problem (and warning) of the content (checked against `schema`),
    as text or as JSON; with `paths`, also every output folder that `build` would refuse to
    write into, and every tag of the configuration that would run code."""
    warnings: list[Problem] = []
    problems = paths.problems() if paths is not None else []
    try:
        load_corpus(root, None if output == "text" else warnings, site_url, schema=schema)
    except ProblemsFound as found:
        problems = sorted([*problems, *found.problems])
    if output == "text":
        return report(problems) if problems else 0
    records = [
        {
            "path": p.path,
            "line": p.line,
            "column": p.column,
            "severity": severity,
            "origin": p.origin,
            "message": shown_as_text(p.message.removeprefix("warning: ")),
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
    atomic_write(root / LOCK_FILE, render_lock(entries).encode("utf-8"))
    added = len(entries) - len(locked or [])
    print(f"{LOCK_FILE}: {len(entries)} permalinks, {added} added", file=sys.stderr)
    return 0


def report(problems: list[Problem]) -> int:
    """Print every problem like a compiler and return the exit status."""
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s); nothing was written.", file=sys.stderr)
    return 1


def _fingerprint(root: Path) -> tuple[tuple[str, float], ...]:
    files = sorted([*(root / "content").rglob("*.yaml"), *(root / "bib").glob("*.bib")])
    files += sorted((root / SOURCES_FOLDER).glob("*.txt"))
    return tuple((str(f), f.stat().st_mtime) for f in files)


def build(paths: Paths, options: GenerateOptions, engine: Engine) -> int:
    """Generate and build the site into paths.site; on problems, list them, keep the last good
    site and return 1. Nothing is written when an output folder is not a real folder inside
    the project."""
    unsafe = paths.problems()
    if unsafe:
        return report(unsafe)
    state = BuildState.of(paths.root)
    saved = state.last_render(paths.docs).kept(STATE_FORMAT)
    earlier = saved if isinstance(saved, Earlier) else None
    remember = state.content(code_key(options.schema))
    kept = Kept(remember, earlier, lambda page, digest: _text_of(paths.docs / page, digest))
    try:
        rendered, settings = generate_site(paths.root, options, kept)
    finally:
        remember.forget_unused()
    pages = rendered.pages
    # The offline copy has no address of its own (its permalinks are the online ones).
    engine_options = EngineOptions(
        paths.config,
        site_name=settings.title,
        site_description=settings.description,
        site_url=None if options.offline else settings.url,
        release_date=settings.release.date if settings.release else None,
        sources={page.path: page.source for page in pages if page.source},
        keep=state.engine(paths.config),
        template_cache=state.theme,
    )
    # The search index is made on another core while the engine builds the pages.
    search = in_background(rendered.search)
    try:
        problems = build_site(pages, paths.docs, paths.site, engine, engine_options, search)
    finally:
        search()
    if problems:
        return report(problems)
    state.last_render(paths.docs).keep(STATE_FORMAT, rendered.earlier)
    built = sum(p.path.endswith(".md") for p in pages)
    again = f" ({rendered.rendered} rendered again)" if earlier is not None else ""
    print(f"Built {built} pages{again} into {paths.site}", file=sys.stderr)
    return 0


def _search_pages(rendered: Rendered) -> list[Page]:
    """The search index's files, for the engine's server to copy as they are."""
    return [Page(path, text) for path, text in rendered.search().items()]


def _in_memory(texts: dict[str, str]) -> Callable[[str, str], str | None]:
    """Pages' texts as this process rendered them: nothing to check them against."""
    return lambda path, digest: texts.get(path)


def _text_of(path: Path, digest: str) -> str | None:
    """A generated page's text as the last good build published it, if its digest is still
    digest; None when it is gone or differs."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return text if text_digest(text) == digest else None


def _regenerate(
    paths: Paths,
    options: GenerateOptions,
    remember: Remember,
    last: tuple[Rendered, list[Page]],
    server: Preview,
) -> tuple[Rendered, list[Page]]:
    """One edit while serving: the pages generated again from the `last` render and search
    index (kept in memory), the changed files written, the server told; then the search index,
    which catches up after the page shows (the last index stays until then)."""
    texts = {page.path: page.text for page in last[0].pages}
    kept = Kept(remember, last[0].earlier, _in_memory(texts))
    rendered, _ = generate_site(paths.root, options, kept)
    changed = write_docs([*rendered.pages, *last[1]], paths.docs, rendered.kept)
    server.docs_written()
    search = _search_pages(rendered)
    written = frozenset(page.path for page in rendered.pages)
    if write_docs([*rendered.pages, *search], paths.docs, written):
        server.docs_written()
    print(
        f"regenerated: {rendered.rendered} page(s) rendered, {changed} file(s) changed",
        file=sys.stderr,
    )
    return rendered, search


def serve(paths: Paths, options: GenerateOptions, engine: Engine, addr: str) -> int:
    """Regenerate the docs when YAML or BibTeX changes; the engine's server reloads the pages.
    What one generation leaves is kept in memory for the next, so an edit renders again only
    the pages it touches and rewrites only the files that changed."""
    root, docs = paths.root, paths.docs
    unsafe = paths.problems()
    if unsafe:
        return report(unsafe)
    remember = Remembered()
    rendered, settings = generate_site(root, options, Kept(remember))
    search = _search_pages(rendered)
    write_docs([*rendered.pages, *search], docs)
    # The site's name as serve starts: an edit of it shows on the next start.
    names = EngineOptions(
        paths.config,
        site_name=settings.title,
        site_description=settings.description,
        keep=BuildState.of(root).preview(docs),
        template_cache=BuildState.of(root).theme,
    )
    server = engine.serve(names, docs, addr)
    process = server.process
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    seen = _fingerprint(root)
    try:
        while process.poll() is None:
            time.sleep(0.1)
            now = _fingerprint(root)
            if now == seen:
                continue
            seen = now
            try:
                last = (rendered, search)
                rendered, search = _regenerate(paths, options, remember, last, server)
            except ProblemsFound as found:
                for problem in found.problems:
                    print(problem, file=sys.stderr)
            remember.forget_unused()
    except KeyboardInterrupt:
        pass
    finally:
        process.terminate()
    return process.wait()
