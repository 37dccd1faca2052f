"""A generative test (issue 29): every value of a corpus with every field of the schema filled in
is replaced, one at a time, by a value of each other type and by hostile text (control
characters, a forged CI annotation, a lone surrogate, a long text). Validation never raises; it
reports each at a place in a content file, one problem a line, or the content validates and
renders its pages."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count
from pathlib import Path
from typing import Any

import pytest

from build_scripts.build import generate
from tests.hostile import Trial, completed_corpus

# A value of each type YAML gives (no two of one type), and hostile strings.
OTHER_TYPES: list[Any] = [7, 2.5, True, None, "text", ["x"], {"x": 1}]
HOSTILE_TEXT = [
    "\x1b[31mred\x1b[0m\n::error file=x::forged\r\x07",
    "lone \ud800 surrogate",
    "x" * 200_000,
]
Place = tuple[str | int, ...]


def places(data: Any, at: Place = ()) -> Iterator[Place]:
    """The place of every value in a file's data, the file's top level left out."""
    if at:
        yield at
    if isinstance(data, dict):
        for name, value in data.items():
            yield from places(value, (*at, name))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from places(value, (*at, index))


def _get(data: Any, at: Place) -> Any:
    for part in at:
        data = data[part]
    return data


def _set(data: Any, at: Place, value: Any) -> None:
    _get(data, at[:-1])[at[-1]] = value


def _replacements(original: Any) -> list[Any]:
    """Values of every type other than the original's, and for text hostile text."""
    kind = type(original)
    others = [v for v in OTHER_TYPES if type(v) is not kind]
    return others + HOSTILE_TEXT if isinstance(original, str) else others


@pytest.fixture(scope="module")
def trial(tmp_path_factory: pytest.TempPathFactory) -> Trial:
    return completed_corpus(tmp_path_factory.mktemp("generated") / "mini", count(1))


def test_every_value_of_every_type_is_reported_at_a_place_or_renders(trial: Trial) -> None:
    files = {path.relative_to(trial.root).as_posix() for path in trial.texts()}
    tried = rendered = 0
    failures: list[str] = []
    for path, data in trial.files.items():
        name = path.relative_to(trial.root).as_posix()
        for at in list(places(data)):
            original = _get(data, at)
            for value in _replacements(original):
                _set(data, at, value)
                tried += 1
                case = f"{name} {list(at)} = {str(value)[:40]!r}"
                try:
                    problems = trial.problems()
                    if not problems:
                        generate(trial.root)
                        rendered += 1
                except Exception as error:  # noqa: BLE001 - any exception is the finding
                    failures.append(f"{case}: {type(error).__name__}: {error}"[:300])
                else:
                    for problem in problems:
                        text = str(problem)
                        if problem.path not in files or problem.line < 1 or "\n" in text:
                            failures.append(f"{case}: misplaced or split: {text[:200]!r}")
                finally:
                    _set(data, at, original)
    assert trial.valid()
    assert tried > 1000 and rendered > 50
    assert failures == [], f"{len(failures)} of {tried}:\n" + "\n".join(failures[:40])


def test_a_place_is_every_value_of_the_file(tmp_path: Path) -> None:
    data = {"a": [{"b": 1}, 2], "c": "x"}
    assert list(places(data)) == [("a",), ("a", 0), ("a", 0, "b"), ("a", 1), ("c",)]
