"""The content schema and the small helpers every check uses to word its messages."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from build_scripts.folders import SCHEMAS
from build_scripts.pipeline.load import Key

SCHEMA_PATH = SCHEMAS / "content.schema.json"
_schema_path = SCHEMA_PATH
# What is worked out from the schema once, forgotten when another schema is used.
_DERIVED: list[Callable[[], None]] = []


def derived_from_schema(clear: Callable[[], None]) -> None:
    """Register the `cache_clear` of something worked out from the content schema."""
    _DERIVED.append(clear)


def use_content_schema(path: Path) -> None:
    """Check and read content with the schema at path from now on (a copy that adds a field;
    SCHEMA_PATH again to go back): everything derived from the schema is worked out anew."""
    global _schema_path
    _schema_path = path
    for clear in [content_schema.cache_clear, content_validator.cache_clear, *_DERIVED]:
        clear()


@cache
def content_schema() -> dict[str, Any]:
    """The JSON Schema every content file is checked against (also used by editors)."""
    schema: dict[str, Any] = json.loads(_schema_path.read_text(encoding="utf-8"))
    return schema


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema node with its `#/$defs/...` references followed."""
    while "$ref" in schema:
        schema = content_schema()["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


# Keywords that only describe: a `$ref` beside nothing else validates as its target does.
ANNOTATIONS = frozenset({"title", "description", "$comment", "examples", "default"})


def _pattern_to_the_end(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[jsonschema.ValidationError]:
    """jsonschema's `pattern` keyword with `$` read as the end of the text, as in JSON Schema's
    regular expressions (Python's `$` also matches before a final newline: 'x\\n' would pass)."""
    if isinstance(instance, str) and not _compiled(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"(?<!\\)\$", r"\\Z", pattern))


# Draft 2020-12 with `pattern` as above.
ContentValidator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, {"pattern": _pattern_to_the_end}
)


@cache
def content_validator() -> jsonschema.Draft202012Validator:
    """The validator of content files (ContentValidator), built once, with local `$ref`s
    already replaced by what they point at: jsonschema then does no reference lookup (errors
    and messages are the same)."""
    schema = content_schema()
    inlined = {key: _inline(value, schema["$defs"], ()) for key, value in schema.items()}
    return ContentValidator(inlined)


def _inline(node: Any, defs: dict[str, Any], seen: tuple[str, ...]) -> Any:
    """A copy of a schema node with each `#/$defs/...` reference replaced by its target; a
    recursive reference, or one beside validating keywords, stays for jsonschema to follow."""
    if isinstance(node, list):
        return [_inline(item, defs, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    name = ref.removeprefix("#/$defs/") if isinstance(ref, str) else ""
    if name in defs and name not in seen and ANNOTATIONS.issuperset(set(node) - {"$ref"}):
        return _inline(defs[name], defs, (*seen, name))
    return {key: _inline(value, defs, seen) for key, value in node.items()}


def field_name(key: Key) -> str:
    names = [str(part) for part in key if isinstance(part, str)]
    return names[-1] if names else "(top level)"


def suggest(name: str, known: Any) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""
