"""Which pages link to which: the pages an entity's page names under "Linked from", derived once
from the structured links of the content (never by reading rendered pages).

A link field joins two pages both ways: a finding's page names its stages, and each stage's page
lists its findings. A quotation stands on its finding's page and on its role's page, and its
caption links its role, its role's group, its stage and (on the role's page) its finding. A
study's page and its evidence matrix list every finding of the study; the matrix also names the
model's stages and the speaker groups of the study's quotations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from build_scripts.pipeline.kinds import KIND, KINDS

if TYPE_CHECKING:
    from build_scripts.pipeline.entities import Corpus, Ref

# A study's evidence matrix as a page reference: ("matrix", study id).
MATRIX = "matrix"
# The order "Linked from" gives the kinds of page in (a matrix with its study).
PAGE_ORDER = tuple(kind.name for kind in KINDS)


def pages_linking(
    corpus: Corpus, stages_of: dict[str, tuple[str, ...]]
) -> dict[Ref, tuple[Ref, ...]]:
    """For each page (an entity with a page of its own, or a study's matrix), the pages that
    link to it, in PAGE_ORDER and, within a kind, in the order the files define them."""
    sources: dict[Ref, set[Ref]] = defaultdict(set)
    for source, target in _links(corpus, stages_of):
        if source != target:
            sources[target].add(source)
    rank = _ranks(corpus, stages_of)
    return {target: tuple(sorted(found, key=rank.__getitem__)) for target, found in sources.items()}


def _links(corpus: Corpus, stages_of: dict[str, tuple[str, ...]]) -> Iterator[tuple[Ref, Ref]]:
    """Every (page, page it links to), some more than once."""
    for kind in KINDS:
        if kind.folder is None:
            continue
        for entity in corpus.collection(kind.name).values():
            for field, target_kind in kind.links.items():
                value = getattr(entity, field)
                for ident in value if isinstance(value, tuple) else (value,):
                    if ident and KIND[target_kind].folder:
                        yield (kind.name, entity.id), (target_kind, ident)
                        yield (target_kind, ident), (kind.name, entity.id)
    for quote in corpus.quotes.values():
        yield from _caption_links(corpus, quote.id)
    for study in corpus.studies.values():
        matrix: Ref = (MATRIX, study.id)
        yield matrix, ("study", study.id)
        yield ("study", study.id), matrix
        for stage in stages_of.get(study.model or "", ()):
            yield matrix, ("stage", stage)
    for finding in corpus.findings.values():
        yield (MATRIX, finding.study), ("finding", finding.id)


def _caption_links(corpus: Corpus, quote_id: str) -> Iterator[tuple[Ref, Ref]]:
    """The links of a quotation's caption, from each page it stands on (its finding's and its
    role's), and from the pages that list it: its stage's, and its study's matrix (by group)."""
    quote = corpus.quotes[quote_id]
    finding: Ref = ("finding", quote.finding)
    role: Ref = ("role", quote.role)
    group: Ref = ("group", corpus.roles[quote.role].group)
    shown = [finding, role, group]
    if quote.stage:
        shown.append(("stage", quote.stage))
        yield ("stage", quote.stage), finding
    for page in (finding, role):
        for target in shown:
            yield page, target
    yield (MATRIX, corpus.findings[quote.finding].study), group


def _ranks(corpus: Corpus, stages_of: dict[str, tuple[str, ...]]) -> dict[Ref, tuple[int, int]]:
    """Where each page goes in a list: by PAGE_ORDER, then in the files' order (a study's matrix
    after its study, a model's stages in the model's order)."""
    ranks: dict[Ref, tuple[int, int]] = {}
    for number, study in enumerate(corpus.studies):
        ranks[(MATRIX, study)] = (PAGE_ORDER.index("study"), 2 * number + 1)
    stages = [s for model in corpus.models for s in stages_of.get(model, ())]
    for kind in KINDS:
        ids = stages if kind.name == "stage" else list(corpus.collection(kind.name))
        for number, ident in enumerate(ids):
            doubled = 2 * number if kind.name == "study" else number
            ranks[(kind.name, ident)] = (PAGE_ORDER.index(kind.name), doubled)
    return ranks
