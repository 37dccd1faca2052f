"""Checks of reviews across studies, on validation's entities (each with its file, key and data):
a review finding has supporting evidence, all of it from its review's included studies; and
warnings where an overall confidence departs from GRADE-CERQual's rule for its components."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from build_scripts.pipeline.load import YamlFile
from build_scripts.pipeline.problems import Problem
from build_scripts.pipeline.reviews import COMPONENTS

Entities = Mapping[str, Mapping[str, Any]]
RULE = (
    "GRADE-CERQual rates confidence down at least one level for each component with serious "
    "concerns (Lewin et al. 2018)"
)


def check_review_evidence(entities: Entities) -> Iterator[Problem]:
    """Every review finding names supporting evidence, each finding or quotation of a study its
    review includes."""
    for ident, item in entities["review_findings"].items():
        review = entities["reviews"].get(str(item.data.get("review")))
        findings, quotes = item.data.get("findings") or [], item.data.get("quotes") or []
        if not findings and not quotes:
            line, column = item.file.position((*item.key, "id"))
            message = (
                f"review finding '{ident}' has no supporting evidence: name the findings or "
                "quotations of the included studies it rests on ('findings', 'quotes')"
            )
            yield Problem(item.file.path, line, column, message)
        studies = review.data.get("studies") if review is not None else None
        if review is None or not isinstance(studies, list):
            continue  # an unknown review is check_links' to report
        if not all(isinstance(study, str) for study in studies):
            continue  # studies of the wrong type are the schema's to report
        included = set(studies)
        for field, number, study in _evidence_studies(entities, findings, quotes):
            if isinstance(study, str) and study not in included:
                line, column = item.file.position((*item.key, field, number))
                kind = "finding" if field == "findings" else "quote"
                evidence = (findings if field == "findings" else quotes)[number]
                yield Problem(
                    item.file.path,
                    line,
                    column,
                    f"{kind} '{evidence}' is of study '{study}', which review "
                    f"'{review.data['id']}' does not include (its studies: {', '.join(studies)})",
                )


def _evidence_studies(
    entities: Entities, findings: Any, quotes: Any
) -> Iterator[tuple[str, int, str | None]]:
    """(field, index, the study) of each supporting finding and quotation (None: unknown)."""
    for number, ident in enumerate(findings if isinstance(findings, list) else []):
        finding = entities["findings"].get(str(ident))
        yield "findings", number, finding.data.get("study") if finding else None
    for number, ident in enumerate(quotes if isinstance(quotes, list) else []):
        quote = entities["quotes"].get(str(ident))
        finding = entities["findings"].get(str(quote.data.get("finding"))) if quote else None
        yield "quotes", number, finding.data.get("study") if finding else None


def confidence_warnings(files: list[YamlFile]) -> Iterator[Problem]:
    """A warning at a review finding's confidence that 'high' has a component of serious
    concerns, or that 'very low' has none above minor (call on content that validates)."""
    for file in files:
        for number, item in enumerate(file.data.get("review_findings", [])):
            assessment = item["assessment"]
            judgements = {name: assessment[name]["judgement"] for name, _ in COMPONENTS}
            serious = [h.lower() for n, h in COMPONENTS if judgements[n] == "serious concerns"]
            confidence = assessment["confidence"]
            message = ""
            if confidence == "high" and serious:
                message = (
                    f"warning: confidence 'high' in review finding '{item['id']}' with serious "
                    f"concerns about {', '.join(serious)}: {RULE}"
                )
            minor = {"no or very minor concerns", "minor concerns"}
            if confidence == "very low" and set(judgements.values()) <= minor:
                message = (
                    f"warning: confidence 'very low' in review finding '{item['id']}' with no "
                    "component above minor concerns: very low is for a finding of which it is "
                    "not clear whether it represents the phenomenon; explain why, or reconsider"
                )
            if message:
                line, column = file.position(
                    ("review_findings", number, "assessment", "confidence")
                )
                yield Problem(file.path, line, column, message, severity="warning")
