"""A .qdpx's bytes. The archive is deterministic: members sorted by name, each with the same
fixed date (1980-01-01, ZIP's first), permissions, system and compression, so the same members
give the same bytes."""

from __future__ import annotations

import io
import zipfile

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
