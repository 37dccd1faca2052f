"""The data export, site/data/evidence.json: every entity with its id, permalink and fields, and
every reference with its formatted form and what cites it (described by evidence.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import fields as dataclass_fields
from functools import partial
from typing import Any

from build_scripts.folders import SCHEMAS
from build_scripts.pipeline.csl import Citer
from build_scripts.pipeline.entities import Corpus, Entity, Index, Quote, Ref, Study
from build_scripts.pipeline.kinds import KINDS
from build_scripts.pipeline.locate import Location, place_label, selectors
from build_scripts.pipeline.model import study_of
from build_scripts.pipeline.urls import location, site_url

EXPORT_SCHEMA = SCHEMAS / "evidence.schema.json"
EXPORT_VERSION = "1.2"
# Entities by kind, and the name of their list in data/evidence.json.
EXPORTED = {kind.name: kind.plural for kind in KINDS}


def export_json(corpus: Corpus, index: Index, citer: Citer) -> str:
    """site/data/evidence.json: every entity with its id, permalink and fields."""
    return export_text(
        [
            (name, [json_item(make()) for _, make in items])
            for name, items in export_items(corpus, index, citer)
        ]
    )


# One item of a list of the export: the entity it is about, and how to make its data.
Item = tuple[Ref, Callable[[], dict[str, Any]]]


def export_items(corpus: Corpus, index: Index, citer: Citer) -> list[tuple[str, list[Item]]]:
    """The export's lists by name, in order, each item with a function that makes its data
    from the corpus (looking its entity up there, so that a tracked corpus records the read)."""
    lists: list[tuple[str, list[Item]]] = []
    for kind, name in EXPORTED.items():
        collection = corpus.collection(kind)
        lists.append(
            (
                name,
                [((kind, i), partial(_entity, collection, i, corpus, citer)) for i in collection],
            )
        )
    items: list[Item] = [
        (("reference", key), partial(_reference, key, corpus, index, citer))
        for key in corpus.references
    ]
    lists.append(("references", items))
    return lists


def _reference(key: str, corpus: Corpus, index: Index, citer: Citer) -> dict[str, Any]:
    reference = corpus.references[key]
    return {
        "id": reference.id,
        "url": site_url(*location(("reference", reference.id), corpus)),
        "type": reference.entry_type,
        "formatted": citer.reference_plain(reference.id),
        "cited_by": [{"kind": k, "id": i} for k, i in index.cited_by.get(reference.id, ())],
    }


def json_item(data: Any) -> str:
    """One item of a list of the export as its line of JSON."""
    return json.dumps(data, ensure_ascii=False)


def export_text(lists: list[tuple[str, list[str]]]) -> str:
    """The export from its lists' items, each already a line of JSON (json_item)."""
    head = {"$schema": "evidence.schema.json", "version": EXPORT_VERSION}
    return _document([*((key, json_item(value)) for key, value in head.items()), *lists])


def json_lines(data: dict[str, Any]) -> str:
    """JSON with one line per top-level value and per list item: a diff shows which entity
    changed, and json's C encoder writes each line (an indented dump runs in Python)."""
    return _document(
        [
            (
                key,
                [json_item(item) for item in value]
                if isinstance(value, list)
                else json_item(value),
            )
            for key, value in data.items()
        ]
    )


def _document(parts: list[tuple[str, str | list[str]]]) -> str:
    """A JSON object from its members, each a line of JSON or a list of item lines."""
    lines = []
    for key, value in parts:
        if isinstance(value, list):
            value = "[\n" + ",\n".join(f"  {item}" for item in value) + "\n ]" if value else "[]"
        lines.append(f" {json.dumps(key)}: {value}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _entity(
    collection: Mapping[str, Entity], ident: str, corpus: Corpus, citer: Citer
) -> dict[str, Any]:
    """An entity's fields; a study's short label too, and a quotation's study (its finding's),
    so that every unit names its study."""
    entity = collection[ident]
    fields = {k: v for k, v in plain_data(entity).items() if k != "kind"}
    if isinstance(entity, Study):
        fields = {"label": citer.in_text_label(entity.reference), **fields}
    if isinstance(entity, Quote):
        fields = {"study": study_of(("quote", ident), corpus), **fields}
        if ident in corpus.locations:
            fields["location"] = source_location(corpus.locations[ident])
    return {"id": entity.id, "url": site_url(*location((entity.kind, entity.id), corpus)), **fields}


def source_location(place: Location) -> dict[str, Any]:
    """Where a quotation sits in its study's source text, as the export gives it."""
    return {
        "source": place.source,
        "section": list(place.section),
        "paragraph": place.paragraph,
        "label": place_label(place),
        "published": place.published,
        "selector": selectors(place),
    }


def plain_data(value: Any) -> Any:
    """A model value as JSON data, as dataclasses.asdict gives it, but without its deep copy of
    every leaf (json.dumps only reads them); an entity's `extra` fields sit among its own."""
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, tuple | list):
        return [plain_data(item) for item in value]
    if isinstance(value, dict):
        return {key: plain_data(item) for key, item in value.items()}
    data = {
        field.name: plain_data(getattr(value, field.name))
        for field in dataclass_fields(value)
        if field.name != "extra"
    }
    return {**data, **plain_data(dict(getattr(value, "extra", {})))}
