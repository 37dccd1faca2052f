"""The one error type every stage reports: a place in a file and a message a person can act on."""

from __future__ import annotations

from dataclasses import dataclass

# Where a problem comes from: the content (YAML, BibTeX), the environment (a variable, an
# installed file) or the engine (a warning of the site's build).
ORIGINS = ("content", "environment", "engine")


@dataclass(frozen=True, order=True)
class Problem:
    """A mistake at a place (path relative to the project root; line 0: the path as a whole,
    such as an environment variable or a missing file), with its severity and origin."""

    path: str
    line: int
    column: int
    message: str
    severity: str = "error"
    origin: str = "content"

    def __str__(self) -> str:
        place = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        return f"{place}: {self.message}"


class ProblemsFound(Exception):
    """Raised at a stage boundary when the content has problems; carries all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems)
