"""The one question of an incremental build: which pages are outdated? A render records what
each page read of the corpus and the index (render.reads); the next render compares the
collections it reads from with the ones before, and renders again only the pages that read
something that changed. The render itself renders what it is given and never decides.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from build_scripts.pipeline.entities import Corpus, Ref
from build_scripts.pipeline.plan import PagePlan
from build_scripts.render.pages import ExportItem, Made, Page, page_source
from build_scripts.render.reads import WHOLE, Read

# The texts of pages as the last render made them: the text at a path if its
# render.pages.text_digest is the digest given, else None.
Texts = Callable[[str, str], str | None]


@dataclass(frozen=True)
class PageRecord:
    """What one page was rendered from: its plan's values, what it read, its text's digest."""

    values: dict[str, Any]
    reads: frozenset[Read]
    digest: str


@dataclass(frozen=True)
class Earlier:
    """What a render leaves for the next one: a key over everything it did not track, the
    collections it read from, a record of each page by path, and each item of the data export
    (by the entity it is about) with what it read and its line."""

    key: str
    collections: dict[str, Mapping[Any, Any]]
    pages: dict[str, PageRecord]
    export: dict[Ref, ExportItem]


_MISSING = object()


def changed(
    before: Mapping[str, Mapping[Any, Any]], after: Mapping[str, Mapping[Any, Any]]
) -> set[Read]:
    """Every read whose answer differs between two sets of collections: each key whose value
    changed, appeared or went, and WHOLE of each collection whose items (in order) differ."""
    found: set[Read] = set()
    for name in before.keys() | after.keys():
        old, new = before.get(name, {}), after.get(name, {})
        keys = [k for k in old.keys() | new.keys() if old.get(k, _MISSING) != new.get(k, _MISSING)]
        found.update((name, key) for key in keys)
        if keys or list(old) != list(new):
            found.add((name, WHOLE))
    return found


@dataclass(frozen=True)
class Outdated:
    """What one render must do: the plans to render (`todo`), the texts of the other pages
    by path (`kept`), the reads whose answers changed and the earlier render they are taken
    from (None: everything is rendered)."""

    todo: list[PagePlan]
    kept: dict[str, str]
    dirty: frozenset[Read]
    earlier: Earlier | None

    def export_item(self, ref: Ref) -> ExportItem | None:
        """The earlier render's item of the data export about ref, when nothing it read
        changed; else None (it is made again)."""
        item = self.earlier.export.get(ref) if self.earlier else None
        return None if item is None or item[0] & self.dirty else item


def outdated(
    plans: list[PagePlan],
    now: Mapping[str, Mapping[Any, Any]],
    key: str,
    earlier: Earlier | None,
    texts: Texts,
) -> Outdated:
    """Which pages must be rendered again: a page is taken from `earlier` (a render under the
    same `key`, the caller's digest of everything reads do not record) when its plan's values
    are the same, nothing it read has changed between earlier's collections and `now`, and
    `texts` still has the text it rendered; every page when earlier is None or of another key."""
    usable = earlier if earlier and earlier.key == key else None
    if usable is None:
        return Outdated(list(plans), {}, frozenset(), None)
    dirty = frozenset(changed(usable.collections, now))
    kept = {}
    for plan in plans:
        record = usable.pages.get(plan.path)
        if record is None or record.reads & dirty or record.values != plan.values:
            continue
        text = texts(plan.path, record.digest)
        if text is not None:
            kept[plan.path] = text
    todo = [plan for plan in plans if plan.path not in kept]
    return Outdated(todo, kept, dirty, usable)


def merged(
    plans: list[PagePlan],
    made: list[Made],
    todo: Outdated,
    corpus: Corpus,
) -> tuple[list[Page], dict[str, PageRecord]]:
    """Every page in the plans' order, rendered (`made`, for `todo.todo`) or kept
    (`todo.kept`), with its record for the next render."""
    fresh = {m.page.path: m for m in made}
    pages, records = [], {}
    one: dict[Read, Read] = {}  # each read one object: pages share them, and so does the state
    for plan in plans:
        if plan.path in fresh:
            page, reads = fresh[plan.path].page, fresh[plan.path].reads
            reads = frozenset(one.setdefault(r, r) for r in reads)
            records[plan.path] = PageRecord(plan.values, reads, fresh[plan.path].digest)
        else:
            assert todo.earlier is not None
            page = Page(plan.path, todo.kept[plan.path], page_source(plan, corpus))
            records[plan.path] = replace(todo.earlier.pages[plan.path], values=plan.values)
        pages.append(page)
    return pages, records
