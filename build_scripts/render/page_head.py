"""What heads each page: its front matter (title, description and head metadata, the left
column, whether it has a diagram or is left out of search) and its schema.org JSON-LD."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from build_scripts.pipeline.csl_json import to_csl
from build_scripts.pipeline.entities import Reference
from build_scripts.pipeline.plan import PagePlan
from build_scripts.render.citable import KIND_NAMES, UnitItem, cut, unit_tags, work_tags
from build_scripts.render.context import PageContext
from build_scripts.render.jsonld import page_jsonld
from build_scripts.render.wayfinding import study_nav

# Listings that repeat what the entity pages say: left out of the search index (the theme's
# `search: exclude`), so a search leads to the finding, quotation or reference itself.
NOT_SEARCHED = frozenset(
    {
        "findings-index.md.j2",
        "quotes-index.md.j2",
        "bibliography.md.j2",
        "concepts.md.j2",
        "roles.md.j2",
        "studies.md.j2",
        "list-page.md.j2",
        "matrix.md.j2",
        "soqf.md.j2",
    }
)
# Pages whose one table has a column for each GRADE-CERQual component and an explanation: shown
# without the navigation and contents sidebars, so that every column is in view.
WIDE_TABLES = frozenset({"soqf.md.j2", "review-soqf.md.j2", "review-evidence-profile.md.j2"})


@dataclass(frozen=True)
class PageMeta:
    """What a page tells reference managers and search engines about itself: its title and
    description,
    its head metadata as (attribute, name, content), and the COinS of its own unit (HTML)."""

    title: str
    description: str
    tags: list[tuple[str, str, str]]
    coins: str


def page_meta(ctx: PageContext, plan: PagePlan, title: str, description: str) -> PageMeta:
    """A page about one unit describes that unit; a reference page, the cited work; any other
    page describes itself (its heading as title, the template's `description`)."""
    entity = plan.values.get("entity")
    own_page = entity is not None and plan.template == f"{entity.kind}.md.j2"
    if own_page and isinstance(entity, Reference):
        text = cut(ctx.citer.reference_plain(entity.id))
        work = to_csl(entity)
        return PageMeta(title, text, work_tags(work), _hidden(ctx.work_coins(entity.id)))
    if own_page and entity is not None:
        ref = (entity.kind, entity.id)
        unit = ctx.unit(ref)
        coins = ctx.coins(ref)
    else:
        about = description or f"{title}: a page of {ctx.corpus.site.title}."
        ref = ("page", plan.path)
        unit = UnitItem(ref, KIND_NAMES["page"], title, about, ctx.permalink(ref))
        coins = ctx.page_coins(unit)
    text = cut(unit.abstract)
    return PageMeta(title, text, unit_tags(unit, ctx.corpus.site, text), _hidden(coins))


def _hidden(coins: str) -> str:
    """A raw HTML block holding a COinS span: read by reference managers, never shown."""
    return f'<div class="unit-item" hidden>{coins}</div>\n'


_MD_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_HEADING_ATTRS = re.compile(r"\s*\{[^{}]*\}\s*$")


def heading_text(line: str) -> str:
    """The text of a page's first line, a Markdown heading written from text with md_escape
    and an attribute list: its marks and escapes undone."""
    text = _HEADING_ATTRS.sub("", line.lstrip("#").strip())
    return html.unescape(_MD_ESCAPED.sub(r"\1", text))


def wayfinding_meta(ctx: PageContext, plan: PagePlan, title: str) -> dict[str, Any]:
    """Front matter for finding pages' left column (`study_nav`), and the page's `title` when
    its breadcrumb comes before its heading (the engines take a page's title from its front
    matter, else only from a heading that comes first). The title is HTML, the heading's text
    escaped, as the engines take it from a heading: the theme writes it unescaped."""
    extra: dict[str, Any] = {"title": title} if title else {}
    column = plan.values.get("column")
    if column is not None:
        extra["study_nav"] = study_nav(ctx, column)
    return extra


def front_matter(
    template: str,
    diagram: bool = False,
    meta: PageMeta | None = None,
    extra: dict[str, Any] | None = None,
) -> str:
    """The page's YAML front matter: its description and head metadata (written by
    overrides/main.html), `diagram: true` on pages with a Mermaid diagram, so only they load the
    vendored Mermaid, `search: exclude` on listings, `hide` of the sidebars on pages of wide
    tables (WIDE_TABLES), and `extra`'s values (in flow style)."""
    extra = extra or {}
    lines = [f"title: {yaml_text(extra['title'])}"] if "title" in extra else []
    if meta is not None:
        lines.append(f"description: {yaml_text(meta.description)}")
        tags = ", ".join(f"[{', '.join(yaml_text(v) for v in tag)}]" for tag in meta.tags)
        lines.append(f"meta_tags: [{tags}]")
    if diagram:
        lines.append("diagram: true")
    if template in NOT_SEARCHED:
        lines.append("search:\n  exclude: true")
    if template in WIDE_TABLES:  # the table takes the width of both sidebars
        lines.append("hide:\n  - navigation\n  - toc")
    lines += [f"{key}: {yaml_flow(value)}" for key, value in extra.items() if key != "title"]
    return "---\n" + "".join(f"{line}\n" for line in lines) + "---\n\n" if lines else ""


# YAML's double-quoted escapes for what it would not read back as written: the quote and the
# backslash, C0 and C1 controls, DEL, and the characters YAML takes as line breaks or marks.
_YAML_ESCAPES = {
    **{code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]},
    ord('"'): '\\"',
    ord("\\"): "\\\\",
    0x2028: "\\L",
    0x2029: "\\P",
    0xFEFF: "\\uFEFF",
}


def yaml_text(text: str) -> str:
    """Text as a YAML double-quoted scalar that any YAML loader reads back as that text."""
    return '"' + text.translate(_YAML_ESCAPES) + '"'


def yaml_flow(value: Any) -> str:
    """Strings, numbers, booleans, lists and mappings (string keys) as YAML flow style on one
    line, every string double-quoted (yaml_text)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return yaml_text(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {yaml_flow(item)}" for key, item in value.items()) + "}"
    return "[" + ", ".join(yaml_flow(item) for item in value) + "]"


def jsonld_script(ctx: PageContext, plan: PagePlan, title: str) -> str:
    """The page's schema.org JSON-LD as a script block at the end of its content (not in the
    front matter, which the engine parses as YAML)."""
    entity = plan.values.get("entity")
    own_page = entity is not None and plan.template == f"{entity.kind}.md.j2"
    jsonld = page_jsonld(ctx, entity if own_page else None, title)
    return f'\n<script type="application/ld+json">{jsonld}</script>\n'
