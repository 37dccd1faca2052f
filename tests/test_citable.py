"""What reference managers read from each page type (no network): the head metadata Zotero's
Embedded Metadata translator parses, the COinS items its COinS translator parses (one per unit),
reference pages that describe the cited work, canonical links and the sitemap, and "Cite this"
exports that CSL processors and BibTeX parsers read back."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl

import bibtexparser
import pytest
import yaml
from bs4 import BeautifulSoup
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from hypothesis import given
from hypothesis import strategies as st

from build_scripts.build import load_corpus
from build_scripts.cli import main
from build_scripts.pipeline.csl import style_path
from build_scripts.render.page_head import yaml_text
from tests.conftest import MINI, PROJECT, build, copy_corpus
from tests.sitecheck import soup

BASE = "https://example.org/evidence/"
RELEASE = "2026-11-30"
EDITORS = """  editors:
    - family: Doe
      given: Jane
      orcid: 0000-0002-1825-0097
    - organisation: Example Evidence Unit
  release:
    version: "2.1.0"
    date: "2026-11-30"
"""
SITE = "Mini evidence site"
# Page, the title every translator should read, and the start of the unit's own text.
UNIT_PAGES = [
    (
        "findings/qi-methods-chosen-quickly/",
        "Managers chose the QI methods quickly",
        "The task-and-finish group",
    ),
    ("stages/framing/", "Stage 1: Framing", "Leaders frame"),
    ("concepts/social-movement/", "Social movement", "Collective action"),
    ("studies/mini-study/", "A movement for improvement?", "Managers adopted social movement"),
    ("models/three-stages/", "Three-stage model", "A model of a movement"),
    ("roles/quality-manager/", "Quality manager", "Speaker role in the group ‘Senior managers’."),
    ("groups/senior-managers/", "Senior managers", "A group of speaker roles."),
    ("", SITE, "A small fixture corpus"),
    ("about/", "About this site", "Made by the generator"),
]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The mini corpus with editors and a release, built with its address from SITE_URL (given
    without its final '/', which the build adds)."""
    root = copy_corpus(MINI, tmp_path_factory.mktemp("published") / "mini")
    site_yaml = root / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + EDITORS, encoding="utf-8")
    old = os.environ.get("SITE_URL")
    os.environ["SITE_URL"] = BASE.rstrip("/")
    try:
        assert build(root) == 0
    finally:
        if old is None:
            del os.environ["SITE_URL"]
        else:
            os.environ["SITE_URL"] = old
    yield root / "site"


def page_of(site: Path, path: str) -> BeautifulSoup:
    return soup(site / path / "index.html")


def meta(page: BeautifulSoup, name: str) -> list[str]:
    """The contents of a head's <meta name=…> or <meta property=…>, in order."""
    head = page.head
    assert head is not None
    tags = head.find_all("meta", attrs={"name": name}) + head.find_all(
        "meta", attrs={"property": name}
    )
    return [str(tag["content"]) for tag in tags]


def coins(page: BeautifulSoup) -> list[dict[str, list[str]]]:
    """Each COinS item of a page, as the translator reads it: key -> values."""
    items = []
    for span in page.select("span.Z3988[title]"):
        item: dict[str, list[str]] = {}
        for key, value in parse_qsl(str(span["title"])):
            item.setdefault(key, []).append(value)
        items.append(item)
    return items


