"""The content schema and the small helpers every check uses to word its messages."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from build_scripts.folders import SCHEMAS
from build_scripts.pipeline.load import Key

SCHEMA_PATH = SCHEMAS / "content.schema.json"


class ContentSchema:
    """The JSON Schema content files are checked against (also used by editors), as a value the
    stages are given, with what is worked out from it once: its validator, its nodes with
    references followed, and where each kind's prose is (pipeline.kinds.prose_paths). Two
    schemas of the same data are equal."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.text = json.dumps(data, sort_keys=True)
        self._validator: jsonschema.Draft202012Validator | None = None
        self._prose: dict[str, tuple[tuple[str, ...], ...]] = {}

    @classmethod
    def read(cls, path: Path) -> ContentSchema:
        """The schema in the JSON file at path."""
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ContentSchema) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """A schema node with its `#/$defs/...` references followed."""
        while "$ref" in node:
            node = self.data["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        return node

    def validator(self) -> jsonschema.Draft202012Validator:
        """The validator of content files (ContentValidator), built once, with local `$ref`s
        already replaced by what they point at: jsonschema then does no reference lookup
        (errors and messages are the same)."""
        if self._validator is None:
            defs = self.data["$defs"]
            inlined = {key: _inline(value, defs, ()) for key, value in self.data.items()}
            self._validator = ContentValidator(inlined)
        return self._validator

    def prose_paths(self, plural: str) -> tuple[tuple[str, ...], ...]:
        """The prose fields of one item of a content list (e.g. 'findings'), in schema order:
        each a path of field names ('*' for every item of a list)."""
        if plural not in self._prose:
            items = self.data["properties"][plural]["items"]
            self._prose[plural] = tuple(_prose_paths(self, items, (), frozenset()))
        return self._prose[plural]


def _is_prose(schema: ContentSchema, node: dict[str, Any]) -> bool:
    """Whether a node is Markdown prose (where citations and links live)."""
    return schema.resolve(node).get("contentMediaType") == "text/markdown"


def _prose_paths(
    schema: ContentSchema, node: dict[str, Any], path: tuple[str, ...], seen: frozenset[str]
) -> Iterator[tuple[str, ...]]:
    if _is_prose(schema, node):
        yield path
        return
    name = node.get("$ref", "").rsplit("/", 1)[-1]
    if name in seen:  # a recursive definition holds no prose of its own
        return
    resolved = schema.resolve(node)
    inner = seen | {name} if name else seen
    if resolved.get("type") == "array" and "items" in resolved:
        yield from _prose_paths(schema, resolved["items"], (*path, "*"), inner)
    for field, sub in resolved.get("properties", {}).items():
        yield from _prose_paths(schema, sub, (*path, field), inner)


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


CONTENT_SCHEMA = ContentSchema.read(SCHEMA_PATH)
