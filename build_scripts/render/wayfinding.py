"""What lets a reader find their way on an entity page: the groups of "Linked from", and a
finding page's left column as data for its front matter (overrides/main.html draws it)."""

from __future__ import annotations

from typing import Any

from build_scripts.pipeline.backlinks import MATRIX
from build_scripts.pipeline.entities import Ref
from build_scripts.pipeline.kinds import KIND
from build_scripts.pipeline.reading import StudyColumn
from build_scripts.render.context import PageContext


def by_kind(refs: Any) -> list[tuple[str, list[Ref]]]:
    """Pages in "Linked from" order, grouped by kind: (the kind's label for a list of its pages,
    those pages); a study's matrix goes with its study's page."""
    groups: list[tuple[str, list[Ref]]] = []
    for ref in refs:
        label = KIND["study" if ref[0] == MATRIX else ref[0]].pages_label
        if not groups or groups[-1][0] != label:
            groups.append((label, []))
        groups[-1][1].append(ref)
    return groups


def study_nav(ctx: PageContext, column: StudyColumn) -> dict[str, Any]:
    """A finding page's left column as front matter (`study_nav`): text and addresses from this
    page, ready to draw; the theme override escapes every value for HTML."""
    study = ("study", column.study)
    return {
        "label": f"Findings of {ctx.short_title(column.study)}",
        "title": ctx.short_title(column.study),
        "href": ctx.href(study),
        "shown": column.shown,
        "total": column.total,
        "sections": [
            {
                "title": section.title,
                "href": f"{ctx.href(study)}#{section.id}",
                "total": section.total,
                "findings": [
                    {
                        "title": ctx.name(("finding", ident)),
                        "href": ctx.href(("finding", ident)),
                        "current": ident == column.current,
                    }
                    for ident in section.findings
                ],
            }
            for section in column.sections
        ],
    }
