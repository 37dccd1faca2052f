"""Writing files so that no reader ever sees half of one, and sharing unchanged files between
builds as hard links."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def atomic_write(path: Path, data: bytes) -> None:
    """Write a new file in path's place, so that no reader ever sees half a file and the old one
    (or, for a link, the file it leads to) is never written into: the last good site shares its
    files with the next build's, as hard links, until they change. A write that fails leaves
    what was at path, and nothing beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """Hard-link a file (instant, no bytes copied); copy it where links are not possible."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
