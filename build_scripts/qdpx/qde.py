"""project.qde, the XML of a REFI-QDA project, parsed safely into elements that know their line
and column. expat parses it (the standard library's XML parser) with every document type
declaration refused: a REFI-QDA project needs none, and without one no entity can expand (the
"billion laughs") and no external entity can be fetched, which is what defusedxml would guard
against, with no dependency added. Depth and element count are bounded."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from build_scripts.pipeline.problems import Problem

NAMESPACE = "urn:QDA-XML:project:1.0"
MAX_DEPTH = 200
MAX_ELEMENTS = 2_000_000


@dataclass
class Element:
    """One XML element: its local name (`ns` names its namespace), its attributes, its text
    (character data directly inside it) and children, and where it starts (line, column from 1)."""

    name: str
    ns: str
    attributes: dict[str, str]
    line: int
    column: int
    children: list[Element] = field(default_factory=list)
    text: str = ""

    def all(self, name: str) -> Iterator[Element]:
        """The children of the project's namespace with this local name, in order."""
        return (c for c in self.children if c.name == name and c.ns == NAMESPACE)

    def first(self, name: str) -> Element | None:
        """The first child of the project's namespace with this local name."""
        return next(self.all(name), None)

    def walk(self) -> Iterator[tuple[Element | None, Element]]:
        """(parent, element) for this element and every one inside it, in document order."""
        stack: list[tuple[Element | None, Element]] = [(None, self)]
        while stack:
            parent, element = stack.pop()
            yield parent, element
            stack.extend((element, c) for c in reversed(element.children))


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Builder:
    """Builds the elements from expat's events, within the bounds."""

    def __init__(self, parser: expat.XMLParserType) -> None:
        self.parser = parser
        self.stack: list[Element] = []
        self.root: Element | None = None
        self.count = 0

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.count += 1
        if self.count > MAX_ELEMENTS or len(self.stack) >= MAX_DEPTH:
            raise _Refused(f"over {MAX_ELEMENTS:,} elements or {MAX_DEPTH} levels deep")
        ns, _, name = tag.rpartition(" ")
        line, column = self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1
        element = Element(
            name, ns, {k.rpartition(" ")[2]: v for k, v in attributes.items()}, line, column
        )
        if self.stack:
            self.stack[-1].children.append(element)
        else:
            self.root = element
        self.stack.append(element)

    def end(self, tag: str) -> None:
        self.stack.pop()

    def characters(self, data: str) -> None:
        if self.stack:
            self.stack[-1].text += data


def _refuse_doctype(*_: object) -> None:
    raise _Refused("has a document type declaration (<!DOCTYPE …>); a REFI-QDA project has none")


def parse_qde(data: bytes, shown: str) -> tuple[Element | None, list[Problem]]:
    """The root element of project.qde (shown in messages as `shown`), or None and the problem:
    XML that is not well formed, a DOCTYPE, or a root other than the project's <Project>."""
    parser = expat.ParserCreate(namespace_separator=" ")
    builder = _Builder(parser)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.characters
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as err:
        message = f"XML is not well formed: {expat.errors.messages[err.code]}"
        return None, [Problem(shown, err.lineno, err.offset + 1, message)]
    except _Refused as err:
        line, column = parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        return None, [Problem(shown, line, column, f"refused: the XML {err.message}")]
    root = builder.root
    if root is None or root.name != "Project" or root.ns != NAMESPACE:
        found = f"<{root.name}> in namespace '{root.ns}'" if root else "nothing"
        message = (
            f"not a REFI-QDA project: expected <Project> in namespace '{NAMESPACE}', found {found}"
        )
        return None, [Problem(shown, root.line if root else 1, root.column if root else 1, message)]
    return root, []
