"""The entities of a review across studies (a qualitative evidence synthesis): the review, with
its question, method, included studies and search flow, and its review findings, each with its
supporting evidence and its GRADE-CERQual assessment (Lewin et al. 2018). Typed data only; the
corpus (pipeline.model) holds them, and checks of them live in pipeline.review_checks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

# GRADE-CERQual's four components, in the order its tables give them, with their headings.
COMPONENTS = (
    ("methodological_limitations", "Methodological limitations"),
    ("coherence", "Coherence"),
    ("adequacy", "Adequacy of data"),
    ("relevance", "Relevance"),
)
# A component's judgement, from the least concern to the most.
CONCERNS = ("no or very minor concerns", "minor concerns", "moderate concerns", "serious concerns")
# Overall confidence, from the highest, with what each level says of the finding (CERQual).
CONFIDENCE = {
    "high": "It is highly likely that the review finding is a reasonable representation of the "
    "phenomenon of interest.",
    "moderate": "It is likely that the review finding is a reasonable representation of the "
    "phenomenon of interest.",
    "low": "It is possible that the review finding is a reasonable representation of the "
    "phenomenon of interest.",
    "very low": "It is not clear whether the review finding is a reasonable representation of "
    "the phenomenon of interest.",
}


@dataclass(frozen=True)
class Component:
    """One component of a GRADE-CERQual assessment: a judgement of concern, explained."""

    judgement: str
    explanation: str


@dataclass(frozen=True)
class Assessment:
    """A review finding's GRADE-CERQual assessment."""

    methodological_limitations: Component
    coherence: Component
    adequacy: Component
    relevance: Component
    confidence: str
    explanation: str

    def components(self) -> list[tuple[str, Component]]:
        """(heading, component) in GRADE-CERQual's order."""
        return [(heading, getattr(self, name)) for name, heading in COMPONENTS]


@dataclass(frozen=True)
class Exclusion:
    reason: str
    count: int


@dataclass(frozen=True)
class Prisma:
    """The search's flow, as PRISMA 2020 counts it."""

    identified: int
    screened: int
    included: int
    duplicates_removed: int | None = None
    excluded_screening: int | None = None
    full_texts: int | None = None
    excluded_full_text: tuple[Exclusion, ...] = ()


@dataclass(frozen=True)
class Review:
    id: str
    title: str
    question: str
    method: str
    studies: tuple[str, ...]
    perspective: str | None = None
    method_notes: str | None = None
    prisma: Prisma | None = None
    aliases: tuple[str, ...] = ()
    kind: str = "review"
    # Fields the schema has and this class does not name (a new prose field): kept as data.
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class ReviewFinding:
    id: str
    review: str
    title: str
    statement: str
    assessment: Assessment
    assessment_basis: Literal["editors", "authors"]
    group: str | None = None
    findings: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    kind: str = "review_finding"
    # Fields the schema has and this class does not name (a new prose field): kept as data.
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)


def review_from(data: dict[str, Any]) -> Review:
    """A review from its validated content."""
    known = {"id", "title", "question", "method", "perspective", "method_notes", "aliases"}
    fields: dict[str, Any] = {k: v for k, v in data.items() if k in known}
    fields["aliases"] = tuple(data.get("aliases", ()))
    prisma = data.get("prisma")
    if prisma:
        exclusions = tuple(Exclusion(**e) for e in prisma.get("excluded_full_text", ()))
        prisma = Prisma(**{**prisma, "excluded_full_text": exclusions})
    extra = {k: v for k, v in data.items() if k not in known | {"studies", "prisma"}}
    return Review(**fields, studies=tuple(data["studies"]), prisma=prisma, extra=extra)


def review_finding_from(data: dict[str, Any]) -> ReviewFinding:
    """A review finding from its validated content."""
    raw = data["assessment"]
    parts = {name: Component(**raw[name]) for name, _ in COMPONENTS}
    assessment = Assessment(**parts, confidence=raw["confidence"], explanation=raw["explanation"])
    known = {"id", "review", "title", "statement", "assessment_basis", "group"}
    fields: dict[str, Any] = {k: v for k, v in data.items() if k in known}
    for name in ("findings", "quotes", "aliases"):
        fields[name] = tuple(data.get(name, ()))
    extra = {k: v for k, v in data.items() if k not in {*fields, "assessment"}}
    return ReviewFinding(**fields, assessment=assessment, extra=extra)
