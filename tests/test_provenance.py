"""Who made each judgement the site shows (a finding's or quotation's model stage, a role's
speaker group), read from the built mini site as parsed HTML and from its data export.

The mini corpus has both bases: qi-methods-chosen-quickly and its quotation q-pdsa-push are
placed at framing by the site's editors, receptive-context is at its stages as the paper's
authors assign them; the quality manager is grouped by the editors, the field record by the
authors."""

from __future__ import annotations

import json
from pathlib import Path

from build_scripts.build import generate
from tests.sitecheck import soup

EDITORS_REASON = (
    "The paper does not assign findings to the model's stages; the site's editors placed this one"
    " under framing because managers chose the methods before clinicians were involved."
)


def words(tag: object) -> str:
    return " ".join(tag.get_text(" ").split())  # type: ignore[attr-defined]


def paragraph(site: Path, page: str, start: str) -> str:
    """The text of the first paragraph of a page that begins so."""
    found = [words(p) for p in soup(site / page).select("article p")]
    return next(text for text in found if text.startswith(start))


def test_finding_page_says_who_assigned_its_stages_and_why(mini_site: Path) -> None:
    line = paragraph(mini_site, "findings/qi-methods-chosen-quickly/index.html", "Model stage:")
    assert (
        line == f"Model stage: Stage 1: Framing — assigned by the site's editors. {EDITORS_REASON}"
    )
    line = paragraph(mini_site, "findings/receptive-context/index.html", "Model stage:")
    assert line.startswith(
        "Model stage: Stage 1: Framing · Stage 2: Mobilising — as the paper's authors assign it."
    )


def test_quotation_caption_says_who_assigned_its_stage(mini_site: Path) -> None:
    for page in (
        "findings/qi-methods-chosen-quickly/index.html",
        "roles/quality-manager/index.html",
    ):
        caption = soup(mini_site / page).select_one("figure#q-pdsa-push figcaption")
        assert caption is not None
        assert [words(b) for b in caption.select(".basis")] == [
            "grouped by the site's editors",
            "assigned by the site's editors",
        ]
        assert "Stage 1: Framing ( assigned by the site's editors : The quotation is about" in (
            words(caption)
        )
        assert words(caption.find("em")) == "framing"  # the reason is prose
    other = soup(mini_site / "findings/qi-methods-chosen-quickly/index.html")
    unstaged = other.select("figure#q-doctors-awkward .basis")  # it has no stage, only a group
    assert [words(b) for b in unstaged] == ["as the paper's authors group it"]


def test_stage_page_says_who_assigned_each_finding_and_quotation(mini_site: Path) -> None:
    page = soup(mini_site / "stages/framing/index.html")
    findings = page.find(id="_findings").find_next("ul")
    assert [words(li) for li in findings.select("li")] == [
        (
            "Managers chose the QI methods quickly Waring and Crompton, 2017 (assigned by the"
            " site's editors)"
        ),
        (
            "A receptive context for top-down change Waring and Crompton, 2017 (as the paper's"
            " authors assign it)"
        ),
    ]
    note = page.find(id="_quotations").find_next("p", class_="basis-note")
    assert words(note) == (
        "Every quotation listed here was assigned to this stage by the site's editors, not by the"
        " paper's authors."
    )
    assert not note.find_next("ul").select(".basis")  # said once, not on each item
    mobilising = soup(mini_site / "stages/mobilising/index.html")
    note = mobilising.find(id="_findings").find_next("p", class_="basis-note")
    assert (
        words(note)
        == "Every finding listed here was assigned to this stage by the paper's authors."
    )


def test_matrix_marks_the_editors_assignments_with_a_legend(mini_site: Path) -> None:
    page = soup(mini_site / "studies/mini-study/matrix/index.html")
    legend = next(p for p in page.select("article p") if "✓†" in p.get_text())
    assert words(legend) == (
        "A tick with a dagger, ✓†, marks a stage assigned by the site's editors, not by the"
        " paper's authors; the finding's page says why."
    )
    rows = {words(tr.td): tr.select("td") for tr in page.select("table")[0].select("tbody tr")}
    editors_tick = rows["Managers chose the QI methods quickly"][1].find("span")
    assert editors_tick.get_text() == "✓†"
    assert editors_tick["title"] == f"Assigned by the site's editors: {EDITORS_REASON}"
    authors = rows["A receptive context for top-down change"]
    assert [td.get_text(strip=True) for td in authors[1:3]] == ["✓", "✓"]
    assert not authors[1].find("span")


def test_role_and_group_pages_say_who_grouped_the_role(mini_site: Path) -> None:
    role = paragraph(mini_site, "roles/quality-manager/index.html", "Speaker role")
    assert role == (
        "Speaker role of Waring and Crompton, 2017 , in the group Senior managers — grouped by the"
        " site's editors. The paper prints 'Quality manager'; the site's editors grouped the role"
        " with senior managers."
    )
    role = paragraph(mini_site, "roles/field-record-operations-manager/index.html", "Speaker role")
    assert role == (
        "Speaker role of Waring and Crompton, 2017 , in the group Field records — as the paper's"
        " authors group it."
    )
    group = paragraph(mini_site, "groups/senior-managers/index.html", "Every role")
    assert group == (
        "Every role listed here was put in this group by the site's editors, not by the paper's"
        " authors."
    )


def test_a_group_of_roles_grouped_by_both_says_so_on_each_role(mini: Path) -> None:
    people = mini / "content" / "people.yaml"
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace("group: field-records", "group: senior-managers"), "utf-8")
    page = next(p for p in generate(mini) if p.path == "groups/senior-managers.md").text
    label = ' <span class="study-label">Waring and Crompton, 2017</span>'
    assert (
        f"- [Quality manager](../roles/quality-manager.md){label} (1 quotation), grouped by" in page
    )
    assert f"operations-manager.md){label} (1 quotation), as the paper's authors group it\n" in page
    assert "Every role listed here" not in page


def test_export_carries_who_made_each_judgement_and_why(mini_site: Path) -> None:
    data = json.loads((mini_site / "data/evidence.json").read_text(encoding="utf-8"))
    finding = data["findings"][0]
    assert (finding["stages_basis"], finding["stages_rationale"]) == ("editors", EDITORS_REASON)
    assert data["findings"][1]["stages_basis"] == "authors"
    quote = data["quotes"][0]
    assert quote["stage_basis"] == "editors"
    assert quote["stage_rationale"].startswith("The quotation is about choosing the methods")
    assert (data["quotes"][1]["stage"], data["quotes"][1]["stage_basis"]) == (None, None)
    assert [(r["group_basis"], bool(r["group_rationale"])) for r in data["roles"]] == [
        ("editors", True),
        ("authors", False),
    ]
    schema = json.loads((mini_site / "data/evidence.schema.json").read_text(encoding="utf-8"))
    for kind, field in (("findings", "stages"), ("quotes", "stage"), ("roles", "group")):
        described = schema["properties"][kind]["items"]["properties"]
        assert described[f"{field}_basis"]["enum"][:2] == ["editors", "authors"]
        assert described[f"{field}_rationale"]["type"] == ["string", "null"]
    assert "group_basis" in schema["properties"]["roles"]["items"]["required"]
