"""A second import of the same project: its selections matched with the record of the first on
their text and place, never on GUIDs (a tool may mint them afresh at every export). A quotation
whose text source (by name), text and offsets are the same is unchanged (its codes may change);
one whose text is the same elsewhere in its text source has moved; one whose place overlaps a
recorded one with other words has changed; the rest are new, and what no selection matches
is gone."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from build_scripts.qdpx.draft import Quotation

Span = tuple[str, int, int]  # text source, start, end (in the text source's own text)


@dataclass(frozen=True)
class Recorded:
    """A quotation of the record: its id, text source, place and text, and its codes."""

    id: str
    text_source: str
    start: int
    end: int
    text: str
    codes: tuple[tuple[str, ...], ...]


@dataclass
class Comparison:
    """What a new export holds against the record: each as (recorded id or "", new quotation
    or None, what differs)."""

    unchanged: int = 0
    changed: list[tuple[str, Quotation, str]] = field(default_factory=list)
    new: list[Quotation] = field(default_factory=list)
    gone: list[Recorded] = field(default_factory=list)


def recorded_quotations(data: Any) -> list[Recorded] | None:
    """The quotations of a record as read from its YAML; None when it is not one."""
    items = data.get("quotations") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None
    found = []
    try:
        for item in items:
            place, quote = item["place"], item["selectors"][1]
            codes = tuple(tuple(str(name) for name in path) for path in item["codes"])
            found.append(
                Recorded(
                    str(item["id"]),
                    str(item["text_source"]),
                    int(place["start"]),
                    int(place["end"]),
                    str(quote["exact"]),
                    codes,
                )
            )
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return found


def compare(
    recorded: list[Recorded], quotations: list[Quotation], paths: dict[str, tuple[str, ...]]
) -> Comparison:
    """The new quotations against the recorded ones (see the module's docstring); `paths`
    gives each code's path by guid. Places are compared within each text source's own text."""
    result = Comparison()
    left = {(r.text_source, r.start, r.end): r for r in recorded}
    pending = []
    for quotation in quotations:
        here = _span(quotation)
        old = left.pop(here, None)
        if old is not None and old.text == quotation.text:
            codes = tuple(paths[g] for g in quotation.selection.codes)
            if codes == old.codes:
                result.unchanged += 1
            else:
                result.changed.append((old.id, quotation, "its codes changed"))
        elif old is not None:
            result.changed.append((old.id, quotation, "its words changed"))
        else:
            pending.append(quotation)
    by_text: dict[tuple[str, str], list[Span]] = {}
    for span, old in left.items():
        by_text.setdefault((old.text_source, old.text), []).append(span)
    for quotation in pending:
        old = _same_text(left, by_text, quotation) or _overlapping(left, quotation)
        if old is None:
            result.new.append(quotation)
            continue
        del left[(old.text_source, old.start, old.end)]
        moved = old.text == quotation.text
        what = f"moved from characters {old.start}–{old.end}" if moved else "its words changed"
        result.changed.append((old.id, quotation, what))
    result.gone = sorted(left.values(), key=lambda r: (r.text_source, r.start))
    return result


def _span(quotation: Quotation) -> Span:
    return (
        quotation.text_source,
        quotation.start - quotation.offset,
        quotation.end - quotation.offset,
    )


def _same_text(
    left: dict[Span, Recorded], by_text: dict[tuple[str, str], list[Span]], quotation: Quotation
) -> Recorded | None:
    """The first recorded quotation still unmatched with the same words in the same text
    source (`by_text`: the recorded places of each, in the record's order)."""
    spans = by_text.get((quotation.text_source, quotation.text), [])
    return next((left[span] for span in spans if span in left), None)


def _overlapping(left: dict[Span, Recorded], quotation: Quotation) -> Recorded | None:
    source, start, end = _span(quotation)
    return next(
        (r for r in left.values() if r.text_source == source and r.start < end and start < r.end),
        None,
    )
