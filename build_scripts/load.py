"""Load stage: read content/*.yaml and bib/*.bib into plain data with source positions."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bibtexparser
import yaml
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts

from build_scripts.bib_latex import latex_decoding_middleware
from build_scripts.problems import Problem

# bibtexparser logs each block it skips; we report those blocks as problems instead.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

MAX_FILE_BYTES = 5_000_000
MAX_NODES = 1_000_000
# Content nests a handful of levels (a study's timeline events are five deep) and BibTeX values
# a few braces; the bounds keep every later stage, and the parsers, far from Python's stack limit.
MAX_DEPTH = 64
MAX_BRACE_DEPTH = 32

Key = tuple[str | int, ...]
Position = tuple[int, int]


@dataclass
class YamlFile:
    """One content file: its data and where each value and key stands in it."""

    path: str
    data: Any
    values: dict[Key, Position] = field(default_factory=dict)
    keys: dict[Key, Position] = field(default_factory=dict)

    def position(self, key: Key) -> Position:
        """The closest known position of a value, walking up to its parents."""
        for end in range(len(key), -1, -1):
            if key[:end] in self.values:
                return self.values[key[:end]]
        return (1, 1)

    def key_position(self, key: Key) -> Position:
        """Where the mapping key of a value stands (falls back to the value)."""
        return self.keys.get(key) or self.position(key)


@dataclass(frozen=True)
class BibEntry:
    """A parsed BibTeX entry with its names split and LaTeX decoded."""

    key: str
    entry_type: str
    fields: dict[str, Any]
    path: str
    line: int
    places: dict[str, Position] = field(default_factory=dict, compare=False)

    def place(self, name: str) -> Position:
        """Where a field is written (line, column); the entry's start when not known."""
        return self.places.get(name, (self.line, 1))


@dataclass
class RawProject:
    """Everything read from disk, before validation."""

    files: list[YamlFile]
    bib: list[BibEntry]
    problems: list[Problem]


class _Budget:
    """Bounds the work of turning a YAML node graph into data (alias bombs)."""

    def __init__(self) -> None:
        self.nodes = 0


class _TooLarge(Exception):
    pass


class _TooDeep(Exception):
    def __init__(self, mark: Any) -> None:
        super().__init__()
        self.line: int = mark.line + 1 if mark else 1
        self.column: int = mark.column + 1 if mark else 1


def _too_deep(rel: str, err: _TooDeep) -> Problem:
    return Problem(
        rel,
        err.line,
        err.column,
        f"YAML nested over {MAX_DEPTH} levels deep here; content needs no more than a few",
    )


def load_project(root: Path) -> RawProject:
    """Read every content and bibliography file under root; collect problems, never raise."""
    problems: list[Problem] = []
    files = []
    for path in sorted((root / "content").rglob("*.yaml")):
        loaded = load_yaml_file(path, root, problems)
        if loaded is not None:
            files.append(loaded)
    bib: list[BibEntry] = []
    for path in sorted((root / "bib").glob("*.bib")):
        bib.extend(load_bib_file(path, root, problems))
    return RawProject(files=files, bib=bib, problems=problems)


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


def load_yaml_file(path: Path, root: Path, problems: list[Problem]) -> YamlFile | None:
    """Parse one YAML file safely, keeping positions and rejecting duplicate keys."""
    rel = path.relative_to(root).as_posix()
    text = read_text(path, rel, problems)
    if text is None:
        return None
    try:
        node = _compose(text)
    except _TooDeep as err:
        problems.append(_too_deep(rel, err))
        return None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        context = ""
        if err.context and err.context_mark and err.context_mark.line + 1 != line:
            context = f" ({err.context} that starts at line {err.context_mark.line + 1})"
        problems.append(Problem(rel, line, column, f"YAML syntax error: {err.problem}{context}"))
        return None
    except yaml.YAMLError as err:
        problems.append(Problem(rel, 1, 1, f"YAML error: {err}"))
        return None
    if node is None:
        problems.append(Problem(rel, 1, 1, "file is empty"))
        return None
    loaded = YamlFile(path=rel, data=None)
    try:
        loaded.data = _to_data(node, (), loaded, problems, _Budget())
    except _TooDeep as err:
        problems.append(_too_deep(rel, err))
        return None
    except _TooLarge:
        problems.append(
            Problem(rel, 1, 1, f"YAML expands to over {MAX_NODES:,} values (alias bomb?)")
        )
        return None
    return loaded


def _compose(text: str) -> yaml.Node | None:
    """Compose with libyaml when present (fast); errors are re-read by the pure-Python parser,
    whose messages say more (e.g. which character cannot start a token). Its composer recurses,
    so the nesting is measured first, on the event stream (which does not)."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    _check_depth(text)
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _check_depth(text: str) -> None:
    """Raise _TooDeep at the first collection nested deeper than MAX_DEPTH; syntax errors are
    left for the composer to report."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _TooDeep(event.start_mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return


