"""The order a reader walks a study's findings in, and the part of it a finding page shows in
its left column: derived once from the corpus, for the index and the page plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from build_scripts.pipeline.entities import Finding, Study

# Findings named either side of the current one in a finding page's left column: the column
# names at most 2 * COLUMN_REACH + 1 findings, however many its study has.
COLUMN_REACH = 20


def reading_order(
    studies: dict[str, Study], findings: dict[str, Finding]
) -> dict[str, tuple[str, ...]]:
    """Each study's findings in its sections' order, and within a section in the order the
    files define them."""
    by_section: dict[tuple[str, str], list[str]] = {}
    for finding in findings.values():
        by_section.setdefault((finding.study, finding.section), []).append(finding.id)
    return {
        study.id: tuple(
            ident
            for section in study.sections
            for ident in by_section.get((study.id, section.id), [])
        )
        for study in studies.values()
    }


def neighbours(order: dict[str, tuple[str, ...]]) -> dict[str, tuple[str | None, str | None]]:
    """For each finding, the finding before it and the one after it in its study's reading
    order (None at either end); the last of one section leads to the first of the next."""
    found: dict[str, tuple[str | None, str | None]] = {}
    for ids in order.values():
        for number, ident in enumerate(ids):
            before = ids[number - 1] if number > 0 else None
            after = ids[number + 1] if number + 1 < len(ids) else None
            found[ident] = (before, after)
    return found


@dataclass(frozen=True)
class ColumnSection:
    """One section of a study in a finding page's left column, with the findings it names."""

    id: str
    title: str
    findings: tuple[str, ...]
    total: int


@dataclass(frozen=True)
class StudyColumn:
    """A finding page's left column: its study's sections in order, each with its findings
    near the current one (all of them when the study has few)."""

    study: str
    current: str
    sections: tuple[ColumnSection, ...]
    shown: int
    total: int


def study_column(
    finding: Finding, study: Study, order: tuple[str, ...], findings: Mapping[str, Finding]
) -> StudyColumn:
    """The left column of a finding's page: a window of its study's reading order around it,
    grouped by section, so that the column is bounded whatever the size of the study."""
    at = order.index(finding.id)
    size = 2 * COLUMN_REACH + 1
    low = max(0, min(at - COLUMN_REACH, len(order) - size))
    window = order[low : low + size]
    sections = tuple(
        ColumnSection(
            section.id,
            section.title,
            tuple(i for i in window if findings[i].section == section.id),
            sum(findings[i].section == section.id for i in order),
        )
        for section in study.sections
    )
    return StudyColumn(study.id, finding.id, sections, len(window), len(order))
