"""What one build keeps for the next: a value in a file under a key, read back only under the
same key. A missing, damaged or foreign file reads as nothing kept (the build starts afresh)."""

from __future__ import annotations

import io
import pickle
from pathlib import Path
from typing import Any

from build_scripts.state.files import atomic_write


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
    buffer = io.BytesIO()
    pickle.dump((key, value), buffer, protocol=pickle.HIGHEST_PROTOCOL)
    atomic_write(path, buffer.getvalue())


def forget(path: Path) -> None:
    """Remove what path keeps, if anything."""
    path.unlink(missing_ok=True)
