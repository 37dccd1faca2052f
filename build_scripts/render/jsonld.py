"""schema.org JSON-LD for each page: ScholarlyArticle, Claim, Quotation, DefinedTerm …"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from build_scripts.pipeline.csl_json import to_csl
from build_scripts.pipeline.entities import Concept, Finding, Model, Quote, Reference, Stage, Study
from build_scripts.pipeline.kinds import KIND
from build_scripts.pipeline.locate import selectors
from build_scripts.pipeline.provenance import judgement
from build_scripts.pipeline.reviews import ReviewFinding
from build_scripts.render.citable import creators, written_name

if TYPE_CHECKING:
    from build_scripts.render.context import PageContext

# The W3C Web Annotation vocabulary, for where a quotation sits in its source text.
OA = "http://www.w3.org/ns/oa#"
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


def page_jsonld(ctx: PageContext, entity: Any, title: str = "") -> str:
    """The page's JSON-LD as one line of JSON, with <, > and & escaped (it cannot end the
    script element it is written into). `entity` is the page's own unit (None on other pages,
    which are described as web pages named by their `title`)."""
    data = {"@context": "https://schema.org", **_describe(ctx, entity, title)}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _url(ctx: PageContext, ref: tuple[str, str]) -> str:
    """Absolute when the site's address is known, else relative to this page (a valid IRI
    reference that JSON-LD resolves against the page's own address, online or offline)."""
    return ctx.permalink(ref) if ctx.corpus.site.url else ctx.href(ref)


def _link(ctx: PageContext, ref: tuple[str, str]) -> dict[str, str]:
    """A node that points at another: its @id only."""
    return {"@id": _url(ctx, ref)}


def _agent(name: dict[str, str], orcid: str | None = None) -> dict[str, str]:
    """A CSL name as a schema.org Person, or an Organization when it is a literal name."""
    if "literal" in name:
        return {"@type": "Organization", "name": name["literal"]}
    person = {"@type": "Person", "name": written_name(name), "familyName": name.get("family", "")}
    if name.get("given"):
        person["givenName"] = name["given"]
    if orcid:
        person["@id"] = f"https://orcid.org/{orcid}"
    return person


def _site_credits(ctx: PageContext) -> dict[str, Any]:
    """Who made a unit of the site and when: its creators, the release, the site it is part of."""
    site = ctx.corpus.site
    orcids = [e.orcid for e in site.editors] or [None]
    credits: dict[str, Any] = {
        "author": [_agent(n, o) for n, o in zip(creators(site), orcids, strict=False)],
        "isPartOf": {
            "@type": "WebSite",
            "@id": _url(ctx, ("page", "index.md")),
            "name": site.title,
        },
        "inLanguage": site.locale,
    }
    if site.release:
        credits.update(datePublished=site.release.date, version=site.release.version)
    return credits


def _work(ctx: PageContext, key: str) -> dict[str, Any]:
    reference = ctx.corpus.references[key]
    item = to_csl(reference)
    work: dict[str, Any] = {
        "@type": WORK_TYPES.get(reference.entry_type, "CreativeWork"),
        "@id": _url(ctx, ("reference", key)),
        "name": str(reference.fields.get("title", key)),
        "description": ctx.citer.reference_plain(key),
    }
    names = item.get("author", [])
    if names:
        work["author"] = [_agent(name) for name in names]
    if "year" in reference.fields:
        work["datePublished"] = str(reference.fields["year"])
    if item.get("container-title"):
        work["isPartOf"] = {"@type": "CreativeWork", "name": str(item["container-title"])}
    if "doi" in reference.fields:
        work["sameAs"] = f"https://doi.org/{reference.fields['doi']}"
    return work


def _citations(ctx: PageContext, ref: tuple[str, str]) -> list[dict[str, Any]]:
    return [_work(ctx, key) for key in ctx.cited_in(ref)]


def _describe(ctx: PageContext, entity: Any, title: str) -> dict[str, Any]:
    if isinstance(entity, Study):
        return {
            "@type": KIND["study"].jsonld,
            "@id": _url(ctx, ("study", entity.id)),
            "name": entity.title,
            "abstract": ctx.plain(entity.summary, 2000),
            "about": _work(ctx, entity.reference),
            "citation": _citations(ctx, ("study", entity.id)),
            **_site_credits(ctx),
        }
    if isinstance(entity, Finding):
        return _finding(ctx, entity)
    if isinstance(entity, ReviewFinding):
        return _review_finding(ctx, entity)
    if isinstance(entity, (Stage, Concept)):
        return _term(ctx, entity)
    if isinstance(entity, Model):
        return {
            "@type": KIND["model"].jsonld,
            "@id": _url(ctx, ("model", entity.id)),
            "name": entity.title,
            "description": ctx.plain(entity.summary, 2000),
        }
    if isinstance(entity, Reference):
        return _work(ctx, entity.id)
    if entity is None and ctx.page == "index.md":
        return _website(ctx)
    if entity is not None:
        ref = (entity.kind, entity.id)
        return {"@type": KIND[entity.kind].jsonld, "@id": _url(ctx, ref), "name": ctx.name(ref)}
    return {"@type": "WebPage", "@id": _url(ctx, ("page", ctx.page)), "name": title}


