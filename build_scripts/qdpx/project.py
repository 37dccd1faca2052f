"""What a REFI-QDA project says, read from its elements: the codebook (codes nest), the text
sources with their plain text, and each coded selection with its codes. Every mistake is a
problem naming the element (a selection's offsets outside its text, a code reference to no
code, a text the archive does not hold); a source that is not text (PDF, picture, audio, video)
is skipped with a note. Offsets are character offsets: Python's string indices (code points)
into the plain text as decoded from UTF-8."""

from __future__ import annotations

from dataclasses import dataclass, field

from build_scripts.pipeline.problems import Problem
from build_scripts.qdpx.qde import Element
from build_scripts.qdpx.read import Archive

NOT_TEXT = {
    "PDFSource": "a PDF",
    "PictureSource": "a picture",
    "AudioSource": "an audio recording",
    "VideoSource": "a video",
}


@dataclass(frozen=True)
class Code:
    """A code of the codebook: `path` is its name and its ancestors', outermost first;
    `parent` its parent's guid ("" at the top)."""

    guid: str
    name: str
    path: tuple[str, ...]
    description: str
    parent: str


@dataclass(frozen=True)
class Selection:
    """A coded PlainTextSelection: [start, end) of its source's text, its codes (guids, in
    the file's order), and where its element stands in project.qde."""

    guid: str
    name: str
    start: int
    end: int
    codes: tuple[str, ...]
    description: str
    line: int
    column: int


@dataclass(frozen=True)
class TextSource:
    """A TextSource: its name (its `name`, else its text file's name), its plain text and its
    coded selections."""

    guid: str
    name: str
    text: str
    selections: tuple[Selection, ...]


@dataclass
class QdaProject:
    """The project as read: its tool (`origin`), name, codes in codebook order, text sources,
    memos (name, text), and notes on what was skipped."""

    origin: str
    name: str
    codes: list[Code] = field(default_factory=list)
    sources: list[TextSource] = field(default_factory=list)
    memos: list[tuple[str, str]] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


def read_project(root: Element, archive: Archive) -> tuple[QdaProject, list[Problem]]:
    """The project of a parsed project.qde and its archive's members; every problem found."""
    where = f"{archive.shown}/project.qde"
    project = QdaProject(root.attributes.get("origin", ""), root.attributes.get("name", ""))
    problems: list[Problem] = []
    codebook = root.first("CodeBook")
    codes = codebook.first("Codes") if codebook else None
    if codes is not None:
        _read_codes(codes, ("", ()), project.codes, set(), where, problems)
    known = {code.guid for code in project.codes}
    for parent, element in root.walk():
        if element.name == "PlainTextSelection" and (parent is None or parent.name != "TextSource"):
            message = (
                "a PlainTextSelection outside any TextSource: a selection must be in its source"
            )
            problems.append(Problem(where, element.line, element.column, message))
    sources = root.first("Sources")
    for element in sources.children if sources else []:
        if element.name in NOT_TEXT:
            project.notes.append(_skipped(element, NOT_TEXT[element.name], where))
        elif element.name == "TextSource":
            text = _plain_text(element, archive, where, problems)
            if text is not None:
                source = _text_source(element, text, known, where, problems, project.notes)
                if source is not None:
                    project.sources.append(source)
    notes = root.first("Notes")
    for note in notes.all("Note") if notes else []:
        content = note.first("PlainTextContent")
        project.memos.append((note.attributes.get("name", ""), content.text if content else ""))
    return project, problems


def _read_codes(
    parent: Element,
    above: tuple[str, tuple[str, ...]],
    out: list[Code],
    guids: set[str],
    where: str,
    problems: list[Problem],
) -> None:
    """The codes inside parent and inside them; `above`: the parent code's guid and path;
    `guids`: those of the codes read so far."""
    for element in parent.all("Code"):
        guid, name = element.attributes.get("guid", ""), element.attributes.get("name", "")
        if not guid or not name.strip() or guid in guids:
            why = (
                "a second Code with the guid"
                if guid in guids
                else "a Code without its guid or name"
            )
            message = f"{why} '{guid}'; every code needs a name and a guid of its own"
            problems.append(Problem(where, element.line, element.column, message))
            continue
        guids.add(guid)
        description = element.first("Description")
        path = (*above[1], name)
        out.append(Code(guid, name, path, description.text if description else "", above[0]))
        _read_codes(element, (guid, path), out, guids, where, problems)


