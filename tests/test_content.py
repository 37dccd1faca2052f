"""The paper's content held to its source: verbatim quotations, the whole reference list, findings."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from build_scripts.pipeline.citations import cited_keys
from build_scripts.pipeline.entities import Corpus
from build_scripts.pipeline.load import load_project
from build_scripts.pipeline.model import build_corpus, prose_of
from build_scripts.pipeline.validate import validate_project
from tests.conftest import PROJECT, build, copy_corpus
from tests.sitecheck import broken_links, pages, reachable, soup

SOURCE = Path(__file__).parent / "source" / "waring-crompton-2017-full-text.txt"
ATTRIBUTION = re.compile(r"^(?P<text>.+?)\s*\((?P<speaker>[^()]+?)\)\.?\s*$")


def normalise(text: str) -> str:
    """Only whitespace and typographic quote marks are normalised."""
    for curly, plain in (("‘", "'"), ("’", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, plain)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def source() -> str:
    return SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    raw = load_project(PROJECT)
    assert validate_project(raw) == []
    return build_corpus(raw)


def findings_paragraphs(source: str) -> list[str]:
    """Quotation paragraphs of the Findings section: each ends in a bracketed attribution."""
    section = source.split("\nFindings\n", 1)[1].split("\nDiscussion\n", 1)[0]
    quotes = []
    for paragraph in section.split("\n\n"):
        match = ATTRIBUTION.match(paragraph.strip())
        if (
            match
            and not match.group("speaker")[:1].isdigit()
            and "e.g." not in match.group("speaker")
        ):
            quotes.append(normalise(paragraph))
    return quotes


def test_every_quotation_is_verbatim_in_the_paper(corpus: Corpus, source: str) -> None:
    text = normalise(source)
    missing = [q.id for q in corpus.quotes.values() if normalise(q.text) not in text]
    assert missing == []


def test_every_quotation_is_attributed_as_printed(corpus: Corpus, source: str) -> None:
    paragraphs = findings_paragraphs(source)
    wrong = [
        q.id
        for q in corpus.quotes.values()
        if not any(
            p.startswith(normalise(q.text))
            and f"({normalise(q.speaker)})" in p[len(normalise(q.text)) :]
            for p in paragraphs
        )
    ]
    assert wrong == []


def test_every_quotation_of_the_findings_section_is_on_the_site(
    corpus: Corpus, source: str
) -> None:
    ours = [normalise(q.text) for q in corpus.quotes.values()]
    paragraphs = findings_paragraphs(source)
    assert len(paragraphs) == 41
    absent = [p[:60] for p in paragraphs if not any(p.startswith(q) for q in ours)]
    assert absent == []
    assert len(ours) == len(set(ours)) == len(paragraphs)


def _fold(name: str) -> str:
    ascii_name = (
        unicodedata.normalize("NFKD", name.replace("Ø", "O")).encode("ascii", "ignore").decode()
    )
    return re.sub(r"[^a-z]", "", ascii_name.lower())


def test_every_reference_list_entry_is_in_the_bibliography(corpus: Corpus, source: str) -> None:
    listed = source.split("\nReferences\n", 1)[1]
    entries = re.findall(r"^- (.+?), .*?\((\d{4})\)", listed, flags=re.MULTILINE)
    assert len(entries) == 52
    ours = set()
    for ref in corpus.references.values():
        names = ref.fields.get("author") or ref.fields.get("editor")
        ours.add((_fold(" ".join([*names[0].von, *names[0].last])), str(ref.fields["year"])))
    missing = [(family, year) for family, year in entries if (_fold(family), year) not in ours]
    assert missing == []
    assert "waring2017" in corpus.references
    assert corpus.references["waring2017"].fields["doi"] == "10.1111/1467-9566.12560"


def test_no_identifier_is_invented(corpus: Corpus) -> None:
    with_ids = {k for k, r in corpus.references.items() if {"doi", "url", "isbn"} & set(r.fields)}
    assert with_ids == {"waring2017", "west2015"}


def test_every_finding_has_a_section_and_evidence(corpus: Corpus) -> None:
    quoted = {q.finding for q in corpus.quotes.values()}
    for finding in corpus.findings.values():
        study = corpus.studies[finding.study]
        assert study.section(finding.section)
        assert finding.id in quoted or cited_keys(" ".join(prose_of(finding, corpus.schema))), (
            finding.id
        )


def test_the_model_has_its_three_stages_in_order(corpus: Corpus) -> None:
    stages = sorted(corpus.stages.values(), key=lambda s: s.number)
    assert [s.title for s in stages] == ["Framing", "Mobilising", "Sustaining and mainstreaming"]


@pytest.fixture(scope="module")
def paper_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_corpus(PROJECT, tmp_path_factory.mktemp("paper") / "paper")
    assert build(root) == 0
    return root / "site"


def test_the_paper_site_builds_with_no_broken_link(paper_site: Path) -> None:
    site = paper_site
    assert broken_links(site) == []
    assert set(pages(site)) - reachable(site) - {"404.html"} == set()
    assert max((site / p).stat().st_size for p in pages(site)) < 150_000


def test_source_notes_list_every_discrepancy_and_uncited_reference(paper_site: Path) -> None:
    page = soup(paper_site / "studies/waring-crompton-2017/source-notes/index.html")
    printed = [row.find("td").get_text(" ", strip=True) for row in page.select("table tbody tr")]
    assert printed == [
        "di Castillo et al. 2016",
        "de la Porte and Diani 2006",
        "Hensby et al. 2011",
        "McGivern et al. (2015)",
        "del Castillo 2016",
        "Llewellyn 2000",
    ]
    links = {a["href"] for a in page.select("table tbody a")}
    assert "../../../bibliography/delaporta2009/" in links
    uncited = page.find(id="_uncited").find_next("ul").get_text(" ")
    assert "Banaszak-Holl" in uncited and "Snow 2004" in uncited


def test_bibliography_entry_links_to_its_source_note(paper_site: Path) -> None:
    page = soup(paper_site / "bibliography/hensby2012/index.html").find("article")
    hrefs = [a["href"] for a in page.find_all("a")]
    assert "../../studies/waring-crompton-2017/source-notes/#note-hensby-2011" in hrefs


def test_timeline_is_a_figure_of_dated_events(paper_site: Path) -> None:
    figure = soup(paper_site / "studies/waring-crompton-2017/index.html").select_one(
        "figure.timeline"
    )
    times = [t["datetime"] for t in figure.select("li time")]
    assert len(times) >= 10 and "2013-10" in times and "2014-09" in times
    assert "Figure 1" in figure.find("figcaption").get_text()


def test_bibliography_lists_every_entry_once_with_its_page(
    paper_site: Path, corpus: Corpus
) -> None:
    page = soup(paper_site / "bibliography/index.html")
    listed = [div["id"] for div in page.select("div.reference")]
    assert sorted(listed) == sorted(corpus.references)
    for key in corpus.references:
        entry = soup(paper_site / f"bibliography/{key}/index.html")
        assert entry.find(id=key) is not None
        assert entry.find(id="_cited-by") is not None


def test_citations_read_as_the_paper_prints_them(paper_site: Path) -> None:
    text = " ".join(
        soup(paper_site / "stages/framing/index.html").find("article").get_text("").split()
    )
    assert "(Benford and Snow 2000: 615)" in text
    assert "(Bate et al. 2004)" in text
