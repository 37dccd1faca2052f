"""The engine seam: what turns the generated Markdown (build/docs) into a site. Everything that
knows an engine's internals (mkdocs' build steps, its plugins, its logging; forked workers; patches
of dependencies) lives in this package, so that switching engines is a change to one module.

An engine's contract: `build(docs, site, options)` builds the Markdown folder `docs` into the
folder `site`, whole, and returns every problem (never raises on a bad build); `site` may be
left half written when there are problems (the publisher builds into a temporary folder). Given
the last good site (`options.earlier_site`), an incremental engine may link that site's
unchanged files into `site`, but never writes into the last good site: the publisher swaps the
new site into its place at once.
"""

from __future__ import annotations

import datetime
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from build_scripts.pipeline.problems import Problem


class Keeper(Protocol):
    """Where an engine keeps what one build leaves for the next: one value under a key, read
    back only under the same key (state.build_state.Slot), in the file `path` (None: in this
    process only)."""

    @property
    def path(self) -> Path | None:
        """The file the value is kept in; None when it is kept in memory."""
        ...

    def kept(self, key: str) -> Any | None:
        """The value kept under key; None when there is none."""
        ...

    def keep(self, key: str, value: Any) -> None:
        """Keep value under key, in place of what was kept."""
        ...


@dataclass(frozen=True)
class EngineOptions:
    """How to build: the engine's configuration file; what the engine takes from the content
    rather than from that file, the site's name and description (the header, every <title>,
    the head's description), the site's address (canonical links and the sitemap; None: none)
    and its release date (YYYY-MM-DD: the date the sitemap gives every page, so that a build is
    the same on any day); how many workers (None: as many as pay for the pages); and where in
    the content each generated page is written from (docs-relative path -> file, line,
    column), where a problem the engine finds in that page is reported. An engine that builds
    incrementally keeps what it needs in `keep` (a Keeper: state.build_state) and takes
    unchanged pages from `earlier_site`, the last good site built with what it kept (None:
    build everything); it may keep the theme's compiled templates in `template_cache`."""

    config: Path
    site_name: str | None = None
    site_description: str | None = None
    site_url: str | None = None
    release_date: str | None = None
    workers: int | None = None
    sources: Mapping[str, tuple[str, int, int]] = field(default_factory=dict)
    earlier_site: Path | None = None
    keep: Keeper | None = None
    template_cache: Path | None = None

    def from_content(self) -> dict[str, str]:
        """The settings the generator hands the engine in place of its configuration's (the
        content gives them): the site's name, description and address, those that are set."""
        settings = {
            "site_name": self.site_name,
            "site_description": self.site_description,
            "site_url": self.site_url,
        }
        return {name: value for name, value in settings.items() if value}


@dataclass
class Preview:
    """A running preview server: its process, and the file whose change tells it the docs
    were written (None: the server watches the docs itself). Touched once the whole change is
    written, it spares the server from building a half-written docs folder."""

    process: subprocess.Popen[bytes]
    signal: Path | None = None

    def docs_written(self) -> None:
        """Tell the server that every file of the docs is written."""
        if self.signal is not None:
            self.signal.write_text(f"{time.time_ns()}\n", encoding="utf-8")


class Engine(Protocol):
    """Builds generated Markdown into a site, and serves it for a preview."""

    def build(self, docs: Path, site: Path, options: EngineOptions) -> list[Problem]:
        """Build docs into site; every problem, none when the site is complete."""
        ...

    def serve(self, options: EngineOptions, docs: Path, addr: str) -> Preview:
        """The engine's preview server of the docs folder with the configuration and settings
        of options (whatever docs folder the configuration names) on addr (host:port),
        reloading pages as the docs change."""
        ...


def source_date_epoch(day: str) -> str:
    """A release day (YYYY-MM-DD) as SOURCE_DATE_EPOCH: its midnight, UTC, in seconds. Engines
    date the sitemap by it (reproducible builds), so a build is the same on any day."""
    moment = datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.UTC)
    return str(int(moment.timestamp()))
