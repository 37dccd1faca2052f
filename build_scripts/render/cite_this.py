"""'Cite this': a citation of one unit of the site (a study, model, stage, finding, quotation,
role, group or concept), as text, biblatex and CSL-JSON."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from build_scripts.pipeline.csl import Citer
from build_scripts.pipeline.csl_json import to_csl
from build_scripts.pipeline.entities import Corpus, Ref, Site
from build_scripts.pipeline.model import study_of
from build_scripts.render.citable import UnitItem, creators, name_text

_BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_^~])")
_TEXT_COMMANDS = {"\\": "{\\textbackslash}", "~": "{\\textasciitilde}", "^": "{\\textasciicircum}"}
_NAME_BREAK = re.compile(r",|\band\b", re.IGNORECASE)
_LIGATURE = re.compile(r"([-`'])(?=\1)|([?!])(?=`)")


@dataclass(frozen=True)
class UnitCitation:
    """The three forms of a unit's citation; `permalink` is absolute, or site-relative."""

    permalink: str
    text: str
    bibtex: str
    csl_json: str


def source_study(ref: Ref, corpus: Corpus) -> str | None:
    """The study a unit's citation names as what it rests on (pipeline.model.study_of): a
    study, a finding's or a quotation's; a role is cited as a unit of the site, as stages,
    concepts, models and groups are (its citation names no publication)."""
    return None if ref[0] == "role" else study_of(ref, corpus)


def cite_unit(unit: UnitItem, corpus: Corpus, citer: Citer) -> UnitCitation:
    """Cite one unit of the site as a web page: who (the site's creators), when (the release),
    what (the unit's title and kind), where (the site, the unit's address) and the publication
    it rests on. The access date is the release date; evidence.js makes it the reader's day."""
    kind, ident = unit.ref
    site = corpus.site
    study_id = source_study(unit.ref, corpus)
    source_key = corpus.studies[study_id].reference if study_id else None
    names = creators(site)
    year = site.release.date[:4] if site.release else "n.d."
    who = "; ".join(name_text(name) for name in names)
    text = f"{who} ({year}) {unit.kind} ‘{unit.title}’. In: {site.title}"
    text += f", version {site.release.version}" if site.release else ""
    text += f". Available at: {unit.url}."
    note = ""
    if source_key:
        verb = "Quoted in" if kind == "quote" else "Summarises"
        text += f" {verb}: {citer.reference_plain(source_key)}"
        note = f"{verb} {citer.in_text_label(source_key)}"
        doi = to_csl(citer.references[source_key]).get("DOI")
        note += f", https://doi.org/{doi}" if doi else ""
    key = f"{source_key}-{ident}" if source_key else f"{kind}-{ident}"
    return UnitCitation(
        permalink=unit.url,
        text=text,
        bibtex=_bibtex(key, unit, site, names, note),
        csl_json=flat_json(_csl_item(key, unit, site, names, note)),
    )


def flat_json(item: dict[str, Any]) -> str:
    """An object with one member per line, each value written on its line by json's C encoder
    (an indented dump runs in pure Python, once for every unit cited); for an object of strings,
    exactly `json.dumps(item, ensure_ascii=False, indent=2)`."""
    lines = (
        f"  {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
        for k, v in item.items()
    )
    return "{\n" + ",\n".join(lines) + "\n}" if item else "{}"


def bibtex_text(text: str) -> str:
    """Text as a BibTeX value that LaTeX, biber and bibtexparser (with the loader's own LaTeX
    decoding, pipeline.bib_latex) read back as the same text, white space joined: LaTeX's
    specials escaped, '\\', '~' and '^' as the text commands Zotero's exporter writes (as a
    backslash escape, '\\\\' would be a line break, '~' a space, '^' an accent), and the
    ligatures ('--' is a dash, two quotes a curly quote, '?`' an inverted question mark) broken
    with '{}'."""
    flat = _BIBTEX_SPECIAL.sub(_escaped, " ".join(text.split()))
    return _LIGATURE.sub(lambda found: found.group(0) + "{}", flat)


def _escaped(special: re.Match[str]) -> str:
    char = special.group(1)
    return _TEXT_COMMANDS.get(char) or "\\" + char


def bibtex_name(name: dict[str, str]) -> str:
    """A name for an author field: a literal name braced whole; a person's family and given
    names each braced when it holds a comma or the word 'and', which BibTeX would read as the
    break between name parts or between two people ('Doe and Mallory')."""
    if "literal" in name:
        return "{" + bibtex_text(name["literal"]) + "}"
    parts = [name.get("family", ""), name.get("given", "")]
    return ", ".join(_name_part(part) for part in parts if part)


def _name_part(part: str) -> str:
    text = bibtex_text(part)
    return "{" + text + "}" if _NAME_BREAK.search(text) else text


def _bibtex(key: str, unit: UnitItem, site: Site, names: list[dict[str, str]], note: str) -> str:
    """biblatex @online: reference managers save it as a web page."""
    day = site.release.date if site.release else ""
    fields = {
        "author": " and ".join(bibtex_name(name) for name in names),
        "title": f"{{{bibtex_text(unit.title)}}}",
        "titleaddon": bibtex_text(site.title),
        "date": day,
        "version": site.release.version if site.release else "",
        "url": unit.url,
        "urldate": day,
        "langid": site.locale,
        "note": bibtex_text(f"{unit.kind}. {note}" if note else unit.kind),
    }
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items() if value)
    return f"@online{{{key},\n{body}\n}}"


def _csl_item(
    key: str, unit: UnitItem, site: Site, names: list[dict[str, str]], note: str
) -> dict[str, Any]:
    """CSL-JSON `webpage`: the unit's title and kind, the site as container, its creators, the
    release as issued (and as accessed, until the reader's browser says otherwise)."""
    item: dict[str, Any] = {
        "id": key,
        "type": "webpage",
        "title": unit.title,
        "genre": unit.kind,
        "container-title": site.title,
        "author": names,
    }
    if site.release:
        day = {"date-parts": [[int(part) for part in site.release.date.split("-")]]}
        item.update(issued=day, accessed=day, version=site.release.version)
    item.update(URL=unit.url, language=site.locale)
    if note:
        item["note"] = note
    return item
