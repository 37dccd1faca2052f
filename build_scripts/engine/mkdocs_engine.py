"""The mkdocs engine: `mkdocs build --strict` with the project's mkdocs.yml, its plugins' startup,
shutdown and build-error events fired as the mkdocs command fires them, every warning a problem;
on every core for a large site when the configuration is one the parallel build is proven on
(engine.mkdocs_parallel), else mkdocs' own build."""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

from mkdocs import __version__ as mkdocs_version
from mkdocs.commands.build import build as serial_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.utils import CountHandler

from build_scripts.engine import EngineOptions, Preview, source_date_epoch
from build_scripts.engine.config_file import content_setting_problems, unsafe_tag_problems
from build_scripts.engine.executor import workers_for
from build_scripts.engine.mkdocs_parallel import (
    LastBuild,
    build_in_parallel,
    not_incremental,
    unproven,
)
from build_scripts.pipeline.load import load_yaml_file
from build_scripts.pipeline.problems import Problem
from build_scripts.render.search_index import INDEX_FOLDER
from build_scripts.state.build_state import InMemory, Slot

# How mkdocs names the page a warning is about: "Doc file 'findings/x.md' contains a link ...".
_PAGE = re.compile(r"^Doc file '([^']+)'")


def _placed(message: str, config: Path, options: EngineOptions) -> Problem:
    """A message of mkdocs as a problem: at the content a generated page is written from when
    the message names one, else at the configuration."""
    named = _PAGE.match(message)
    page = named.group(1) if named else ""
    if page in options.sources:
        return Problem(*options.sources[page], f"mkdocs, on {page}: {message}", origin="engine")
    return Problem(config.name, 1, 1, f"mkdocs: {message}", origin="engine")


def settings_key(cfg: MkDocsConfig, config: Path, docs: Path, options: EngineOptions) -> str:
    """A digest of everything besides a page's own source that its HTML can depend on: the
    versions of mkdocs, Material and this engine, the configuration files, the theme's
    overrides, the site's address and date, and the names of every file of the docs (but the
    search index's, render.search_index)."""
    parts = [mkdocs_version, version("mkdocs-material"), options.site_url, options.release_date]
    parts += [options.site_name, options.site_description]
    path: Path | None = config
    while path is not None and path.is_file():  # the configuration and what it inherits
        parts.append(path.read_text(encoding="utf-8"))
        inherited = load_config_text(path).get("INHERIT")
        path = path.parent / str(inherited) if inherited else None
    folders = [Path(__file__).parent, *(Path(d) for d in [cfg.theme.custom_dir] if d)]
    for folder in folders:
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            parts += [str(file.relative_to(folder)), hashlib.sha256(file.read_bytes()).hexdigest()]
    names = (p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file())
    # The search index's files are fetched by its worker, named by no page.
    parts += sorted(name for name in names if not name.startswith(f"{INDEX_FOLDER}/"))
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


def load_config_text(path: Path) -> dict[str, Any]:
    """A configuration file's own settings (tags such as !ENV read as nothing)."""
    loaded = load_yaml_file(path, path.parent, [])
    return loaded.data if loaded is not None and isinstance(loaded.data, dict) else {}


def _last_build(options: EngineOptions, key: str) -> LastBuild | None:
    """What the last good build left, when it was built with the same settings (`key`) into
    the folder that is now the last good site."""
    if options.keep is None or options.earlier_site is None:
        return None
    saved = options.keep.kept(f"{key} {_folder_id(options.earlier_site)}")
    return LastBuild(options.earlier_site, *saved) if saved is not None else None


def _folder_id(folder: Path) -> str:
    """A folder as the file system knows it (device, inode), kept by a rename: the state of a
    build describes the folder it built, so it is read back only once that very folder has been
    swapped into the last good site's place (a build that was not published, stopped or
    refused, leaves a state that describes no site, and the next build is whole)."""
    stat = folder.stat()
    return f"{stat.st_dev}:{stat.st_ino}"


# How a configuration is built: mkdocs' own build, or ours on every core, or ours taking each
# unchanged page from the last good site (see _way).
Way = Callable[[MkDocsConfig], None]


def _way(cfg: MkDocsConfig, config: Path, docs: Path, options: EngineOptions) -> Way:
    """The build for this configuration: incremental when the engine may keep state and the
    configuration is proven incremental, on every core when it has pages enough, else mkdocs'
    own (also whenever the parallel build is not proven on the configuration)."""
    pages = sum(1 for _ in docs.rglob("*.md"))
    workers = workers_for(pages) if options.workers is None else options.workers
    wanted = workers > 1 or options.keep is not None
    reason = unproven(cfg) if wanted else None
    if reason:
        print(f"{config.name}: {reason}; building on one core", file=sys.stderr)
        return serial_build
    if options.keep is not None and not not_incremental(cfg):
        key = settings_key(cfg, config, docs, options)
        return partial(_incremental, workers=max(workers, 1), key=key, options=options)
    if workers > 1:
        return partial(_parallel, workers=workers, options=options)
    return serial_build


def _parallel(cfg: MkDocsConfig, workers: int, options: EngineOptions) -> None:
    """Every page built again, on `workers` cores."""
    build_in_parallel(cfg, workers, None, options.template_cache)


def _incremental(cfg: MkDocsConfig, workers: int, key: str, options: EngineOptions) -> None:
    """Unchanged pages taken from the last good build; what this build leaves is kept when it
    is whole (no warning: a strict build with one is not published)."""
    assert options.keep is not None
    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(counter)
    try:
        left = build_in_parallel(cfg, workers, _last_build(options, key), options.template_cache)
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)
    if not counter.get_counts():
        kept = (left.digests, left.found, left.outputs, left.stats)
        options.keep.keep(f"{key} {_folder_id(Path(cfg.site_dir))}", kept)


