"""The example review (examples/review, `make example`): a fictional review of three invented
studies, labelled fictional on every page, that builds with no problem and no warning."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import PROJECT
from tests.test_bad_input import run

EXAMPLE = PROJECT / "examples" / "review"
LABELS = {
    "ward-a-study": "Ashby, 2021",
    "clinic-b-study": "Brook, 2022",
    "home-c-study": "Carver, 2023",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example") / "review"
    for part in ("content", "bib", "sources"):
        shutil.copytree(EXAMPLE / part, root / part)
    done = run(root, "build", timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [f"Built 41 pages into {root / 'site'}"]  # no warning
    return root / "site"


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_every_page_says_the_example_is_fictional(site: Path) -> None:
    for path in sorted(site.rglob("index.html")):
        document = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if document.find("meta", attrs={"http-equiv": "refresh"}):
            continue
        header = document.select_one(".md-header__topic .md-ellipsis").get_text(strip=True)
        assert header.startswith("Fictional example"), path


def test_the_soqf_lists_every_review_finding_with_its_studies_and_confidence(site: Path) -> None:
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in page(site, "reviews/owning-change-review/soqf").select("tbody tr")
    ]
    assert [(row[1], row[2]) for row in rows] == [
        (f"{LABELS['ward-a-study']} ; {LABELS['clinic-b-study']}", "moderate"),
        (
            f"{LABELS['ward-a-study']} ; {LABELS['clinic-b-study']} ; {LABELS['home-c-study']}",
            "high",
        ),
        (LABELS["home-c-study"], "low"),
    ]


def test_a_review_finding_quotes_its_evidence_verbatim_with_its_address(site: Path) -> None:
    finding = page(site, "review-findings/asked-first-owned-it")
    quotes = finding.select("figure.evidence-quote")
    assert [q.blockquote.get_text(strip=True) for q in quotes] == [
        "It was our idea, so we kept at it.",
        "For once somebody asked us first.",
        "The posters told us what we had already decided, apparently.",
    ]
    link = quotes[2].find("a", string="permalink #q-clinic-b-posters")
    assert link["href"] == "../../findings/posters-imposed-change/#q-clinic-b-posters"
    place = quotes[2].select_one(".quote-place a")
    assert place.get_text() == "Findings, paragraph 1"


def test_synth_adds_a_review_across_its_studies_that_validates(tmp_path: Path) -> None:
    from build_scripts.build import load_corpus
    from build_scripts.tools.synth import write_corpus

    write_corpus(tmp_path, studies=5, review_findings=7)
    warnings: list[object] = []
    corpus = load_corpus(tmp_path, warnings)[0]
    assert warnings == []
    [review] = corpus.reviews.values()
    assert len(review.studies) == 5 and len(corpus.review_findings) == 7
    assert all(f.findings and f.quotes for f in corpus.review_findings.values())


def test_on_the_example_high_with_a_serious_concern_is_a_warning_at_its_line(
    tmp_path: Path,
) -> None:
    root = tmp_path / "review"
    for part in ("content", "bib", "sources"):
        shutil.copytree(EXAMPLE / part, root / part)
    path = root / "content" / "review.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "adequacy: {judgement: minor concerns, explanation: Four quotations",
        "adequacy: {judgement: serious concerns, explanation: Four quotations",
    )
    path.write_text(text, encoding="utf-8")
    done = run(root, "check")
    assert done.returncode == 0
    assert done.stderr.splitlines() == [
        (
            "content/review.yaml:52:19: warning: confidence 'high' in review finding "
            "'someone-must-keep-it' with serious concerns about adequacy of data: GRADE-CERQual "
            "rates confidence down at least one level for each component with serious concerns "
            "(Lewin et al. 2018)"
        )
    ]


def test_the_evidence_profile_lists_every_review_finding_with_its_components(site: Path) -> None:
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in page(site, "reviews/owning-change-review/evidence-profile").select("tbody tr")
    ]
    assert [row[0] for row in rows] == [
        "Staff owned a change they were asked to shape (fictional)",
        "A change lasted while someone kept it going (fictional)",
        "Carers redesigned their own work (fictional)",
    ]
    assert [row[6] for row in rows] == ["moderate", "high", "low"]
    assert rows[2][1] == LABELS["home-c-study"]
    assert rows[2][4].startswith("serious concerns : One quotation from one study.")
