"""Which pages the site has and which entities each lists, with long lists split so that no page
grows with the size of the corpus."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from build_scripts.pipeline.anchors import AnchorPlan, moved_by_page
from build_scripts.pipeline.entities import Corpus, Finding, Index, Ref, Stage
from build_scripts.pipeline.kinds import KINDS
from build_scripts.pipeline.model import contributing_studies, stage_accounts, study_of
from build_scripts.pipeline.provenance import by_editors, shared_basis
from build_scripts.pipeline.reading import study_column
from build_scripts.pipeline.reviews import CONFIDENCE, Review, ReviewFinding
from build_scripts.pipeline.urls import location, matrix_page, source_notes_page

INDEX_PAGE_SIZE = 100  # rows of a findings, quotations or bibliography index page
LIST_SIZE = 50  # links in one list of an entity page before it continues on a page of its own
STUDY_SECTIONS = (
    10  # studies' accounts on a stage page (each with its findings) before it continues
)
STUDY_ROWS = 25  # rows of the studies index (each a study's characteristics, in prose)
QUOTE_ROWS = 80  # rows of the quotations index (each a quotation in full, with five links)
QUOTE_BLOCKS = 25  # full quotations on a role page (each is cited on its finding's page)
PAGER_REACH = 2  # pages named either side of the current one in a pager


@dataclass(frozen=True)
class Chunk:
    """One page's share of a list: its items, and every page the whole list spans."""

    name: str
    items: tuple[Any, ...]
    total: int
    number: int
    pages: tuple[str, ...]
    first: int

    @property
    def continued(self) -> bool:
        """Whether the list spans more than one page."""
        return len(self.pages) > 1

    @property
    def window(self) -> list[tuple[int, str] | None]:
        """The pages a pager names: the first, the last and those near this one, in order, with
        None where pages are skipped, so a pager's length does not grow with the list."""
        last = len(self.pages)
        low, high = max(1, self.number - PAGER_REACH), min(last, self.number + PAGER_REACH)
        named = sorted({1, *range(low, high + 1), last})
        window: list[tuple[int, str] | None] = []
        for before, number in zip([0, *named], named):
            if number > before + 1:
                window.append(None)
            window.append((number, self.pages[number - 1]))
        return window


@dataclass(frozen=True)
class PagePlan:
    """One Markdown page to render: its path, its template and the values the template gets."""

    path: str
    template: str
    values: dict[str, Any]


def chunks(first_page: str, folder: str, name: str, items: list[Any], size: int) -> list[Chunk]:
    """Split a list: the first share stays on first_page, the rest go to folder/name-N.md."""
    parts = [tuple(items[i : i + size]) for i in range(0, len(items), size)] or [()]
    pages = (first_page, *(f"{folder}/{name}-{n}.md" for n in range(2, len(parts) + 1)))
    return [
        Chunk(name, part, len(items), number, pages, (number - 1) * size + 1)
        for number, part in enumerate(parts, start=1)
    ]


# The kinds of page an entity page's own lists name in full (a study's findings, a role's
# quotations with their findings), left out of its "Linked from" so as not to name them twice.
LISTED_ON_PAGE = {
    "study": ("finding",),
    "model": ("stage",),
    "stage": ("finding",),
    "role": ("finding",),
    "group": ("role",),
    "review": ("review_finding",),
    "review_finding": ("finding",),
}


def entity_lists(ref: Ref, corpus: Corpus, index: Index) -> dict[str, list[Any]]:
    """The lists an entity page shows beside its own fields, by name; "linked", the pages that
    link to it (index.pages_linking) but those its other lists name."""
    kind, ident = ref
    linked = index.links_to(ref)
    listed = LISTED_ON_PAGE.get(kind, ())
    pages = [r for r in index.pages_linking.get(ref, ()) if r[0] not in listed]
    if kind == "stage":
        return {
            "studies": stage_studies(corpus.stages[ident], corpus, index),
            "findings": [r for r in linked if r[0] == "finding"],
            "quotations": [r for r in linked if r[0] == "quote"],
            "linked": pages,
        }
    if kind == "role":
        return {"quotations": [r for r in linked if r[0] == "quote"], "linked": pages}
    if kind == "group":
        return {"roles": [("role", r) for r in index.roles_of.get(ident, ())], "linked": pages}
    if kind == "reference":
        return {"cited": list(index.cited_by.get(ident, ()))}
    if kind == "review":
        return {"findings": [r for r in linked if r[0] == "review_finding"], "linked": pages}
    return {"linked": pages}


# The lists of an entity page whose items are placed under the entity by a judgement of their
# own (a finding's stages), whose basis the page shows.
JUDGED_LISTS = {"stage": ("findings", "quotations"), "group": ("roles",)}


