"""Several studies in one site, each keeping its own voice (issue 30), on the mini corpus with a
second, fictional study beside it (tests/fixtures/two: its own reference, findings, quotations,
roles, source text and accounts of the model's stages, labelled fictional)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup, Tag

from build_scripts.cli import main
from tests.conftest import CONFIG, MINI, copy_corpus
from tests.test_bad_input import run

TWO = Path(__file__).parent / "fixtures" / "two"
MINI_LABEL = "Waring and Crompton, 2017"
FICTIONAL_LABEL = "Example and Sample, 2020"
LABELS = {"mini-study": MINI_LABEL, "fictional-ward-study": FICTIONAL_LABEL}


def two_studies(dest: Path) -> Path:
    """The mini corpus with the fictional second study added."""
    root = copy_corpus(MINI, dest)
    shutil.copytree(TWO, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected"))
    return root


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = two_studies(tmp_path_factory.mktemp("two") / "two")
    assert main(["build", "--root", str(root), "--config", str(CONFIG)]) == 0
    return root / "site"


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def export(site: Path) -> dict[str, list[dict[str, str]]]:
    data: dict[str, list[dict[str, str]]] = json.loads(
        (site / "data" / "evidence.json").read_text(encoding="utf-8")
    )
    return data


def study_of_link(site: Path, href: str) -> str:
    """The study of the finding, quotation or role a link leads to, from the export."""
    data = export(site)
    finding_study = {f["id"]: f["study"] for f in data["findings"]}
    target = href.rstrip("/").split("/")[-1]
    if "#" in href:
        return next(q["study"] for q in data["quotes"] if q["id"] == href.split("#")[1])
    if "/findings/" in href:
        return finding_study[target]
    return next(r["study"] for r in data["roles"] if r["id"] == target)


def unit_links(scope: Tag, path: str) -> list[tuple[Tag, str]]:
    """Links to findings, quotations and roles in list items of a page's article (with their
    site address), but for those under a study's own heading (a stage page's accounts)."""
    found = []
    for li in scope.select("article li"):
        heading = li.find_previous(["h2", "h3"])
        if heading is not None and str(heading.get("id", "")).startswith("_study-"):
            continue
        for a in li.find_all("a", recursive=False):
            address = urljoin(f"/{path}/", str(a["href"]))
            if any(part in address for part in ("/findings/", "/roles/")):
                found.append((a, address))
    return found


@pytest.mark.parametrize(
    "path",
    [
        "stages/framing",
        "stages/mobilising",
        "groups/senior-managers",
        "groups/field-records",
        "concepts/social-movement",
        "roles",
        "studies/mini-study",
    ],
)
def test_every_unit_in_a_list_names_its_study(two: Path, path: str) -> None:
    links = unit_links(page(two, path), path)
    assert links, path
    for link, address in links:
        label = link.find_next_sibling("span", class_="study-label")
        if path.startswith("studies/") and "/findings/" in address:
            continue  # a study's own page lists its own findings
        assert label is not None, (path, address)
        assert label.get_text() == LABELS[study_of_link(two, address)], address


def test_quotation_captions_and_previews_name_their_study(two: Path) -> None:
    for path in ("roles/fictional-ward-sister", "findings/qi-methods-chosen-quickly"):
        for figure in page(two, path).select("figure.evidence-quote"):
            caption = figure.select_one(".quote-by")
            assert caption is not None
            study = study_of_link(two, "x#" + figure["id"])
            assert f"study: {LABELS[study]}" in caption.get_text(" ", strip=True)
    all_findings = page(two, "stages/framing").find(id="_findings")
    link = all_findings.find_next("a", href="../../findings/ward-sisters-owned-the-change/")
    assert link["title"].startswith(f"{FICTIONAL_LABEL}: In this fictional study")


def test_the_findings_and_quotations_tables_have_a_study_column(two: Path) -> None:
    rows = page(two, "findings").select("article table tbody tr")
    assert len(rows) == 4
    for row in rows:
        cells = row.find_all("td")
        address = urljoin("/findings/", str(cells[1].a["href"]))
        assert cells[2].get_text() == LABELS[study_of_link(two, address)]
    rows = page(two, "quotes").select("article table tbody tr")
    assert len(rows) == 5
    studies = [row.find_all("td")[2].get_text() for row in rows]
    assert sorted(studies) == sorted([MINI_LABEL] * 2 + [FICTIONAL_LABEL] * 3)


def test_a_stage_page_gives_each_study_its_account_and_its_findings(two: Path) -> None:
    framing, mobilising = page(two, "stages/framing"), page(two, "stages/mobilising")

    def section(stage: BeautifulSoup, study: str) -> str:
        heading = stage.find(id=f"_study-{study}")
        assert heading is not None and heading.name == "h3"
        assert heading.get_text(strip=True).startswith(LABELS[study])
        parts = []
        for sibling in heading.find_next_siblings():
            if sibling.name in ("h2", "h3"):
                break
            parts.append(sibling.get_text(" ", strip=True))
        return " ".join(parts)

    assert section(framing, "mini-study").startswith("Managers framed change in general terms.")
    assert section(framing, "fictional-ward-study").startswith(
        "In this fictional example, ward sisters framed the change as their own."
    )
    assert "Ward sisters owned the change" in section(framing, "fictional-ward-study")
    assert "Managers chose the QI methods" not in section(framing, "fictional-ward-study")
    fictional = section(mobilising, "fictional-ward-study")
    assert fictional.startswith("No account of this stage is given for this study.")
    assert "Ward huddles mobilised staff" in fictional
    assert section(mobilising, "mini-study").startswith("No account of this stage is given")


def test_a_role_page_is_of_its_study_and_shows_its_studys_quotations(two: Path) -> None:
    role = page(two, "roles/fictional-ward-sister")
    line = role.find(string="Speaker role of ").parent.get_text()
    assert line.startswith(f"Speaker role of {FICTIONAL_LABEL}, in the group Senior managers")
    captions = [f.select_one(".quote-by").get_text(" ", strip=True) for f in role.select("figure")]
    assert len(captions) == 2
    assert all(f"study: {FICTIONAL_LABEL}" in caption for caption in captions)


def test_the_studies_side_by_side_and_by_stage(two: Path) -> None:
    studies = page(two, "studies")
    table = studies.select_one(".study-characteristics table")
    rows = {
        tr.find("td").get_text(): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in table.select("tbody tr")
    }
    assert set(rows) == {MINI_LABEL, FICTIONAL_LABEL}
    fictional = rows[FICTIONAL_LABEL]
    assert fictional[4] == "2019 to 2020"
    assert fictional[5].startswith("Interviews (fictional) (3 interviews)")
    assert (fictional[6], fictional[7]) == ("2", "3")
    assert (rows[MINI_LABEL][6], rows[MINI_LABEL][7]) == ("2", "2")
    matrix = studies.select_one(".study-matrix table")
    heads = [th.get_text(strip=True) for th in matrix.select("thead th")]
    assert heads[1:4] == [
        "Stage 1: Framing",
        "Stage 2: Mobilising",
        "Stage 3: Sustaining and mainstreaming",
    ]
    cells = {
        tr.find("td").get_text(): [td.get_text(strip=True) for td in tr.find_all("td")[1:4]]
        for tr in matrix.select("tbody tr")
    }
    assert cells == {MINI_LABEL: ["2", "1", "0"], FICTIONAL_LABEL: ["1", "1", "0"]}
    link = matrix.find("a", title="1 finding(s) of this study at this stage")
    assert link["href"] == "../stages/framing/#_study-fictional-ward-study"


def test_the_export_names_each_units_study(two: Path) -> None:
    data = export(two)
    assert {s["id"]: s["label"] for s in data["studies"]} == LABELS
    assert {q["id"]: q["study"] for q in data["quotes"]}["q-fictional-huddle"] == (
        "fictional-ward-study"
    )
    assert {r["id"]: r["study"] for r in data["roles"]}["quality-manager"] == "mini-study"


def test_the_fictional_study_says_so_on_its_pages(two: Path) -> None:
    for path in ("studies/fictional-ward-study", "findings/ward-huddles-mobilised-staff"):
        assert "fictional" in page(two, path).select_one("article").get_text().lower(), path


def test_a_quotation_with_a_role_of_another_study_is_an_error(tmp_path: Path) -> None:
    root = two_studies(tmp_path / "p")
    path = root / "content" / "fictional.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    role: fictional-staff-nurse\n", "    role: quality-manager\n"
    )
    path.write_text(text, encoding="utf-8")
    result = run(root, "check")
    assert result.stderr.splitlines() == [
        (
            "content/fictional.yaml:62:11: role 'quality-manager' is a role of study "
            "'mini-study', but quote 'q-fictional-huddle' is of study 'fictional-ward-study' "
            "(its finding's); give the quotation a role of its own study"
        ),
        "1 problem(s); nothing was written.",
    ]


def test_one_case_for_a_model_that_two_studies_use_is_an_error(tmp_path: Path) -> None:
    root = two_studies(tmp_path / "p")
    shutil.copy(MINI / "content" / "model.yaml", root / "content" / "model.yaml")
    result = run(root, "check")
    assert result.stderr.splitlines() == [
        (
            "content/model.yaml:18:5: stage 'framing' has one 'case', but 2 studies use model "
            "'three-stages' (fictional-ward-study, mini-study): give each study's account in "
            "'cases' (study, account)"
        ),
        "1 problem(s); nothing was written.",
    ]


def test_a_stage_with_both_case_and_cases_is_an_error(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "p")
    path = root / "content" / "model.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    case: Managers framed change in general terms.\n",
        "    case: Managers framed change in general terms.\n"
        "    cases:\n      - study: mini-study\n        account: Again.\n",
    )
    path.write_text(text, encoding="utf-8")
    result = run(root, "check")
    assert result.stderr.splitlines() == [
        (
            "content/model.yaml:18:5: stage 'framing' gives both 'case' and 'cases': give each "
            "account in 'cases' only"
        ),
        "1 problem(s); nothing was written.",
    ]
