"""The one error type every stage reports: a place in a file and a message a person can act on."""

from __future__ import annotations

import re
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
        """`path:line:col: message` on one line, as text: a control character (a newline, a
        terminal escape) or a character that reorders text is shown as its escape, so that
        content quoted in a message can neither split it nor forge another line."""
        place = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        return shown_as_text(f"{place}: {self.message}")


# C0 and C1 controls, DEL, the line and paragraph separators, and bidirectional controls.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def shown_as_text(text: str) -> str:
    """text with each control or reordering character written as its escape (\\n, \\x1b)."""
    return _UNSAFE.sub(lambda m: ascii(m.group())[1:-1], text)


class ProblemsFound(Exception):
    """Raised at a stage boundary when the content has problems; carries all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems)
