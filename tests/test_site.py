"""The built mini site, read as parsed HTML: page types, anchors, links, backlinks, weight."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

import pytest

from build_scripts.cli import main
from tests.conftest import PROJECT, add_cerqual_assessment, build
from tests.sitecheck import broken_links, ids, pages, reachable, soup

PAGE_TYPES = [
    "index.html",
    "about/index.html",
    "how-to-cite/index.html",
    "studies/index.html",
    "studies/mini-study/index.html",
    "models/index.html",
    "models/three-stages/index.html",
    "stages/framing/index.html",
    "stages/mobilising/index.html",
    "stages/sustaining-and-mainstreaming/index.html",
    "findings/index.html",
    "findings/qi-methods-chosen-quickly/index.html",
    "quotes/index.html",
    "roles/index.html",
    "roles/quality-manager/index.html",
    "groups/senior-managers/index.html",
    "concepts/index.html",
    "concepts/social-movement/index.html",
    "bibliography/index.html",
    "bibliography/bate2004/index.html",
]


def text(site: Path, page: str) -> str:
    return " ".join(soup(site / page).get_text("").split())


def test_every_page_type_is_built(mini_site: Path) -> None:
    missing = [p for p in PAGE_TYPES if not (mini_site / p).is_file()]
    assert missing == []


def test_no_internal_link_or_anchor_is_broken(mini_site: Path) -> None:
    assert broken_links(mini_site) == []


def test_every_page_is_reachable_from_home(mini_site: Path) -> None:
    unreachable = set(pages(mini_site)) - reachable(mini_site) - {"404.html"}
    assert unreachable == set()


def test_each_quotation_has_its_anchor_and_verbatim_text(mini_site: Path) -> None:
    page = soup(mini_site / "findings/qi-methods-chosen-quickly/index.html")
    figure = page.find(id="q-doctors-awkward")
    assert figure is not None and figure.name == "figure"
    quote = " ".join(figure.find("blockquote").get_text(" ").split())
    assert quote == (
        "The doctors can be awkward . . . They can put the brakes on almost anything. It doesn't "
        "matter what we are trying to do. We are seen as the enemy. . . some doctors are really "
        "engaged, but there are some entrenched views."
    )
    assert "Field record with operations manager" in figure.find("figcaption").get_text()


def test_bibliography_has_one_anchor_per_key(mini_site: Path) -> None:
    found = {
        key
        for page in pages(mini_site)
        if page.startswith("bibliography/")
        for key in ids(mini_site, page)
    }
    assert {"bate2004", "bate2010", "crossley2002", "ovretveit2002", "waring2017"} <= found
    assert "bate2004" in ids(mini_site, "bibliography/index.html")
    assert "bate2004" in ids(mini_site, "bibliography/bate2004/index.html")


def test_in_text_citation_links_to_its_entry(mini_site: Path) -> None:
    page = soup(mini_site / "findings/receptive-context/index.html")
    link = page.find("a", string="Bate, Robert and Bevan, 2004, p. 64")
    assert link is not None
    assert link["href"] == "../../bibliography/bate2004/"
    assert "(see Bate, Robert and Bevan, 2004, p. 64; Crossley, 2002)" in text(
        mini_site, "findings/receptive-context/index.html"
    )


def test_reference_lists_what_cites_it(mini_site: Path) -> None:
    section = soup(mini_site / "bibliography/crossley2002/index.html").find(id="_cited-by")
    cited_by = {a.get_text() for a in section.find_next("ul").find_all("a")}
    assert {
        "Collective action frame",
        "Social movement",
        "A receptive context for top-down change",
    } <= cited_by


def test_stage_page_lists_its_findings_and_quotations(mini_site: Path) -> None:
    page = text(mini_site, "stages/framing/index.html")
    assert "Managers chose the QI methods quickly" in page
    assert "A receptive context for top-down change" in page
    assert "PDSA is a well-established industry technique." in page


def test_concept_page_lists_what_links_to_it(mini_site: Path) -> None:
    section = soup(mini_site / "concepts/social-movement/index.html").find(id="_linked-from")
    following = section.find_next("ul").get_text(" ")
    assert "Managers chose the QI methods quickly" in following
    assert "Collective action frame" in following


def test_role_page_shows_its_quotations(mini_site: Path) -> None:
    page = soup(mini_site / "roles/quality-manager/index.html")
    assert page.find(id="q-pdsa-push") is not None


def test_stages_are_listed_in_model_order(mini_site: Path) -> None:
    items = [
        li.get_text()
        for li in soup(mini_site / "models/three-stages/index.html").select("article ol li")
    ]
    assert items == [
        "Stage 1: Framing",
        "Stage 2: Mobilising",
        "Stage 3: Sustaining and mainstreaming",
    ]


def test_largest_page_is_under_150_kb(mini_site: Path) -> None:
    sizes = {p: (mini_site / p).stat().st_size for p in pages(mini_site)}
    assert max(sizes.values()) < 150_000


def test_navigation_lists_only_the_fixed_sections(mini_site: Path) -> None:
    nav = soup(mini_site / "findings/receptive-context/index.html").select(
        "nav.md-nav--primary a.md-nav__link"
    )
    labels = [a.get_text(" ", strip=True) for a in nav]
    assert "A receptive context for top-down change" not in labels
    assert len(labels) < 30


def add_findings(root: Path, count: int, statement: str) -> None:
    """count more findings of the mini study's discussion section, in content/extra.yaml."""
    extra = ["findings:"]
    for n in range(count):
        extra += [
            f"  - id: extra-finding-{n}",
            "    study: mini-study",
            "    section: discussion",
            f"    title: Extra finding number {n}",
            f"    statement: {statement}",
        ]
    (root / "content" / "extra.yaml").write_text("\n".join(extra) + "\n", encoding="utf-8")


