"""The shared fast LaTeX decoder gives exactly what bibtexparser's default decoder gives."""

from __future__ import annotations

import bibtexparser
import pytest
from bibtexparser import Library
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from bibtexparser.model import Entry, Field, MiddlewareErrorBlock
from hypothesis import given, settings
from hypothesis import strategies as st

from build_scripts.pipeline.bib_latex import latex_decoder, latex_decoding_middleware
from build_scripts.tools.synth import write_corpus
from tests.conftest import PROJECT


def decode(middleware: LatexDecodingMiddleware, value: str) -> str:
    """What a decoding middleware turns a field's value into (or its error)."""
    block = middleware.transform_entry(Entry("misc", "k", [Field("title", value)]), Library())
    if isinstance(block, MiddlewareErrorBlock):
        return f"error: {block.error}"
    return str(block.fields_dict["title"].value)


def stock_decode(value: str) -> str:
    """What bibtexparser's LatexDecodingMiddleware() turns a value into (or its error)."""
    return decode(LatexDecodingMiddleware(), value)


def fast_decode(value: str) -> str:
    return decode(latex_decoding_middleware(), value)


def bib_values(text: str) -> list[str]:
    library = bibtexparser.parse_string(text)  # type: ignore[attr-defined]
    return [field.value for entry in library.entries for field in entry.fields]


def parsed(text: str, decoding: LatexDecodingMiddleware) -> list[tuple[str, str, str]]:
    middleware = [decoding, SeparateCoAuthors(), SplitNameParts()]
    library = bibtexparser.parse_string(text, append_middleware=middleware)  # type: ignore[attr-defined]
    return [
        (entry.key, field.key, repr(field.value))
        for entry in library.entries
        for field in entry.fields
    ]


@pytest.fixture(scope="module")
def synthetic_bib(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("synth")
    write_corpus(out, studies=12)
    return (out / "bib" / "synthetic.bib").read_text(encoding="utf-8")


def test_latex_fast_path_decodes_the_papers_bib_like_pylatexenc() -> None:
    text = (PROJECT / "bib" / "references.bib").read_text(encoding="utf-8")
    values = bib_values(text)
    assert any("\\" in value for value in values)  # escapes such as \& are in it
    assert any("Ø" in value for value in values)  # and accents such as Øvretveit
    assert [fast_decode(v) for v in values] == [stock_decode(v) for v in values]
    assert parsed(text, latex_decoding_middleware()) == parsed(text, LatexDecodingMiddleware())


def test_latex_fast_path_decodes_a_synthetic_bib_like_pylatexenc(synthetic_bib: str) -> None:
    values = bib_values(synthetic_bib)
    assert any(latex_decoder().is_plain(v) for v in values)
    assert [fast_decode(v) for v in values] == [stock_decode(v) for v in values]
    assert parsed(synthetic_bib, latex_decoding_middleware()) == parsed(
        synthetic_bib, LatexDecodingMiddleware()
    )


@pytest.mark.parametrize(
    "value",
    ["", " ", "\n\n", "a\n\n\nb", " a ", "a--b", "''x''", "``x''", "!`", "?`", "a~b", "50%"]
    + ["x_1", "a^2", "#1", "$x$", "\\&", "{\\O}vretveit", "\\url{http://a.b}", "{a} {b}", "a}"],
)
def test_latex_fast_path_decodes_edge_cases_like_pylatexenc(value: str) -> None:
    assert fast_decode(value) == stock_decode(value)


LATEX_TEXT = st.text(
    alphabet=st.sampled_from(list("aZé \t\n\r\u00a0-'`!?.,:;/\\{}$%&~#^_[]()\"<>*@0")),
    max_size=30,
)


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.one_of(LATEX_TEXT, st.text(max_size=20)))
def test_latex_fast_path_decodes_any_text_like_pylatexenc(value: str) -> None:
    assert fast_decode(value) == stock_decode(value)
