"""The order of a reference list: the keys of the style's bibliography `<sort>`, rendered by
citeproc-py, compared as the CSL specification, citeproc-js and pandoc compare them.

citeproc-py renders a sort key that holds names as one string ("Martin, G. and Learmonth, M.")
and compares code points, so that "Martin, G. and" sorts before "Martin, G., Armstrong" and
"Øvretveit" after "Zald". Here names are compared one by one (family, then given names; a list
that is the start of a longer one first), and text with a collation that sorts a letter with its
base letter ("Ø" with "O"), case and accents deciding only ties. Items with no value for a key go
last, whether the key ascends or descends."""

from __future__ import annotations

import copy
import unicodedata
import warnings
from collections.abc import Sequence
from io import BytesIO
from typing import Any
from xml.etree import ElementTree

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

_NS = "{http://purl.org/net/xbiblio/csl}"
NAME_SEP, PART_SEP = "\ue010", "\ue011"  # private use (XML allows no control character)
_DATES = {"issued", "accessed", "original-date", "event-date", "submitted"}
_NAMES = {"author", "editor", "translator", "container-author", "collection-editor", "composer"}
# Letters that are no base letter with a mark in Unicode, but are sorted with one.
_BASE = str.maketrans(
    {"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "ł": "l",
     "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i"}
)  # fmt: skip

SortValue = tuple[Any, ...]


def bibliography_order(csl: bytes, locale: str, items: Sequence[dict[str, Any]]) -> list[str]:
    """The ids of CSL-JSON items in the order of the style's reference list (the order given,
    when the style's bibliography has no `<sort>`)."""
    root = ElementTree.fromstring(csl)
    keys = root.findall(f"{_NS}bibliography/{_NS}sort/{_NS}key")
    order = list(range(len(items)))
    for key in reversed(keys):  # stable sorts, the last key first
        values = _key_values(root, key, locale, items)
        present = {i: value for i, value in enumerate(values) if value is not None}
        ranked = sorted(
            (i for i in order if i in present),
            key=lambda i: present[i],
            reverse=key.get("sort") == "descending",
        )
        order = ranked + [i for i in order if i not in present]
    return [str(items[i]["id"]) for i in order]


def _key_values(
    root: ElementTree.Element,
    key: ElementTree.Element,
    locale: str,
    items: Sequence[dict[str, Any]],
) -> list[SortValue | None]:
    """One sort key's value for each item."""
    variable = key.get("variable")
    if variable in _DATES:
        return [_date_value(item.get(variable)) for item in items]
    if variable is not None and variable not in _NAMES:
        return [_text_value(item.get(variable)) for item in items]
    if variable is not None:
        layout = f'<names variable="{variable}"><name/></names>'
    else:
        layout = f'<text macro="{key.get("macro", "")}"/>'
    return [_text_value(text) for text in _render(root, key, layout, locale, items)]


def _date_value(date: Any) -> SortValue | None:
    parts = (date or {}).get("date-parts") or [[]]
    return tuple(int(p) for p in parts[0]) or None


def _text_value(text: Any) -> SortValue | None:
    """A rendered key as names of parts, each compared by its base letters, then as written."""
    if text is None or str(text).strip() == "":
        return None
    return tuple(
        tuple(collation_key(part.strip()) for part in name.split(PART_SEP))
        for name in str(text).split(NAME_SEP)
    )


def collation_key(text: str) -> tuple[Any, ...]:
    """Text as it sorts: by its base letters (case and marks removed; spaces and punctuation
    before digits, digits before letters), then by the text itself."""
    folded = unicodedata.normalize("NFKD", text.translate(_BASE)).casefold()
    base = tuple((char.isalnum(), char) for char in folded if not unicodedata.combining(char))
    return (base, text)


def _render(
    root: ElementTree.Element,
    key: ElementTree.Element,
    layout: str,
    locale: str,
    items: Sequence[dict[str, Any]],
) -> list[str | None]:
    """Each item rendered by `layout` in a copy of the style whose names are written for
    sorting: every name family first, its parts and the names apart by separators, no 'and'."""
    style = _sort_style(root, key, layout, locale)
    source = CiteProcJSON(list(items))
    rendered: list[str | None] = []
    for item in items:
        bibliography = CitationStylesBibliography(style, source, formatter.plain)
        bibliography.register(Citation([CitationItem(str(item["id"]))]))
        entries = bibliography.bibliography()
        rendered.append(str(entries[0]) if entries else None)
    return rendered


def _sort_style(
    root: ElementTree.Element, key: ElementTree.Element, layout: str, locale: str
) -> CitationStylesStyle:
    style = copy.deepcopy(root)
    bibliography = style.find(f"{_NS}bibliography")
    if bibliography is not None:
        style.remove(bibliography)
    style.append(
        ElementTree.fromstring(
            f'<bibliography xmlns="{_NS[1:-1]}"><layout>{layout}</layout></bibliography>'
        )
    )
    for name in style.iter(f"{_NS}name"):
        for attribute in ("and", "delimiter-precedes-last", "form"):
            name.attrib.pop(attribute, None)
        name.set("name-as-sort-order", "all")
        name.set("delimiter", NAME_SEP)
        name.set("sort-separator", PART_SEP)
        for option in ("names-min", "names-use-first", "names-use-last"):
            if key.get(option) is not None:
                name.set(option.replace("names", "et-al"), str(key.get(option)))
    xml = ElementTree.tostring(style, encoding="utf-8", xml_declaration=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CitationStylesStyle(BytesIO(xml), locale=locale, validate=False)
