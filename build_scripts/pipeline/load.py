"""Load stage: read content/*.yaml (safe YAML, with source positions) and bib/*.bib (bibtex.py)
into plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from build_scripts.pipeline.bibtex import BibEntry, parse_bib
from build_scripts.pipeline.problems import Problem
from build_scripts.pipeline.remember import Remember, recompute, text_key
from build_scripts.pipeline.text_files import MAX_FILE_BYTES, Position, read_text

# The folder of the studies' source texts (plain UTF-8), which quotations are checked against.
SOURCES_FOLDER = "sources"

MAX_NODES = 1_000_000
# Characters of text a file may expand to, aliases repeated: what the largest file may hold.
MAX_EXPANDED = MAX_FILE_BYTES
# Content nests a handful of levels (a study's timeline events are five deep); the bound keeps
# every later stage, and the parser, far from Python's stack limit.
MAX_DEPTH = 64

Key = tuple[str | int, ...]


@dataclass
class YamlFile:
    """One content file: its data and where each value and key stands in it."""

    path: str
    data: Any
    values: dict[Key, Position] = field(default_factory=dict)
    keys: dict[Key, Position] = field(default_factory=dict)
    # remember.text_key of the text it was read from: names what checks of it depend on.
    key: str = ""
    # The lines of the file's text, and the last line of each scalar value (a block scalar's
    # text runs over several): where a problem inside a value is placed (place_of).
    lines: list[str] = field(default_factory=list)
    ends: dict[Key, int] = field(default_factory=dict)

    def position(self, key: Key) -> Position:
        """The closest known position of a value, walking up to its parents."""
        for end in range(len(key), -1, -1):
            if key[:end] in self.values:
                return self.values[key[:end]]
        return (1, 1)

    def key_position(self, key: Key) -> Position:
        """Where the mapping key of a value stands (falls back to the value)."""
        return self.keys.get(key) or self.position(key)

    def place_of(self, key: Key, needle: str) -> Position:
        """Where needle first stands in the value at key as the file writes it: on its own line
        inside a folded or literal block; the value's place when the file does not write it so
        (an escape, a line break inside it)."""
        start = self.position(key)
        end = self.ends.get(key, start[0])
        for number in range(start[0], min(end, len(self.lines)) + 1):
            skip = start[1] - 1 if number == start[0] else 0
            column = self.lines[number - 1].find(needle, skip) if needle else -1
            if column >= 0:
                return (number, column + 1)
        return start


@dataclass
class RawProject:
    """Everything read from disk, before validation."""

    files: list[YamlFile]
    bib: list[BibEntry]
    problems: list[Problem]
    # The source texts under sources/ (what studies' quotations are checked against), by path.
    sources: dict[str, str] = field(default_factory=dict)


class _Budget:
    """Bounds the work of turning a YAML node graph into data, and the data's size: an alias
    repeats what it names, so a small file can expand to a great deal (alias bombs)."""

    def __init__(self) -> None:
        self.nodes = 0
        self.characters = 0


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


def load_project(root: Path, remember: Remember = recompute) -> RawProject:
    """Read every content and bibliography file under root; collect problems, never raise.
    Each file is parsed through `remember`, under a key of its path and text."""
    problems: list[Problem] = []
    files = []
    for path in sorted((root / "content").rglob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        text = read_text(path, rel, problems, root)
        if text is not None:
            loaded, found = remember(text_key("yaml", rel, text), parse_yaml, rel, text)
            problems.extend(found)
            if loaded is not None:
                files.append(loaded)
    bib: list[BibEntry] = []
    for path in sorted((root / "bib").glob("*.bib")):
        rel = path.relative_to(root).as_posix()
        text = read_text(path, rel, problems, root)
        if text is not None:
            entries, found = remember(text_key("bib", rel, text), parse_bib, rel, text)
            problems.extend(found)
            bib.extend(entries)
    sources = {}
    for path in sorted((root / SOURCES_FOLDER).glob("*.txt")):
        rel = path.relative_to(root).as_posix()
        text = read_text(path, rel, problems, root)
        if text is not None:
            sources[rel] = text
    return RawProject(files=files, bib=bib, problems=problems, sources=sources)


def load_yaml_file(path: Path, root: Path, problems: list[Problem]) -> YamlFile | None:
    """Parse one YAML file safely, keeping positions and rejecting duplicate keys."""
    rel = path.relative_to(root).as_posix()
    text = read_text(path, rel, problems, root)
    if text is None:
        return None
    loaded, found = parse_yaml(rel, text)
    problems.extend(found)
    return loaded


def parse_yaml(rel: str, text: str) -> tuple[YamlFile | None, list[Problem]]:
    """The file at rel from its text (None when it does not parse), and its problems."""
    problems: list[Problem] = []
    try:
        node = _compose(text)
    except _TooDeep as err:
        return None, [_too_deep(rel, err)]
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        context = ""
        if err.context and err.context_mark and err.context_mark.line + 1 != line:
            context = f" ({err.context} that starts at line {err.context_mark.line + 1})"
        return None, [Problem(rel, line, column, f"YAML syntax error: {err.problem}{context}")]
    except yaml.YAMLError as err:
        return None, [Problem(rel, 1, 1, f"YAML error: {err}")]
    if node is None:
        return None, [Problem(rel, 1, 1, "file is empty")]
    loaded = YamlFile(path=rel, data=None, key=text_key("yaml", rel, text), lines=text.splitlines())
    try:
        loaded.data = _to_data(node, (), loaded, problems, _Budget())
    except _TooDeep as err:
        return None, [*problems, _too_deep(rel, err)]
    except _TooLarge:
        message = (
            f"YAML expands to over {MAX_NODES:,} values or {MAX_EXPANDED:,} characters "
            "(its aliases repeat what they name); write the text out once"
        )
        return None, [*problems, Problem(rel, 1, 1, message)]
    return loaded, problems


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
    out.ends[key] = node.end_mark.line + 1
    budget.characters += len(node.value)
    if budget.characters > MAX_EXPANDED:
        raise _TooLarge
    problem = _scalar_problem(node)
    if problem:
        problems.append(Problem(out.path, *out.values[key], problem))
        return None
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
        problem = _scalar_problem(key_node)
        if problem:
            problems.append(Problem(out.path, line, column, problem))
            continue
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


_NUMBERS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_CONSTRUCT = yaml.SafeLoader("")
_SCALARS = {
    "tag:yaml.org,2002:null": _CONSTRUCT.construct_yaml_null,
    "tag:yaml.org,2002:bool": _CONSTRUCT.construct_yaml_bool,
    "tag:yaml.org,2002:int": _CONSTRUCT.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCT.construct_yaml_float,
}


MAX_DIGITS = 100


def _scalar_problem(node: yaml.ScalarNode) -> str | None:
    """What makes a scalar unusable as content, or None: a lone surrogate (a YAML escape such
    as "\\ud800" makes one; no UTF-8 page can hold it) or a number too long to be one."""
    text = str(node.value)
    bad = next((c for c in text if "\ud800" <= c <= "\udfff"), None)
    if bad is not None:
        return (
            f"holds a lone surrogate ({ascii(bad)[1:-1]}), which no UTF-8 text can hold; "
            "write the character itself"
        )
    if node.tag in _NUMBERS and len(text) > MAX_DIGITS:
        return (
            f"a number of {len(text):,} characters; the limit is {MAX_DIGITS} (put text in quotes)"
        )
    return None


def _scalar(node: yaml.ScalarNode) -> Any:
    """Resolve a scalar as safe loading does, but keep dates (and unknown tags) as text."""
    construct = _SCALARS.get(node.tag)
    return construct(node) if construct else str(node.value)