def _to_data(
    node: yaml.Node, key: Key, out: YamlFile, problems: list[Problem], budget: _Budget
) -> Any:
    budget.nodes += 1
    if budget.nodes > MAX_NODES:
        raise _TooLarge
    if len(key) >= MAX_DEPTH and not isinstance(node, yaml.ScalarNode):
        raise _TooDeep(node.start_mark)
    out.values[key] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        return _mapping(node, key, out, problems, budget)
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_data(item, (*key, i), out, problems, budget) for i, item in enumerate(node.value)
        ]
    assert isinstance(node, yaml.ScalarNode)
    return _scalar(node)


def _mapping(
    node: yaml.MappingNode, key: Key, out: YamlFile, problems: list[Problem], budget: _Budget
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            problems.append(Problem(out.path, line, column, "keys must be plain names"))
            continue
        name = str(key_node.value)
        if name in result:
            first = out.keys[(*key, name)]
            problems.append(
                Problem(
                    out.path,
                    line,
                    column,
                    f"duplicate key '{name}' (first at line {first[0]}); "
                    "YAML would silently keep only the last one",
                )
            )
            continue
        out.keys[(*key, name)] = (line, column)
        result[name] = _to_data(value_node, (*key, name), out, problems, budget)
    return result


_CONSTRUCT = yaml.SafeLoader("")
_SCALARS = {
    "tag:yaml.org,2002:null": _CONSTRUCT.construct_yaml_null,
    "tag:yaml.org,2002:bool": _CONSTRUCT.construct_yaml_bool,
    "tag:yaml.org,2002:int": _CONSTRUCT.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCT.construct_yaml_float,
}


def _scalar(node: yaml.ScalarNode) -> Any:
    """Resolve a scalar as safe loading does, but keep dates (and unknown tags) as text."""
    construct = _SCALARS.get(node.tag)
    return construct(node) if construct else str(node.value)


def load_bib_file(path: Path, root: Path, problems: list[Problem]) -> list[BibEntry]:
    """Parse a BibTeX file; every block the parser skipped becomes a problem with its line."""
    rel = path.relative_to(root).as_posix()
    text = read_text(path, rel, problems)
    if text is None:
        return []
    too_deep = _deep_brace(text)
    if too_deep is not None:
        message = f"braces nested over {MAX_BRACE_DEPTH} levels deep here; BibTeX needs a few"
        problems.append(Problem(rel, *too_deep, message))
        return []
    library = bibtexparser.parse_string(  # type: ignore[attr-defined]
        text, append_middleware=[latex_decoding_middleware(), SeparateCoAuthors(), SplitNameParts()]
    )
    for number, line in enumerate(text.splitlines(), start=1):
        found = re.search(r"(?<!\\)&", line)
        if found and not line.lstrip().startswith("%"):
            problems.append(
                Problem(
                    rel,
                    number,
                    found.start() + 1,
                    "unescaped '&' (LaTeX drops it, so the text would lose it); write \\&",
                )
            )
    for block in library.failed_blocks:
        problems.append(Problem(rel, (block.start_line or 0) + 1, 1, _failed_block_message(block)))
    lines = text.splitlines()
    return [
        BibEntry(
            key=entry.key,
            entry_type=entry.entry_type.lower(),
            fields={f.key.lower(): f.value for f in entry.fields},
            path=rel,
            line=(entry.start_line or 0) + 1,
            places={f.key.lower(): _field_place(lines, f) for f in entry.fields},
        )
        for entry in library.entries
    ]


def _field_place(lines: list[str], found: Any) -> Position:
    """The line and column where a parsed field's name stands."""
    line = (found.start_line or 0) + 1
    text = lines[line - 1] if line <= len(lines) else ""
    return (line, max(text.lower().find(found.key.lower()), 0) + 1)


def bib_aliases(fields: dict[str, Any]) -> tuple[str, ...]:
    """The earlier keys of an entry: biblatex's `ids` field, a comma-separated list."""
    return tuple(key.strip() for key in str(fields.get("ids", "")).split(",") if key.strip())


_BRACE = re.compile(r"\\[^\n]|[{}\n]")


def _deep_brace(text: str) -> Position | None:
    """Where braces first nest deeper than MAX_BRACE_DEPTH (LaTeX decoding recurses into
    each group), as (line, column); None when they never do. Escaped braces do not count."""
    depth, line, line_start = 0, 1, 0
    for found in _BRACE.finditer(text):
        char = found.group()
        if char == "\n":
            line, line_start = line + 1, found.end()
        elif char == "{":
            depth += 1
            if depth > MAX_BRACE_DEPTH:
                return (line, found.start() - line_start + 1)
        elif char == "}":
            depth = max(depth - 1, 0)
    return None


def _failed_block_message(block: Any) -> str:
    if type(block).__name__ == "DuplicateBlockKeyBlock":
        return f"duplicate BibTeX key '{block.key}'"
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", None) or str(error or "").strip() or "unknown reason"
    return f"BibTeX entry does not parse: {reason.strip()} (unbalanced braces or a missing comma?)"