@pytest.mark.parametrize(("path", "title", "text"), UNIT_PAGES)
def test_a_page_describes_its_unit_to_reference_managers(
    published: Path, path: str, title: str, text: str
) -> None:
    page = page_of(published, path)
    address = BASE + path
    assert meta(page, "DC.title") == meta(page, "og:title") == [title]
    assert meta(page, "DC.creator") == ["Doe, Jane", "Example Evidence Unit"]
    assert meta(page, "author") == ["Jane Doe", "Example Evidence Unit"]
    assert meta(page, "DC.date") == [RELEASE]
    assert meta(page, "og:site_name") == [SITE]
    assert meta(page, "og:type") == ["website"]
    assert meta(page, "og:url") == [address]
    assert page.head.find("link", rel="canonical")["href"] == address  # type: ignore[union-attr]
    description = meta(page, "description")
    assert len(description) == 1 and description[0].startswith(text)
    assert meta(page, "og:description") == description
    # No Highwire tag on our own pages: Zotero would save a journal article with no journal.
    assert not page.head.find_all("meta", attrs={"name": lambda n: n and "citation_" in n})  # type: ignore[union-attr]
    first = coins(page)[0]
    assert first["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:dc"]
    assert first["rft.type"] == ["webpage"]
    assert first["rft.title"] == [title]
    assert first["rft.au"] == ["Doe, Jane"]
    assert first["rft.aucorp"] == ["Example Evidence Unit"]
    assert first["rft.date"] == [RELEASE]
    assert first["rft.source"] == [SITE]
    assert first["rft.description"][0].startswith(text)
    assert first["rft_id"] == [address]


def test_each_quotation_on_a_page_is_an_item_of_its_own(published: Path) -> None:
    page = page_of(published, "findings/qi-methods-chosen-quickly/")
    items = coins(page)
    finding = BASE + "findings/qi-methods-chosen-quickly/"
    assert [item["rft_id"] for item in items] == [
        [finding],
        [finding + "#q-pdsa-push"],
        [finding + "#q-doctors-awkward"],
    ]
    assert items[1]["rft.title"][0].startswith("“PDSA is")
    assert items[1]["rft.description"][0].endswith("(Quality manager)")
    # The quotation's item sits in the quotation's own figure.
    figure = page.find(id="q-pdsa-push")
    assert figure is not None and figure.select_one("span.Z3988") is not None


def test_list_pages_offer_each_finding_and_quotation(published: Path) -> None:
    findings = coins(page_of(published, "findings/"))
    rows = page_of(published, "findings/").select("table tbody tr")
    assert len(findings) == 1 + len(rows)
    assert findings[0]["rft.title"] == ["Findings"]
    # A row's item leaves out the unit's text (its own page's item has it): rows stay small.
    assert [item for item in findings[1:] if "rft.description" in item] == []
    assert {item["rft_id"][0] for item in findings[1:]} == {
        BASE + "findings/qi-methods-chosen-quickly/",
        BASE + "findings/receptive-context/",
    }
    quotes = coins(page_of(published, "quotes/"))
    assert len(quotes) == 1 + len(page_of(published, "quotes/").select("table tbody tr"))
    assert all("#q-" in item["rft_id"][0] for item in quotes[1:])


def test_a_reference_page_describes_the_cited_work(published: Path) -> None:
    page = page_of(published, "bibliography/waring2017/")
    title = (
        "A ‘movement for improvement’? A qualitative study of the adoption of social movement "
        "strategies in the implementation of a quality improvement campaign"
    )
    assert meta(page, "citation_title") == [title]
    assert meta(page, "citation_author") == ["Waring, Justin", "Crompton, Amanda"]
    assert meta(page, "citation_publication_date") == ["2017"]
    assert meta(page, "citation_journal_title") == ["Sociology of Health & Illness"]
    assert (meta(page, "citation_volume"), meta(page, "citation_issue")) == (["39"], ["7"])
    assert (meta(page, "citation_firstpage"), meta(page, "citation_lastpage")) == (
        ["1083"],
        ["1099"],
    )
    assert meta(page, "citation_doi") == ["10.1111/1467-9566.12560"]
    assert meta(page, "DC.title") == meta(page, "og:type") == []
    [work] = coins(page)
    assert work["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:journal"]
    assert work["rft.jtitle"] == ["Sociology of Health & Illness"]
    assert work["rft.au"] == ["Waring, Justin", "Crompton, Amanda"]
    assert (work["rft.date"], work["rft.spage"], work["rft.epage"]) == (
        ["2017"],
        ["1083"],
        ["1099"],
    )
    assert work["rft_id"] == ["info:doi/10.1111/1467-9566.12560"]


