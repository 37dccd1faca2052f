"""JSON-LD in each page's head parses as JSON and names the right schema.org type."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.sitecheck import soup

PAGES = [
    ("index.html", "WebSite"),
    ("studies/mini-study/index.html", "ScholarlyArticle"),
    ("findings/qi-methods-chosen-quickly/index.html", "Claim"),
    ("stages/framing/index.html", "DefinedTerm"),
    ("concepts/social-movement/index.html", "DefinedTerm"),
    ("models/three-stages/index.html", "DefinedTermSet"),
    ("bibliography/bate2004/index.html", "ScholarlyArticle"),
    ("bibliography/crossley2002/index.html", "Book"),
    ("bibliography/bate2010/index.html", "Chapter"),
    ("roles/quality-manager/index.html", "WebPage"),
    ("quotes/index.html", "WebPage"),
]


def jsonld(site: Path, page: str) -> dict:  # type: ignore[type-arg]
    scripts = soup(site / page).find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


@pytest.mark.parametrize(("page", "kind"), PAGES)
def test_each_page_type_has_json_ld_of_its_type(mini_site: Path, page: str, kind: str) -> None:
    data = jsonld(mini_site, page)
    assert data["@context"] == "https://schema.org"
    first = data["@graph"][0] if "@graph" in data else data
    assert first["@type"] == kind


def test_finding_json_ld_holds_its_quotations_with_speaker_roles(mini_site: Path) -> None:
    graph = jsonld(mini_site, "findings/qi-methods-chosen-quickly/index.html")["@graph"]
    quotes = [node for node in graph if node["@type"] == "Quotation"]
    assert [q["@id"] for q in quotes] == [
        "../../findings/qi-methods-chosen-quickly/#q-pdsa-push",
        "../../findings/qi-methods-chosen-quickly/#q-doctors-awkward",
    ]
    assert quotes[0]["spokenByCharacter"] == {
        "@type": "Person",
        "jobTitle": "Quality manager",
        "description": "Quality manager",
    }
    assert graph[0]["citation"][0]["@type"] == "ScholarlyArticle"


def test_json_ld_ids_resolve_from_the_page(mini_site: Path) -> None:
    data = jsonld(mini_site, "stages/framing/index.html")
    assert data["@id"] == "../../stages/framing/"
    assert data["inDefinedTermSet"] == "../../models/three-stages/"
