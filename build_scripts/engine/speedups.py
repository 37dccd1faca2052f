"""Patches of dependencies that make a build faster without changing what it writes, each
switched on explicitly by the command line (never by a stage). The byte-for-byte and golden
tests run with them on, as a build does."""

from __future__ import annotations

from typing import Any

from citeproc import model as citeproc_model


def memoise_citeproc_style_lookups() -> None:
    """citeproc-py asks lxml the same XPath questions of the (unchanging) style tree many times a
    build: remember the answers, per style element and expression. For the whole process;
    calling it again does nothing."""
    element = citeproc_model.CitationStylesElement
    if getattr(element, "_memoised", False):
        return
    search = element.xpath_search
    answers: dict[tuple[Any, str], Any] = {}

    def xpath_search(self: Any, expression: str) -> Any:
        key = (self, expression)
        if key not in answers:
            answers[key] = search(self, expression)
        return answers[key]

    element.xpath_search = xpath_search
    element._memoised = True
