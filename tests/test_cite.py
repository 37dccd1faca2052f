"""Formatted references and in-text citations from the CSL processor (Harvard, Cite Them Right)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from build_scripts.pipeline.bibtex import load_bib_file
from build_scripts.pipeline.citations import CiteItem
from build_scripts.pipeline.csl import Citer
from build_scripts.pipeline.csl_json import to_csl
from build_scripts.pipeline.entities import Reference

MINI_BIB = Path(__file__).parent / "fixtures" / "mini" / "bib" / "references.bib"


@pytest.fixture(scope="module")
def citer() -> Citer:
    entries = load_bib_file(MINI_BIB, MINI_BIB.parent, [])
    refs = {e.key: Reference(e.key, e.entry_type, e.fields) for e in entries}
    return Citer(refs, "harvard-cite-them-right", "en-GB")


def test_article_reference(citer: Citer) -> None:
    assert citer.reference_plain("bate2004") == (
        "Bate, P., Robert, G. and Bevan, H. (2004) ‘The next phase of healthcare improvement: what "
        "can we learn from social movements?’, Quality and Safety in Health Care, 13(1), pp. 62–6."
    )


def test_book_reference(citer: Citer) -> None:
    assert citer.reference_plain("crossley2002") == (
        "Crossley, N. (2002) Making Sense of Social Movements. London: McGraw-Hill."
    )


def test_chapter_reference(citer: Citer) -> None:
    assert citer.reference_plain("bate2010") == (
        "Bate, P. and Robert, G. (2010) ‘Bringing social movement theory to healthcare practice’, in "
        "J. Banaszak-Holl, S. Levitsky, and M. Zald (eds) Social Movements and the Transformation "
        "of American Health Care. Oxford: Oxford University Press."
    )


def test_doi_is_a_link(citer: Citer) -> None:
    assert '<a href="https://doi.org/10.1111/1467-9566.12560">' in citer.reference_html(
        "waring2017"
    )


def test_latex_names_are_unicode_and_others_is_et_al(citer: Citer) -> None:
    assert (
        citer.in_text(CiteItem("ovretveit2002"), narrative=False).text == "Øvretveit et al., 2002"
    )


def test_parenthetical_with_locator(citer: Citer) -> None:
    item = CiteItem("bate2004", ("page", "64"))
    assert citer.in_text(item, narrative=False).text == "Bate, Robert and Bevan, 2004, p. 64"


def test_narrative_form(citer: Citer) -> None:
    assert citer.in_text(CiteItem("crossley2002"), narrative=True).text == "Crossley (2002)"


def test_csl_json_types_and_pages() -> None:
    ref = Reference(
        "x", "incollection", {"title": "T", "pages": "1--9", "booktitle": "B", "year": "1999"}
    )
    assert to_csl(ref) == {
        "id": "x",
        "type": "chapter",
        "title": "T",
        "container-title": "B",
        "page": "1–9",
        "issued": {"date-parts": [[1999]]},
    }


PAPER_BIB = Path(__file__).parent.parent / "bib" / "references.bib"


@pytest.fixture(scope="module")
def paper() -> Citer:
    entries = load_bib_file(PAPER_BIB, PAPER_BIB.parent, [])
    refs = {e.key: Reference(e.key, e.entry_type, e.fields) for e in entries}
    return Citer(refs, "sociology-of-health-and-illness", "en-GB")


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (  # article
            "bate2004",
            (
                "Bate, P., Robert, G. and Bevan, H. (2004) The next phase of healthcare improvement: "
                "what can we learn from social movements?, Quality and Safety in Health Care, 13, 1, 62–6."
            ),
        ),
        (  # book
            "crossley2002",
            "Crossley, N. (2002) Making Sense of Social Movements. London: McGraw-Hill.",
        ),
        (  # edited book
            "goodwin2014",
            (
                "Goodwin, J. and Jasper, J. (eds.) (2014) The social Movements Reader: Cases and "
                "Concepts. Chichester: John Wiley & Sons."
            ),
        ),
        (  # chapter in an edited book
            "bate2010",
            (
                "Bate, P. and Robert, G. (2010) Bringing social movement theory to healthcare practice. "
                "In Banaszak-Holl, J., Levitsky, S. and Zald, M. (eds.) Social Movements and the "
                "Transformation of American Health Care. Oxford: Oxford University Press."
            ),
        ),
        (  # report
            "francis2013",
            (
                "Francis, R. (2013) Inquiry into the Events at Mid-Staffordshire NHS Foundation Trust. "
                "London: TSO."
            ),
        ),
        (  # online
            "west2015",
            (
                "West, N. (2015) Campaign against junior doctors contract must not lose momentum, The "
                "Guardian. Available at https://www.theguardian.com/healthcare-network/views-from-the-"
                "nhs-frontline/2015/dec/21/junior-doctors-contracts-campaign-must-not-lose-momentum "
                "(Last accessed 6 March 2017)."
            ),
        ),
        (  # article with a DOI, names decoded from LaTeX-free UTF-8 and \\&
            "waring2017",
            (
                "Waring, J. and Crompton, A. (2017) A ‘movement for improvement’? A qualitative study "
                "of the adoption of social movement strategies in the implementation of a quality "
                "improvement campaign, Sociology of Health & Illness, 39, 7, 1083–1099. "
                "https://doi.org/10.1111/1467-9566.12560."
            ),
        ),
    ],
)
def test_paper_style_reference_strings(paper: Citer, key: str, expected: str) -> None:
    assert paper.reference_plain(key) == expected


@pytest.mark.parametrize(
    ("item", "narrative", "expected"),
    [
        (CiteItem("bate2004", ("page", "64")), False, "Bate et al. 2004: 64"),
        (CiteItem("bate2004"), True, "Bate et al. (2004)"),
        (CiteItem("bate2004", ("page", "64")), True, "Bate et al. (2004: 64)"),
        (CiteItem("benford2000"), False, "Benford and Snow 2000"),
        (CiteItem("ovretveit2002"), False, "Øvretveit et al. 2002"),
        (CiteItem("banaszakholl2010"), False, "Banaszak-Holl et al. 2010"),
        (CiteItem("delcastillo2016"), False, "del Castillo et al. 2016"),
        (CiteItem("crossley2002", suppress_author=True), False, "2002"),
    ],
)
def test_paper_style_in_text_forms(
    paper: Citer, item: CiteItem, narrative: bool, expected: str
) -> None:
    assert paper.in_text(item, narrative).text == expected


def test_style_gives_the_cluster_affixes(paper: Citer, citer: Citer) -> None:
    assert (paper.affixes.prefix, paper.affixes.delimiter, paper.affixes.suffix) == ("(", ", ", ")")
    assert citer.affixes.delimiter == "; "


def test_cached_forms_need_no_csl_processor() -> None:
    entries = load_bib_file(PAPER_BIB, PAPER_BIB.parent, [])
    refs = {e.key: Reference(e.key, e.entry_type, e.fields) for e in entries}
    first = Citer(refs, "sociology-of-health-and-illness", "en-GB")
    expected = first.reference_html("bate2004"), first.in_text(CiteItem("bate2004"), True).text
    second = Citer(refs, "sociology-of-health-and-illness", "en-GB", dict(first.cache))
    assert (
        second.reference_html("bate2004"),
        second.in_text(CiteItem("bate2004"), True).text,
    ) == expected
    assert not second.processor_started


def test_cache_is_keyed_by_entry_content_and_style() -> None:
    entries = load_bib_file(PAPER_BIB, PAPER_BIB.parent, [])
    refs = {e.key: Reference(e.key, e.entry_type, e.fields) for e in entries}
    shared: dict[str, str] = {}
    Citer(refs, "sociology-of-health-and-illness", "en-GB", shared).reference_html("yin2013")
    changed = dict(refs["yin2013"].fields, year="2014")
    refs["yin2013"] = Reference("yin2013", "book", changed)
    assert "(2014)" in Citer(
        refs, "sociology-of-health-and-illness", "en-GB", shared
    ).reference_plain("yin2013")
    harvard = Citer(refs, "harvard-cite-them-right", "en-GB", shared)
    assert harvard.reference_plain("yin2013").startswith("Yin, R.K. (2014) Case Study")


HOSTILE = '<script>alert(1)</script> *x* [a](javascript:b){ onclick="c" } #1 & `d` \\ |'


@pytest.mark.parametrize("style", ["harvard-cite-them-right", "sociology-of-health-and-illness"])
def test_markup_in_a_field_stays_text_in_the_formatted_reference(style: str) -> None:
    from bs4 import BeautifulSoup
    from markdown import Markdown

    fields = {"title": HOSTILE, "journal": HOSTILE, "year": "2020", "doi": "10.1/a<b>"}
    citer = Citer({"k": Reference("k", "article", fields)}, style, "en-GB")
    formatted = citer.reference_html("k")
    soup = BeautifulSoup(formatted, "html.parser")
    assert {tag.name for tag in soup.find_all(True)} <= {"i", "a"}
    assert [a["href"] for a in soup.find_all("a")] == ["https://doi.org/10.1/a<b>"]
    assert soup.get_text().count(HOSTILE) == 2
    assert citer.reference_plain("k") == soup.get_text()
    # In a Markdown line (a list of works cited) it stays the same text, with no markup made.
    page = Markdown(extensions=["attr_list", "tables", "def_list", "admonition", "toc"])
    rendered = BeautifulSoup(page.convert(f"- {formatted}"), "html.parser")
    assert {tag.name for tag in rendered.find_all(True)} <= {"ul", "li", "i", "a"}
    assert not any(attr.startswith("on") for t in rendered.find_all(True) for attr in t.attrs)
    assert rendered.get_text().count(HOSTILE) == 2


PANDOC = Path(__file__).parent / "fixtures" / "pandoc"


def as_marked(node: Any) -> str:
    """An entry's text with its italics marked *...* (pandoc's <em>, citeproc-py's <i>), the
    rest of the markup (pandoc's quote spans, links) read as its text."""
    from bs4 import NavigableString

    out = ""
    for child in node.children:
        if isinstance(child, NavigableString):
            out += str(child)
        else:
            inner = as_marked(child)
            out += f"*{inner}*" if child.name in ("i", "em") else inner
    return " ".join(out.split())


def test_cite_them_right_entries_are_as_pandoc_formats_them() -> None:
    """Nested quotes alternate and editors who stand in for authors print once, as in pandoc's
    rendering of the same CSL-JSON (tests/regenerate_pandoc_golden.py wrote the golden)."""
    from bs4 import BeautifulSoup

    from tests.regenerate_pandoc_golden import STYLE, csl_items

    items = json.loads((PANDOC / f"{STYLE}.json").read_text(encoding="utf-8"))
    assert items == csl_items(), "to_csl changed: run python -m tests.regenerate_pandoc_golden"
    golden = BeautifulSoup((PANDOC / f"{STYLE}.html").read_text(encoding="utf-8"), "html.parser")
    entries = load_bib_file(PAPER_BIB, PAPER_BIB.parent, [])
    refs = {e.key: Reference(e.key, e.entry_type, e.fields) for e in entries}
    ours = Citer(refs, STYLE, "en-GB")
    expected = {
        str(div["id"]).removeprefix("ref-"): as_marked(div)
        for div in golden.select("div.csl-entry")
    }
    assert len(expected) == len(items)
    for key, text in expected.items():
        assert as_marked(BeautifulSoup(ours.reference_html(key), "html.parser")) == text, key
    assert "‘A “movement for improvement”? A" in expected["waring2017"]
    assert "Edited by" not in expected["goodwin2014"]


def test_in_text_et_al_is_italic_and_values_stay_escaped(paper: Citer) -> None:
    assert paper.in_text(CiteItem("bate2004", ("page", "64")), False).html == (
        "Bate <i>et al.</i> 2004: 64"
    )
    assert paper.in_text(CiteItem("mcgovern2015"), True).html == "McGovern <i>et al.</i> (2015)"
    item = CiteItem("benford2000", ("page", "<b>*1*</b>"))
    form = paper.in_text(item, False)
    assert form.html == "Benford and Snow 2000: &#60;b&#62;&#42;1&#42;&#60;/b&#62;"
    assert form.text == "Benford and Snow 2000: <b>*1*</b>"


def test_and_others_is_a_note_and_prints_et_al() -> None:
    fields = {"author": ["Smith, J.", "others"], "title": "T", "year": "2001", "journal": "J"}
    entries = load_bib_file(PAPER_BIB, PAPER_BIB.parent, [])
    refs = {e.key: Reference(e.key, e.entry_type, e.fields) for e in entries}
    item = to_csl(refs["ovretveit2002"])
    assert item["note"] == "et al."
    assert [n["family"] for n in item["author"]] == ["Øvretveit", "Bate", "Cleary", "Cretin"]
    one = Reference("one", "article", {**fields, "author": refs["bate2004"].fields["author"][:1]})
    one.fields["author"].append("others")
    citer = Citer({"one": one, **refs}, "sociology-of-health-and-illness", "en-GB")
    assert citer.in_text(CiteItem("one"), False).text == "Bate et al. 2001"
    assert citer.reference_plain("one").startswith("Bate, P., et al. (2001) T, J.")
    assert citer.reference_plain("ovretveit2002").startswith(
        "Øvretveit, J., Bate, P., Cleary, P., Cretin, S., et al. (2002) Quality collaboratives"
    )
    assert "note" not in to_csl(refs["bate2004"])


def test_the_reference_list_is_in_the_order_of_the_style(paper: Citer) -> None:
    order = paper.bibliography_order()
    assert sorted(order) == sorted(paper.references)
    around = lambda key: order[order.index(key) - 1 : order.index(key) + 2]
    assert around("ovretveit2002") == ["numerato2012", "ovretveit2002", "pender2002"]
    assert order.index("martin2015") + 1 == order.index("martin2012")  # Armstrong < Learmonth
    assert order.index("bate2010") + 1 == order.index("bate2004")  # two names before three
    waring = [key for key in order if key.startswith("waring")]
    assert waring == ["waring2014", "waring2016", "waring2017", "waring2009"]
    again = Citer(paper.references, "sociology-of-health-and-illness", "en-GB", dict(paper.cache))
    assert again.bibliography_order() == order and not again.processor_started
