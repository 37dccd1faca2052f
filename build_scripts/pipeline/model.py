"""Model stage: validated data -> frozen, typed entities and one index of derived facts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from dataclasses import fields as dataclass_fields
from functools import cached_property
from typing import Any, Literal

from build_scripts.pipeline.backlinks import pages_linking
from build_scripts.pipeline.bibtex import BibEntry, bib_aliases
from build_scripts.pipeline.citations import cited_keys
from build_scripts.pipeline.kinds import BY_PLURAL, KIND, KINDS, values_at
from build_scripts.pipeline.load import RawProject
from build_scripts.pipeline.locate import Heading, Location
from build_scripts.pipeline.reading import neighbours, reading_order
from build_scripts.pipeline.remember import Remember, recompute
from build_scripts.pipeline.reviews import Review, ReviewFinding, review_finding_from, review_from
from build_scripts.pipeline.sources import quotation_locations

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


def build_corpus(raw: RawProject, remember: Remember = recompute) -> Corpus:
    """Turn validated raw data into typed entities (call only when validation found nothing),
    with where each quotation sits in its study's source text (looked for through remember)."""
    merged: dict[str, list[dict[str, Any]]] = defaultdict(list)
    site: dict[str, Any] = {}
    sources: dict[Ref, Place] = {}
    for file in raw.files:
        if "site" in file.data:
            site = file.data["site"]
            sources[("site", "")] = (file.path, *file.key_position(("site",)))
        for name, items in file.data.items():
            if name != "site":
                merged[name].extend(items)
                for number, item in enumerate(items):
                    place = file.key_position((name, number, "id"))
                    sources[(BY_PLURAL[name].name, item["id"])] = (file.path, *place)
    for entry in raw.bib:
        sources[("reference", entry.key)] = (entry.path, entry.line, 1)
    corpus = Corpus(
        site=_site(site),
        studies={d["id"]: _study(d) for d in merged["studies"]},
        models={d["id"]: Model(**_tuples(Model, d)) for d in merged["models"]},
        stages={d["id"]: _stage(d) for d in merged["stages"]},
        findings={d["id"]: _finding(d) for d in merged["findings"]},
        quotes={d["id"]: Quote(**_tuples(Quote, d)) for d in merged["quotes"]},
        roles={d["id"]: Role(**_tuples(Role, d)) for d in merged["roles"]},
        groups={d["id"]: Group(**_tuples(Group, d)) for d in merged["groups"]},
        concepts={d["id"]: Concept(**_tuples(Concept, d, "related")) for d in merged["concepts"]},
        references={e.key: _reference(e) for e in raw.bib},
        reviews={d["id"]: review_from(d) for d in merged["reviews"]},
        review_findings={d["id"]: review_finding_from(d) for d in merged["review_findings"]},
        sources=sources,
    )
    texts = {s.source: raw.sources[s.source] for s in corpus.studies.values() if s.source}
    locations = quotation_locations(corpus, texts, remember)
    # A text the site does not publish: checked against, but none of its words beyond the
    # quotations themselves reaches a page or the data (no context, no selector's prefix).
    kept = {s.source for s in corpus.studies.values() if s.source and not s.publish_source}
    for ident, located in locations.items():
        if located.source in kept:
            locations[ident] = replace(located, prefix="", suffix="", published=False)
    published = {path: text for path, text in texts.items() if path not in kept}
    return replace(corpus, locations=locations, source_texts=published)


def study_of(ref: Ref, corpus: Corpus) -> str | None:
    """The study a unit belongs to: a study itself, a finding's, a quotation's finding's and a
    role's study; None for a unit across studies (a model, stage, group, concept, review)."""
    kind, ident = ref
    if kind == "quote":
        return corpus.findings[corpus.quotes[ident].finding].study
    if kind == "finding":
        return corpus.findings[ident].study
    if kind == "role":
        return corpus.roles[ident].study
    return ident if kind == "study" else None


def contributing_studies(finding: ReviewFinding, corpus: Corpus) -> list[str]:
    """The studies a review finding's evidence comes from (never typed twice), in the order its
    evidence names them: its findings' studies, then its quotations'."""
    evidence = [("finding", f) for f in finding.findings] + [("quote", q) for q in finding.quotes]
    return list(dict.fromkeys(str(study_of(ref, corpus)) for ref in evidence))


def _site(data: dict[str, Any]) -> Site:
    editors = tuple(Editor(**e) for e in data.get("editors", ()))
    release = Release(**data["release"]) if "release" in data else None
    return Site(**{**data, "editors": editors, "release": release})


def _tuples(cls: type, data: dict[str, Any], *names: str) -> dict[str, Any]:
    """An entity's fields for cls: the listed ones (and aliases) as tuples, and those cls does
    not name as `extra`."""
    known = {f.name for f in dataclass_fields(cls)}
    fields = {k: tuple(v) if k in (*names, "aliases") else v for k, v in data.items() if k in known}
    extra = {k: v for k, v in data.items() if k not in known}
    return {**fields, "extra": extra} if extra else fields


def _stage(data: dict[str, Any]) -> Stage:
    fields = _tuples(Stage, data, "concepts")
    fields["cases"] = tuple(StageCase(**case) for case in data.get("cases", ()))
    return Stage(**fields)


