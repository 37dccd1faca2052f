"""Write stage: pages -> a temporary docs folder -> mkdocs build -> swapped into place on success."""

from __future__ import annotations

import datetime
import fcntl
import html
import json
import logging
import os
import posixpath
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from build_scripts.folders import ASSETS, NODE_MODULES
from build_scripts.pipeline.load import load_yaml_file
from build_scripts.pipeline.problems import Problem, ProblemsFound
from build_scripts.render.pages import Page

# Front-end files served from the site itself (installed by `npm ci` from package-lock.json), so
# that no page needs a CDN: Mermaid for diagrams, iframe-worker for search from file://.
VENDORED = {
    "javascripts/vendor/mermaid.min.js": "mermaid/dist/mermaid.min.js",
    "javascripts/vendor/iframe-worker-shim.js": "iframe-worker/shim/index.js",
}


def vendored_files() -> dict[str, bytes]:
    """The vendored front-end files by their place in the site; missing ones are problems."""
    found, problems = {}, []
    for target, source in VENDORED.items():
        path = NODE_MODULES / source
        if path.is_file():
            found[target] = path.read_bytes()
        else:
            problems.append(
                Problem("package.json", 1, 1, f"node_modules/{source} is missing: run `npm ci`")
            )
    if problems:
        raise ProblemsFound(problems)
    return found