def test_page_weight_does_not_grow_with_the_corpus(mini: Path, mini_site: Path) -> None:
    add_findings(mini, 60, "A statement [@bate2004].")
    assert build(mini) == 0

    def nav_size(site: Path) -> int:
        nav = soup(site / "findings/receptive-context/index.html").select_one("nav.md-nav--primary")
        assert nav is not None
        return len(str(nav))

    assert nav_size(mini / "site") == nav_size(mini_site)


def crumbs(site: Path, page: str) -> list[tuple[str, str, str | None]]:
    """A page's breadcrumb: (text, href, aria-current) of each item."""
    nav = soup(site / page).select_one('article nav[aria-label="Breadcrumb"]')
    assert nav is not None and nav.find("ol") is not None
    return [
        (a.get_text(), str(a["href"]), a.get("aria-current")) for a in nav.select("ol > li > a")
    ]


def test_a_finding_page_has_a_breadcrumb_study_section_finding(mini_site: Path) -> None:
    assert crumbs(mini_site, "findings/receptive-context/index.html") == [
        ("Studies", "../../studies/", None),
        ("Waring and Crompton, 2017", "../../studies/mini-study/", None),
        ("Discussion", "../../studies/mini-study/#discussion", None),
        ("A receptive context for top-down change", "../../findings/receptive-context/", "page"),
    ]
    page = soup(mini_site / "findings/receptive-context/index.html")
    assert page.find("title").get_text().startswith("A receptive context for top-down change - ")


def test_stage_and_role_pages_have_a_breadcrumb(mini_site: Path) -> None:
    assert crumbs(mini_site, "stages/mobilising/index.html") == [
        ("Model", "../../models/", None),
        ("Three-stage model", "../../models/three-stages/", None),
        ("Stage 2", "../../stages/mobilising/", "page"),
    ]
    assert [c[0] for c in crumbs(mini_site, "roles/quality-manager/index.html")] == [
        "Roles",
        "Senior managers",
        "Quality manager",
    ]


def test_a_finding_leads_to_the_next_and_previous_in_section_order(mini_site: Path) -> None:
    # The files define receptive-context (section 2) first; section order puts it second.
    first = soup(mini_site / "findings/qi-methods-chosen-quickly/index.html")
    pager = first.select_one('nav[aria-label="Previous and next finding"]')
    assert [(a["rel"], a.get_text(" ", strip=True)) for a in pager.select("a")] == [
        (["next"], "Next finding: A receptive context for top-down change")
    ]
    second = soup(mini_site / "findings/receptive-context/index.html")
    link = second.select_one('nav[aria-label="Previous and next finding"] a')
    assert link["rel"] == ["prev"] and link["href"] == "../../findings/qi-methods-chosen-quickly/"


def test_the_left_column_lists_the_studys_findings_by_section(mini_site: Path) -> None:
    page = soup(mini_site / "findings/receptive-context/index.html")
    column = page.select_one(".md-sidebar--primary nav.study-nav")
    assert column["aria-label"] == "Findings of Waring and Crompton, 2017"
    sections = [
        (li.find("a").get_text(), [a.get_text() for a in li.select(":scope > ol a")])
        for li in column.select("li.study-nav__section")
    ]
    assert sections == [
        ("Adopting a movement approach", ["Managers chose the QI methods quickly"]),
        ("Discussion", ["A receptive context for top-down change"]),
    ]
    assert [a.get_text() for a in column.select('a[aria-current="page"]')] == [
        "A receptive context for top-down change"
    ]
    assert soup(mini_site / "stages/framing/index.html").select_one("nav.study-nav") is None


