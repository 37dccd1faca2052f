"""build/cache of a project: every file a build keeps for the next, named here and nowhere else.

What is kept, and who reads it back:
- `citations.json`: formatted citations by entry, style and locale (pipeline.csl.Citer's cache);
- `pages-<docs>.pickle`: what the last render read and made (state.outdated.Earlier), for the
  docs folder of that name (the online site's, the offline copy's);
- `engine-<config>.pickle`: what the engine's last build left (engine.EngineOptions.keep), for the
  configuration of that name; `preview-<docs>.pickle`, its preview server's, for `serve`;
- `content/`: the pipeline's per-file results (state.memo.Remembered);
- `templates/` and `theme/`: compiled templates, ours and the theme's.

Every file is read back only under the key it was written with (state.store): a file of other
code, another format or a damaged one reads as nothing kept, and the build starts afresh.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from build_scripts.state import store
from build_scripts.state.files import atomic_write
from build_scripts.state.memo import Remembered

CACHE_FOLDER = Path("build") / "cache"


@dataclass(frozen=True)
class Slot:
    """One value kept in one file, read back only under the key it was kept with (an engine's
    `EngineOptions.keep`, the last render's record)."""

    path: Path

    def kept(self, key: str) -> Any | None:
        """The value kept under key; None when there is none."""
        return store.kept(self.path, key)

    def keep(self, key: str, value: Any) -> None:
        """Keep value under key, written whole or not at all."""
        store.keep(self.path, key, value)


class InMemory:
    """A Slot that keeps its value in this process only (a preview server, which lives as long
    as what it keeps)."""

    path = None

    def __init__(self) -> None:
        self.saved: tuple[str, Any] | None = None

    def kept(self, key: str) -> Any | None:
        """The value kept under key; None when there is none."""
        return self.saved[1] if self.saved is not None and self.saved[0] == key else None

    def keep(self, key: str, value: Any) -> None:
        """Keep value under key, in place of what was kept."""
        self.saved = (key, value)


@dataclass(frozen=True)
class BuildState:
    """The build/cache folder of one project (see the module's docstring)."""

    folder: Path

    @classmethod
    def of(cls, root: Path) -> BuildState:
        """The state of the project at root."""
        return cls(root / CACHE_FOLDER)

    def citations(self) -> dict[str, str]:
        """The formatted citations of earlier builds; a missing or damaged file is none."""
        try:
            data = json.loads((self.folder / "citations.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def keep_citations(self, cache: dict[str, str]) -> None:
        """Save the formatted citations, whole or not at all."""
        text = json.dumps(cache, sort_keys=True, ensure_ascii=False)
        atomic_write(self.folder / "citations.json", text.encode("utf-8"))

    def forget_citations(self) -> None:
        """Forget the formatted citations (the next build formats every one)."""
        (self.folder / "citations.json").unlink(missing_ok=True)

    def last_render(self, docs: Path) -> Slot:
        """Where the last render into a docs folder of this name is recorded."""
        return Slot(self.folder / f"pages-{docs.name}.pickle")

    def engine(self, config: Path) -> Slot:
        """Where the engine keeps its last build with a configuration of this name."""
        return Slot(self.folder / f"engine-{config.stem}.pickle")

    def preview(self, docs: Path) -> Slot:
        """Where the engine's preview server of a docs folder of this name keeps its last build
        (so that a restarted server builds only what changed meanwhile)."""
        return Slot(self.folder / f"preview-{docs.name}.pickle")

    def content(self, code: str) -> Remembered:
        """The pipeline's per-file results made by the code of digest `code`."""
        return Remembered(self.folder / "content", code)

    @property
    def templates(self) -> Path:
        """The folder of our templates, compiled."""
        return self.folder / "templates"

    @property
    def theme(self) -> Path:
        """The folder of the theme's templates, compiled."""
        return self.folder / "theme"
