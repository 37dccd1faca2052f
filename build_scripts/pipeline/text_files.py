"""Reading a content file as text: UTF-8 (a byte-order mark allowed), not empty, not huge."""

from __future__ import annotations

from pathlib import Path

from build_scripts.pipeline.problems import Problem

MAX_FILE_BYTES = 5_000_000

Position = tuple[int, int]


def read_text(path: Path, rel: str, problems: list[Problem]) -> str | None:
    """Decode a file as UTF-8 (BOM allowed), reporting empty, huge or undecodable files."""
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        problems.append(
            Problem(rel, 1, 1, f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}")
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        problems.append(
            Problem(rel, line, column, f"not valid UTF-8 (byte offset {err.start}); save as UTF-8")
        )
        return None
    if not text.strip():
        problems.append(Problem(rel, 1, 1, "file is empty"))
        return None
    return text
