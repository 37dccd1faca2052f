"""Each quotation is placed in its study's source text: section, paragraph and W3C selectors,
shown on its page and given in the export and the JSON-LD."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from build_scripts.pipeline.load import load_project
from build_scripts.pipeline.locate import AFFIX, SourceText, context, normalise
from build_scripts.pipeline.model import build_corpus
from build_scripts.pipeline.sources import check_quotations
from build_scripts.pipeline.validate import collect_entities
from tests.conftest import MINI, PROJECT
from tests.sitecheck import soup
from tests.test_sources import first_error, project_copy

SOURCE = "sources/waring-crompton-2017.txt"
MOBILISING = ("Findings", "Mobilising the movement through local action groups")


@given(
    st.text(alphabet="ab.\u2019\u201c\u2014- \t\n\u00a0\u2028", max_size=40),
    st.integers(min_value=0),
    st.integers(min_value=1),
)
def test_a_passage_is_found_where_the_text_as_it_is_holds_it(text: str, at: int, size: int) -> None:
    normalised = normalise(text)
    passage = normalised[at % max(1, len(normalised)) :][:size].strip()
    found = SourceText(text).find(passage)
    if not passage:
        assert found is None
        return
    assert found is not None
    start, end = found
    assert normalise(text[start:end]) == passage
    assert not text[start].isspace() and not text[end - 1].isspace()
    # The first place: no earlier start holds it.
    assert passage not in normalise(text[:start] + text[start:end][:-1])


def test_every_quotation_of_the_paper_is_located_in_a_section_and_paragraph() -> None:
    corpus = build_corpus(load_project(PROJECT))
    text = (PROJECT / SOURCE).read_text(encoding="utf-8")
    assert list(corpus.locations) == list(corpus.quotes)
    for ident, place in corpus.locations.items():
        assert place.source == SOURCE
        assert place.section[0] == "Findings" and len(place.section) == 2, ident
        assert place.paragraph >= 1
        assert place.exact == text[place.start : place.end]
        assert normalise(place.exact) == normalise(corpus.quotes[ident].text)
        assert place.prefix == text[place.start - AFFIX : place.start]
        assert place.suffix == text[place.end : place.end + AFFIX]


@pytest.mark.parametrize(
    ("quote", "section", "paragraph", "line"),
    [
        # The paragraph counts from the heading (line 177 of the text), one line each.
        ("q-unlock-bureaucracy-nursing-director", MOBILISING, 2, 181),
        ("q-coach-and-control-lag-leaders", MOBILISING, 18, 213),
        ("q-pdsa-big-push-quality-manager", ("Findings", "Adopting a movement approach"), 2, 133),
        ("q-spin-nurse", ("Findings", "Clinicians' reactions"), 9, 253),
    ],
)
def test_a_quotation_is_placed_in_the_paragraph_that_prints_it(
    quote: str, section: tuple[str, ...], paragraph: int, line: int
) -> None:
    place = build_corpus(load_project(PROJECT)).locations[quote]
    text = (PROJECT / SOURCE).read_text(encoding="utf-8")
    assert (place.section, place.paragraph) == (section, paragraph)
    assert text.count("\n", 0, place.start) + 1 == line
    assert text.splitlines()[line - 1].startswith(place.exact)


def test_any_quotation_with_one_character_changed_fails_at_its_own_line() -> None:
    raw = load_project(PROJECT)
    entities, _ = collect_entities(raw.files)
    for ident, quote in entities["quotes"].items():
        text = quote.data["text"]
        middle = len(text) // 2 + next(
            i for i, c in enumerate(text[len(text) // 2 :]) if c.isalpha()
        )
        changed = text[:middle] + ("x" if text[middle] != "x" else "y") + text[middle + 1 :]
        quotes = {**entities["quotes"], ident: replace(quote, data={**quote.data, "text": changed})}
        problems = list(check_quotations({**entities, "quotes": quotes}, raw.sources))
        line, column = quote.file.position((*quote.key, "text"))
        assert [(p.path, p.line, p.column) for p in problems] == [(quote.file.path, line, column)]
        passage = problems[0].message.split("closest passage: “")[1].split("”; differences")[0]
        assert passage == normalise(text), ident


def test_a_heading_not_in_the_text_is_an_error_at_its_title(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project_copy(tmp_path)
    study = root / "content" / "study.yaml"
    text = study.read_text(encoding="utf-8")
    study.write_text(text.replace('"Data Analysis"', '"Data Analyses"'), encoding="utf-8")
    line = text[: text.index('"Data Analysis"')].count("\n") + 1
    assert first_error(root, capsys) == (
        f"content/study.yaml:{line}:16: heading 'Data Analyses' is not a paragraph of {SOURCE} "
        "after the heading 'Data Collection'; a heading is a line of the text as printed, with "
        "blank lines around it, and the headings are listed in the text's order"
    )


def test_headings_out_of_the_texts_order_are_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project_copy(tmp_path)
    study = root / "content" / "study.yaml"
    text = study.read_text(encoding="utf-8")
    swapped = text.replace('"Introduction"', '"@"').replace('"The study"', '"Introduction"')
    study.write_text(swapped.replace('"@"', '"The study"'), encoding="utf-8")
    assert first_error(root, capsys).startswith(
        f"content/study.yaml:10:16: heading 'Social movements for health improvement?' is not a "
        f"paragraph of {SOURCE} after the heading 'The study';"
    )


def test_the_quotation_block_says_where_in_the_source_it_is(mini_site: Path) -> None:
    page = soup(mini_site / "findings/qi-methods-chosen-quickly/index.html")
    places = page.select("figure.evidence-quote .quote-place a")
    assert [a.get_text() for a in places] == [
        "Findings › Adopting a movement approach, paragraph 2",
        "Findings › Adopting a movement approach, paragraph 5",
    ]
    target = (mini_site / "findings/qi-methods-chosen-quickly" / places[0]["href"]).resolve()
    assert target == (mini_site / SOURCE).resolve()
    assert target.read_text(encoding="utf-8") == (MINI / SOURCE).read_text(encoding="utf-8")


def test_the_export_and_the_json_ld_carry_the_selectors(mini_site: Path) -> None:
    text = (mini_site / SOURCE).read_text(encoding="utf-8")
    export = json.loads((mini_site / "data/evidence.json").read_text(encoding="utf-8"))
    quote = next(q for q in export["quotes"] if q["id"] == "q-pdsa-push")
    where = quote["location"]
    assert where["source"] == SOURCE
    assert where["section"] == ["Findings", "Adopting a movement approach"]
    assert (where["paragraph"], where["label"]) == (
        2,
        "Findings › Adopting a movement approach, paragraph 2",
    )
    exact, position = where["selector"]
    assert exact["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
    assert text[position["start"] : position["end"]] == exact["exact"]
    assert text[: position["start"]].endswith(exact["prefix"])
    assert text[position["end"] :].startswith(exact["suffix"])
    assert normalise(exact["exact"]) == normalise(quote["text"])
    scripts = soup(mini_site / "findings/qi-methods-chosen-quickly/index.html").find_all(
        "script", type="application/ld+json"
    )
    graph = json.loads(scripts[0].string)["@graph"]
    node = next(n for n in graph if n["@type"] == "Quotation")
    oa = "http://www.w3.org/ns/oa#"
    assert node[f"{oa}hasSource"] == {"@id": f"../../{SOURCE}"}
    quote_selector, position_selector = node[f"{oa}hasSelector"]
    assert quote_selector[f"{oa}exact"] == exact["exact"]
    assert (position_selector[f"{oa}start"], position_selector[f"{oa}end"]) == (
        position["start"],
        position["end"],
    )


def test_the_context_is_the_sentence_before_and_the_sentence_after() -> None:
    corpus = build_corpus(load_project(PROJECT))
    place = corpus.locations["q-pdsa-big-push-quality-manager"]
    before, after = context(corpus.source_texts[SOURCE], place.start, place.end)
    assert before.startswith("It was described how this group identified relatively quickly")
    assert before.endswith("exemplar hospitals (e.g. Virginia Mason in Seattle).")
    assert after == (
        "(Quality manager) [T]hese techniques make a difference to how people work and "
        "patients are treated."
    )


@pytest.mark.parametrize(
    ("text", "quote", "before", "after"),
    [
        # An ellipsis and an abbreviation do not end a sentence; a blank line does.
        (
            "One. Two . . . three e.g. four «Q» five. Six.",
            "«Q»",
            "Two . . . three e.g. four",
            "five.",
        ),
        (
            "One.\n\nTwo three\n\n«Q»\n\n(speaker) Next one. More.",
            "«Q»",
            "Two three",
            "(speaker) Next one.",
        ),
        ("«Q» she said, (softly). Then.", "«Q»", "", "she said, (softly)."),
    ],
)
def test_the_context_stops_at_the_edges_of_sentences(
    text: str, quote: str, before: str, after: str
) -> None:
    start = text.index(quote)
    assert context(text, start, start + len(quote)) == (before, after)


def test_a_quotation_shows_its_context_on_its_finding_page(mini_site: Path) -> None:
    page = soup(mini_site / "findings/qi-methods-chosen-quickly/index.html")
    shown = page.select("figure.evidence-quote details.quote-context p")
    assert len(shown) == 2
    assert shown[0].mark.get_text().startswith("PDSA is a well-established industry technique.")
    assert shown[0].get_text().startswith("It was described how this group identified")
