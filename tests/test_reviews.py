"""Reviews across studies with GRADE-CERQual confidence (issue 31), on the two-study corpus with a
fictional review of both studies laid over it (tests/fixtures/review)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from build_scripts.cli import main
from tests.conftest import CONFIG
from tests.test_bad_input import run
from tests.test_several_studies import FICTIONAL_LABEL, MINI_LABEL, two_studies

REVIEW = Path(__file__).parent / "fixtures" / "review"
FINDING = "review-findings/ownership-grows-locally"


def with_review(dest: Path) -> Path:
    """The two-study corpus with the fictional review added."""
    root = two_studies(dest)
    shutil.copytree(REVIEW, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected"))
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = with_review(tmp_path_factory.mktemp("review") / "review")
    assert main(["build", "--root", str(root), "--config", str(CONFIG)]) == 0
    return root / "site"


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def _edit(root: Path, old: str, new: str) -> None:
    path = root / "content" / "review.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_review_finding_shows_its_confidence_and_components(site: Path) -> None:
    finding = page(site, FINDING)
    confidence = finding.select_one("p.confidence")
    assert confidence.get_text(" ", strip=True) == (
        "Confidence (GRADE-CERQual): moderate. It is likely that the review finding is a "
        "reasonable representation of the phenomenon of interest."
    )
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in finding.find(id="_assessment").find_next("table").select("tbody tr")
    ]
    assert [row[:2] for row in rows] == [
        ["Methodological limitations", "minor concerns"],
        ["Coherence", "no or very minor concerns"],
        ["Adequacy of data", "moderate concerns"],
        ["Relevance", "minor concerns"],
    ]
    assert rows[2][2] == "Two studies only, both thin."
    assert "Assessed by the site's editors, not by the review's authors." in finding.get_text()


def test_a_review_finding_shows_its_evidence_study_by_study_verbatim(site: Path) -> None:
    finding = page(site, FINDING)
    studies = [h.get_text(strip=True).rstrip("¶") for h in finding.select("h3[id^=_study-]")]
    assert studies == [MINI_LABEL, FICTIONAL_LABEL]
    quotes = finding.select("figure.evidence-quote")
    assert [q["id"] for q in quotes] == ["q-pdsa-push", "q-fictional-our-change"]
    assert quotes[1].blockquote.get_text(strip=True) == "It felt like our change, not theirs."
    permalink = quotes[1].find("a", string="permalink #q-fictional-our-change")
    assert (
        permalink["href"] == "../../findings/ward-sisters-owned-the-change/#q-fictional-our-change"
    )
    assert finding.select_one("details.cite-this summary").get_text() == "Cite this review finding"


def test_the_review_page_gives_its_question_studies_flow_and_findings(site: Path) -> None:
    review = page(site, "reviews/fictional-review")
    text = review.select_one("article").get_text(" ", strip=True)
    assert "How do staff come to own a quality improvement change?" in text
    assert [li.get_text(" ", strip=True) for li in review.select("ol.prisma-flow li")] == [
        "Records identified: 40",
        "Duplicates removed: 5",
        "Records screened: 35",
        "Records excluded on screening: 25",
        "Full texts assessed: 10",
        "Full texts excluded, with reasons: Not qualitative (8)",
        "Studies included: 2",
    ]
    listed = review.find(id="_findings").find_next("ol").get_text(" ", strip=True)
    assert listed.startswith("Ownership of change grew locally (a fictional review finding)")
    assert "confidence: moderate" in listed


def test_a_finding_used_as_evidence_links_back_to_the_review_finding(site: Path) -> None:
    finding = page(site, "findings/ward-sisters-owned-the-change")
    linked = finding.find(id="_linked-from").find_next("ul").get_text(" ", strip=True)
    assert (
        "Review findings: Ownership of change grew locally (a fictional review finding)" in linked
    )


def test_a_review_finding_without_evidence_is_an_error_at_its_id(tmp_path: Path) -> None:
    root = with_review(tmp_path / "r")
    _edit(root, "    findings: [qi-methods-chosen-quickly, ward-sisters-owned-the-change]\n", "")
    _edit(root, "    quotes: [q-pdsa-push, q-fictional-our-change]\n", "")
    result = run(root, "check")
    assert result.stderr.splitlines() == [
        (
            "content/review.yaml:22:9: review finding 'ownership-grows-locally' has no "
            "supporting evidence: name the findings or quotations of the included studies it "
            "rests on ('findings', 'quotes')"
        ),
        "1 problem(s); nothing was written.",
    ]


def test_evidence_from_a_study_the_review_does_not_include_is_an_error(tmp_path: Path) -> None:
    root = with_review(tmp_path / "r")
    _edit(root, "    studies: [mini-study, fictional-ward-study]", "    studies: [mini-study]")
    result = run(root, "check")
    assert result.stderr.splitlines() == [
        (
            "content/review.yaml:27:43: finding 'ward-sisters-owned-the-change' is of study "
            "'fictional-ward-study', which review 'fictional-review' does not include (its "
            "studies: mini-study)"
        ),
        (
            "content/review.yaml:28:27: quote 'q-fictional-our-change' is of study "
            "'fictional-ward-study', which review 'fictional-review' does not include (its "
            "studies: mini-study)"
        ),
        "2 problem(s); nothing was written.",
    ]


def test_a_judgement_without_its_explanation_is_an_error(tmp_path: Path) -> None:
    root = with_review(tmp_path / "r")
    _edit(
        root,
        "{judgement: minor concerns, explanation: Invented for the tests.}",
        "{judgement: minor concerns}",
    )
    result = run(root, "check")
    assert result.stderr.splitlines()[0] == (
        "content/review.yaml:30:35: missing field 'explanation' in review finding "
        "'ownership-grows-locally'"
    )


def test_high_confidence_with_a_serious_concern_is_a_warning_quoting_the_rule(
    tmp_path: Path,
) -> None:
    root = with_review(tmp_path / "r")
    _edit(root, "adequacy: {judgement: moderate concerns", "adequacy: {judgement: serious concerns")
    _edit(root, "      confidence: moderate\n", "      confidence: high\n")
    result = run(root, "check")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        (
            "content/review.yaml:34:19: warning: confidence 'high' in review finding "
            "'ownership-grows-locally' with serious concerns about adequacy of data: "
            "GRADE-CERQual rates confidence down at least one level for each component with "
            "serious concerns (Lewin et al. 2018)"
        )
    ]


def test_very_low_confidence_with_no_component_above_minor_is_a_warning(tmp_path: Path) -> None:
    root = with_review(tmp_path / "r")
    _edit(root, "adequacy: {judgement: moderate concerns", "adequacy: {judgement: minor concerns")
    _edit(root, "      confidence: moderate\n", "      confidence: very low\n")
    result = run(root, "check")
    assert result.returncode == 0
    assert result.stderr.splitlines()[0].startswith(
        "content/review.yaml:34:19: warning: confidence 'very low' in review finding "
        "'ownership-grows-locally' with no component above minor concerns"
    )


def test_the_soqf_and_evidence_profile_list_every_review_finding(site: Path) -> None:
    soqf = page(site, "reviews/fictional-review/soqf")
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in soqf.select("tbody tr")
    ]
    assert len(rows) == 1
    assert rows[0][0].startswith("Ownership of change grew locally (a fictional review finding) :")
    assert rows[0][1:3] == [f"{MINI_LABEL} ; {FICTIONAL_LABEL}", "moderate"]
    links = soqf.select("tbody tr td")[1].find_all("a")
    assert [a["href"] for a in links] == [
        "../../../studies/mini-study/",
        "../../../studies/fictional-ward-study/",
    ]
    profile = page(site, "reviews/fictional-review/evidence-profile")
    cells = [td.get_text(" ", strip=True) for td in profile.select("tbody tr td")]
    assert cells[2:6] == [
        "minor concerns : Invented for the tests.",
        "no or very minor concerns : Invented for the tests.",
        "moderate concerns : Two studies only, both thin.",
        "minor concerns : Invented for the tests.",
    ]


def test_the_wide_tables_have_the_page_without_its_sidebars(site: Path) -> None:
    for name in ("soqf", "evidence-profile"):
        soup = page(site, f"reviews/fictional-review/{name}")
        assert soup.select_one(".md-sidebar--primary").has_attr("hidden"), name
        assert soup.select_one(".md-sidebar--secondary").has_attr("hidden"), name
    review = page(site, "reviews/fictional-review")
    assert not review.select_one(".md-sidebar--primary").has_attr("hidden")


def test_the_tables_read_back_from_csv_as_the_pages_give_them(site: Path) -> None:
    import csv

    path = site / "data" / "reviews" / "fictional-review-evidence-profile.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8, as spreadsheets read it
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, *records = list(csv.reader(handle))
    assert header[:3] == ["Review finding", "Studies contributing", "Methodological limitations"]
    assert records == [
        [
            "Ownership of change grew locally (a fictional review finding)",
            f"{MINI_LABEL}; {FICTIONAL_LABEL}",
            "minor concerns",
            "Invented for the tests.",
            "no or very minor concerns",
            "Invented for the tests.",
            "moderate concerns",
            "Two studies only, both thin.",
            "minor concerns",
            "Invented for the tests.",
            "moderate",
            "Moderate, because of concerns about adequacy (a fictional judgement).",
            "review-findings/ownership-grows-locally/",
        ]
    ]


def test_a_cell_a_spreadsheet_would_read_as_a_formula_stays_text() -> None:
    from build_scripts.render.pages import csv_table

    table = csv_table([['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", 'plain, with "quotes"']])
    assert table == '\ufeff"\'=HYPERLINK(""x"")",\'+1,\'-2,\'@SUM(A1),"plain, with ""quotes"""\r\n'


