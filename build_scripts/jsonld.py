"""schema.org JSON-LD for each page: ScholarlyArticle, Claim, Quotation, DefinedTerm …"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from build_scripts.model import Concept, Finding, Model, Reference, Stage, Study

if TYPE_CHECKING:
    from build_scripts.context import PageContext

WORK_TYPES = {
    "article": "ScholarlyArticle",
    "book": "Book",
    "incollection": "Chapter",
    "inbook": "Chapter",
    "report": "Report",
    "techreport": "Report",
    "online": "WebPage",
    "phdthesis": "Thesis",
}


def page_jsonld(ctx: PageContext, entity: Any) -> str:
    """The page's JSON-LD as one line of JSON, with <, > and & escaped (it cannot end the
    script element it is written into)."""
    data = {"@context": "https://schema.org", **_describe(ctx, entity)}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _url(ctx: PageContext, ref: tuple[str, str]) -> str:
    """Absolute when the site's address is known, else relative to this page (a valid IRI
    reference that JSON-LD resolves against the page's own address, online or offline)."""
    return ctx.permalink(ref) if ctx.corpus.site.url else ctx.href(ref)


def _work(ctx: PageContext, key: str) -> dict[str, Any]:
    reference = ctx.corpus.references[key]
    work: dict[str, Any] = {
        "@type": WORK_TYPES.get(reference.entry_type, "CreativeWork"),
        "@id": _url(ctx, ("reference", key)),
        "name": str(reference.fields.get("title", key)),
        "citation": ctx.citer.reference_plain(key),
    }
    if "year" in reference.fields:
        work["datePublished"] = str(reference.fields["year"])
    if "doi" in reference.fields:
        work["sameAs"] = f"https://doi.org/{reference.fields['doi']}"
    return work


def _citations(ctx: PageContext, ref: tuple[str, str]) -> list[dict[str, Any]]:
    return [_work(ctx, key) for key in ctx.cited_in(ref)]


def _describe(ctx: PageContext, entity: Any) -> dict[str, Any]:
    if isinstance(entity, Study):
        article = _work(ctx, entity.reference)
        return {
            **article,
            "@id": _url(ctx, ("study", entity.id)),
            "name": entity.title,
            "abstract": ctx.plain(entity.summary, 2000),
            "citation": _citations(ctx, ("study", entity.id)),
        }
    if isinstance(entity, Finding):
        return _finding(ctx, entity)
    if isinstance(entity, (Stage, Concept)):
        ref = (entity.kind, entity.id)
        text = entity.definition
        parent = ("model", entity.model) if isinstance(entity, Stage) else None
        term: dict[str, Any] = {
            "@type": "DefinedTerm",
            "@id": _url(ctx, ref),
            "name": ctx.label(ref),
            "description": ctx.plain(text, 2000),
            "citation": _citations(ctx, ref),
        }
        if parent:
            term["inDefinedTermSet"] = _url(ctx, parent)
        return term
    if isinstance(entity, Model):
        return {
            "@type": "DefinedTermSet",
            "@id": _url(ctx, ("model", entity.id)),
            "name": entity.title,
            "description": ctx.plain(entity.summary, 2000),
        }
    if isinstance(entity, Reference):
        return _work(ctx, entity.id)
    if entity is None and ctx.page == "index.md":
        return {
            "@type": "WebSite",
            "name": ctx.corpus.site.title,
            "about": [_work(ctx, s.reference) for s in ctx.corpus.studies.values()],
        }
    name = ctx.label((entity.kind, entity.id)) if entity is not None else ctx.page
    return {"@type": "WebPage", "name": name}


def _finding(ctx: PageContext, finding: Finding) -> dict[str, Any]:
    ref = ("finding", finding.id)
    study = ctx.corpus.studies[finding.study]
    claim = {
        "@type": "Claim",
        "@id": _url(ctx, ref),
        "name": finding.title,
        "text": ctx.plain(finding.statement, 4000),
        "isBasedOn": _url(ctx, ("study", study.id)),
        "citation": _citations(ctx, ref),
    }
    quotes = [
        {
            "@type": "Quotation",
            "@id": _url(ctx, ("quote", quote_id)),
            "text": ctx.corpus.quotes[quote_id].text,
            "spokenByCharacter": {
                "@type": "Person",
                "jobTitle": ctx.corpus.roles[ctx.corpus.quotes[quote_id].role].label,
                "description": ctx.corpus.quotes[quote_id].speaker,
            },
            "isBasedOn": _url(ctx, ("study", study.id)),
            "about": _url(ctx, ref),
        }
        for quote_id in ctx.index.quotes_of.get(finding.id, ())
    ]
    return {"@graph": [claim, *quotes]}
