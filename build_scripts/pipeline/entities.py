"""The vocabulary of the pipeline: the frozen, typed entities of the content (a study, a finding,
a quotation, …), the corpus that holds them and the index of derived facts. Built by
pipeline.model; read by every stage after it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from build_scripts.pipeline.kinds import KINDS
from build_scripts.pipeline.locate import Heading, Location
from build_scripts.pipeline.reviews import Review, ReviewFinding
from build_scripts.pipeline.schema_info import CONTENT_SCHEMA, ContentSchema

# An entity reference: (kind, id); kinds are the singular names below, "reference", and "page"
# (id: the Markdown path) for pages whose own prose cites, such as the home page.
Ref = tuple[str, str]
# A place in a project's file: (path relative to the root, line, column).
Place = tuple[str, int, int]
# Every kind of entity of the content, in the order pages, indexes and the export list them.
ENTITY_KINDS = tuple(kind.name for kind in KINDS)
# Who made a judgement the site shows (a model stage, a speaker group): the site's editors, or
# the paper's authors themselves.
Basis = Literal["editors", "authors"]


@dataclass(frozen=True)
class Editor:
    """A person (family and given names, perhaps an ORCID iD) or an organisation."""

    family: str | None = None
    given: str | None = None
    orcid: str | None = None
    organisation: str | None = None

    @property
    def name(self) -> str:
        """The name as it is written in running text: given names first."""
        return self.organisation or " ".join(n for n in (self.given, self.family) if n)


@dataclass(frozen=True)
class Release:
    """A version of the site and the day it was released (YYYY-MM-DD)."""

    version: str
    date: str


@dataclass(frozen=True)
class Site:
    title: str
    intro: str
    about: str
    licence: str
    description: str | None = None
    url: str | None = None
    citation_style: str = "harvard-cite-them-right"
    locale: str = "en-GB"
    editors: tuple[Editor, ...] = ()
    release: Release | None = None


@dataclass(frozen=True)
class DataCollection:
    id: str
    method: str
    description: str
    count: int | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Intervention:
    id: str
    label: str
    description: str


@dataclass(frozen=True)
class TimelineEvent:
    id: str
    date: str
    event: str
    date_label: str | None = None


@dataclass(frozen=True)
class CitationNote:
    id: str
    printed: str
    reference: str
    where: str
    difference: str


@dataclass(frozen=True)
class UncitedReference:
    reference: str
    note: str


@dataclass(frozen=True)
class Section:
    id: str
    title: str


@dataclass(frozen=True)
class Study:
    id: str
    title: str
    reference: str
    summary: str
    setting: str
    design: str
    period: tuple[str, str]
    data_collection: tuple[DataCollection, ...]
    analysis: str
    ethics: str
    sections: tuple[Section, ...]
    interventions: tuple[Intervention, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    timeline_caption: str | None = None
    citation_notes: tuple[CitationNote, ...] = ()
    uncited_references: tuple[UncitedReference, ...] = ()
    model: str | None = None
    licence: str | None = None
    source: str | None = None
    publish_source: bool = True
    source_headings: tuple[Heading, ...] = ()
    aliases: tuple[str, ...] = ()
    kind: str = "study"
    # Fields the schema has and this class does not name (a new prose field): kept as data.
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def section(self, ident: str) -> Section:
        """The section with this id (validated to exist)."""
        return next(s for s in self.sections if s.id == ident)


@dataclass(frozen=True)
class Model:
    id: str
    title: str
    summary: str
    aliases: tuple[str, ...] = ()
    kind: str = "model"
    # Fields the schema has and this class does not name (a new prose field): kept as data.
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class StageCase:
    """One study's account of a stage: how its case maps onto the stage."""

    study: str
    account: str


@dataclass(frozen=True)
class Stage:
    id: str
    model: str
    number: int
    title: str
    definition: str
    case: str | None = None
    cases: tuple[StageCase, ...] = ()
    concepts: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    kind: str = "stage"
    # Fields the schema has and this class does not name (a new prose field): kept as data.
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Cerqual:
    """A GRADE-CERQual assessment of a finding: component concerns and overall confidence."""

    confidence: str
    explanation: str
    methodological_limitations: str | None = None
    coherence: str | None = None
    adequacy: str | None = None
    relevance: str | None = None


