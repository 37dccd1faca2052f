"""What each page reads of the corpus and the index, so that after an edit only the pages that
read something that changed are rendered again.

A page's template and context reach the content through the corpus' collections and the index's
mappings. Rendering a page with `tracked` copies of both records every key it looks up, and
every collection it goes through whole. Everything else a page depends on (the site's settings,
the templates, the generator's own code, the options) is not tracked: a change there renders
every page again (the caller's key over them, see build.generation_key). Which pages that is,
is decided by state.outdated.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import fields, replace
from typing import Any

from build_scripts.pipeline.entities import Corpus, Index

# A read: (the name of a collection, a key of it); WHOLE as key: the collection gone through.
Read = tuple[str, Any]
WHOLE = "*"
# What every formatted citation depends on: the bibliography (each form is made from its entry
# alone, with the site's style and locale, which the caller's key covers).
CITATIONS: Read = ("references", WHOLE)


class Reads:
    """The reads of the page being rendered (`current`), gathered by `tracked` collections."""

    def __init__(self) -> None:
        self.current: set[Read] = set()

    def start(self) -> None:
        """Begin a page: nothing read yet."""
        self.current = set()

    def taken(self) -> frozenset[Read]:
        """Everything read since `start`."""
        return frozenset(self.current)


class Recorded(Mapping[Any, Any]):
    """A read-only view of a mapping that records, in `reads`, each key looked up (also by `in`
    and `get`) and the whole mapping when it is gone through or counted."""

    def __init__(self, name: str, data: Mapping[Any, Any], reads: Reads) -> None:
        self._name, self._data, self._reads = name, data, reads

    def __getitem__(self, key: Any) -> Any:
        self._reads.current.add((self._name, key))
        return self._data[key]

    def __iter__(self) -> Iterator[Any]:
        self._reads.current.add((self._name, WHOLE))
        return iter(self._data)

    def __len__(self) -> int:
        self._reads.current.add((self._name, WHOLE))
        return len(self._data)


def collections(corpus: Corpus, index: Index) -> dict[str, Mapping[Any, Any]]:
    """Every collection a page can read, by name: the corpus' entities by kind (and where
    each is written) and the index's mappings, each named after its field."""
    named: dict[str, Mapping[Any, Any]] = {}
    for holder in (corpus, index):
        for field in fields(holder):
            value = getattr(holder, field.name)
            if isinstance(value, Mapping):
                named[field.name] = value
    return named


def tracked(corpus: Corpus, index: Index, reads: Reads) -> tuple[Corpus, Index]:
    """Copies of corpus and index whose collections record what is read of them in `reads`."""

    def recorded(holder: Any) -> dict[str, Any]:
        return {
            field.name: Recorded(field.name, getattr(holder, field.name), reads)
            for field in fields(holder)
            if isinstance(getattr(holder, field.name), Mapping)
        }

    # The records stand in for the dicts the types name: nothing writes to them here.
    return replace(corpus, **recorded(corpus)), replace(index, **recorded(index))