def write_docs(pages: list[Page], docs: Path) -> int:
    """Write pages and assets under docs, touching only files whose bytes changed; prune the rest."""
    wanted: dict[Path, bytes] = {_inside(docs, page.path): page.text.encode() for page in pages}
    for asset in sorted(ASSETS.rglob("*")):
        if asset.is_file():
            wanted[docs / asset.relative_to(ASSETS)] = asset.read_bytes()
    for target, data in vendored_files().items():
        wanted[docs / target] = data
    changed = 0
    for path, data in wanted.items():
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        _replace_file(path, data)
        changed += 1
    for path in sorted(docs.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed


def _inside(folder: Path, relative: str) -> Path:
    """folder/relative, which validation keeps inside folder (ids and keys are slugs); a path
    that would leave it is a bug, never written. Read as text: the build makes no links there."""
    normal = posixpath.normpath(relative)
    if normal == ".." or normal.startswith(("../", "/")):
        raise ValueError(f"page path {relative!r} leaves {folder}")
    return folder / normal


def _replace_file(path: Path, data: bytes) -> None:
    """Write a new file in path's place, so that no reader ever sees half a file and the old one
    is never written into (the build's copy of the docs shares its files with the published
    ones, as hard links, until they change)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _link_or_copy(source: str, target: str) -> None:
    """Hard-link a file (instant, no bytes copied); copy it where links are not possible."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def read_cache(path: Path) -> dict[str, str]:
    """The formatted-citation cache of earlier builds; a missing or damaged cache is empty."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def write_cache(path: Path, cache: dict[str, str]) -> None:
    """Save the cache atomically, so a killed build never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _replace_file(path, json.dumps(cache, sort_keys=True, ensure_ascii=False).encode("utf-8"))


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _captured_mkdocs_log() -> Iterator[_Collect]:
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    old_propagate, old_level = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = old_propagate, old_level


@dataclass(frozen=True)
class EngineSettings:
    """What the engine takes from the content rather than from mkdocs.yml: the site's address
    (canonical links and the sitemap; None: none) and its release date (YYYY-MM-DD: the date
    the sitemap gives every page, so that a build is the same on any day)."""

    site_url: str | None = None
    release_date: str | None = None


def run_mkdocs(
    config: Path,
    docs: Path,
    site: Path,
    workers: int | None = None,
    settings: EngineSettings = EngineSettings(),
) -> list[Problem]:
    """Build the site with mkdocs --strict, on every core for a large site (build_scripts.engine.mkdocs_parallel);
    every warning becomes a problem. `workers` overrides the choice (1: mkdocs' own build)."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from build_scripts.engine.executor import workers_for
    from build_scripts.engine.mkdocs_parallel import build_in_parallel

    pages = sum(1 for _ in docs.rglob("*.md"))
    with _captured_mkdocs_log() as log:
        try:
            overrides = {"site_url": settings.site_url} if settings.site_url else {}
            cfg = load_config(
                config_file=str(config),
                docs_dir=str(docs),
                site_dir=str(site),
                strict=True,
                **overrides,
            )
            unsafe = raw_setting_problems(cfg, config)
            if unsafe:
                return unsafe
            with _build_date(settings.release_date):
                build_in_parallel(cfg, workers_for(pages) if workers is None else workers)
        except MkDocsException as err:
            log.messages.append(str(err))
    where = config.name
    return [Problem(where, 1, 1, f"mkdocs: {message}") for message in dict.fromkeys(log.messages)]


@contextmanager
def _build_date(day: str | None) -> Iterator[None]:
    """mkdocs dates every page (the sitemap's lastmod) from SOURCE_DATE_EPOCH, else from the
    clock: set it to the release day, midnight UTC, for the length of a build."""
    if day is None:
        yield
        return
    moment = datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.UTC)
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


# Settings the theme writes into every page as they are (mkdocs renders its templates without
# escaping): in them '<', '"' and an '&' that starts a character reference would be markup.
RAW_SETTINGS = ("site_name", "site_description", "site_author", "copyright")


def raw_setting_problems(settings: Mapping[str, object], config: Path) -> list[Problem]:
    """A problem for each setting the theme writes unescaped that holds a markup character, at
    its place in the config file (or the file it inherits from)."""
    problems = []
    for name in RAW_SETTINGS:
        value = str(settings.get(name) or "")
        char = next((c for c in '<"' if c in value), "&" if html.unescape(value) != value else "")
        if char:
            message = (
                f"{name} holds {char!r}, which the theme writes into every page unescaped, as "
                "markup; leave it out or say it in words"
            )
            problems.append(Problem(*_setting_place(config, name), message))
    return problems


def _setting_place(config: Path, name: str) -> tuple[str, int, int]:
    """Where a setting is written: the config file, or the first file it inherits from."""
    path: Path | None = config
    while path is not None and path.is_file():
        loaded = load_yaml_file(path, path.parent, [])
        if loaded is None or not isinstance(loaded.data, dict):
            break
        if name in loaded.data:
            return (path.name, *loaded.position((name,)))
        parent = loaded.data.get("INHERIT")
        path = path.parent / str(parent) if parent else None
    return (config.name, 1, 1)


@contextmanager
def _exclusive(folder: Path) -> Iterator[None]:
    """One build at a time per project: a second build waits for the first to finish."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".build.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_site(
    pages: list[Page],
    config: Path,
    out_docs: Path,
    out_site: Path,
    settings: EngineSettings = EngineSettings(),
) -> list[Problem]:
    """Write and build in a temporary folder; replace out_docs and out_site only if all succeeded."""
    out_site.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(out_docs.parent):
        for stale in out_docs.parent.glob(".build-*"):  # left by a build that was killed
            shutil.rmtree(stale, ignore_errors=True)
        work = Path(tempfile.mkdtemp(prefix=".build-", dir=out_docs.parent))
        try:
            docs, site = work / "docs", work / "site"
            if out_docs.is_dir():
                shutil.copytree(out_docs, docs, copy_function=_link_or_copy)
            write_docs(pages, docs)
            problems = run_mkdocs(config, docs, site, settings=settings)
            if problems:
                return problems
            _swap(docs, out_docs, work / "old-docs")
            _swap(site, out_site, work / "old-site")
            return []
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _swap(new: Path, target: Path, trash: Path) -> None:
    """Put new in target's place with renames, so target is never half-written."""
    if target.exists():
        os.replace(target, trash)
    os.replace(new, target)