def _skipped(element: Element, kind: str, where: str) -> Problem:
    name = element.attributes.get("name", element.attributes.get("guid", ""))
    message = (
        f"skipped {element.name} '{name}', {kind}: the site quotes text only "
        "(its selections are not imported)"
    )
    return Problem(where, element.line, element.column, message, severity="note")


def _plain_text(
    element: Element, archive: Archive, where: str, problems: list[Problem]
) -> str | None:
    """The text of a TextSource: its PlainTextContent, else the file its plainTextPath names
    (`internal://name` or a path under sources/), decoded from UTF-8."""
    content = element.first("PlainTextContent")
    if content is not None:
        return content.text
    path = element.attributes.get("plainTextPath", "")
    member = path.removeprefix("internal://")
    member = member if member.startswith("sources/") else f"sources/{member}"
    if not path or "://" in member or member not in archive.members:
        holds = (
            "names no text"
            if not path
            else f"names its text '{path}', which the .qdpx does not hold"
        )
        message = f"TextSource '{_name_of(element)}' {holds}; export the project with its sources"
        problems.append(Problem(where, element.line, element.column, message))
        return None
    try:
        return archive.members[member].decode("utf-8-sig")
    except UnicodeDecodeError as err:
        message = f"the text of TextSource '{_name_of(element)}' ({member}) is not UTF-8 (byte offset {err.start})"
        problems.append(Problem(where, element.line, element.column, message))
        return None


def _name_of(element: Element) -> str:
    name = element.attributes.get("name", "").strip()
    if name:
        return name
    path = element.attributes.get("plainTextPath", "").rsplit("/", 1)[-1]
    return path.rsplit(".", 1)[0] or element.attributes.get("guid", "")


def _text_source(
    element: Element,
    text: str,
    known: set[str],
    where: str,
    problems: list[Problem],
    notes: list[Problem],
) -> TextSource | None:
    name = _name_of(element)
    selections = []
    for selection in element.all("PlainTextSelection"):
        read = _selection(selection, name, text, known, where, problems)
        if read is not None and read.codes:
            selections.append(read)
        elif read is not None:
            message = f"skipped selection '{read.name or read.guid}' of '{name}': it has no code"
            notes.append(Problem(where, selection.line, selection.column, message, severity="note"))
    if not text.strip() and not selections:
        message = f"skipped TextSource '{name}': its plain text is empty"
        notes.append(Problem(where, element.line, element.column, message, severity="note"))
        return None
    return TextSource(element.attributes.get("guid", ""), name, text, tuple(selections))


def _selection(
    element: Element, source: str, text: str, known: set[str], where: str, problems: list[Problem]
) -> Selection | None:
    attributes = element.attributes
    label = f"selection '{attributes.get('name') or attributes.get('guid', '')}' of '{source}'"
    start, end = _offset(attributes.get("startPosition")), _offset(attributes.get("endPosition"))
    message = None
    if start is None or end is None:
        message = f"{label}: startPosition and endPosition must be whole numbers from 0"
    elif not start < end <= len(text):
        message = (
            f"{label}: offsets {start}–{end} are outside its text, which has {len(text):,} "
            "characters (start before end, both within the text)"
        )
    codes = []
    for coding in element.all("Coding"):
        ref = coding.first("CodeRef")
        target = ref.attributes.get("targetGUID", "") if ref is not None else ""
        if target not in known:
            place = ref or coding
            problems.append(
                Problem(
                    where,
                    place.line,
                    place.column,
                    f"{label}: its code '{target}' is not in the codebook",
                )
            )
        codes.append(target)
    if message is not None:
        problems.append(Problem(where, element.line, element.column, message))
        return None
    assert start is not None and end is not None
    if not text[start:end].strip():
        message = f"{label}: offsets {start}–{end} select only white space in its text"
        problems.append(Problem(where, element.line, element.column, message))
        return None
    description = element.first("Description")
    return Selection(
        attributes.get("guid", ""),
        attributes.get("name", ""),
        start,
        end,
        tuple(dict.fromkeys(codes)),
        description.text if description else "",
        element.line,
        element.column,
    )


def _offset(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit() or not value.strip().isascii():
        return None
    return int(value)
