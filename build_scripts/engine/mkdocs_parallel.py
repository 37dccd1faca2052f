"""mkdocs on every core: the same build as `mkdocs build`, with the pages shared out between
forked workers.

mkdocs renders one page after another: each page's Markdown into HTML, each page into the
theme's HTML. Here the
set-up (files, navigation, plugins) runs once, then each worker renders and writes its share of
the pages, and the parent gathers what spans pages: the anchors every page holds (for mkdocs'
anchor validation), the search entries (in page order, so the index is the same as a serial
build's) and the warnings. The output is byte for byte the serial build's (tested). This leans
on mkdocs 1.6's build steps (`_populate_page`, `_build_page`); a build with one worker is
mkdocs' own `build` (engine.mkdocs_engine chooses). Plugins see their page events once a page,
in the worker that builds it, and `on_env` once in each worker (after its pages are read) and
once in the parent: what the search and offline plugins are proven to take, and why no other
plugin runs here (`unproven`).
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2
from mkdocs import __version__ as mkdocs_version
from mkdocs.commands.build import (
    _build_extra_template,
    _build_page,
    _build_theme_template,
    _populate_page,
)
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, BuildError
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler, clean_directory

from build_scripts.engine.executor import shared_out
from build_scripts.engine.raw_ids import FastRawIds
from build_scripts.state.files import link_or_copy

log = logging.getLogger("mkdocs")


@dataclass
class Share:
    """What a worker sends back about its pages, by source path."""

    anchors: dict[str, set[str]] = field(default_factory=dict)
    links: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    entries: dict[str, list[Any]] = field(default_factory=dict)
    warnings: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Setup:
    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Any
    todo: list[File]


@dataclass(frozen=True)
class LastBuild:
    """What an earlier build with the same settings, theme and set of files left: its site
    folder, what it found in each page (a Share's parts, by source path) with the digest of
    the page's source, and every file it wrote from the docs and the theme (site-relative). A
    page whose source has the same digest is taken from it as it is."""

    site: Path
    digests: dict[str, str]
    found: Share
    outputs: frozenset[str] = frozenset()
    # Each page source's (inode, size, modification time in ns) when it was digested: a source
    # with the same three is taken to have the same digest (as make and mkdocs' dirty builds
    # trust a modification time), so unchanged sources are not read again.
    stats: dict[str, tuple[int, int, int]] = field(default_factory=dict)


def digest(path: str) -> str:
    """The digest of a page's source file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _stat(path: str) -> tuple[int, int, int]:
    found = os.stat(path)
    return (found.st_ino, found.st_size, found.st_mtime_ns)


def _digests(
    pages: Sequence[File], earlier: LastBuild | None
) -> tuple[dict[str, str], dict[str, tuple[int, int, int]]]:
    """Each page source's digest and stat, the digest taken from earlier where the stat is the
    same (LastBuild.stats)."""
    digests, stats = {}, {}
    for file in pages:
        source, path = file.src_uri, str(file.abs_src_path)
        stats[source] = _stat(path)
        known = earlier is not None and earlier.stats.get(source) == stats[source]
        if known and earlier is not None and source in earlier.digests:
            digests[source] = earlier.digests[source]
        else:
            digests[source] = digest(path)
    return digests, stats


class _Keep(logging.Handler):
    def __init__(self, into: list[tuple[int, str]]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append((record.levelno, record.getMessage()))


# What the parallel build is proven on (the byte-for-byte tests build every configuration the
# project ships): this mkdocs, and these plugins. Anything else is built by mkdocs itself.
MKDOCS_VERSION = "1.6.1"
PROVEN_PLUGINS = frozenset({"search", "material/search", "offline", "material/offline"})


def unproven(config: MkDocsConfig) -> str | None:
    """Why the parallel build would not be known to give mkdocs' own site for this
    configuration (another mkdocs, a plugin it was not tested with), or None."""
    if mkdocs_version != MKDOCS_VERSION:
        return f"the parallel build is proven on mkdocs {MKDOCS_VERSION}, not {mkdocs_version}"
    others = sorted(set(config.plugins) - PROVEN_PLUGINS)
    if others:
        return f"the parallel build is not proven with the plugin(s) {', '.join(others)}"
    return None


# What an incremental build is proven with: plugins that write no page files after the pages are
# built (a kept page is a link to the earlier site's file, which must never be written into).
INCREMENTAL_PLUGINS = frozenset({"search", "material/search"})


def not_incremental(config: MkDocsConfig) -> str | None:
    """Why pages of this configuration cannot be taken from an earlier build, or None."""
    others = sorted(set(config.plugins) - INCREMENTAL_PLUGINS)
    return f"the plugin(s) {', '.join(others)} may rewrite pages" if others else None


def build_in_parallel(
    config: MkDocsConfig,
    workers: int,
    earlier: LastBuild | None = None,
    template_cache: Path | None = None,
) -> LastBuild:
    """Build the site like `mkdocs build` (clean, not dirty), with pages shared out between
    `workers` forked workers; call only when `unproven(config)` is None. Plugins' build-error
    event fires on a failed build, as in mkdocs' build. With `earlier`, a page whose source is
    unchanged is not built again: its file is linked from the earlier site (never written
    into: the earlier site stays as it was) and what the earlier build found in it is used.
    The theme's templates, once compiled, are kept in `template_cache` when given. Returns what
    this build leaves for the next."""
    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    log.addHandler(counter)
    try:
        left = _build(config, workers, earlier, template_cache)
    except Exception as error:
        config.plugins.on_build_error(error=error)
        if isinstance(error, BuildError):
            log.error(str(error))
            raise Abort("Aborted with a BuildError!") from error
        raise
    finally:
        log.removeHandler(counter)
    if config.strict and (counts := counter.get_counts()):
        message = ", ".join(f"{count} {level.lower()}s" for level, count in counts)
        raise Abort(f"Aborted with {message} in strict mode!")
    return left


def _build(
    config: MkDocsConfig,
    workers: int,
    earlier: LastBuild | None,
    template_cache: Path | None,
) -> LastBuild:
    config = config.plugins.on_config(config)
    config.plugins.on_pre_build(config=config)
    clean_directory(config.site_dir)
    files = get_files(config)
    env = config.theme.get_env()
    env.auto_reload = False  # the theme does not change during a build: no stat() per include
    if template_cache is not None:  # compiled code, keyed by each template's source
        template_cache.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(template_cache))
    files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = config.plugins.on_nav(get_navigation(files, config), config=config, files=files)
    pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
    for file in pages:
        if file.page is None:
            Page(None, file, config)
    digests, stats = _digests(pages, earlier)
    kept = _kept(pages, digests, earlier, Path(config.site_dir))
    todo = [file for file in pages if file.src_uri not in kept]
    setup = _Setup(config, files, nav, env, todo)
    count = max(1, min(workers, len(todo)))
    if count > 1:
        shares = shared_out(lambda number, count: _work(setup, number, count), count)
    else:  # in this process: a fork would not pay, and a worker outliving a killed build
        shares = [_work(setup, 0, 1, forked=False)]  # would hold its lock
    found = Share()
    if earlier is not None:
        for part in ("anchors", "links", "entries"):
            mine, theirs = getattr(found, part), getattr(earlier.found, part)
            mine.update({src: theirs[src] for src in kept})
    for share in shares:
        found.anchors.update(share.anchors)
        found.links.update(share.links)
        found.entries.update(share.entries)
        found.warnings.extend(share.warnings)
    stats.update(_copy_static(files, earlier, Path(config.site_dir)))
    _finish(config, files, nav, env, found)
    outputs = frozenset(file.dest_uri for file in files)
    left = replace(found, warnings=[])
    return LastBuild(Path(config.site_dir), digests, left, outputs, stats)


def _kept(
    pages: Sequence[File], digests: dict[str, str], earlier: LastBuild | None, site: Path
) -> set[str]:
    """The pages an earlier build wrote from the same source, by source path: their files
    linked into the site (copied where links are not possible)."""
    if earlier is None:
        return set()
    kept = set()
    for file in pages:
        source = earlier.site / file.dest_uri
        if earlier.digests.get(file.src_uri) != digests[file.src_uri] or not source.is_file():
            continue
        kept.add(file.src_uri)
        target = site / file.dest_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(source, target)
    return kept


def _copy_static(
    files: Files, earlier: LastBuild | None, site: Path
) -> dict[str, tuple[int, int, int]]:
    """Copy the static files (assets, data) into the site as mkdocs does, but link each file
    whose source has the same stat as when the earlier build copied it (LastBuild.stats); each
    source's stat, for the next build."""
    stats = {}
    for file in files:
        if file.is_documentation_page() or not file.inclusion.is_included():  # type: ignore[no-untyped-call]
            continue
        if file.abs_src_path is None:  # made in memory by a plugin: written as mkdocs does
            file.copy_file()
            continue
        stats[file.src_uri] = stat = _stat(file.abs_src_path)
        if earlier is None or earlier.stats.get(file.src_uri) != stat:
            file.copy_file()
            continue
        source, target = earlier.site / file.dest_uri, site / file.dest_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            file.copy_file()
    return stats


def _work(setup: _Setup, number: int, workers: int, forked: bool = True) -> Share:
    """Render and write every workers-th page to build, from the number-th on: in a forked
    worker, whose warnings go back to the parent, or in this process (they are logged here)."""
    result = Share()
    if forked:
        keep = _Keep(result.warnings)
        log.addHandler(keep)
        for handler in list(log.handlers):  # the parent gathers and reports the warnings
            if handler is not keep:
                log.removeHandler(handler)
    mine = setup.todo[number::workers]
    # This worker's mkdocs collects each page's raw-HTML anchors without parsing every tag
    # (in this process, only while it builds these pages).
    stock = mkdocs_pages._RawHTMLPreprocessor
    mkdocs_pages._RawHTMLPreprocessor = FastRawIds  # type: ignore[misc]
    try:
        _build_share(setup, mine, result)
    finally:
        mkdocs_pages._RawHTMLPreprocessor = stock  # type: ignore[misc]
    return result


def _build_share(setup: _Setup, mine: list[File], result: Share) -> None:
    """Read, render and write these pages; what they hold goes into result."""
    config, files, nav = setup.config, setup.files, setup.nav
    pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
    for file in mine:
        assert file.page is not None
        _populate_page(file.page, config, files)
    env = config.plugins.on_env(setup.env, config=config, files=files)
    index = _search_index(config)
    for file in mine:
        page = file.page
        assert page is not None
        before = len(index.entries) if index else 0
        _build_page(page, config, pages, nav, env)
        result.anchors[file.src_uri] = set(page.present_anchor_ids or ())
        result.links[file.src_uri] = {
            target.src_uri: dict(links) for target, links in (page.links_to_anchors or {}).items()
        }
        result.entries[file.src_uri] = index.entries[before:] if index else []


def _search_index(config: MkDocsConfig) -> Any:
    """The search plugin's index of entries, when the site has Material's search."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    return getattr(plugin, "search_index", None)


def _finish(config: MkDocsConfig, files: Files, nav: Navigation, env: Any, merged: Share) -> None:
    """In the parent (after _copy_static): theme templates, anchors checked, search index,
    post-build."""
    for level, message in merged.warnings:
        log.log(level, message)
    env = config.plugins.on_env(env, config=config, files=files)
    for template in config.theme.static_templates:
        _build_theme_template(template, env, files, config, nav)
    for template in config.extra_templates:
        _build_extra_template(template, files, config, nav)
    pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
    for file in pages:
        assert file.page is not None
        file.page.present_anchor_ids = merged.anchors.get(file.src_uri, set())
        links = merged.links.get(file.src_uri, {})
        file.page.links_to_anchors = {files.get_file_from_path(t): a for t, a in links.items()}  # type: ignore[misc]
    for file in pages:
        assert file.page is not None
        file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
    index = _search_index(config)
    if index is not None:
        index.entries = [entry for file in pages for entry in merged.entries[file.src_uri]]
    config.plugins.on_post_build(config=config)
