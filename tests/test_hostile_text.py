"""Text stays text in every field: hostile text in each string field of the content schema and
in each BibTeX field, built online and offline, makes no element, attribute or script anywhere
(pages, <title>, <meta>, tooltips, Mermaid, the search index, JSON-LD, the data export)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from build_scripts.pipeline.bibtex import load_bib_file
from build_scripts.pipeline.problems import Problem
from build_scripts.pipeline.schema_info import CONTENT_SCHEMA
from tests.hostile import (
    HostileCorpus,
    build_hostile_sites,
    head,
    site_findings,
    visible_text,
)

SITES = ["site", "site-offline"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> HostileCorpus:
    return build_hostile_sites(tmp_path_factory.mktemp("hostile") / "mini")


def schema_string_fields(schema: dict[str, Any], place: str) -> set[str]:
    """Every string field of the schema, as 'kind.field.subfield' ('findings.cerqual.coherence')."""
    while "$ref" in schema:
        schema = CONTENT_SCHEMA.data["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    if schema.get("type") == "string":
        return {place}
    if "oneOf" in schema:
        return {f for option in schema["oneOf"] for f in schema_string_fields(option, place)}
    if schema.get("type") == "array":
        return schema_string_fields(schema["items"], place)
    found: set[str] = set()
    for name, sub in schema.get("properties", {}).items():
        found |= schema_string_fields(sub, f"{place}.{name}" if place else name)
    return found


def field_of(place: str) -> str:
    """'content/findings.yaml.findings[0].cerqual.coherence' -> 'findings.cerqual.coherence'."""
    return re.sub(r"\[\d+\]", "", place.split(".yaml.", 1)[1])


def test_every_string_field_of_the_schema_gets_hostile_text(hostile: HostileCorpus) -> None:
    content_refused = [p for p in hostile.refused if ".yaml." in p]
    tried = {field_of(p) for p in content_refused} | {
        field_of(f.place) for f in hostile.fields if ".yaml." in f.place
    }
    assert schema_string_fields(CONTENT_SCHEMA.data, "") <= tried
    # Only fields whose values are ids, keys, dates, a fixed choice or a file's name refuse it.
    assert {field_of(p).rsplit(".", 1)[-1] for p in content_refused} <= {
        "source",
        "id",
        "aliases",
        "study",
        "section",
        "stages",
        "stage",
        "concepts",
        "related",
        "finding",
        "role",
        "group",
        "model",
        "reference",
        "start",
        "end",
        "date",
        "version",
        "orcid",
        "confidence",
        "stages_basis",
        "stage_basis",
        "group_basis",
        "citation_style",
        "locale",
        # A review's: its included studies and evidence are ids, its judgements fixed choices.
        "review",
        "studies",
        "findings",
        "quotes",
        "judgement",
        "assessment_basis",
    }
    # Of BibTeX's fields only the earlier keys (ids, the addresses of redirect pages) refuse it.
    assert {p.rsplit(".", 1)[-1] for p in hostile.refused if ".bib " in p} == {"ids"}
    assert sum(".bib " in f.place for f in hostile.fields) >= 100


@pytest.mark.parametrize("site", SITES)
def test_hostile_text_makes_no_markup_anywhere_in_the_site(
    hostile: HostileCorpus, site: str
) -> None:
    names = {f.number: f.place for f in hostile.fields}
    found = site_findings(hostile.root / site)
    assert [
        re.sub(r"payload (\d+)", lambda m: names.get(int(m.group(1)), m.group(0)), line)
        for line in found
    ] == []


@pytest.mark.parametrize("site", SITES)
def test_plain_text_and_prose_are_shown_as_written(hostile: HostileCorpus, site: str) -> None:
    text = visible_text(hostile.root / site)
    unseen = [
        f.place
        for f in hostile.fields
        if ".yaml." in f.place
        and not f.place.endswith((".url", ".citation_style", ".locale"))
        and head(f.number) not in text
    ]
    assert unseen == []
    # Escaped once, not twice: a reader never sees an entity.
    assert re.findall(r"&(?:lt|gt|amp|quot|#\d+);", text) == []


def test_data_scripts_of_the_offline_copy_are_data(hostile: HostileCorpus) -> None:
    site = hostile.root / "site-offline"
    scripts = sorted([*site.glob("data/*.js"), *site.glob("search/*.js")])
    assert [p.relative_to(site).as_posix() for p in scripts] == [
        "data/evidence.js",
        "search/search_index.js",
    ]
    for script in scripts:
        name, _, value = script.read_text(encoding="utf-8").partition("=")
        assert re.fullmatch(r"(window\.\w+|var \w+) ", name), script
        data = json.loads(value.strip().removesuffix(";"))
        assert data == json.loads(script.with_suffix(".json").read_text(encoding="utf-8"))


def test_the_export_keeps_hostile_text_as_data(hostile: HostileCorpus) -> None:
    export = json.loads((hostile.root / "site" / "data" / "evidence.json").read_text("utf-8"))
    title = export["findings"][0]["title"]
    assert head(hostile.number("content/findings.yaml.findings[0].title")) in title


def test_a_rationale_stays_text_on_its_page_tooltip_json_ld_and_export(
    hostile: HostileCorpus,
) -> None:
    number = hostile.number("content/findings.yaml.findings[0].stages_rationale")
    site = hostile.root / "site"
    finding = site / "findings" / "qi-methods-chosen-quickly" / "index.html"
    page = BeautifulSoup(finding.read_text(encoding="utf-8"), "html.parser")
    line = next(p for p in page.select("article p") if p.get_text().startswith("Model stage:"))
    assert head(number) in line.get_text()
    (claim, *_) = json.loads(page.find("script", type="application/ld+json").string)["@graph"]
    assert head(number) in claim["about"][0]["description"]
    matrix = site / "studies" / "mini-study" / "matrix" / "index.html"
    ticks = BeautifulSoup(matrix.read_text(encoding="utf-8"), "html.parser").select(
        "td span[title]"
    )
    assert any(head(number) in tick["title"] for tick in ticks)
    export = json.loads((site / "data" / "evidence.json").read_text("utf-8"))
    assert head(number) in export["findings"][0]["stages_rationale"]


def test_cite_this_exports_read_back_as_the_same_text(
    hostile: HostileCorpus, tmp_path: Path
) -> None:
    page = hostile.root / "site" / "findings" / "qi-methods-chosen-quickly" / "index.html"
    box = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one(
        "details.cite-this"
    )
    assert box is not None
    title = " ".join(
        yaml.safe_load((hostile.root / "content" / "findings.yaml").read_text("utf-8"))["findings"][
            0
        ]["title"].split()
    )
    csl = json.loads(box.select_one("code.language-json").get_text())  # type: ignore[union-attr]
    assert csl["title"] == title
    bib = tmp_path / "unit.bib"
    bib.write_text(box.select_one("code.language-bibtex").get_text(), "utf-8")  # type: ignore[union-attr]
    problems: list[Problem] = []
    (entry,) = load_bib_file(bib, tmp_path, problems)
    assert problems == []
    assert entry.fields["title"] == title