def _term(ctx: PageContext, entity: Stage | Concept) -> dict[str, Any]:
    """A stage or a concept as a defined term, with the works that define it and its model."""
    ref = (entity.kind, entity.id)
    term: dict[str, Any] = {
        "@type": KIND[entity.kind].jsonld,
        "@id": _url(ctx, ref),
        "name": ctx.name(ref),
        "description": ctx.plain(entity.definition, 2000),
    }
    cited = _citations(ctx, ref)
    if cited:
        term["subjectOf"] = cited
    if isinstance(entity, Stage):
        term["inDefinedTermSet"] = _link(ctx, ("model", entity.model))
    return term


def _website(ctx: PageContext) -> dict[str, Any]:
    """The site, about the works of its studies."""
    return {
        "@type": "WebSite",
        "@id": _url(ctx, ("page", "index.md")),
        "name": ctx.corpus.site.title,
        "about": [_work(ctx, s.reference) for s in ctx.corpus.studies.values()],
        **{k: v for k, v in _site_credits(ctx).items() if k != "isPartOf"},
    }


def _finding(ctx: PageContext, finding: Finding) -> dict[str, Any]:
    ref = ("finding", finding.id)
    study = ctx.corpus.studies[finding.study]
    claim = {
        "@type": KIND["finding"].jsonld,
        "@id": _url(ctx, ref),
        "name": finding.title,
        "text": ctx.plain(finding.statement, 4000),
        "isBasedOn": _link(ctx, ("study", study.id)),
        "citation": _citations(ctx, ref),
        **_site_credits(ctx),
    }
    if finding.stages:
        claim["about"] = _stages(ctx, finding, finding.stages)
    quotes = [
        _quote(ctx, ctx.corpus.quotes[quote_id])
        for quote_id in ctx.index.quotes_of.get(finding.id, ())
    ]
    return {"@graph": [claim, *quotes]}


def _review_finding(ctx: PageContext, item: ReviewFinding) -> dict[str, Any]:
    """A review finding as a Claim of its review, based on its supporting findings and
    quotations, with its GRADE-CERQual confidence as a review (schema.org Review, rated)."""
    ref = ("review_finding", item.id)
    evidence = [("finding", f) for f in item.findings] + [("quote", q) for q in item.quotes]
    levels = ["very low", "low", "moderate", "high"]
    return {
        "@type": KIND["review_finding"].jsonld,
        "@id": _url(ctx, ref),
        "name": item.title,
        "text": ctx.plain(item.statement, 4000),
        "isPartOf": _link(ctx, ("review", item.review)),
        "isBasedOn": [_link(ctx, r) for r in evidence],
        "review": {
            "@type": "Review",
            "name": "GRADE-CERQual assessment of confidence",
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": levels.index(item.assessment.confidence) + 1,
                "worstRating": 1,
                "bestRating": len(levels),
                "ratingExplanation": item.assessment.confidence,
            },
            "reviewBody": ctx.plain(item.assessment.explanation, 4000),
        },
        "citation": _citations(ctx, ref),
        # Part of its review (which is part of the site), not of the site directly.
        **{k: v for k, v in _site_credits(ctx).items() if k != "isPartOf"},
    }


def _in_source(ctx: PageContext, quote_id: str) -> dict[str, Any]:
    """Where a quotation sits in its study's source text, in the W3C Web Annotation vocabulary:
    the quotation is a segment (oa:SpecificResource) of the text the site publishes."""
    located = ctx.corpus.locations.get(quote_id)
    if located is None:
        return {}
    base = ctx.corpus.site.url or ctx.root
    quote, position = selectors(located)
    # A text the site does not publish is named by no address, and no words of it but the
    # quotation's own are given (selectors leave out prefix and suffix).
    source = {f"{OA}hasSource": {"@id": base + located.source}} if located.published else {}
    return {
        **source,
        f"{OA}hasSelector": [
            {
                "@type": f"{OA}TextQuoteSelector",
                **{f"{OA}{name}": value for name, value in quote.items() if name != "type"},
            },
            {
                "@type": f"{OA}TextPositionSelector",
                **{f"{OA}{name}": position[name] for name in ("start", "end")},
            },
        ],
    }


def _quote(ctx: PageContext, quote: Quote) -> dict[str, Any]:
    finding = _link(ctx, ("finding", quote.finding))
    study = ctx.corpus.findings[quote.finding].study
    return {
        "@type": KIND["quote"].jsonld,
        "@id": _url(ctx, ("quote", quote.id)),
        "text": quote.text,
        "spokenByCharacter": {
            "@type": "Person",
            "jobTitle": ctx.corpus.roles[quote.role].label,
            "description": quote.speaker,
        },
        "isBasedOn": _link(ctx, ("study", study)),
        "about": [finding, *_stages(ctx, quote, (quote.stage,))] if quote.stage else finding,
        **_in_source(ctx, quote.id),
    }


def _stages(ctx: PageContext, entity: Finding | Quote, stage_ids: tuple[str, ...]) -> list[Any]:
    """The stages a finding or quotation is about, each as a schema.org Role (the pattern that
    qualifies a property) whose description says who assigned it and why."""
    found = judgement(entity, "stage")
    if found is None:
        return [_link(ctx, ("stage", s)) for s in stage_ids]
    said = (
        "Model stage assigned by the site's editors, not by the paper's authors"
        if found.by_editors
        else "Model stage as the paper's authors assign it"
    )
    if found.rationale:
        said += ": " + ctx.plain(found.rationale, 2000)
    return [
        {"@type": "Role", "about": _link(ctx, ("stage", s)), "description": said} for s in stage_ids
    ]
