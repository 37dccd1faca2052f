"""The one rule for the project's files: the build reads only regular files inside the project
(a link is followed only while it stays inside), as UTF-8 text (a byte-order mark allowed), not
empty, not huge; and writes only into real folders inside the project (no link on the way)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from build_scripts.pipeline.problems import Problem

MAX_FILE_BYTES = 5_000_000

Position = tuple[int, int]

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def file_problem(path: Path, root: Path) -> str | None:
    """Why path may not be read as one of the project's files (root's), or None: it must be a
    regular file whose real place, links followed, is inside root. Nothing is opened, so a
    named pipe cannot hang the build."""
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        if path.is_symlink():
            return "is a symbolic link to nothing (its target is missing); remove it"
        return "does not exist"
    except (OSError, RuntimeError):
        return "is a symbolic link that cannot be followed (a loop?); remove it"
    if not real.is_relative_to(root.resolve()):
        return (
            "is a symbolic link that leads outside the project; the build reads only files "
            "inside it (copy the file in instead)"
        )
    mode = os.stat(real).st_mode
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        return f"is {kind}, not a file; the build reads only regular files"
    return None


def read_text(path: Path, rel: str, problems: list[Problem], root: Path) -> str | None:
    """Decode one of root's files as UTF-8 (BOM allowed), reporting a file the rule above
    refuses and an empty, huge or undecodable one."""
    refused = file_problem(path, root)
    if refused is not None:
        problems.append(Problem(rel, 1, 1, refused))
        return None
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


def folder_problems(root: Path, folder: Path, name: str) -> list[Problem]:
    """Whether the build may write into folder (named `name` in messages, as the user gave
    it): it must lie inside root, and neither it nor any folder between root and it may be a
    symbolic link or something other than a folder. Checked before anything is written or
    deleted, so that a link never lets the build empty or fill a folder elsewhere."""
    base = Path(os.path.abspath(root))
    target = Path(os.path.abspath(folder))
    if not target.is_relative_to(base) or target == base:
        message = "is outside the project; the build writes only into folders inside it"
        return [Problem(name, 1, 1, message, origin="environment")]
    path = base
    for part in target.relative_to(base).parts:
        path = path / part
        shown = path.relative_to(base).as_posix()
        if path.is_symlink():
            message = (
                "is a symbolic link; the build writes only into real folders inside the "
                "project (remove the link; the build makes the folder)"
            )
            return [Problem(shown, 1, 1, message, origin="environment")]
        if path.exists() and not path.is_dir():
            message = "is not a folder; the build writes a folder here (move the file away)"
            return [Problem(shown, 1, 1, message, origin="environment")]
    return []
