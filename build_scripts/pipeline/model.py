"""Model stage: validated data -> the frozen, typed entities of pipeline.entities and one index of
derived facts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import fields as dataclass_fields
from dataclasses import replace
from typing import Any

from build_scripts.pipeline.backlinks import pages_linking
from build_scripts.pipeline.bibtex import BibEntry, bib_aliases
from build_scripts.pipeline.citations import cited_keys
from build_scripts.pipeline.entities import (
    ENTITY_KINDS,
    Cerqual,
    CitationNote,
    Concept,
    Corpus,
    DataCollection,
    Editor,
    Entity,
    Finding,
    Group,
    Index,
    Intervention,
    Model,
    Place,
    Quote,
    Ref,
    Reference,
    Release,
    Role,
    Section,
    Site,
    Stage,
    StageCase,
    Study,
    TimelineEvent,
    UncitedReference,
)
from build_scripts.pipeline.kinds import BY_PLURAL, KIND, values_at
from build_scripts.pipeline.load import RawProject
from build_scripts.pipeline.locate import Heading
from build_scripts.pipeline.reading import neighbours, reading_order
from build_scripts.pipeline.remember import Remember, recompute
from build_scripts.pipeline.reviews import ReviewFinding, review_finding_from, review_from
from build_scripts.pipeline.schema_info import CONTENT_SCHEMA, ContentSchema
from build_scripts.pipeline.sources import quotation_locations


def build_corpus(
    raw: RawProject, remember: Remember = recompute, schema: ContentSchema = CONTENT_SCHEMA
) -> Corpus:
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
        schema=schema,
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


def prose_of(entity: Entity, schema: ContentSchema) -> list[str]:
    """Every Markdown (prose) string an entity holds, where its citations live, in the order of
    its kind's prose fields in the schema."""
    return [
        text
        for path in KIND[entity.kind].prose_fields(schema)
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
            _add_citations(cited_by, source, prose_of(entity, corpus.schema))
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
