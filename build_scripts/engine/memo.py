"""Results of the pipeline's per-file steps, remembered between builds (pipeline.remember):
reading a content file and checking it alone are done again only for files whose text changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from build_scripts.engine import store

T = TypeVar("T")


class Remembered:
    """A pipeline.remember.Remember that keeps every result by its key. Results are shared, not
    copied: the pipeline does not change what its steps return."""

    def __init__(self, results: dict[str, Any] | None = None) -> None:
        self.results: dict[str, Any] = results or {}
        self.used: set[str] = set()

    def __call__(self, key: str, function: Callable[..., T], *arguments: Any) -> T:
        """The result remembered under key, else function(*arguments), remembered."""
        self.used.add(key)
        if key not in self.results:
            self.results[key] = function(*arguments)
        result: T = self.results[key]
        return result

    def forget_unused(self) -> None:
        """Keep only the results asked for since the last call, so that what is remembered
        does not grow with every edit; start counting afresh."""
        self.results = {key: self.results[key] for key in self.used}
        self.used = set()

    @classmethod
    def kept_in(cls, path: Path, key: str) -> Remembered:
        """The results a build saved in path under key (the code that made them); none else."""
        saved = store.kept(path, key)
        return cls(saved if isinstance(saved, dict) else None)

    def keep_in(self, path: Path, key: str) -> None:
        """Save the results asked for since the last forget_unused in path, under key."""
        self.forget_unused()
        store.keep(path, key, self.results)
