"""The paper's site's reference list against the list the paper prints (sources/
waring-crompton-2017.txt), entry by entry and in order: every difference is one docs/references-as-printed.md
documents ("References as printed: known differences"), and each kind is exactly what it says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag

from build_scripts.pipeline.load import load_project
from build_scripts.pipeline.model import build_corpus
from tests.conftest import PROJECT, build, copy_corpus
from tests.sitecheck import soup

SOURCE = PROJECT / "sources" / "waring-crompton-2017.txt"
NOTES = PROJECT / "docs" / "references-as-printed.md"
_ROW = re.compile(r"^\| `([a-z0-9]+)` \| ([a-z-]+) \|(?: [^|]*`([a-z0-9]+)`)?", re.MULTILINE)
# What each kind of text difference is: our entry, so changed, is the printed one.
KINDS = {
    "eds-missing": lambda ours: ours.replace(" (eds.)", "", 1),
    "comma-in": lambda ours: ours.replace(". In ", ", In ", 1),
    "full-stop": lambda ours: ours.replace(", *", ". *", 1),
    "run-on-in": lambda ours: ours.replace(". In ", " in ", 1).replace(" (eds.)", "", 1),
}


def printed_list(text: str) -> list[str]:
    """The entries of the paper's References section, one a line starting '- '."""
    lines = text.splitlines()
    return [line[2:] for line in lines[lines.index("References") :] if line.startswith("- ")]


def as_printed(node: Tag) -> str:
    """A formatted entry in the source's notation: italics as *...*, a link that shows its
    own address as <address> (the source's Markdown); the empty COinS span is no text."""
    out = ""
    for child in node.children:
        if isinstance(child, NavigableString):
            out += str(child)
        elif child.name == "i":
            out += f"*{as_printed(child)}*"
        elif child.name == "a" and child.get_text() == child.get("href"):
            out += f"<{child.get_text()}>"
        elif child.name != "span":
            out += as_printed(child)
    return out.strip()


def rendered_list(page: BeautifulSoup) -> list[tuple[str, str]]:
    """(key, entry) of each reference of a bibliography page, in the page's order, without
    the "Cited by" link that follows each entry."""
    entries = []
    for block in page.select("div.reference"):
        paragraph = block.find("p")
        assert isinstance(paragraph, Tag)
        for link in paragraph.find_all("a", string=re.compile("^Cited by")):
            link.extract()
        entries.append((str(block["id"]), as_printed(paragraph)))
    return entries


def first_author_and_year(entry: str) -> tuple[str, str]:
    """'Bate, P., Robert, G. ... (2004) ...' -> ('Bate', '2004'): how an entry is matched."""
    found = re.match(r"([^,]+),.*?\((\d{4})\)", entry)
    assert found, entry
    return found.group(1), found.group(2)


def documented() -> list[tuple[str, str, str | None]]:
    """(key, kind, other key) of each row of the table of known differences (docs)."""
    section = NOTES.read_text(encoding="utf-8")
    return [(key, kind, other or None) for key, kind, other in _ROW.findall(section)]


def differences(printed: list[str], rendered: list[tuple[str, str]]) -> dict[str, str]:
    """Every difference between the printed list and ours, by key: 'text' (the entry differs),
    'order' (it stands elsewhere), 'not-printed' (the paper has no such entry)."""
    by_author = {first_author_and_year(entry): key for key, entry in rendered}
    ours = dict(rendered)
    keys = [by_author.get(first_author_and_year(entry), "") for entry in printed]
    assert "" not in keys, "a printed entry has no reference on the site"
    found = {key: "text" for key, entry in zip(keys, printed, strict=True) if ours[key] != entry}
    found.update({key: "not-printed" for key in ours if key not in keys})
    ours_in_order = [key for key, _ in rendered if key in keys]
    index = 0
    while index < len(keys):
        if keys[index] != ours_in_order[index]:
            # an entry the paper prints early: a swap of neighbours counts once, for it
            found.setdefault(keys[index], "order")
            if keys[index : index + 2] == ours_in_order[index : index + 2][::-1]:
                index += 1
        index += 1
    return found


@pytest.fixture(scope="module")
def paper_bibliography(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_corpus(PROJECT, tmp_path_factory.mktemp("printed") / "paper")
    assert build(root) == 0
    return root / "site" / "bibliography"


@pytest.fixture(scope="module")
def rendered(paper_bibliography: Path) -> list[tuple[str, str]]:
    pages = sorted(paper_bibliography.glob("index*.html")) + sorted(
        paper_bibliography.glob("index-*/index.html")
    )
    return [entry for page in pages for entry in rendered_list(soup(page))]


@pytest.fixture(scope="module")
def printed() -> list[str]:
    return printed_list(SOURCE.read_text(encoding="utf-8"))


def test_every_difference_from_the_printed_list_is_documented(
    printed: list[str], rendered: list[tuple[str, str]]
) -> None:
    text_kinds = {key for key, kind, _ in documented() if kind in KINDS}
    expected = {key: "text" for key in text_kinds}
    expected.update({k: kind for k, kind, _ in documented() if kind in ("order", "not-printed")})
    assert len(printed) == 52
    assert differences(printed, rendered) == expected


def test_the_comparison_finds_a_changed_entry(
    printed: list[str], rendered: list[tuple[str, str]]
) -> None:
    changed = [(k, e.replace("Crossley, N. (2002)", "Crossley, N. (2002) ")) for k, e in rendered]
    assert differences(printed, changed)["crossley2002"] == "text"
    keys = [key for key, _ in rendered]
    first, second = keys.index("corbin2014"), keys.index("crossley2002")
    swapped = list(rendered)
    swapped[first], swapped[second] = rendered[second], rendered[first]
    assert differences(printed, swapped)["corbin2014"] == "order"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_text_difference_is_exactly_its_kind(
    kind: str, printed: list[str], rendered: list[tuple[str, str]]
) -> None:
    keys = [key for key, row_kind, _ in documented() if row_kind == kind]
    assert keys, f"no documented entry of kind {kind}"
    by_author = {first_author_and_year(entry): entry for entry in printed}
    for key in keys:
        ours = dict(rendered)[key]
        assert KINDS[kind](ours) == by_author[first_author_and_year(ours)], key


def test_an_order_difference_is_one_printed_pair_swapped(
    printed: list[str], rendered: list[tuple[str, str]]
) -> None:
    pairs = [(key, other) for key, kind, other in documented() if kind == "order"]
    assert pairs and all(other for _, other in pairs)
    by_author = {first_author_and_year(entry): key for key, entry in rendered}
    printed_keys = [by_author[first_author_and_year(entry)] for entry in printed]
    ours = [key for key, _ in rendered if key in printed_keys]
    for key, other in pairs:  # the paper prints `key` just before `other`; we print it after
        assert ours.index(key) == ours.index(str(other)) + 1
        ours[ours.index(key)], ours[ours.index(str(other))] = str(other), key
    assert ours == printed_keys


def test_the_entry_not_printed_is_the_paper_itself(rendered: list[tuple[str, str]]) -> None:
    keys = [key for key, kind, _ in documented() if kind == "not-printed"]
    studies = build_corpus(load_project(PROJECT)).studies.values()
    assert keys == [study.reference for study in studies]
    assert set(keys) <= set(dict(rendered))


def test_each_reference_page_shows_its_entry_as_the_index_does(
    paper_bibliography: Path, rendered: list[tuple[str, str]]
) -> None:
    for key, entry in rendered:
        page = soup(paper_bibliography / key / "index.html")
        block = page.select_one(f"div.reference#{key} p")
        assert block is not None and as_printed(block) == entry, key