def test_linked_from_names_every_linking_page_by_kind(mini_site: Path) -> None:
    def linked(page: str) -> dict[str, list[str]]:
        section = soup(mini_site / page).find(id="_linked-from").find_next("ul")
        return {
            li.get_text().split(":")[0]: [a.get_text() for a in li.find_all("a")]
            for li in section.find_all("li")
        }

    assert linked("findings/qi-methods-chosen-quickly/index.html") == {
        "Study pages": [
            "A movement for improvement?",
            "Evidence matrix (Waring and Crompton, 2017)",
        ],
        "Stages": ["Stage 1: Framing"],
        "Roles": ["Quality manager", "Field record with operations manager"],
        "Concepts": ["Social movement"],
    }
    assert linked("stages/framing/index.html") == {
        "Study pages": ["Evidence matrix (Waring and Crompton, 2017)"],
        "Models": ["Three-stage model"],
        "Roles": ["Quality manager"],
        "Concepts": ["Collective action frame"],
    }
    assert linked("groups/senior-managers/index.html") == {
        "Study pages": ["Evidence matrix (Waring and Crompton, 2017)"],
        "Findings": ["Managers chose the QI methods quickly"],
    }


def test_the_left_column_stays_bounded_in_a_large_study(mini: Path) -> None:
    add_findings(mini, 60, "A statement.")
    assert build(mini) == 0
    for page in ("receptive-context", "extra-finding-30", "extra-finding-59"):
        column = soup(mini / "site" / f"findings/{page}/index.html").select_one("nav.study-nav")
        named = column.select("li.study-nav__section > ol a")
        assert len(named) == 41
        assert "41 of the study's 62 findings" in column.get_text(" ")
        assert [a["href"] for a in named if a.get("aria-current")] == [f"../../findings/{page}/"]


def test_raw_html_in_content_stays_text(mini: Path) -> None:
    people = mini / "content" / "people.yaml"
    people.write_text(
        people.read_text(encoding="utf-8").replace(
            "definition: Collective action concerned",
            "definition: <script>alert(1)</script> <b>bold</b> Collective action concerned",
        ),
        encoding="utf-8",
    )
    assert build(mini) == 0
    page = soup(mini / "site" / "concepts/social-movement/index.html")
    article = page.find("article")
    scripts = article.find_all("script")  # only the page's JSON-LD: data, never run
    assert [script["type"] for script in scripts] == ["application/ld+json"]
    assert "<script>" not in scripts[0].get_text()  # escaped as \u003c inside the JSON
    assert article.find("b") is None
    assert "<script>alert(1)</script> <b>bold</b>" in article.get_text()


def test_export_lists_every_entity_with_a_working_url(mini_site: Path) -> None:
    data = json.loads((mini_site / "data/evidence.json").read_text(encoding="utf-8"))
    assert data["version"] == "1.2"
    counts = {k: len(v) for k, v in data.items() if isinstance(v, list)}
    assert counts == {
        "studies": 1,
        "models": 1,
        "stages": 3,
        "findings": 2,
        "quotes": 2,
        "roles": 2,
        "groups": 2,
        "concepts": 2,
        "reviews": 0,
        "review_findings": 0,
        "references": 5,
    }
    quote = next(q for q in data["quotes"] if q["id"] == "q-pdsa-push")
    assert quote["speaker"] == "Quality manager" and quote["text"].startswith("PDSA is")
    for collection in counts:
        for item in data[collection]:
            page, _, fragment = item["url"].partition("#")
            assert (mini_site / page / "index.html").is_file(), item["url"]
            if fragment:
                assert fragment in ids(mini_site, page + "index.html"), item["url"]


def test_pages_whose_own_prose_cites_are_listed_as_citing(mini_site: Path) -> None:
    section = soup(mini_site / "bibliography/waring2017/index.html").find(id="_cited-by")
    cited_by = {a.get_text(): a["href"] for a in section.find_next("ul").find_all("a")}
    assert cited_by["Home page"] == "../../"
    assert cited_by["About this site"] == "../../about/"


def test_citation_links_show_the_full_reference_on_hover(mini_site: Path) -> None:
    link = soup(mini_site / "findings/receptive-context/index.html").find(
        "a", string="Crossley, 2002"
    )
    assert (
        link["title"]
        == "Crossley, N. (2002) Making Sense of Social Movements. London: McGraw-Hill."
    )