@pytest.mark.parametrize(
    ("key", "genre", "title_key"),
    [("crossley2002", "book", "rft.btitle"), ("bate2010", "bookitem", "rft.atitle")],
)
def test_books_and_chapters_are_saved_as_such(
    published: Path, key: str, genre: str, title_key: str
) -> None:
    [work] = coins(page_of(published, f"bibliography/{key}/"))
    assert work["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:book"]
    assert work["rft.genre"] == [genre]
    assert work[title_key] and work["rft.au"]


def test_a_study_page_offers_one_item_its_own(published: Path) -> None:
    """Not the article too: a reference manager lists items by title alone, and the two would
    read the same (the article is saved from its bibliography page, linked beside it)."""
    items = coins(page_of(published, "studies/mini-study/"))
    assert [item["rft.type"] for item in items] == [["webpage"]]


def test_the_sitemap_lists_every_page_at_its_canonical_address(published: Path) -> None:
    sitemap = BeautifulSoup((published / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    listed = [loc.get_text() for loc in sitemap.find_all("loc")]
    pages = [
        p
        for p in sorted(published.rglob("index.html"))
        if p.parent.name not in ("search",)
        and not soup(p).find("meta", attrs={"http-equiv": "refresh"})
    ]
    canonical = [soup(p).head.find("link", rel="canonical")["href"] for p in pages]  # type: ignore[union-attr, index]
    assert sorted(listed) == sorted(canonical)
    assert len(listed) == len(pages)
    assert {lastmod.get_text() for lastmod in sitemap.find_all("lastmod")} == {RELEASE}


def test_an_unpublished_site_claims_no_address(mini_site: Path) -> None:
    page = page_of(mini_site, "findings/qi-methods-chosen-quickly/")
    assert page.head.find("link", rel="canonical") is None  # type: ignore[union-attr]
    assert meta(page, "og:url") == []
    assert "<loc>" not in (mini_site / "sitemap.xml").read_text(encoding="utf-8")
    # Without editors the site is the corporate author; without a release, no date.
    assert meta(page, "DC.creator") == [SITE]
    assert meta(page, "DC.date") == []
    span = page.select_one("span.Z3988")
    assert span is not None and span["data-permalink"] == "findings/qi-methods-chosen-quickly/"
    item = dict(parse_qsl(str(span["title"])))
    assert "rft_id" not in item and item["rft.aucorp"] == SITE


KINDS = [
    ("studies/mini-study/", "Study"),
    ("models/three-stages/", "Model"),
    ("stages/framing/", "Model stage"),
    ("findings/qi-methods-chosen-quickly/", "Finding"),
    ("findings/qi-methods-chosen-quickly/#q-pdsa-push", "Quotation"),
    ("roles/quality-manager/", "Speaker role"),
    ("groups/senior-managers/", "Speaker group"),
    ("concepts/social-movement/", "Concept"),
]


def cite_box(site: Path, address: str) -> tuple[str, str, str]:
    path, _, fragment = address.partition("#")
    page = page_of(site, path)
    scope = page.find(id=fragment) if fragment else page
    box = scope.select_one("details.cite-this")  # type: ignore[union-attr]
    assert box is not None
    text, bibtex, csl = (code.get_text() for code in box.select("pre code"))
    return text, bibtex, csl


@pytest.mark.parametrize(("address", "genre"), KINDS)
def test_cite_this_csl_json_is_a_web_page_that_citeproc_formats(
    published: Path, address: str, genre: str
) -> None:
    _, _, csl = cite_box(published, address)
    item = json.loads(csl)
    assert (item["type"], item["genre"], item["URL"]) == ("webpage", genre, BASE + address)
    assert item["container-title"] == SITE
    assert item["author"] == [
        {"family": "Doe", "given": "Jane"},
        {"literal": "Example Evidence Unit"},
    ]
    assert item["issued"] == item["accessed"] == {"date-parts": [[2026, 11, 30]]}
    assert item["version"] == "2.1.0"
    style = CitationStylesStyle(str(style_path("harvard-cite-them-right")), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), citeproc_formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    [entry] = [str(e) for e in bibliography.bibliography()]
    assert entry.startswith("Doe, J. and Example Evidence Unit (2026)")
    assert item["title"] in entry and BASE + address in entry


@pytest.mark.parametrize(("address", "genre"), KINDS)
def test_cite_this_bibtex_is_a_biblatex_online_entry(
    published: Path, address: str, genre: str
) -> None:
    _, bibtex, _ = cite_box(published, address)
    library = bibtexparser.parse_string(bibtex)
    [entry] = library.entries
    assert not library.failed_blocks
    assert entry.entry_type == "online"
    fields = {field.key: field.value for field in entry.fields}
    assert fields["author"] == "Doe, Jane and {Example Evidence Unit}"
    assert (fields["date"], fields["urldate"], fields["url"]) == (RELEASE, RELEASE, BASE + address)
    assert fields["note"].startswith(genre)


def test_json_ld_ids_are_absolute_and_editors_are_people(published: Path) -> None:
    page = page_of(published, "findings/qi-methods-chosen-quickly/")
    script = page.find("script", type="application/ld+json")
    assert script is not None
    claim, *quotes = json.loads(script.get_text())["@graph"]
    assert claim["@id"] == BASE + "findings/qi-methods-chosen-quickly/"
    assert claim["isBasedOn"] == {"@id": BASE + "studies/mini-study/"}
    assert claim["author"][0] == {
        "@type": "Person",
        "@id": "https://orcid.org/0000-0002-1825-0097",
        "name": "Jane Doe",
        "familyName": "Doe",
        "givenName": "Jane",
    }
    assert claim["author"][1] == {"@type": "Organization", "name": "Example Evidence Unit"}
    assert (claim["datePublished"], claim["version"]) == (RELEASE, "2.1.0")
    assert quotes[0]["@id"] == BASE + "findings/qi-methods-chosen-quickly/#q-pdsa-push"


def test_the_about_page_names_the_editors_and_the_version(published: Path) -> None:
    text = page_of(published, "about/").get_text(" ", strip=True)
    assert "Edited by Jane Doe ( ORCID 0000-0002-1825-0097 ), Example Evidence Unit." in text
    assert "This is version 2.1.0 of the site, released on 2026-11-30." in text


def test_a_site_address_from_the_environment_must_be_one(
    mini: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITE_URL", "example.org/evidence")
    assert main(["check", "--root", str(mini)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "SITE_URL (environment variable): 'example.org/evidence' is not a site address: give an "
        "absolute http(s) address such as https://example.org/evidence/, with no spaces, "
        "quotes, <, >, \\, ^, `, {, | or }"
    )


def test_a_release_date_must_be_a_day(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site_yaml = mini / "content" / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8") + EDITORS.replace("2026-11-30", "2026-02-30")
    site_yaml.write_text(text, encoding="utf-8")
    assert main(["check", "--root", str(mini)]) == 1
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "2026-02-30" in row)
    assert capsys.readouterr().err.splitlines()[0] == (
        f"content/site.yaml:{line}:11: release date '2026-02-30' is not a day of the calendar "
        "(YYYY-MM-DD)"
    )


@given(st.text(st.characters(exclude_categories=("Cs",))))
def test_front_matter_text_reads_back_as_written(text: str) -> None:
    assert yaml.safe_load(f"key: {yaml_text(text)}\n") == {"key": text}


def test_the_release_is_recorded_in_the_changelog() -> None:
    """A release is changed on purpose: the project's site.yaml names one the changelog has."""
    release = load_corpus(PROJECT)[0].site.release
    assert release is not None
    headings = (PROJECT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
    assert f"## {release.date} — release {release.version}" in headings


def test_problems_say_their_severity_and_origin(
    mini: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITE_URL", "example.org/evidence")
    assert main(["check", "--root", str(mini), "--format", "json"]) == 1
    records = json.loads(capsys.readouterr().out)
    assert [(r["path"], r["line"], r["severity"], r["origin"]) for r in records] == [
        ("SITE_URL (environment variable)", 0, "error", "environment")
    ]
