"""What one build keeps for the next: a value in a file under a key, read back only under the
same key. A missing, damaged or foreign file reads as nothing kept (the build starts afresh)."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any


def kept(path: Path, key: str) -> Any | None:
    """The value saved in `path` under `key`; None when there is none."""
    try:
        with path.open("rb") as handle:
            saved = pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, ValueError):
        return None
    if not isinstance(saved, tuple) or len(saved) != 2 or saved[0] != key:
        return None
    return saved[1]


def keep(path: Path, key: str, value: Any) -> None:
    """Save value under key in path, written whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        pickle.dump((key, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def forget(path: Path) -> None:
    """Remove what path keeps, if anything."""
    path.unlink(missing_ok=True)