def test_the_review_page_sets_its_findings_against_its_studies(site: Path) -> None:
    review = page(site, "reviews/fictional-review")
    table = review.find(id="_by-study").find_next("table")
    heads = table.select("thead th")
    assert [th.get_text(strip=True) for th in heads] == ["Study", "1"]
    assert heads[1].a["title"] == "Ownership of change grew locally (a fictional review finding)"
    rows = [
        [td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.select("tbody tr")
    ]
    assert rows == [[MINI_LABEL, "2"], [FICTIONAL_LABEL, "2"]]
    link = table.select("tbody td a")[-1]
    assert (
        link["href"] == "../../review-findings/ownership-grows-locally/#_study-fictional-ward-study"
    )


def test_a_review_finding_is_a_claim_of_its_review_rated_with_its_confidence(site: Path) -> None:
    import json

    script = page(site, FINDING).find("script", type="application/ld+json")
    claim = json.loads(script.get_text())
    assert claim["@type"] == "Claim"
    assert claim["isPartOf"]["@id"].endswith("reviews/fictional-review/")
    assert [link["@id"].rsplit("/", 2)[-2:] for link in claim["isBasedOn"]] == [
        ["qi-methods-chosen-quickly", ""],
        ["ward-sisters-owned-the-change", ""],
        ["qi-methods-chosen-quickly", "#q-pdsa-push"],
        ["ward-sisters-owned-the-change", "#q-fictional-our-change"],
    ]
    rating = claim["review"]["reviewRating"]
    assert (rating["ratingValue"], rating["bestRating"], rating["ratingExplanation"]) == (
        3,
        4,
        "moderate",
    )


def test_the_review_draws_its_search_flow_and_sets_its_studies_side_by_side(site: Path) -> None:
    review = page(site, "reviews/fictional-review")
    diagram = review.select_one("pre.mermaid").get_text()
    assert "accTitle: Flow of the search and selection" in diagram
    assert 'identified["Records identified: 40"]' in diagram
    assert 'reasons["Full texts excluded: Not qualitative (8)"]' in diagram
    assert "identified --> screened --> full --> included" in diagram
    rows = review.select(".study-characteristics tbody tr")
    assert [tr.find("td").get_text() for tr in rows] == [MINI_LABEL, FICTIONAL_LABEL]
