"""JSON-LD in each page's head parses as JSON and names the right schema.org type."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.sitecheck import soup

PAGES = [
    ("index.html", "WebSite"),
    ("studies/mini-study/index.html", "WebPage"),
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
    assert data["inDefinedTermSet"] == {"@id": "../../models/three-stages/"}


def test_a_study_page_is_a_web_page_about_the_paper(mini_site: Path) -> None:
    data = jsonld(mini_site, "studies/mini-study/index.html")
    assert data["about"]["@type"] == "ScholarlyArticle"
    assert data["about"]["sameAs"] == "https://doi.org/10.1111/1467-9566.12560"
    assert [a["family" + "Name"] for a in data["about"]["author"]] == ["Waring", "Crompton"]
    assert data["author"] == [{"@type": "Organization", "name": "Mini evidence site"}]
    assert data["isPartOf"] == {"@type": "WebSite", "@id": "../../", "name": "Mini evidence site"}


def test_links_between_nodes_are_links_and_terms_cite_through_subject_of(mini_site: Path) -> None:
    graph = jsonld(mini_site, "findings/qi-methods-chosen-quickly/index.html")["@graph"]
    quote = graph[1]
    assert quote["about"][0] == {"@id": "../../findings/qi-methods-chosen-quickly/"}
    assert graph[2]["about"] == {"@id": "../../findings/qi-methods-chosen-quickly/"}
    assert quote["isBasedOn"] == {"@id": "../../studies/mini-study/"}
    concept = jsonld(mini_site, "concepts/social-movement/index.html")
    assert "citation" not in concept
    assert [work["@type"] for work in concept["subjectOf"]] == ["Book"]


@pytest.mark.parametrize(
    ("page", "name"),
    [("about/index.html", "About this site"), ("how-to-cite/index.html", "How to cite")],
)
def test_other_pages_are_named_by_their_heading(mini_site: Path, page: str, name: str) -> None:
    data = jsonld(mini_site, page)
    assert (data["@type"], data["name"]) == ("WebPage", name)


def test_json_ld_says_who_assigned_each_stage(mini_site: Path) -> None:
    graph = jsonld(mini_site, "findings/qi-methods-chosen-quickly/index.html")["@graph"]
    claim, quote = graph[0], graph[1]
    assert claim["about"] == [
        {
            "@type": "Role",
            "about": {"@id": "../../stages/framing/"},
            "description": "Model stage assigned by the site's editors, not by the paper's "
            "authors: The paper does not assign findings to the model's stages; the site's "
            "editors placed this one under framing because managers chose the methods before "
            "clinicians were involved.",
        }
    ]
    assert quote["about"][1]["about"] == {"@id": "../../stages/framing/"}
    assert quote["about"][1]["description"].startswith("Model stage assigned by the site's editors")
    other = jsonld(mini_site, "findings/receptive-context/index.html")["@graph"][0]
    assert [node["about"]["@id"] for node in other["about"]] == [
        "../../stages/framing/",
        "../../stages/mobilising/",
    ]
    assert other["about"][0]["description"].startswith("Model stage as the paper's authors assign")