def list_bases(ref: Ref, lists: dict[str, list[Any]], corpus: Corpus) -> dict[str, str]:
    """For each judged list of an entity page, the basis all its items share ('' if they
    differ): a page says it once for the whole list, or on each item."""
    return {
        name: shared_basis([corpus.get(item) for item in lists[name]], ref[0])
        for name in JUDGED_LISTS.get(ref[0], ())
    }


def _list_size(kind: str, name: str) -> int:
    if (kind, name) == ("stage", "studies"):
        return STUDY_SECTIONS
    return QUOTE_BLOCKS if (kind, name) == ("role", "quotations") else LIST_SIZE


def _entity_pages(ref: Ref, template: str, corpus: Corpus, index: Index) -> Iterator[PagePlan]:
    page = location(ref, corpus)[0]
    folder = page[: -len(".md")]
    items = entity_lists(ref, corpus, index)
    bases = list_bases(ref, items, corpus)
    lists = {
        name: chunks(page, folder, name, refs, _list_size(ref[0], name))
        for name, refs in items.items()
    }
    entity = corpus.get(ref)
    firsts = {n: c[0] for n, c in lists.items()}
    values: dict[str, Any] = {"entity": entity, "lists": firsts, "bases": bases}
    if isinstance(entity, Review):
        findings = {s: frozenset(index.findings_of.get(s, ())) for s in entity.studies}
        values["findings_of_study"] = findings
        values["quotes_of_study"] = {
            s: frozenset(q for f in findings[s] for q in index.quotes_of.get(f, ()))
            for s in entity.studies
        }
    if isinstance(entity, ReviewFinding):
        values["evidence"] = review_evidence(entity, corpus)
        values["confidence_meaning"] = CONFIDENCE
    if isinstance(entity, Finding):
        study = corpus.studies[entity.study]
        order = index.reading_order[study.id]
        values["column"] = study_column(entity, study, order, corpus.findings)
    yield PagePlan(page, template, values)
    for parts in lists.values():
        for part in parts[1:]:
            yield PagePlan(
                part.pages[part.number - 1],
                "list-page.md.j2",
                {"entity": entity, "ref": ref, "chunk": part, "bases": bases},
            )


def review_evidence(
    finding: ReviewFinding, corpus: Corpus
) -> list[tuple[str, list[str], list[str]]]:
    """A review finding's evidence by contributing study: (study, its supporting findings, its
    supporting quotations), in the order of contributing_studies."""
    return [
        (
            study,
            [f for f in finding.findings if study_of(("finding", f), corpus) == study],
            [q for q in finding.quotes if study_of(("quote", q), corpus) == study],
        )
        for study in contributing_studies(finding, corpus)
    ]


# A study's findings named under its account on a stage page; the page's full list has them all.
STUDY_FINDINGS = 10


def stage_studies(stage: Stage, corpus: Corpus, index: Index) -> list[dict[str, Any]]:
    """For a stage's page, each study that uses its model (stage_accounts) with its account of
    the stage (None: none), its first STUDY_FINDINGS findings at the stage, and how many more."""
    at: dict[str, list[Ref]] = {}
    for ref in index.links_to(("stage", stage.id)):
        if ref[0] == "finding":
            at.setdefault(corpus.findings[ref[1]].study, []).append(ref)
    return [
        {
            "study": study,
            "account": account,
            "findings": at.get(study, [])[:STUDY_FINDINGS],
            "more": max(0, len(at.get(study, [])) - STUDY_FINDINGS),
        }
        for study, account in stage_accounts(stage, corpus).items()
    ]


def _index_pages(
    folder: str, template: str, ids: list[Any], extra: dict[str, Any], size: int = INDEX_PAGE_SIZE
) -> Iterator[PagePlan]:
    for part in chunks(f"{folder}/index.md", folder, "index", ids, size):
        yield PagePlan(part.pages[part.number - 1], template, {"chunk": part, **extra})


def evidence_matrix(study_id: str, corpus: Corpus, index: Index) -> dict[str, Any]:
    """Counts for a study's evidence matrix: quotations of each finding by stage and by group."""
    study = corpus.studies[study_id]
    stages = list(index.stages_of.get(study.model or "", ()))
    findings = list(index.findings_of.get(study_id, ()))
    quotes = {f: [corpus.quotes[q] for q in index.quotes_of.get(f, ())] for f in findings}
    groups = list(dict.fromkeys(corpus.roles[q.role].group for f in findings for q in quotes[f]))
    by_stage = {f: {s: sum(q.stage == s for q in quotes[f]) for s in stages} for f in findings}
    by_group: dict[str, dict[str, list[str]]] = {}
    for f in findings:
        by_group[f] = {g: [] for g in groups}
        for q in quotes[f]:
            by_group[f][corpus.roles[q.role].group].append(q.id)
    linking = {s: set(index.links_to(("stage", s))) for s in stages}
    findings_at = {s: sum(("finding", f) in linking[s] for f in findings) for s in stages}
    assigned = [f for f in findings if by_editors(corpus.findings[f], "stage")]
    return {
        "findings_at": findings_at,
        "by_editors": assigned,
        "stages": stages,
        "groups": groups,
        "findings": findings,
        "by_stage": by_stage,
        "by_group": by_group,
    }