def test_links_to_quotations_preview_them_with_their_study(mini_site: Path) -> None:
    link = soup(mini_site / "stages/framing/index.html").find(
        "a", href="../../findings/qi-methods-chosen-quickly/#q-pdsa-push"
    )
    assert link["title"].startswith(
        "Waring and Crompton, 2017: PDSA is a well-established industry technique."
    )
    assert link["title"].endswith("(Quality manager)")


CITED_UNITS = [
    ("studies/mini-study/index.html", "study", "Study"),
    ("models/three-stages/index.html", "model", "Model"),
    ("stages/framing/index.html", "stage", "Model stage"),
    ("concepts/social-movement/index.html", "concept", "Concept"),
    ("roles/quality-manager/index.html", "speaker role", "Speaker role"),
    ("groups/senior-managers/index.html", "speaker group", "Speaker group"),
]


def test_every_finding_and_quotation_can_be_cited(mini_site: Path) -> None:
    page = soup(mini_site / "findings/qi-methods-chosen-quickly/index.html")
    boxes = page.select("details.cite-this")
    assert len(boxes) == 3  # the finding and its two quotations
    finding_box = boxes[0]
    assert finding_box["data-permalink"] == "findings/qi-methods-chosen-quickly/"
    codes = [c.get_text() for c in finding_box.select("pre code")]
    assert codes[0].startswith(
        "Mini evidence site (n.d.) Finding ‘Managers chose the QI methods quickly’. "
        "In: Mini evidence site. Available at: findings/qi-methods-chosen-quickly/."
    )
    assert codes[1].startswith(
        "@online{waring2017-qi-methods-chosen-quickly,\n"
        "  author = {{Mini evidence site}},\n"
        "  title = {{Managers chose"
    )
    item = json.loads(codes[2])
    assert (item["type"], item["URL"]) == ("webpage", "findings/qi-methods-chosen-quickly/")
    assert item["author"] == [{"literal": "Mini evidence site"}]
    quote_box = page.find(id="q-pdsa-push").select_one("details.cite-this")
    assert quote_box["data-permalink"] == "findings/qi-methods-chosen-quickly/#q-pdsa-push"
    text = quote_box.select("pre code")[0].get_text()
    assert text.startswith("Mini evidence site (n.d.) Quotation ‘“PDSA is")


@pytest.mark.parametrize(("page_path", "kind", "genre"), CITED_UNITS)
def test_every_other_unit_has_a_cite_this_box(
    mini_site: Path, page_path: str, kind: str, genre: str
) -> None:
    box = soup(mini_site / page_path).select_one("details.cite-this")
    assert box.summary.get_text() == f"Cite this {kind}"
    item = json.loads(box.select("pre code")[2].get_text())
    assert (item["type"], item["genre"]) == ("webpage", genre)