@dataclass(frozen=True)
class Finding:
    id: str
    study: str
    section: str
    title: str
    statement: str
    stages: tuple[str, ...] = ()
    stages_basis: Basis | None = None
    stages_rationale: str | None = None
    concepts: tuple[str, ...] = ()
    cerqual: Cerqual | None = None
    aliases: tuple[str, ...] = ()
    kind: str = "finding"
    # Fields the schema has and this class does not name (a new prose field): kept as data.
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Quote:
    id: str
    finding: str
    text: str
    speaker: str
    role: str
    stage: str | None = None
    stage_basis: Basis | None = None
    stage_rationale: str | None = None
    aliases: tuple[str, ...] = ()
    kind: str = "quote"
    # Fields the schema has and this class does not name (a new prose field): kept as data.
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Role:
    id: str
    study: str
    label: str
    group: str
    group_basis: Basis
    group_rationale: str | None = None
    description: str | None = None
    aliases: tuple[str, ...] = ()
    kind: str = "role"
    # Fields the schema has and this class does not name (a new prose field): kept as data.
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    description: str | None = None
    aliases: tuple[str, ...] = ()
    kind: str = "group"
    # Fields the schema has and this class does not name (a new prose field): kept as data.
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Concept:
    id: str
    term: str
    definition: str
    related: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    kind: str = "concept"
    # Fields the schema has and this class does not name (a new prose field): kept as data.
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Reference:
    """A bibliography entry: its BibTeX key is its id and its anchor."""

    id: str
    entry_type: str
    fields: dict[str, Any] = field(hash=False)  # compared: an edit of an entry is a change
    aliases: tuple[str, ...] = ()
    kind: str = "reference"


Entity = (
    Study
    | Model
    | Stage
    | Finding
    | Quote
    | Role
    | Group
    | Concept
    | Reference
    | Review
    | ReviewFinding
)


@dataclass(frozen=True)
class Corpus:
    """All entities, each collection in the order the files define them."""

    site: Site
    studies: dict[str, Study]
    models: dict[str, Model]
    stages: dict[str, Stage]
    findings: dict[str, Finding]
    quotes: dict[str, Quote]
    roles: dict[str, Role]
    groups: dict[str, Group]
    concepts: dict[str, Concept]
    references: dict[str, Reference]
    reviews: dict[str, Review] = field(default_factory=dict)
    review_findings: dict[str, ReviewFinding] = field(default_factory=dict)
    # Where each entity is written (file, line, column): its id, or its BibTeX entry; the site's
    # settings under ("site", "").
    sources: dict[Ref, Place] = field(default_factory=dict, compare=False)
    # Where each quotation sits in its study's source text (pipeline.sources), by quotation id;
    # and those texts, by project-relative path.
    locations: dict[str, Location] = field(default_factory=dict)
    source_texts: dict[str, str] = field(default_factory=dict)
    # The schema the content was checked against: where each kind's prose is.
    schema: ContentSchema = field(default=CONTENT_SCHEMA, compare=False)

    def get(self, ref: Ref) -> Entity:
        """The entity a reference names."""
        entity: Entity = self.collection(ref[0])[ref[1]]
        return entity

    def collection(self, kind: str) -> dict[str, Any]:
        """The collection of a kind of entity, by id."""
        return self._collections[kind]

    @cached_property
    def _collections(self) -> dict[str, dict[str, Any]]:
        # Built once: every link label on every page asks for a collection.
        return {
            "study": self.studies,
            "model": self.models,
            "stage": self.stages,
            "finding": self.findings,
            "quote": self.quotes,
            "role": self.roles,
            "group": self.groups,
            "concept": self.concepts,
            "reference": self.references,
            "review": self.reviews,
            "review_finding": self.review_findings,
        }


@dataclass(frozen=True)
class Index:
    """Facts derived once from the corpus: what links to what, who cites what, and the order a
    reader walks the findings in."""

    linked_from: dict[Ref, tuple[Ref, ...]]
    cited_by: dict[str, tuple[Ref, ...]]
    quotes_of: dict[str, tuple[str, ...]]
    findings_of: dict[str, tuple[str, ...]]
    stages_of: dict[str, tuple[str, ...]]
    roles_of: dict[str, tuple[str, ...]]
    notes_on: dict[str, tuple[tuple[str, str], ...]]
    # Each study's findings in the order a reader walks them (pipeline.reading), and each
    # finding's (previous, next) in that order.
    reading_order: dict[str, tuple[str, ...]] = field(default_factory=dict)
    neighbours: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    # For each page, the pages that link to it (pipeline.backlinks): what "Linked from" names.
    pages_linking: dict[Ref, tuple[Ref, ...]] = field(default_factory=dict)

    def links_to(self, ref: Ref) -> tuple[Ref, ...]:
        """Every entity that points at ref, in corpus order."""
        return self.linked_from.get(ref, ())
