"""An export (qdpx.exported) as project.qde: XML of the REFI-QDA Project schema, written by
ElementTree's serializer, so that every value from content is text (`<`, `&`, quotes, `]]>`
escaped), never markup. Elements and attributes follow the schema's order (its xs:sequence
order is binding); an element the schema requires to hold one child or more is left out when
it would hold none. The same export gives the same bytes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from build_scripts.qdpx.exported import (
    ExportCode,
    ExportCoding,
    ExportProject,
    ExportSelection,
    ExportSource,
)
from build_scripts.qdpx.qde import NAMESPACE

EDITORS = "the site's editors"


def _add(parent: ET.Element, tag: str, /, **attributes: str) -> ET.Element:
    """A child of parent (in the root's default namespace); attributes in the order given."""
    return ET.SubElement(parent, tag, attributes)


def _add_text(parent: ET.Element, tag: str, text: str | None) -> None:
    """A child that holds text, when there is text."""
    if text is not None:
        _add(parent, tag).text = text


def qde_bytes(project: ExportProject) -> bytes:
    """project.qde of the export, UTF-8 with an XML declaration, indented."""
    # The namespace is declared as the root's default: ElementTree's own default_namespace
    # refuses the schema's unqualified attributes.
    attributes = {"name": project.name, "origin": project.origin}
    root = ET.Element(
        "Project", {"xmlns": NAMESPACE, **attributes, "creatingUserGUID": project.user}
    )
    _add(_add(root, "Users"), "User", guid=project.user, name=EDITORS)
    if project.codes:
        codes = _add(_add(root, "CodeBook"), "Codes")
        for code in project.codes:
            _code(codes, code)
    if project.sources:
        sources = _add(root, "Sources")
        for source in project.sources:
            _source(sources, source)
    if project.notes:
        notes = _add(root, "Notes")
        for note in project.notes:
            element = _add(notes, "Note", guid=note.guid, name=note.name, creatingUser=project.user)
            _add_text(element, "PlainTextContent", note.text)
    _add_text(root, "Description", project.description)
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _code(parent: ET.Element, code: ExportCode) -> None:
    # CodeType: Description?, NoteRef*, Code*; guid, name, isCodable.
    element = _add(
        parent, "Code", guid=code.guid, name=code.name, isCodable=str(code.codable).lower()
    )
    _add_text(element, "Description", code.description)
    _note_refs(element, code.notes)
    for child in code.children:
        _code(element, child)


def _source(parent: ET.Element, source: ExportSource) -> None:
    # TextSourceType: Description?, PlainTextContent?, PlainTextSelection*, …; its text in the
    # archive (plainTextPath), not both.
    element = _add(
        parent,
        "TextSource",
        guid=source.guid,
        name=source.name,
        plainTextPath=f"internal://{source.member.removeprefix('sources/')}",
    )
    for selection in source.selections:
        _selection(element, selection)


def _selection(parent: ET.Element, selection: ExportSelection) -> None:
    # PlainTextSelectionType: Description?, Coding*, NoteRef*.
    element = _add(
        parent,
        "PlainTextSelection",
        guid=selection.guid,
        name=selection.name,
        startPosition=str(selection.start),
        endPosition=str(selection.end),
    )
    _add_text(element, "Description", selection.description)
    for coding in selection.codings:
        _coding(element, coding)
    _note_refs(element, selection.notes)


def _coding(parent: ET.Element, coding: ExportCoding) -> None:
    # CodingType: CodeRef, NoteRef*.
    element = _add(parent, "Coding", guid=coding.guid)
    _add(element, "CodeRef", targetGUID=coding.code)
    _note_refs(element, coding.notes)


def _note_refs(parent: ET.Element, notes: tuple[str, ...]) -> None:
    for note in notes:
        _add(parent, "NoteRef", targetGUID=note)
