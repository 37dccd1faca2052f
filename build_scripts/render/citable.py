"""Citable units as reference managers save them: what a unit is (title, creators, date,
abstract, address), written as the page's head metadata (Dublin Core and OpenGraph, which
Zotero's Embedded Metadata translator reads), and as COinS (one item per unit on a page, which
Zotero's COinS translator reads first). A reference page describes the cited work instead:
Highwire Press tags and a COinS of the article, chapter or book itself.

No Highwire tag describes one of our own pages: Zotero saves any page with `citation_title` as a
journal article. OpenGraph's type is `website` (`article` makes Zotero guess a journal article).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from build_scripts.pipeline.entities import Group, Quote, Ref, Role, Site, Stage, Study
from build_scripts.pipeline.kinds import KINDS

KIND_NAMES = {**{kind.name: kind.label for kind in KINDS}, "page": "Web page"}
# A page's description: what a search engine shows and what Zotero saves as the abstract when a
# page offers no better one; the unit's own text, cut at a word.
DESCRIPTION_LIMIT = 300


@dataclass(frozen=True)
class UnitItem:
    """One citable unit: `kind` is its kind's name ('Finding'); `url` its permalink, absolute
    when the site's address is known, else site-relative (with its #fragment, if any)."""

    ref: Ref
    kind: str
    title: str
    abstract: str
    url: str


def creators(site: Site) -> list[dict[str, str]]:
    """The site's editors as CSL names; the site itself (a literal name) when none is declared."""
    if not site.editors:
        return [{"literal": site.title}]
    names = []
    for editor in site.editors:
        if editor.organisation:
            names.append({"literal": editor.organisation})
        else:
            name = {"family": editor.family or ""}
            if editor.given:
                name["given"] = editor.given
            names.append(name)
    return names


def name_text(name: dict[str, str]) -> str:
    """A CSL name as text, family name first ('Crompton, Amanda'), as the translators read it."""
    if "literal" in name:
        return name["literal"]
    return ", ".join(part for part in (name.get("family", ""), name.get("given", "")) if part)


def written_name(name: dict[str, str]) -> str:
    """A CSL name as written in running text: given names first ('Amanda Crompton')."""
    if "literal" in name:
        return name["literal"]
    return " ".join(part for part in (name.get("given", ""), name.get("family", "")) if part)


def abstract_of(entity: Any, plain: Callable[[str], str], label: Callable[[Ref], str]) -> str:
    """A unit's own text as plain text: a finding's statement, a quotation's words, a stage's or
    concept's definition, a study's or model's summary, a role's or group's description (or,
    without one, what the site says of it). `plain` turns prose into text, `label` names a ref."""
    if isinstance(entity, Quote):
        return f"{' '.join(entity.text.split())} ({entity.speaker})"
    if isinstance(entity, Role):
        group = label(("group", entity.group))
        said = f"Speaker role in the group ‘{group}’."
        return f"{said} {plain(entity.description)}" if entity.description else said
    if isinstance(entity, Group):
        return plain(entity.description) if entity.description else "A group of speaker roles."
    if isinstance(entity, Stage):
        return plain(entity.definition)
    if isinstance(entity, Study):
        return plain(entity.summary)
    for name in ("statement", "definition", "summary"):
        if hasattr(entity, name):
            return plain(getattr(entity, name))
    return ""


