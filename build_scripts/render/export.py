"""The data export, site/data/evidence.json: every entity with its id, permalink and fields, and
every reference with its formatted form and what cites it (described by evidence.schema.json)."""

from __future__ import annotations

import json
from dataclasses import fields as dataclass_fields
from typing import Any

from build_scripts.folders import SCHEMAS
from build_scripts.pipeline.csl import Citer
from build_scripts.pipeline.kinds import KINDS
from build_scripts.pipeline.model import Corpus, Entity, Index
from build_scripts.render.urls import location, site_url

EXPORT_SCHEMA = SCHEMAS / "evidence.schema.json"
EXPORT_VERSION = "1.0"
# Entities by kind, and the name of their list in data/evidence.json.
EXPORTED = {kind.name: kind.plural for kind in KINDS}


def export_json(corpus: Corpus, index: Index, citer: Citer) -> str:
    """site/data/evidence.json: every entity with its id, permalink and fields."""
    data: dict[str, Any] = {"$schema": "evidence.schema.json", "version": EXPORT_VERSION}
    for kind, name in EXPORTED.items():
        data[name] = [_entity(entity, corpus) for entity in corpus.collection(kind).values()]
    data["references"] = [
        {
            "id": r.id,
            "url": site_url(*location(("reference", r.id), corpus)),
            "type": r.entry_type,
            "formatted": citer.reference_plain(r.id),
            "cited_by": [{"kind": k, "id": i} for k, i in index.cited_by.get(r.id, ())],
        }
        for r in corpus.references.values()
    ]
    return json_lines(data)


def json_lines(data: dict[str, Any]) -> str:
    """JSON with one line per top-level value and per list item: a diff shows which entity
    changed, and json's C encoder writes each line (an indented dump runs in Python)."""
    lines = []
    for key, value in data.items():
        name = json.dumps(key)
        if isinstance(value, list) and value:
            items = ",\n".join(f"  {json.dumps(item, ensure_ascii=False)}" for item in value)
            lines.append(f" {name}: [\n{items}\n ]")
        else:
            lines.append(f" {name}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _entity(entity: Entity, corpus: Corpus) -> dict[str, Any]:
    fields = {k: v for k, v in plain_data(entity).items() if k != "kind"}
    return {"id": entity.id, "url": site_url(*location((entity.kind, entity.id), corpus)), **fields}


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
