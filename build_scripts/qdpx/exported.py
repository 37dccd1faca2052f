"""What an export holds, in REFI-QDA's terms, before it is XML: the codebook (codes nest), the
text sources with their coded selections, and the notes (memos). Every GUID is derived from a
unit's stable id (its kind and id, the unit's permalink) with uuid5 under one fixed namespace,
so exporting the same site again gives the same GUIDs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

# The namespace of every GUID an export makes (uuid5 of this name under the URL namespace).
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:evidence-site:refi-qda-export")


def guid(*name: str) -> str:
    """The GUID of what `name` names: its parts are a unit's kind and id, then what of it
    ('study', 'ward') is the study's code, ('study', 'ward', 'text') its text source."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\0".join(name)))


@dataclass(frozen=True)
class ExportCode:
    """A code: `codable` False for a code that only groups others (a model, a study);
    `notes` are the GUIDs of the notes about it."""

    guid: str
    name: str
    description: str | None
    codable: bool
    notes: tuple[str, ...] = ()
    children: tuple[ExportCode, ...] = ()


@dataclass(frozen=True)
class ExportCoding:
    """A selection coded with a code (its GUID); `notes`: the notes on why."""

    guid: str
    code: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportSelection:
    """A quotation as a PlainTextSelection: [start, end) of its text source's text (code
    points, as the site's TextPositionSelector), named by the quotation's id."""

    guid: str
    name: str
    start: int
    end: int
    description: str | None
    codings: tuple[ExportCoding, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportSource:
    """A study's source text as a TextSource: its text goes into the archive as
    sources/<guid>.txt."""

    guid: str
    name: str
    text: str
    selections: tuple[ExportSelection, ...]

    @property
    def member(self) -> str:
        """The archive member that holds the text."""
        return f"sources/{self.guid}.txt"


@dataclass(frozen=True)
class ExportNote:
    """A note (memo): an editors' rationale, by the site's editors (the project's one user)."""

    guid: str
    name: str
    text: str


@dataclass(frozen=True)
class ExportProject:
    """The whole export: the project's name (the site's title), the tool that wrote it, a
    description, its one user (the site's editors), codes, text sources and notes."""

    name: str
    origin: str
    description: str | None
    user: str
    codes: tuple[ExportCode, ...]
    sources: tuple[ExportSource, ...]
    notes: tuple[ExportNote, ...]
