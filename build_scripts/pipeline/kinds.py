"""The registry of entity kinds, which every stage reads: each kind's name, its list's name in
the content files and the export, its pages' folder, its label, its link fields and its
schema.org type. Its prose fields (where citations live) come from the content schema, the one
source: a field whose schema is prose (`contentMediaType: text/markdown`).

Adding a kind is an entry here, its part of the schema, its model class and its template;
adding a prose field is an edit of the schema (and of the template that shows it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from build_scripts.pipeline.schema_info import ContentSchema

# A prose field's place in an entity: field names, with "*" for each item of a list.
Path = tuple[str, ...]


@dataclass(frozen=True)
class Kind:
    """One kind of entity. `folder` is where its pages go (None: it has no page of its own, as
    a quotation lives on its finding's page); `links` maps each id field to the kind it names;
    `judged` names the link fields that are a judgement of the site's (a finding's stages), each
    with its fields saying who made it (basis) and why (rationale); `pages_label` names a list
    of its pages ("Linked from: Stages: …")."""

    name: str
    plural: str
    folder: str | None
    label: str
    links: Mapping[str, str]
    jsonld: str
    judged: Mapping[str, tuple[str, str]] = dataclass_field(default_factory=dict)
    pages_label: str = ""

    def prose_fields(self, schema: ContentSchema) -> tuple[Path, ...]:
        """Where this kind's prose is, from the content schema."""
        return schema.prose_paths(self.plural)


KINDS: tuple[Kind, ...] = (
    Kind(
        "study", "studies", "studies", "Study", {"model": "model"}, "WebPage",
        pages_label="Study pages",
    ),
    Kind("model", "models", "models", "Model", {}, "DefinedTermSet", pages_label="Models"),
    Kind(
        "stage", "stages", "stages", "Model stage", {"model": "model", "concepts": "concept"},
        "DefinedTerm", pages_label="Stages",
    ),
    Kind(
        "finding", "findings", "findings", "Finding",
        {"study": "study", "stages": "stage", "concepts": "concept"}, "Claim",
        {"stages": ("stages_basis", "stages_rationale")}, "Findings",
    ),
    Kind(
        "quote", "quotes", None, "Quotation",
        {"finding": "finding", "role": "role", "stage": "stage"}, "Quotation",
        {"stage": ("stage_basis", "stage_rationale")}, "Quotations",
    ),
    Kind(
        "role", "roles", "roles", "Speaker role", {"study": "study", "group": "group"}, "WebPage",
        {"group": ("group_basis", "group_rationale")}, "Roles",
    ),
    Kind("group", "groups", "groups", "Speaker group", {}, "WebPage", pages_label="Groups"),
    Kind(
        "concept", "concepts", "concepts", "Concept", {"related": "concept"}, "DefinedTerm",
        pages_label="Concepts",
    ),
    Kind(
        "review", "reviews", "reviews", "Review", {"studies": "study"}, "ScholarlyArticle",
        pages_label="Reviews",
    ),
    Kind(
        "review_finding", "review_findings", "review-findings", "Review finding",
        {"review": "review", "findings": "finding", "quotes": "quote"}, "Claim",
        pages_label="Review findings",
    ),
)  # fmt: skip
KIND: dict[str, Kind] = {kind.name: kind for kind in KINDS}
BY_PLURAL: dict[str, Kind] = {kind.plural: kind for kind in KINDS}


def values_at(value: Any, path: Path) -> Iterator[Any]:
    """The values at a path in an entity (attributes) or its data (keys); a missing or empty
    value is none."""
    if not path:
        if value:
            yield value
        return
    head, rest = path[0], path[1:]
    if head == "*":
        for item in value or ():
            yield from values_at(item, rest)
        return
    if isinstance(value, dict):
        inner = value.get(head)
    elif hasattr(value, head):  # a field of an entity's class
        inner = getattr(value, head)
    else:  # a field the schema has and the class does not name, kept as `extra`
        inner = getattr(value, "extra", {}).get(head)
    if inner is not None:
        yield from values_at(inner, rest)
