"""The one error type every stage reports: a place in a file and a message a person can act on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """A user mistake at a place in a file (path relative to the project root)."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class ProblemsFound(Exception):
    """Raised at a stage boundary when the content has problems; carries all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems)