def across_studies(corpus: Corpus, index: Index) -> dict[str, Any]:
    """For the studies index: every model stage that a study uses (by model, in order), and for
    each study how many of its findings are assigned to each stage of its model."""
    models = list(dict.fromkeys(s.model for s in corpus.studies.values() if s.model))
    stages = [stage for model in models for stage in index.stages_of.get(model, ())]
    counts: dict[str, dict[str, int]] = {study: {} for study in corpus.studies}
    for stage in stages:
        for kind, ident in index.links_to(("stage", stage)):
            if kind == "finding":
                row = counts[corpus.findings[ident].study]
                row[stage] = row.get(stage, 0) + 1
    return {"stages": stages, "stage_counts": counts}


def review_tables(review_id: str, corpus: Corpus, index: Index) -> Iterator[PagePlan]:
    """A review's Summary of Qualitative Findings and Evidence Profile, as pages and as CSV
    (each row a review finding, with its contributing studies)."""
    review = corpus.reviews[review_id]
    rows = [r[1] for r in index.links_to(("review", review_id)) if r[0] == "review_finding"]
    studies = {r: contributing_studies(corpus.review_findings[r], corpus) for r in rows}
    values = {"entity": review, "rows": rows, "contributing": studies}
    for name in ("soqf", "evidence-profile"):
        yield PagePlan(f"reviews/{review_id}/{name}.md", f"review-{name}.md.j2", values)
        yield PagePlan(f"data/reviews/{review_id}-{name}.csv", f"review-{name}.csv.j2", values)


def page_plan(corpus: Corpus, index: Index, bibliography: list[str]) -> Iterator[PagePlan]:
    """Every Markdown page of the site, in a stable order; `bibliography` is every reference's
    key in the order of the style's reference list (the CSL stage's Citer.bibliography_order)."""
    for path, template in (
        ("index.md", "home.md.j2"),
        ("about.md", "about.md.j2"),
        ("how-to-cite.md", "how-to-cite.md.j2"),
        ("models/index.md", "models.md.j2"),
    ):
        yield PagePlan(path, template, {})
    for kind in [*(kind.name for kind in KINDS if kind.folder), "reference"]:
        for ident in corpus.collection(kind):
            yield from _entity_pages((kind, ident), f"{kind}.md.j2", corpus, index)
    for study in corpus.studies.values():
        if study.citation_notes or study.uncited_references:
            yield PagePlan(source_notes_page(study.id), "source-notes.md.j2", {"entity": study})
        yield PagePlan(
            matrix_page(study.id),
            "matrix.md.j2",
            {"entity": study, **evidence_matrix(study.id, corpus, index)},
        )
    yield from _index_pages(
        "studies", "studies.md.j2", list(corpus.studies), across_studies(corpus, index), STUDY_ROWS
    )
    for review in corpus.reviews.values():
        yield from review_tables(review.id, corpus, index)
    by_term = sorted(corpus.concepts, key=lambda c: (corpus.concepts[c].term.lower(), c))
    yield from _index_pages("concepts", "concepts.md.j2", by_term, {})
    by_group = [r for g in corpus.groups for r in index.roles_of.get(g, ())]
    yield from _index_pages("roles", "roles.md.j2", by_group, {})
    yield from _index_pages("findings", "findings-index.md.j2", list(corpus.findings), {})
    assessed = [f for f in corpus.findings if corpus.findings[f].cerqual]
    if assessed:
        yield from _index_pages("soqf", "soqf.md.j2", assessed, {})
    yield from _index_pages("quotes", "quotes-index.md.j2", list(corpus.quotes), {}, QUOTE_ROWS)
    yield from _index_pages("bibliography", "bibliography.md.j2", bibliography, {})


def plan_site(
    corpus: Corpus, index: Index, bibliography: list[str], anchors: AnchorPlan | None
) -> list[PagePlan]:
    """page_plan's pages, each with the old quotation anchors it holds (`moved`, from the
    permalinks of `anchors`: see pipeline.anchors.moved_by_page)."""
    moved = moved_by_page(anchors, corpus)
    plans = list(page_plan(corpus, index, bibliography))
    for plan in plans:
        plan.values.setdefault("moved", moved.get(plan.path, []))
    return plans
