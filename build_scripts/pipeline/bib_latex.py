"""LaTeX decoding of BibTeX values: bibtexparser's decoder, built once and skipped on plain text."""

from __future__ import annotations

from functools import cache
from typing import Any

from bibtexparser.middlewares import LatexDecodingMiddleware
from pylatexenc import latex2text, latexwalker
from pylatexenc.macrospec import LatexContextDb

# Characters that start a macro, a group, math, a comment or a TeX special; with none of them
# and none of the context's specials ('--', "''", '~', ...), pylatexenc returns text unchanged.
_ACTIVE = frozenset("\\{}$%&~#^_")


class PlainTextFastDecoder(latex2text.LatexNodes2Text):  # type: ignore[misc]  # untyped
    """bibtexparser's default decoder, but parsing with one shared macro database and returning
    a value that holds nothing LaTeX could change as it is (pylatexenc would build the database
    and walk the text again for every value)."""

    def __init__(self, walker_context: LatexContextDb, **options: Any) -> None:
        super().__init__(**options)
        self._walker_context = walker_context
        self._specials = tuple(spec.specials_chars for spec in walker_context.iter_specials_specs())

    def latex_to_text(self, latex: str, **parse_flags: Any) -> str:
        """The text of a LaTeX value, as `LatexNodes2Text.latex_to_text` gives it."""
        if self.is_plain(latex):
            return latex
        parse_flags.setdefault("latex_context", self._walker_context)
        text: str = super().latex_to_text(latex, **parse_flags)
        return text

    def is_plain(self, value: str) -> bool:
        """True when decoding cannot change the value: no active character and no special (with
        strict spaces, bibtexparser's setting, pylatexenc keeps white space as it is)."""
        return _ACTIVE.isdisjoint(value) and not any(s in value for s in self._specials)


@cache
def latex_decoder() -> PlainTextFastDecoder:
    """The decoder LatexDecodingMiddleware() builds by default (same context, same options),
    with \\textasciicircum read as '^'."""
    text_context = latex2text.get_default_latex_context_db()
    text_context.add_context_category(
        "bibtexparse-default-context",
        prepend=True,
        macros=[
            latex2text.MacroTextSpec("url", simplify_repl="%s"),  # no '<...>' around urls
            # LaTeX's text circumflex is '^' (pylatexenc gives the modifier letter 'ˆ').
            latex2text.MacroTextSpec("textasciicircum", simplify_repl="^"),
        ],
    )
    return PlainTextFastDecoder(
        latexwalker.get_default_latex_context_db(),
        latex_context=text_context,
        keep_braced_groups=False,
        math_mode="verbatim",
    )


def latex_decoding_middleware() -> LatexDecodingMiddleware:
    """bibtexparser's LaTeX decoding step with the shared fast decoder."""
    return LatexDecodingMiddleware(decoder=latex_decoder())
