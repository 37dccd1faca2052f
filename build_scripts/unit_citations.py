"""'Cite this': a citation of one finding, quotation, stage or concept, as text, BibTeX and CSL-JSON."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from build_scripts.cite import Citer, to_csl
from build_scripts.model import Corpus, Finding, Quote, Ref

_BIBTEX_SPECIAL = re.compile(r"([\\{}&%$#_^~])")
_LIGATURE = re.compile(r"([-`'])(?=\1)|([?!])(?=`)")
KIND_NAMES = {
    "finding": "Finding",
    "quote": "Quotation",
    "stage": "Model stage",
    "concept": "Concept",
}


@dataclass(frozen=True)
class UnitCitation:
    """The three forms of a unit's citation; `permalink` is absolute, or site-relative."""

    permalink: str
    text: str
    bibtex: str
    csl_json: str


def source_study(ref: Ref, corpus: Corpus) -> str | None:
    """The study a finding or quotation comes from (stages and concepts belong to the site)."""
    entity = corpus.get(ref)
    if isinstance(entity, Quote):
        return corpus.findings[entity.finding].study
    if isinstance(entity, Finding):
        return entity.study
    return None


def cite_unit(ref: Ref, title: str, permalink: str, corpus: Corpus, citer: Citer) -> UnitCitation:
    """Cite one unit of the site: where it is, what it is, and the publication it rests on."""
    kind, ident = ref
    study_id = source_study(ref, corpus)
    source_key = corpus.studies[study_id].reference if study_id else None
    site = corpus.site.title
    text = f"{KIND_NAMES[kind]} ‘{title}’. In: {site}. Available at: {permalink}."
    note = ""
    if source_key:
        verb = "Quoted in" if kind == "quote" else "Summarises"
        text += f" {verb}: {citer.reference_plain(source_key)}"
        note = f"{verb} {citer.in_text_label(source_key)}"
    key = f"{source_key or 'site'}-{ident}"
    return UnitCitation(
        permalink=permalink,
        text=text,
        bibtex=_bibtex(key, kind, title, site, permalink, note),
        csl_json=flat_json(_csl_item(key, kind, title, site, permalink, note, source_key, citer)),
    )


def flat_json(item: dict[str, str]) -> str:
    """`json.dumps(item, ensure_ascii=False, indent=2)` for an object of strings, written with
    json's C encoder (an indented dump runs in pure Python, once for every unit cited)."""
    lines = (
        f"  {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
        for k, v in item.items()
    )
    return "{\n" + ",\n".join(lines) + "\n}" if item else "{}"


def _bibtex_text(text: str) -> str:
    """Text as a BibTeX value that reference managers read back as the same text (checked with
    Zotero's importer and the loader's own LaTeX decoding): LaTeX's specials escaped, '~' and '^'
    as accents on nothing (before a letter they would accent it), and the ligatures ('--' is a
    dash, two quotes a curly quote, '?`' an inverted question mark) broken with '{}'."""
    flat = _BIBTEX_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    flat = flat.replace("\\~", "\\~{}").replace("\\^", "\\^{}")
    return _LIGATURE.sub(lambda found: found.group(0) + "{}", flat)


def _bibtex(key: str, kind: str, title: str, site: str, url: str, note: str) -> str:
    fields = {
        "title": f"{{{_bibtex_text(title)}}}",
        "howpublished": f"{KIND_NAMES[kind]} in: {_bibtex_text(site)}",
        "url": url,
        "note": _bibtex_text(note),
    }
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items() if value)
    return f"@misc{{{key},\n{body}\n}}"


def _csl_item(
    key: str,
    kind: str,
    title: str,
    site: str,
    url: str,
    note: str,
    source_key: str | None,
    citer: Citer,
) -> dict[str, str]:
    item: dict[str, str] = {
        "id": key,
        "type": "entry",
        "title": title,
        "genre": KIND_NAMES[kind],
        "container-title": site,
        "URL": url,
    }
    if source_key:
        doi = to_csl(citer.references[source_key]).get("DOI")
        item["note"] = f"{note}, https://doi.org/{doi}" if doi else note
    return item
