"""CSL-JSON from BibTeX: what the CSL processor formats, and what JSON-LD, Highwire tags and
COinS read of a cited work."""

from __future__ import annotations

import re
from typing import Any

from build_scripts.pipeline.entities import Reference

CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "report": "report",
    "techreport": "report",
    "online": "webpage",
    "misc": "document",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "inproceedings": "paper-conference",
}
TEXT_FIELDS = {
    "title": "title",
    "journal": "container-title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "volume": "volume",
    "number": "issue",
    "edition": "edition",
    "publisher": "publisher",
    "institution": "publisher",
    "organization": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "doi": "DOI",
    "url": "URL",
}


# CSL-JSON has no mark for BibTeX's "and others": the names stay the persons named (as JSON-LD,
# Highwire tags and COinS list them) and `note` says the list goes on; the bundled styles test it
# (`<if variable="note">`) to print "et al.", as citeproc-py, citeproc-js and pandoc all do.
ET_AL_NOTE = "et al."


def to_csl(reference: Reference) -> dict[str, Any]:
    """One CSL-JSON item from a parsed BibTeX entry (names split, LaTeX already decoded); an
    author list ending in `and others` gives the names before it and `note` ET_AL_NOTE."""
    fields = reference.fields
    item: dict[str, Any] = {
        "id": reference.id,
        "type": CSL_TYPES.get(reference.entry_type, "document"),
    }
    if reference.entry_type == "online" and "organization" in fields:
        item["container-title"] = str(fields["organization"])
    for name, csl_name in TEXT_FIELDS.items():
        if name in fields and csl_name not in item:
            item[csl_name] = str(fields[name])
    if "pages" in fields:
        item["page"] = str(fields["pages"]).replace("--", "–")
    for role in ("author", "editor"):
        names = [_csl_name(n) for n in fields.get(role, []) if _csl_name(n)]
        if names:
            item[role] = names
    if any(_is_others(name) for name in fields.get("author", [])):
        item["note"] = ET_AL_NOTE
    year = re.match(r"\d{4}", str(fields.get("year", fields.get("date", ""))))
    if year:
        item["issued"] = {"date-parts": [[int(year.group(0))]]}
    accessed = re.match(r"(\d{4})-(\d{2})-(\d{2})", str(fields.get("urldate", "")))
    if accessed:
        item["accessed"] = {"date-parts": [[int(p) for p in accessed.groups()]]}
    return item


def _is_others(name: Any) -> bool:
    """Whether a BibTeX name is the `others` that ends an incomplete list ("and others")."""
    if isinstance(name, str):
        return name == "others"
    return " ".join([*name.von, *name.last]) == "others" and not name.first


def _csl_name(name: Any) -> dict[str, str] | None:
    if _is_others(name):
        return None
    if isinstance(name, str):
        return {"literal": name}
    family = " ".join([*name.von, *name.last])
    result = {"family": family, "given": " ".join(name.first)}
    if name.jr:
        result["suffix"] = " ".join(name.jr)
    return result


# HTML's special characters, and Markdown's: a formatted reference also stands in Markdown lines.
_SPECIAL = {ord(c): f"&#{ord(c)};" for c in "&<>*_[]{}`\\#|"}


def escape_values(item: Any) -> Any:
    """A CSL-JSON item with every string value escaped for HTML and for Markdown.

    citeproc-py's HTML formatter escapes the style's own text but passes an item's variables
    through as they are, so the values are escaped before formatting. Numeric references
    (`&#60;`) survive the style's text-case changes (`&LT;` would not be a reference)."""
    if isinstance(item, str):
        return item.translate(_SPECIAL)
    if isinstance(item, dict):
        return {key: escape_values(value) for key, value in item.items()}
    if isinstance(item, list):
        return [escape_values(value) for value in item]
    return item
