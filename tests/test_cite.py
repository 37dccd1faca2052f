"""Formatted references and in-text citations from the CSL processor (Harvard, Cite Them Right)."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_scripts.citations import CiteItem
from build_scripts.cite import Citer, to_csl
from build_scripts.load import load_bib_file
from build_scripts.model import Reference

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
