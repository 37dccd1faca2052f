"""Reading a .qdpx safely: a ZIP archive whose members are read into memory, never extracted by
their own names. A member whose name is absolute or climbs out (`..`), a link, an encrypted
member, a duplicate name, too many members or too many bytes (counted as read: a ZIP's declared
sizes can lie) is refused with a problem, and nothing is read past the bounds."""

from __future__ import annotations

import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from build_scripts.pipeline.problems import Problem

PROJECT_FILE = "project.qde"
MAX_MEMBERS = 10_000
MAX_TOTAL_BYTES = 200_000_000  # all members together, uncompressed
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Archive:
    """The members of a .qdpx by their names (posix, relative), and the archive as shown in
    messages."""

    shown: str
    members: dict[str, bytes]


def read_archive(path: Path, shown: str) -> tuple[Archive | None, list[Problem]]:
    """The archive's members, or None and every problem found (a missing or malformed ZIP, a
    member refused by the rules above, no project.qde)."""
    if not path.is_file():
        return None, [Problem(shown, 0, 0, "not found (name a .qdpx file)", origin="environment")]
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            problems = _refused_members(infos, shown)
            if problems:
                return None, problems
            members, problems = _read_members(archive, infos, shown)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as err:
        message = f"is not a readable ZIP archive (a .qdpx is one): {err}"
        return None, [Problem(shown, 0, 0, message)]
    if problems:
        return None, problems
    if PROJECT_FILE not in members:
        message = f"holds no {PROJECT_FILE} (a REFI-QDA project has one at its top)"
        return None, [Problem(shown, 0, 0, message)]
    return Archive(shown, members), []


def member_problem(name: str) -> str | None:
    """Why a member's name is refused, or None: it must be relative and stay inside."""
    posix = name.replace("\\", "/")
    if "\0" in name or posix.startswith("/") or (len(posix) > 1 and posix[1] == ":"):
        return "is an absolute name"
    if ".." in PurePosixPath(posix).parts:
        return "climbs out of the archive (`..`)"
    return None


def _refused_members(infos: list[zipfile.ZipInfo], shown: str) -> list[Problem]:
    if len(infos) > MAX_MEMBERS:
        message = f"holds {len(infos):,} members; the limit is {MAX_MEMBERS:,}"
        return [Problem(shown, 0, 0, message)]
    problems = []
    seen: set[str] = set()
    for info in infos:
        why = member_problem(info.filename)
        mode = info.external_attr >> 16
        if why is None and stat.S_ISLNK(mode):
            why = "is a symbolic link"
        if why is None and info.flag_bits & 0x1:
            why = "is encrypted"
        if why is None and info.filename in seen:
            why = "is in the archive twice"
        seen.add(info.filename)
        if why is not None:
            name = info.filename.encode("unicode_escape").decode("ascii")
            problems.append(Problem(shown, 0, 0, f"member '{name}' {why}; refused"))
    return problems


def _read_members(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], shown: str
) -> tuple[dict[str, bytes], list[Problem]]:
    """Each file member's bytes, read in chunks against the bound on all of them together."""
    members: dict[str, bytes] = {}
    left = MAX_TOTAL_BYTES
    for info in infos:
        if info.is_dir():
            continue
        chunks = []
        with archive.open(info) as member:
            while chunk := member.read(min(_CHUNK, left + 1)):
                chunks.append(chunk)
                left -= len(chunk)
                if left < 0:
                    message = f"expands to over {MAX_TOTAL_BYTES:,} bytes (the limit); refused"
                    return {}, [Problem(shown, 0, 0, message)]
        members[info.filename.replace("\\", "/")] = b"".join(chunks)
    return members, []