def stage_accounts(stage: Stage, corpus: Corpus) -> dict[str, str | None]:
    """Each study that uses the stage's model, in the corpus's order, with its account of the
    stage (None: it has none): from `cases`, or `case` when one study uses the model."""
    studies = [s.id for s in corpus.studies.values() if s.model == stage.model]
    accounts: dict[str, str | None] = dict.fromkeys(studies)
    if stage.case and len(studies) == 1:
        accounts[studies[0]] = stage.case
    for case in stage.cases:
        accounts[case.study] = case.account
    return accounts


def _finding(data: dict[str, Any]) -> Finding:
    fields = _tuples(Finding, data, "stages", "concepts")
    if "cerqual" in data:
        fields["cerqual"] = Cerqual(**data["cerqual"])
    return Finding(**fields)


def _study(data: dict[str, Any]) -> Study:
    fields = _tuples(Study, data)
    fields["period"] = (data["period"]["start"], data["period"]["end"])
    fields["data_collection"] = tuple(DataCollection(**d) for d in data["data_collection"])
    fields["interventions"] = tuple(Intervention(**d) for d in data.get("interventions", []))
    fields["timeline"] = tuple(TimelineEvent(**d) for d in data.get("timeline", []))
    fields["sections"] = tuple(Section(**d) for d in data["sections"])
    fields["source_headings"] = tuple(Heading(**d) for d in data.get("source_headings", []))
    fields["citation_notes"] = tuple(CitationNote(**d) for d in data.get("citation_notes", []))
    fields["uncited_references"] = tuple(
        UncitedReference(**d) for d in data.get("uncited_references", [])
    )
    return Study(**fields)


def _reference(entry: BibEntry) -> Reference:
    """A bibliography entry; biblatex's `ids` field lists earlier keys (aliases)."""
    return Reference(
        id=entry.key,
        entry_type=entry.entry_type,
        fields=entry.fields,
        aliases=bib_aliases(entry.fields),
    )


def prose_of(entity: Entity) -> list[str]:
    """Every Markdown (prose) string an entity holds, where its citations live, in the order of
    its kind's prose fields (pipeline.kinds)."""
    return [
        text
        for path in KIND[entity.kind].prose_fields
        for text in values_at(entity, path)
        if isinstance(text, str)
    ]


def outgoing_links(entity: Entity) -> list[Ref]:
    """The entities this one points at through its id fields (its kind's `links`)."""
    links: list[Ref] = []
    for field_name, target in KIND[entity.kind].links.items():
        value = getattr(entity, field_name)
        for ident in value if isinstance(value, tuple) else [value]:
            if ident:
                links.append((target, ident))
    return links


def site_prose(corpus: Corpus) -> list[tuple[Ref, list[str]]]:
    """The site's own pages that hold prose (where citations live), with that prose."""
    site = corpus.site
    return [
        (("page", "index.md"), [site.intro]),
        (("page", "about.md"), [site.about, site.licence]),
    ]


def build_index(corpus: Corpus) -> Index:
    """Compute backlinks, 'cited by' lists, per-entity groupings and the reading order once."""
    linked_from: dict[Ref, list[Ref]] = defaultdict(list)
    cited_by: dict[str, list[Ref]] = defaultdict(list)
    for kind in ENTITY_KINDS:
        for entity in corpus.collection(kind).values():
            source: Ref = (kind, entity.id)
            for target in outgoing_links(entity):
                linked_from[target].append(source)
            if isinstance(entity, Study):
                cited_by[entity.reference].append(source)
            _add_citations(cited_by, source, prose_of(entity))
    for page, texts in site_prose(corpus):
        _add_citations(cited_by, page, texts)
    stages_of = _group(sorted(corpus.stages.values(), key=lambda s: s.number), "model")
    order = reading_order(corpus.studies, corpus.findings)
    return Index(
        linked_from={k: tuple(v) for k, v in linked_from.items()},
        cited_by={k: tuple(v) for k, v in cited_by.items()},
        quotes_of=_group(corpus.quotes.values(), "finding"),
        findings_of=_group(corpus.findings.values(), "study"),
        stages_of=stages_of,
        roles_of=_group(corpus.roles.values(), "group"),
        notes_on=_notes_on(corpus),
        reading_order=order,
        neighbours=neighbours(order),
        pages_linking=pages_linking(corpus, stages_of),
    )


def _add_citations(cited_by: dict[str, list[Ref]], source: Ref, texts: list[str]) -> None:
    for text in texts:
        for key in dict.fromkeys(cited_keys(text)):
            if source not in cited_by[key]:
                cited_by[key].append(source)


def _notes_on(corpus: Corpus) -> dict[str, tuple[tuple[str, str], ...]]:
    """For each BibTeX key, the (study id, anchor) of every source note about it."""
    notes: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for study in corpus.studies.values():
        for note in study.citation_notes:
            notes[note.reference].append((study.id, note.id))
        for uncited in study.uncited_references:
            notes[uncited.reference].append((study.id, f"uncited-{uncited.reference}"))
    return {k: tuple(v) for k, v in notes.items()}


def _group(entities: Any, attribute: str) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for entity in entities:
        grouped[getattr(entity, attribute)].append(entity.id)
    return {k: tuple(v) for k, v in grouped.items()}
