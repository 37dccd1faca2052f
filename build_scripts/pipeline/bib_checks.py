"""Checks of BibTeX entries: keys unique and usable as permalinks, earlier keys (ids) too, and
the fields every reference needs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from build_scripts.pipeline.bibtex import BibEntry, bib_aliases
from build_scripts.pipeline.problems import Problem

# Index pages take these names (an engine reads README.md as a folder's index), in any case and
# with any extension, so no id or key may.
RESERVED_NAME = re.compile(r"(index(-[0-9]+)?|readme)(\..*)?", re.IGNORECASE)
BIB_KEY = r"[A-Za-z0-9][A-Za-z0-9_.-]*"
NOT_A_PERMALINK = (
    "cannot be a permalink: use letters, digits, '-', '_' and '.', starting with a letter or "
    "digit (and not 'index' or 'README', which name index pages)"
)


def is_reserved(name: str) -> bool:
    """A name that an index page's file has, or that an engine reads as one."""
    return RESERVED_NAME.fullmatch(name) is not None


def can_be_permalink(key: str) -> bool:
    """A BibTeX key (or earlier key) that can be a page's address, so no path leaves the site."""
    return bool(re.fullmatch(BIB_KEY, key)) and not is_reserved(key)


def check_bib_entries(entries: list[BibEntry]) -> Iterator[Problem]:
    """Keys are unique across files; each entry has a title, a year and an author or editor; its
    earlier keys (`ids`) could be permalinks and name no other entry."""
    first: dict[str, BibEntry] = {}
    folded: dict[str, BibEntry] = {}
    keys = {entry.key for entry in entries}
    owners: dict[str, str] = {}
    for entry in entries:
        seen = first.get(entry.key) or folded.get(entry.key.casefold())
        if seen is not None:
            what = "duplicate BibTeX key" if seen.key == entry.key else "BibTeX key"
            clash = (
                ""
                if seen.key == entry.key
                else f" differs from '{seen.key}' only in case: on macOS and Windows their "
                "pages would be one folder; rename one"
            )
            yield Problem(
                entry.path,
                entry.line,
                1,
                f"{what} '{entry.key}'{clash} (first at {seen.path}:{seen.line})",
            )
        first.setdefault(entry.key, entry)
        folded.setdefault(entry.key.casefold(), entry)
        if not can_be_permalink(entry.key):
            yield Problem(entry.path, entry.line, 1, f"BibTeX key '{entry.key}' {NOT_A_PERMALINK}")
        yield from _alias_problems(entry, keys, owners)
        missing = [f for f in ("title", "year") if f not in entry.fields]
        if "author" not in entry.fields and "editor" not in entry.fields:
            missing.append("author or editor")
        for name in missing:
            yield Problem(entry.path, entry.line, 1, f"BibTeX entry '{entry.key}' has no {name}")


def _alias_problems(entry: BibEntry, keys: set[str], owners: dict[str, str]) -> Iterator[Problem]:
    """An earlier key becomes the address of a redirect page: it must be able to be a permalink,
    and belong to this entry alone."""
    for alias in bib_aliases(entry.fields):
        if not can_be_permalink(alias):
            clash = NOT_A_PERMALINK
        elif alias in keys:
            clash = f"is the key of BibTeX entry '{alias}'"
        elif owners.get(alias, entry.key) != entry.key:
            clash = f"is already an earlier key of BibTeX entry '{owners[alias]}'"
        else:
            owners[alias] = entry.key
            continue
        message = f"earlier key '{alias}' (ids) of BibTeX entry '{entry.key}' {clash}"
        yield Problem(entry.path, *entry.place("ids"), message)
