"""Ids for what a draft makes: lowercase slugs of the names in the QDA project, unique within
their collection and apart from the ids the project already uses."""

from __future__ import annotations

import re
import unicodedata

from build_scripts.pipeline.bib_checks import is_reserved

MAX_SLUG = 60


def slug(name: str, fallback: str) -> str:
    """name as an id (`^[a-z0-9]+(-[a-z0-9]+)*$`): letters without accents, lower case, every
    other run of characters one hyphen; fallback when nothing is left."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    text = "-".join(words)[:MAX_SLUG].strip("-") or fallback
    return f"{fallback}-{text}" if is_reserved(text) else text


class Ids:
    """Hands out ids of one collection, never one that is taken (by the project or before)."""

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken = set(taken or ())

    def claim(self, *candidates: str) -> str:
        """The first candidate not taken, else the last with the first free -2, -3, ..."""
        for candidate in candidates:
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        number = 2
        while f"{candidates[-1]}-{number}" in self.taken:
            number += 1
        chosen = f"{candidates[-1]}-{number}"
        self.taken.add(chosen)
        return chosen
