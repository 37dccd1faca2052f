"""Checks of prose fields: their citations and their links (only http(s), mailto and the site's own)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from build_scripts.pipeline.citations import parse_citations
from build_scripts.pipeline.load import Key, RawProject, YamlFile
from build_scripts.pipeline.problems import Problem
from build_scripts.pipeline.remember import Remember, recompute
from build_scripts.pipeline.schema_info import (
    CONTENT_SCHEMA,
    ContentSchema,
    field_name,
    suggest,
)
from build_scripts.pipeline.unit_links import FOLDER_SCHEMES, SCHEMES, unit_of

# The '[' a prose field may hold: on a page, each unclosed one makes Markdown scan to the end of
# its paragraph.
MAX_BRACKETS = 50
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
SAFE_SCHEMES = ("http", "https", "mailto")
_NEUTRAL = {ord("&"): "&amp;", ord("<"): "&lt;", ord("{"): "&#123;"}
# What a browser drops from a URL before it reads the scheme: leading spaces and controls, and
# tabs and line ends anywhere.
_URL_IGNORED = re.compile(r"^[\x00-\x20]+|[\t\n\r]")
# Where an inline link's or image's target starts, and the target up to its closing parenthesis.
_INLINE_TARGET = re.compile(r"\]\s*\(([^)]*)")
# A reference definition anywhere, indented or not, its target on the same line or the next.
_DEFINITION = re.compile(r"^[ \t]*\[[^\]\n]+\]:[ \t]*\n?[ \t]*([^\s]+)", re.MULTILINE)


def neutralise(text: str) -> str:
    """Prose as the pages' Markdown holds it: raw HTML, character references and attribute lists
    (`{ onclick=... }`, which mkdocs' attr_list would apply) shown as written, never as markup."""
    return text.translate(_NEUTRAL)


def link_targets(text: str) -> list[str]:
    """Every link and image target a prose text can make on a page, as a browser reads it: the
    target after each `](` (white space allowed around the parenthesis) and each reference
    definition (`[r]: target`), used or not, indented or not. A page places a field in a
    context of its own (indented in a list item or an admonition, joined onto one line, beside
    other fields that may use its definitions), so the text is not read as Markdown alone would
    read it but for every place a target can start: a superset of what any context makes, in
    one linear pass (Markdown's own link scan is quadratic in unclosed brackets)."""
    found = [m.group(1) for m in _INLINE_TARGET.finditer(text)]
    found += [m.group(1) for m in _DEFINITION.finditer(text)]
    return [_URL_IGNORED.sub("", target).lstrip("<") for target in found]


def check_prose(
    file: YamlFile, keys: set[str], schema: ContentSchema = CONTENT_SCHEMA
) -> Iterator[Problem]:
    """Every prose field's citations parse and name BibTeX keys; its links are safe. A field
    over the schema's length, or with more '[' than MAX_BRACKETS, is not read further (the
    schema reports the one, this the other): Markdown's link scan is quadratic in them."""
    limit = schema.resolve({"$ref": "#/$defs/prose"}).get("maxLength", 0)
    for key, text in prose_values(file.data, schema):
        line, column = file.position(key)
        if limit and len(text) > limit:
            continue
        brackets = text.count("[")
        if brackets > MAX_BRACKETS:
            yield Problem(
                file.path,
                line,
                column,
                f"field '{field_name(key)}' holds {brackets:,} '['; the limit is {MAX_BRACKETS} "
                "(a link or citation takes one; write a literal bracket as '\\[')",
            )
            continue
        yield from _citation_problems(file, key, text, keys, (line, column))
        for target in link_targets(text):
            scheme = _SCHEME.match(target)
            if scheme and scheme.group(1) in SCHEMES:
                continue  # a unit link (pipeline.unit_links): check_unit_links judges it
            if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
                yield Problem(
                    file.path,
                    *file.place_of(key, target[:20]),
                    f"link with the '{scheme.group(1)}:' scheme in field '{field_name(key)}': "
                    "only http(s), mailto and links to the site's units by kind and id "
                    "(finding:, quote:, stage:, concept:, ref:, …) are allowed"
                    f"{suggest(scheme.group(1), SCHEMES)}",
                )


# A link target as Markdown surely reads it: `](target)` with no space, or a definition.
_PLAIN_INLINE = re.compile(r"\]\(<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\)")


def check_unit_links(
    files: list[YamlFile],
    ids: Mapping[str, Collection[str]],
    schema: ContentSchema = CONTENT_SCHEMA,
) -> Iterator[Problem]:
    """Every unit link of every prose field (pipeline.unit_links) names a unit that exists
    (`ids`: each kind's ids, and BibTeX keys under 'reference'), with the closest id when not;
    no link is relative into the generated pages."""
    for file in files:
        for key, text in prose_values(file.data, schema):
            if "](" not in text and "]:" not in text:
                continue
            targets = [m.group(1) for m in _PLAIN_INLINE.finditer(text)]
            targets += [m.group(1) for m in _DEFINITION.finditer(text)]
            for target in targets:
                yield from _unit_link_problems(file, key, target, ids)


def _unit_link_problems(
    file: YamlFile, key: Key, target: str, ids: Mapping[str, Collection[str]]
) -> Iterator[Problem]:
    where = f"in field '{field_name(key)}'"
    unit = unit_of(target)
    if unit is not None:
        kind, ident = unit
        if ident not in ids.get(kind, ()):
            scheme = target.split(":", 1)[0]
            known = [f"{scheme}:{other}" for other in ids.get(kind, ())]
            yield Problem(
                file.path,
                *file.place_of(key, target),
                f"link to an unknown {kind.replace('_', ' ')} '{ident}' {where}"
                f"{suggest(target, known)}",
            )
        return
    if _SCHEME.match(target) or target.startswith(("#", "//")):
        return  # another scheme (check_prose judges it), or a place on the same page
    parts = [part for part in target.split("#")[0].split("/") if part not in ("", ".", "..")]
    name = parts[-1].removesuffix(".md") if parts else "its-id"
    scheme = next((FOLDER_SCHEMES[p] for p in reversed(parts) if p in FOLDER_SCHEMES), "finding")
    yield Problem(
        file.path,
        *file.place_of(key, target),
        f"relative link '{target}' {where}: the site's pages are generated, so write a link "
        f"to a unit by its kind and id, e.g. [text]({scheme}:{name}) (or quote:, stage:, "
        "concept:, study:, role:, group:, model:, review:, review-finding:, ref:)",
    )


def _citation_problems(
    file: YamlFile, key: Key, text: str, keys: set[str], place: tuple[int, int]
) -> Iterator[Problem]:
    clusters, errors = parse_citations(text)
    for error in errors:
        written = text[error.offset :].split(maxsplit=1)
        at = file.place_of(key, written[0]) if written else place
        yield Problem(file.path, *at, f"{error.message} in field '{field_name(key)}'")
    for cluster in clusters:
        for item in cluster.items:
            if item.key not in keys:
                yield Problem(
                    file.path,
                    *file.place_of(key, f"@{item.key}"),
                    f"unknown citation key '{item.key}' in field '{field_name(key)}'"
                    f"{suggest(item.key, keys)}",
                )


def prose_values(
    data: Any, schema: ContentSchema, node: dict[str, Any] | None = None, key: Key = ()
) -> Iterator[tuple[Key, str]]:
    """Walk data beside its schema (from `node` of it, else the whole), yielding every string
    of a Markdown (prose) field with its key."""
    node = schema.resolve(schema.data if node is None else node)
    if node.get("contentMediaType") == "text/markdown" and isinstance(data, str):
        yield key, data
    elif isinstance(data, dict):
        for name, value in data.items():
            sub = node.get("properties", {}).get(name)
            if sub is not None:
                yield from prose_values(value, schema, sub, (*key, name))
    elif isinstance(data, list) and "items" in node:
        for index, value in enumerate(data):
            yield from prose_values(value, schema, node["items"], (*key, index))


def cited_in(file: YamlFile, schema: ContentSchema = CONTENT_SCHEMA) -> frozenset[str]:
    """The BibTeX keys a content file cites: in its prose, and as studies' references."""
    used: set[str] = set()
    for _, text in prose_values(file.data, schema):
        used.update(item.key for c in parse_citations(text)[0] for item in c.items)
    for study in file.data.get("studies", []) if isinstance(file.data, dict) else []:
        used.add(str(study.get("reference")))
        for part in ("citation_notes", "uncited_references"):
            used.update(str(note.get("reference")) for note in study.get(part, []))
    return frozenset(used)


def find_warnings(
    raw: RawProject, remember: Remember = recompute, schema: ContentSchema = CONTENT_SCHEMA
) -> list[Problem]:
    """Things worth fixing that do not stop a build: references nothing on the site cites.
    What each file cites goes through `remember`, under the file's key."""
    used: set[str] = set()
    for file in raw.files:
        if file.key:
            used.update(remember(f"cites:{file.key}", cited_in, file, schema))
        else:
            used.update(cited_in(file, schema))
    return [
        Problem(
            entry.path,
            entry.line,
            1,
            f"warning: reference '{entry.key}' is never cited; it is listed in the "
            "bibliography, but no page cites it",
            severity="warning",
        )
        for entry in raw.bib
        if entry.key not in used
    ]
