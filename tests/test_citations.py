"""Pandoc citation syntax in prose fields."""

from __future__ import annotations

from build_scripts.pipeline.citations import CiteItem, parse_citations, parse_locator


def items(text: str) -> list[tuple[bool, tuple[CiteItem, ...]]]:
    clusters, errors = parse_citations(text)
    assert errors == []
    return [(c.narrative, c.items) for c in clusters]


def test_bracketed_citation() -> None:
    assert items("As shown [@bate2004].") == [(False, (CiteItem("bate2004"),))]


def test_citation_with_page_locator() -> None:
    assert items("[@bate2004, p. 64]") == [(False, (CiteItem("bate2004", ("page", "64")),))]


def test_several_works_in_one_citation() -> None:
    assert items("[@benford2000; @crossley2002]") == [
        (False, (CiteItem("benford2000"), CiteItem("crossley2002")))
    ]


def test_narrative_citation() -> None:
    assert items("For @bate2004, framing comes first.") == [(True, (CiteItem("bate2004"),))]


def test_prefix_and_suppressed_author() -> None:
    assert items("[see @a, pp. 1-2; -@b]") == [
        (False, (CiteItem("a", ("page", "1-2"), prefix="see"), CiteItem("b", suppress_author=True)))
    ]


def test_email_address_is_not_a_citation() -> None:
    assert items("Write to Justin.waring@nottingham.ac.uk today.") == []


def test_markdown_link_is_not_a_citation() -> None:
    assert items("[text](https://example.org/@user)") == []


def test_sentence_end_is_not_part_of_the_key() -> None:
    assert items("as argued by @crossley2002.") == [(True, (CiteItem("crossley2002"),))]


def test_malformed_citation_is_an_error() -> None:
    clusters, errors = parse_citations("[@a; b]")
    assert clusters == []
    assert [e.message for e in errors] == ["malformed citation '[@a; b]'"]


def test_unclosed_bracket_is_an_error() -> None:
    _, errors = parse_citations("text [@bate2004, p. 64")
    assert [e.message for e in errors] == ["citation bracket '[' is never closed"]


def test_locator_labels() -> None:
    assert parse_locator("p. 615") == ("page", "615")
    assert parse_locator("ch. 3") == ("chapter", "3")
    assert parse_locator("20") == ("page", "20")


def test_narrative_citation_with_bracketed_locator() -> None:
    assert items("@bate2004 [p. 64] suggests") == [(True, (CiteItem("bate2004", ("page", "64")),))]