def cut(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """Text on one line, cut at a word with ' …' when longer than limit."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + " …"


def _kev(pairs: list[tuple[str, str]]) -> str:
    """An OpenURL 1.0 ContextObject in KEV form: every value form-encoded (a space is '+')."""
    return "&".join(f"{key}={quote_plus(value, safe='')}" for key, value in pairs if value)


def is_absolute(url: str) -> bool:
    """Whether a permalink is an http(s) address (the translators take no other)."""
    return url.startswith(("http://", "https://"))


def unit_coins(unit: UnitItem, site: Site) -> str:
    """A unit as a COinS ContextObject: a Dublin Core record Zotero saves as a web page, with the
    unit's title, the site's creators, the release date, the site's name, the unit's text and its
    address (left out when relative: the COinS translator takes only http(s) addresses; the
    browser adds it, see evidence.js)."""
    pairs = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
        ("rft.type", "webpage"),
        ("rft.title", unit.title),
        ("rft.source", site.title),
        ("rft.description", unit.abstract),
        ("rft.date", site.release.date if site.release else ""),
        ("rft.language", site.locale),
    ]
    pairs += [_creator_pair(name) for name in creators(site)]
    if is_absolute(unit.url):
        pairs.append(("rft_id", unit.url))
    return _kev(pairs)


def _creator_pair(name: dict[str, str]) -> tuple[str, str]:
    return ("rft.aucorp", name["literal"]) if "literal" in name else ("rft.au", name_text(name))


def unit_tags(unit: UnitItem, site: Site, description: str) -> list[tuple[str, str, str]]:
    """The head metadata of a page about one unit, as (attribute, name, content): Dublin Core
    (title, creators, date, language) and OpenGraph (a website's page, its title, site name,
    description and absolute address)."""
    tags = [
        ("link", "schema.DC", "http://purl.org/dc/elements/1.1/"),
        ("name", "DC.title", unit.title),
    ]
    names = creators(site)
    tags += [("name", "DC.creator", name_text(name)) for name in names]
    tags += [("name", "author", written_name(name)) for name in names]
    if site.release:
        tags.append(("name", "DC.date", site.release.date))
    tags += [
        ("name", "DC.language", site.locale),
        ("property", "og:type", "website"),
        ("property", "og:title", unit.title),
        ("property", "og:site_name", site.title),
        ("property", "og:description", description),
        ("property", "og:locale", site.locale.replace("-", "_")),
    ]
    if is_absolute(unit.url):
        tags.append(("property", "og:url", unit.url.split("#")[0]))
    return tags


# Highwire Press tags of a cited work, from its CSL item, by CSL variable.
_HIGHWIRE = (
    ("title", "citation_title"),
    ("volume", "citation_volume"),
    ("issue", "citation_issue"),
    ("DOI", "citation_doi"),
    ("ISSN", "citation_issn"),
    ("ISBN", "citation_isbn"),
    ("publisher", "citation_publisher"),
)
# The tag that names a work's container (and so tells Zotero its type), by CSL type.
_CONTAINER_TAG = {
    "article-journal": "citation_journal_title",
    "chapter": "citation_book_title",
    "paper-conference": "citation_conference_title",
}
_INSTITUTION_TAG = {
    "report": "citation_technical_report_institution",
    "thesis": "citation_dissertation_institution",
}


def work_tags(item: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Highwire Press tags describing a cited work (what Google Scholar and Zotero read)."""
    tags = [("name", "citation_title", str(item.get("title", item["id"])))]
    tags += [("name", "citation_author", name_text(n)) for n in item.get("author", [])]
    tags += [("name", "citation_editor", name_text(n)) for n in item.get("editor", [])]
    year = _year(item)
    if year:
        tags.append(("name", "citation_publication_date", year))
    container = _CONTAINER_TAG.get(item["type"])
    if container and item.get("container-title"):
        tags.append(("name", container, str(item["container-title"])))
    institution = _INSTITUTION_TAG.get(item["type"])
    if institution and item.get("publisher"):
        tags.append(("name", institution, str(item["publisher"])))
    tags += [("name", tag, str(item[var])) for var, tag in _HIGHWIRE[1:] if item.get(var)]
    first, last = _pages(item)
    if first:
        tags.append(("name", "citation_firstpage", first))
    if last:
        tags.append(("name", "citation_lastpage", last))
    if item.get("URL"):
        tags.append(("name", "citation_public_url", str(item["URL"])))
    return tags


def _year(item: dict[str, Any]) -> str:
    parts = item.get("issued", {}).get("date-parts", [[]])
    return str(parts[0][0]) if parts and parts[0] else ""


def _pages(item: dict[str, Any]) -> tuple[str, str]:
    pages = str(item.get("page", ""))
    first, _, last = pages.replace("–", "-").partition("-")
    return first.strip(), last.strip()


_BOOK_GENRES = {
    "book": "book",
    "chapter": "bookitem",
    "paper-conference": "proceeding",
    "report": "report",
}


def _kind_pairs(item: dict[str, Any]) -> list[tuple[str, str]]:
    """The COinS format of a work of item's kind, with the fields that format has."""
    kind = item["type"]
    title = str(item.get("title", item["id"]))
    container = str(item.get("container-title", ""))
    if kind == "article-journal":
        return [
            ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
            ("rft.genre", "article"),
            ("rft.atitle", title),
            ("rft.jtitle", container),
            ("rft.volume", str(item.get("volume", ""))),
            ("rft.issue", str(item.get("issue", ""))),
            ("rft.issn", str(item.get("ISSN", ""))),
        ]
    if kind in _BOOK_GENRES:
        pairs = [("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"), ("rft.genre", _BOOK_GENRES[kind])]
        if kind in ("chapter", "paper-conference"):
            pairs += [("rft.atitle", title), ("rft.btitle", container)]
        else:
            pairs.append(("rft.btitle", title))
        return [
            *pairs,
            ("rft.pub", str(item.get("publisher", ""))),
            ("rft.place", str(item.get("publisher-place", ""))),
            ("rft.edition", str(item.get("edition", ""))),
            ("rft.isbn", str(item.get("ISBN", ""))),
        ]
    if kind == "thesis":
        return [
            ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dissertation"),
            ("rft.title", title),
            ("rft.inst", str(item.get("publisher", ""))),
            ("rft.degree", str(item.get("genre", ""))),
        ]
    return [
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
        ("rft.type", "webpage" if kind == "webpage" else "document"),
        ("rft.title", title),
        ("rft.source", container),
        ("rft.publisher", str(item.get("publisher", ""))),
    ]


def work_coins(item: dict[str, Any]) -> str:
    """A cited work as a COinS ContextObject of its own kind (a journal article, a book or a
    chapter, a report, a thesis; anything else as a Dublin Core record), so that Zotero saves
    the work itself, with its authors, year, container, volume, pages and DOI."""
    pairs = [("ctx_ver", "Z39.88-2004"), *_kind_pairs(item)]
    pairs.append(("rft.date", _year(item)))
    first, last = _pages(item)
    pairs += [("rft.spage", first), ("rft.epage", last)]
    pairs += [_creator_pair(name) for name in item.get("author", [])]
    if item.get("DOI"):
        pairs.append(("rft_id", f"info:doi/{item['DOI']}"))
    elif is_absolute(str(item.get("URL", ""))):
        pairs.append(("rft_id", str(item["URL"])))
    return _kev(pairs)