def test_export_is_valid_against_its_published_schema(mini_site: Path) -> None:
    import jsonschema

    data = json.loads((mini_site / "data/evidence.json").read_text(encoding="utf-8"))
    schema = json.loads((mini_site / "data/evidence.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["$schema"] == "evidence.schema.json"
    broken = dict(data, quotes=[{k: v for k, v in data["quotes"][0].items() if k != "speaker"}])
    assert not jsonschema.Draft202012Validator(schema).is_valid(broken)


def test_evidence_matrix_counts_link_to_the_evidence(mini_site: Path) -> None:
    page = soup(mini_site / "studies/mini-study/matrix/index.html")
    by_stage, by_group = page.select("table")
    header = [th.get_text(" ", strip=True) for th in by_stage.select("thead th")]
    assert header == [
        "Finding",
        "Stage 1: Framing",
        "Stage 2: Mobilising",
        "Stage 3: Sustaining and mainstreaming",
        "Quotations",
    ]
    row = next(tr for tr in by_stage.select("tbody tr") if "QI methods" in tr.get_text())
    cells = [td.get_text(" ", strip=True) for td in row.select("td")]
    assert cells[1:] == ["✓† 1", "", "", "2"]
    assert (
        row.select("td")[1].find("a")["href"]
        == "../../../findings/qi-methods-chosen-quickly/#_quotations"
    )
    total = row.select("td")[4].find("a")
    assert total["href"] == "../../../findings/qi-methods-chosen-quickly/#_quotations"
    group_row = next(tr for tr in by_group.select("tbody tr") if "QI methods" in tr.get_text())
    link = group_row.select("td")[1].find("a")
    assert link.get_text() == "1" and link["href"].endswith("#q-pdsa-push")


def test_cerqual_assessments_make_a_summary_of_qualitative_findings(mini: Path) -> None:
    add_cerqual_assessment(mini)
    assert build(mini) == 0
    table = soup(mini / "site/soqf/index.html").find("table")
    rows = [
        [" ".join(td.get_text("").split()) for td in tr.select("td")]
        for tr in table.select("tbody tr")
    ]
    assert rows == [
        [
            "A receptive context for top-down change",
            "Minor concerns",
            "No or very minor concerns",
            "Moderate concerns",
            "Minor concerns",
            "Moderate",
            "One case study; thin data on sustaining (Bate, Robert and Bevan, 2004, p. 64)."[:0]
            + "One case study; thin data on sustaining (Bate, Robert and Bevan, 2004).",
        ]
    ]
    finding = soup(mini / "site/findings/receptive-context/index.html").get_text(" ")
    assert "Confidence (GRADE-CERQual): Moderate" in " ".join(finding.split())
    assert "soqf/" in str(soup(mini / "site/index.html").find("article"))


def test_no_summary_of_findings_without_assessments(mini_site: Path) -> None:
    assert not (mini_site / "soqf").exists()


def test_offline_copy_links_files_and_carries_the_explorer_data_as_a_script(mini: Path) -> None:
    config = PROJECT / "mkdocs.offline.yml"
    assert main(["build", "--offline", "--root", str(mini), "--config", str(config)]) == 0
    site = mini / "site-offline"
    assert broken_links(site) == []
    model = (mini / "build/docs-offline/models/three-stages.md").read_text(encoding="utf-8")
    assert 'click s1 href "../stages/framing.html"' in model
    finding = soup(site / "findings/receptive-context.html")
    permalink = finding.select_one("details.cite-this a.permalink")
    assert permalink["href"] == "../findings/receptive-context.html"
    assert not finding.select_one("details.cite-this").has_attr("data-permalink")
    jsonld = json.loads(finding.find("script", type="application/ld+json").get_text())
    for node in jsonld["@graph"]:  # ids resolve against the page to pages of this copy
        target = posixpath.normpath(posixpath.join("findings", node["@id"].partition("#")[0]))
        assert (site / target).is_file(), node["@id"]
    form = soup(site / "quotes/index.html").select_one("form.quote-explorer")
    assert form["data-export"] == "../data/evidence.js"
    script = (site / "data/evidence.js").read_text(encoding="utf-8")
    assert script.startswith("window.evidenceData = {")
    exported = json.loads(script.removeprefix("window.evidenceData = ").rstrip().rstrip(";"))
    assert exported == json.loads((site / "data/evidence.json").read_text(encoding="utf-8"))
    assert "iframe-worker-shim.js" in str(soup(site / "index.html").find_all("script"))
    assert (site / "search/search_index.js").is_file()


def test_how_to_cite_names_the_permalinks_the_site_has(mini_site: Path) -> None:
    table = soup(mini_site / "how-to-cite" / "index.html").select("article table")[0]
    rows = [[td.get_text() for td in tr.select("td")] for tr in table.select("tr")[1:]]
    export = json.loads((mini_site / "data" / "evidence.json").read_text(encoding="utf-8"))
    units = {  # the unit as the table names it: its list in the export, its placeholder
        "Study": ("studies", "study-id"),
        "Model": ("models", "model-id"),
        "Model stage": ("stages", "stage-id"),
        "Finding": ("findings", "finding-id"),
        "Quotation": ("quotes", "quote-id"),
        "Speaker role": ("roles", "role-id"),
        "Speaker group": ("groups", "group-id"),
        "Concept": ("concepts", "concept-id"),
        "Reference": ("references", "bibtex-key"),
    }
    assert [unit for unit, _ in rows] == list(units)
    for unit, permalink in rows:
        collection, placeholder = units[unit]
        for entity in export[collection]:
            values = {placeholder: entity["id"], "finding-id": entity.get("finding", entity["id"])}
            filled = permalink
            for name, value in values.items():
                filled = filled.replace(f"<{name}>", value)
            assert filled == entity["url"], (unit, permalink)


def test_the_quotations_table_shows_each_quotation_as_text_and_links_its_permalink(
    mini_site: Path,
) -> None:
    rows = soup(mini_site / "quotes" / "index.html").select(".explorer-full tbody tr")
    first = rows[0].select_one("td")
    assert first is not None
    links = first.find_all("a")
    assert [a.get_text() for a in links] == ["#q-pdsa-push"]
    assert links[0]["href"] == "../findings/qi-methods-chosen-quickly/#q-pdsa-push"
    assert first.get_text(" ", strip=True).startswith("PDSA is a well-established industry")
