"""Values marked for the editors: a draft (an import from a QDA tool) writes what its file
cannot say — a speaker's role, a finding's statement — as a text that starts with EDITORS_MARK
and says what to fill in, never as an invented value. Every such value is an error at its
place until an editor replaces it, and the only error there: its field's other checks (an id's
pattern, an unknown reference) would only repeat that it is not filled in yet."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from build_scripts.pipeline.kinds import KINDS
from build_scripts.pipeline.load import Key, YamlFile
from build_scripts.pipeline.problems import Problem

EDITORS_MARK = "TODO(editors): "
SINGULAR = {kind.plural: kind.name.replace("_", " ") for kind in KINDS}


def marked(what: str) -> str:
    """The value of a field the editors must fill in, saying what to write there."""
    return EDITORS_MARK + what


def check_marks(files: list[YamlFile]) -> list[Problem]:
    """Every value marked for the editors, at its line and column, with what to fill in."""
    problems = []
    for file in files:
        for key, value in _strings(file.data, ()):
            if value.startswith(EDITORS_MARK):
                line, column = file.position(key)
                what = value[len(EDITORS_MARK) :]
                message = (
                    f"field '{_field(key)}'{_owner(file, key)} is marked for the editors: {what}"
                )
                problems.append(Problem(file.path, line, column, message))
    return problems


def unmarked(problems: list[Problem], marks: list[Problem]) -> list[Problem]:
    """problems less those at a marked value's place (a mark says it first and best)."""
    places = {(p.path, p.line, p.column) for p in marks}
    return [p for p in problems if (p.path, p.line, p.column) not in places]


def _strings(data: Any, key: Key) -> Iterator[tuple[Key, str]]:
    if isinstance(data, str):
        yield key, data
    elif isinstance(data, dict):
        for name, value in data.items():
            yield from _strings(value, (*key, name))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*key, index))


def _field(key: Key) -> str:
    names = [str(part) for part in key[2:] if isinstance(part, str)]
    return ".".join(names) or str(key[-1] if key else "")


def item_of(file: YamlFile, key: Key) -> str:
    """' in finding 'x'' for a key inside a collection's item, else ''."""
    if len(key) >= 2 and key[0] in SINGULAR and isinstance(key[1], int):
        item = file.data[key[0]][key[1]]
        ident = item.get("id") if isinstance(item, dict) else None
        label = f" '{ident}'" if isinstance(ident, str) else f" #{key[1] + 1}"
        return f" in {SINGULAR[str(key[0])]}{label}"
    return ""


def _owner(file: YamlFile, key: Key) -> str:
    """item_of, or ' of the site' for a value of the site's settings."""
    return " of the site" if key and key[0] == "site" else item_of(file, key)