class MkDocsEngine:
    """mkdocs 1.6 with Material (see the module's docstring)."""

    def serve(self, options: EngineOptions, docs: Path, addr: str) -> Preview:
        """A development server of the docs folder given (the configuration's own `docs_dir`
        is relative to it, and names another project's docs when it is not the one served),
        built as `build` builds it, incrementally (see _serve)."""
        command = [sys.executable, "-m", "build_scripts.engine.mkdocs_engine", "serve"]
        signal = _signal_of(docs.resolve())
        signal.parent.mkdir(parents=True, exist_ok=True)
        signal.write_text("\n", encoding="utf-8")
        settings = json.dumps(options.from_content())
        state = options.keep.path if options.keep is not None else None
        templates = options.template_cache
        arguments = [str(options.config), str(docs), addr, settings]
        arguments += [str(state or ""), str(templates or "")]
        return Preview(subprocess.Popen([*command, *arguments]), signal)

    def build(self, docs: Path, site: Path, options: EngineOptions) -> list[Problem]:
        """Build docs into site; each of mkdocs' warnings and errors is a problem."""
        config = options.config
        unsafe = unsafe_tag_problems(config) + content_setting_problems(config)
        if unsafe:
            return unsafe
        with captured_mkdocs_log() as log:
            try:
                cfg = load_config(
                    config_file=str(config),
                    docs_dir=str(docs),
                    site_dir=str(site),
                    strict=True,
                    **options.from_content(),
                )
                unsafe = raw_setting_problems(cfg, config)
                if unsafe:
                    return unsafe
                _run(cfg, _way(cfg, config, docs, options), options.release_date)
            except MkDocsException as err:
                log.messages.append(str(err))
        return [_placed(m, config, options) for m in dict.fromkeys(log.messages)]


def _run(cfg: MkDocsConfig, way: Way, release_date: str | None) -> None:
    """Build cfg's site the way given, with its plugins' startup and shutdown events fired as
    the mkdocs command fires them, the pages dated by the release day."""
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        with _build_date(release_date):
            way(cfg)
    finally:
        cfg.plugins.on_shutdown()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def captured_mkdocs_log() -> Iterator[_Collect]:
    """mkdocs' warnings and errors while the block runs, as `.messages`, kept from the console."""
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


@contextmanager
def _build_date(day: str | None) -> Iterator[None]:
    """mkdocs dates every page (the sitemap's lastmod) from SOURCE_DATE_EPOCH, else from the
    clock: set it to the release day, midnight UTC, for the length of a build."""
    if day is None:
        yield
        return
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = source_date_epoch(day)
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


# Settings the theme writes into every page as they are (mkdocs renders its templates without
# escaping): in them '<', '"' and an '&' that starts a character reference would be markup.
RAW_SETTINGS = ("site_author", "copyright")


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


def _signal_of(docs: Path) -> Path:
    """The file the driver touches once it has written a change of docs (engine.Preview)."""
    return docs.with_name(f"{docs.name}-preview.signal") / "written"


def _rebuild_preview(docs: Path, site: Path, options: EngineOptions) -> None:
    """Build docs into a new preview, taking unchanged pages from the one at site, which it
    replaces when the build has no problem; each problem is printed (the preview stays)."""
    changes = site.with_name(f"{site.name}.changes")
    shutil.rmtree(changes, ignore_errors=True)
    earlier = site if site.is_dir() else None
    problems = MkDocsEngine().build(docs, changes, replace(options, earlier_site=earlier))
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        trash = site.with_name(f"{site.name}.old")
        shutil.rmtree(trash, ignore_errors=True)
        if site.is_dir():
            os.replace(site, trash)
        os.replace(changes, site)
        shutil.rmtree(trash, ignore_errors=True)
    print(f"preview: {'not updated' if problems else 'up to date'}", file=sys.stderr)


def _serve(
    config: str, docs: str, addr: str, settings: str = "{}", state: str = "", templates: str = ""
) -> None:
    """A development server of docs with the configuration, on addr (host:port): each change
    of docs (once its signal, _signal_of, says it is written) is built as `build` builds it
    (only what changed, the rest linked from the preview, which the new one then replaces; a
    problem is printed and leaves the preview as it was), then browsers reload. The preview is
    kept beside docs (`<docs>-preview`); what its last build left, in the file `state` (state.
    build_state.Slot; none given: in memory); the theme's compiled templates in the folder
    `templates` (none given: compiled at each build)."""
    from mkdocs.livereload import LiveReloadServer

    source = Path(docs).resolve()
    site = source.with_name(f"{source.name}-preview")
    given = {name: str(value) for name, value in json.loads(settings).items()}
    options = EngineOptions(
        Path(config).resolve(),
        site_name=given.get("site_name"),
        site_description=given.get("site_description"),
        site_url=given.get("site_url"),
        keep=Slot(Path(state)) if state else InMemory(),
        template_cache=Path(templates) if templates else None,
    )

    def rebuild() -> None:
        _rebuild_preview(source, site, options)

    rebuild()
    host, port = addr.rsplit(":", 1)
    # Only the signal is watched (one small file, polled often), not the docs' many files.
    server = LiveReloadServer(
        builder=rebuild, host=host, port=int(port), root=str(site), polling_interval=0.05
    )
    server.watch(str(_signal_of(source).parent))
    try:
        server.serve()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()


if __name__ == "__main__" and sys.argv[1:2] == ["serve"]:
    _serve(*sys.argv[2:8])
