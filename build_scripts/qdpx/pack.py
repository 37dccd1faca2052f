"""A .qdpx's bytes and their one write. The archive is deterministic: members sorted by name,
each with the same fixed date (1980-01-01, ZIP's first), permissions, system and compression,
so the same members give the same bytes. The file is written whole beside its place and then
moved onto it (os.replace), so it is never seen half-written and a failed write leaves what
was there."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
_UNIX = 3  # ZipInfo.create_system: the member's permissions are Unix ones


def qdpx_bytes(members: dict[str, bytes]) -> bytes:
    """A ZIP archive of members (name -> bytes), deflated, in name order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = _UNIX
            info.external_attr = 0o644 << 16
            archive.writestr(info, members[name], compresslevel=9)
    return buffer.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    """Write data to path: a temporary file in path's folder, synced, then moved onto path
    (readable by all, as a new file would be). The caller has checked the folder exists."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
