"""Load stage, BibTeX: bib/*.bib parsed by bibtexparser 2, names split and LaTeX decoded, every
block it skipped a problem with its line."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts

from build_scripts.pipeline.bib_latex import latex_decoding_middleware
from build_scripts.pipeline.problems import Problem
from build_scripts.pipeline.text_files import Position, read_text

# bibtexparser logs each block it skips; we report those blocks as problems instead.
logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

# BibTeX values nest a few braces; LaTeX decoding recurses into each group, so the bound keeps
# it far from Python's stack limit.
MAX_BRACE_DEPTH = 32


@dataclass(frozen=True)
class BibEntry:
    """A parsed BibTeX entry with its names split and LaTeX decoded."""

    key: str
    entry_type: str
    fields: dict[str, Any]
    path: str
    line: int
    places: dict[str, Position] = field(default_factory=dict, compare=False)

    def place(self, name: str) -> Position:
        """Where a field is written (line, column); the entry's start when not known."""
        return self.places.get(name, (self.line, 1))


def load_bib_file(path: Path, root: Path, problems: list[Problem]) -> list[BibEntry]:
    """Parse a BibTeX file; every block the parser skipped becomes a problem with its line."""
    rel = path.relative_to(root).as_posix()
    text = read_text(path, rel, problems, root)
    if text is None:
        return []
    entries, found = parse_bib(rel, text)
    problems.extend(found)
    return entries


def parse_bib(rel: str, text: str) -> tuple[list[BibEntry], list[Problem]]:
    """The entries of the BibTeX file at rel from its text, and its problems."""
    too_deep = _deep_brace(text)
    if too_deep is not None:
        message = f"braces nested over {MAX_BRACE_DEPTH} levels deep here; BibTeX needs a few"
        return [], [Problem(rel, *too_deep, message)]
    problems: list[Problem] = []
    library = bibtexparser.parse_string(  # type: ignore[attr-defined]
        text, append_middleware=[latex_decoding_middleware(), SeparateCoAuthors(), SplitNameParts()]
    )
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        found = re.search(r"(?<!\\)&", line)
        if found and not line.lstrip().startswith("%"):
            problems.append(
                Problem(
                    rel,
                    number,
                    found.start() + 1,
                    "unescaped '&' (LaTeX drops it, so the text would lose it); write \\&",
                )
            )
    for block in library.failed_blocks:
        problems.append(Problem(rel, (block.start_line or 0) + 1, 1, _failed_block_message(block)))
    entries = [
        BibEntry(
            key=entry.key,
            entry_type=entry.entry_type.lower(),
            fields={f.key.lower(): f.value for f in entry.fields},
            path=rel,
            line=(entry.start_line or 0) + 1,
            places={f.key.lower(): _field_place(lines, f) for f in entry.fields},
        )
        for entry in library.entries
    ]
    return entries, problems


def _field_place(lines: list[str], found: Any) -> Position:
    """The line and column where a parsed field's name stands."""
    line = (found.start_line or 0) + 1
    text = lines[line - 1] if line <= len(lines) else ""
    return (line, max(text.lower().find(found.key.lower()), 0) + 1)


def bib_aliases(fields: dict[str, Any]) -> tuple[str, ...]:
    """The earlier keys of an entry: biblatex's `ids` field, a comma-separated list."""
    return tuple(key.strip() for key in str(fields.get("ids", "")).split(",") if key.strip())


_BRACE = re.compile(r"\\[^\n]|[{}\n]")


def _deep_brace(text: str) -> Position | None:
    """Where braces first nest deeper than MAX_BRACE_DEPTH (LaTeX decoding recurses into
    each group), as (line, column); None when they never do. Escaped braces do not count."""
    depth, line, line_start = 0, 1, 0
    for found in _BRACE.finditer(text):
        char = found.group()
        if char == "\n":
            line, line_start = line + 1, found.end()
        elif char == "{":
            depth += 1
            if depth > MAX_BRACE_DEPTH:
                return (line, found.start() - line_start + 1)
        elif char == "}":
            depth = max(depth - 1, 0)
    return None


def _failed_block_message(block: Any) -> str:
    if type(block).__name__ == "DuplicateBlockKeyBlock":
        return f"duplicate BibTeX key '{block.key}'"
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", None) or str(error or "").strip() or "unknown reason"
    return f"BibTeX entry does not parse: {reason.strip()} (unbalanced braces or a missing comma?)"
