"""Results of the pipeline's per-file steps, remembered between builds (pipeline.remember):
reading a content file and checking it alone are done again only for files whose text changed.
Each result is a file of its own under a folder, so that a build reads only the results it asks
for and writes only the new ones."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from build_scripts.state import store

T = TypeVar("T")


class Remembered:
    """A pipeline.remember.Remember that keeps every result by its key: in memory, and (when
    given a folder) in that folder, under `code` (a digest of the code that made them; results
    of other code are not read). Results are shared, not copied: the pipeline does not change
    what its steps return."""

    def __init__(self, folder: Path | None = None, code: str = "") -> None:
        self.folder, self.code = folder, code
        self.results: dict[str, Any] = {}
        self.used: set[str] = set()
        self.new: set[str] = set()

    def __call__(self, key: str, function: Callable[..., T], *arguments: Any) -> T:
        """The result remembered under key, else function(*arguments), remembered."""
        self.used.add(key)
        if key not in self.results and self.folder is not None:
            found = store.kept(self._file(key), f"{self.code} {key}")
            if found is not None:
                self.results[key] = found[0]
        if key not in self.results:
            self.results[key] = function(*arguments)
            self.new.add(key)
        result: T = self.results[key]
        return result

    def forget_unused(self) -> None:
        """Keep only the results asked for since the last call (in memory and in the folder),
        so that what is remembered does not grow with every edit; save the new ones; start
        counting afresh."""
        if self.folder is not None:
            for key in self.new & self.used:
                store.keep(self._file(key), f"{self.code} {key}", (self.results[key],))
            wanted = {self._file(key).name for key in self.used}
            for path in self.folder.glob("*.pickle") if self.folder.is_dir() else ():
                if path.name not in wanted:
                    store.forget(path)
        self.results = {key: self.results[key] for key in self.used}
        self.used, self.new = set(), set()

    def _file(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}.pickle"
