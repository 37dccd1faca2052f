"""A QDA project as a draft of one study: its text sources as one source text (each under a
heading of its name), a quotation per coded selection (its text sliced from that text, so it
is verbatim by construction), a candidate finding per code that codes a selection (its section:
the code's top-level ancestor), every code as a concept, and what the project cannot say marked
for the editors (pipeline.marks). Nothing here reads or writes files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from build_scripts.pipeline.marks import marked
from build_scripts.pipeline.problems import Problem
from build_scripts.pipeline.sources import MAX_QUOTATION
from build_scripts.qdpx.ids import Ids, slug
from build_scripts.qdpx.project import Code, QdaProject, Selection, TextSource


@dataclass(frozen=True)
class Quotation:
    """A quotation of the draft: its text is `source_text[start:end]` of the study's source
    text, and `text_source`'s text from `start - offset` on; `selection` is what it came from."""

    id: str
    finding: str
    text_source: str
    selection: Selection
    offset: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Draft:
    """The draft's content (the YAML data of its file), its source text and its quotations."""

    content: dict[str, Any]
    source_text: str
    quotations: list[Quotation]


def source_text(sources: list[TextSource]) -> tuple[str, list[int]]:
    """The study's source text: each text source's name as a heading (a paragraph of its own),
    then its text as it is; and where each text starts in it."""
    text, offsets = "", []
    for source in sources:
        text += f"{source.name}\n\n"
        offsets.append(len(text))
        text += source.text
        text += "\n\n" if not source.text.endswith("\n") else "\n"
    return text, offsets


def make_draft(
    project: QdaProject, study: str, where: str, taken: dict[str, set[str]]
) -> tuple[Draft | None, list[Problem]]:
    """The draft of study from project; problems (at `where`, project.qde) for a selection
    too long to be one quotation. `taken` holds the ids the project uses, by collection."""
    text, offsets = source_text(project.sources)
    concepts = _concept_ids(project.codes, Ids(taken.get("concepts")))
    by_guid = {code.guid: code for code in project.codes}
    finding_ids, quote_ids = Ids(taken.get("findings")), Ids(taken.get("quotes"))
    findings: dict[str, str] = {}
    quotations, problems = [], []
    for source, offset in zip(project.sources, offsets, strict=True):
        for selection in source.selections:
            first = selection.codes[0]
            if first not in findings:
                findings[first] = finding_ids.claim(concepts[first])
            quotation = _quotation(source, selection, offset, findings[first], quote_ids)
            if len(quotation.text) > MAX_QUOTATION:
                message = (
                    f"selection '{selection.name or selection.guid}' of '{source.name}' is "
                    f"{len(quotation.text):,} characters; a quotation holds at most "
                    f"{MAX_QUOTATION:,}: code shorter passages in your QDA tool"
                )
                problems.append(Problem(where, selection.line, selection.column, message))
            quotations.append(quotation)
    if problems:
        return None, problems
    order = {code.guid: index for index, code in enumerate(project.codes)}
    quotations.sort(key=lambda q: (order[q.selection.codes[0]], q.start))
    used = sorted(findings, key=order.__getitem__)
    section_ids = Ids()
    sections: dict[str, str] = {}
    for guid in used:
        top = by_guid[guid].path[0]
        sections[top] = sections.get(top) or section_ids.claim(slug(top, "section"))
    content = {
        "studies": [_study(project, study, sections)],
        "findings": [_finding(by_guid[g], findings[g], study, sections, concepts) for g in used],
        "quotes": [_quote(q) for q in quotations],
        "concepts": [_concept(code, concepts) for code in project.codes],
    }
    return Draft({k: v for k, v in content.items() if v}, text, quotations), []


def _concept_ids(codes: list[Code], ids: Ids) -> dict[str, str]:
    """Each code's id (by guid): its name's slug, else its parent's and its own."""
    chosen: dict[str, str] = {}
    for code in codes:
        own = slug(code.name, "code")
        parent = slug(code.path[-2], "code") + "-" + own if len(code.path) > 1 else own
        chosen[code.guid] = ids.claim(own, parent)
    return chosen


def _quotation(
    source: TextSource, selection: Selection, offset: int, finding: str, ids: Ids
) -> Quotation:
    """The selection's text with the white space around it left out (no part of the words)."""
    chosen = source.text[selection.start : selection.end]
    start = selection.start + len(chosen) - len(chosen.lstrip())
    end = selection.end - (len(chosen) - len(chosen.rstrip()))
    ident = ids.claim(f"q-{slug(source.name, 'text')}-{start}")
    text = source.text[start:end]
    return Quotation(
        ident, finding, source.name, selection, offset, offset + start, offset + end, text
    )


def _study(project: QdaProject, study: str, sections: dict[str, str]) -> dict[str, Any]:
    named = f" (the QDA project is named '{project.name}')" if project.name else ""
    data: dict[str, Any] = {
        "id": study,
        "title": marked(f"the study's title{named}"),
        "reference": marked("the BibTeX key of the study's publication; add its entry to bib/"),
    }
    if project.sources:
        # Transcripts are participants' words: checked against, never published, by default.
        data["source"] = f"sources/{study}.txt"
        data["publish_source"] = False
        data["source_headings"] = [{"title": source.name} for source in project.sources]
    analysis = f"how the data were analysed (coded in {project.origin or 'a QDA tool'})"
    untitled = [
        {"id": "findings", "title": marked("the section of the publication the findings sum up")}
    ]
    return data | {
        "summary": marked("a summary of the study, with its citation"),
        "setting": marked("the study's setting"),
        "design": marked("the study's design"),
        "period": {
            "start": marked("the year the study began (YYYY or YYYY-MM)"),
            "end": marked("the year the study ended (YYYY or YYYY-MM)"),
        },
        "data_collection": [
            {
                "id": "data",
                "method": marked("how the data were collected (e.g. Interviews)"),
                "description": marked("with whom, how many, how"),
            }
        ],
        "analysis": marked(analysis),
        "ethics": marked("the study's ethical approval"),
        "sections": [{"id": ident, "title": top} for top, ident in sections.items()] or untitled,
    }


def _finding(
    code: Code, ident: str, study: str, sections: dict[str, str], concepts: dict[str, str]
) -> dict[str, Any]:
    return {
        "id": ident,
        "study": study,
        "section": sections[code.path[0]],
        "title": code.name,
        "statement": marked(
            f"what the study finds under the code '{' › '.join(code.path)}', with its citation; "
            "the QDA project holds the code, not a finding"
        ),
        "concepts": [concepts[code.guid]],
    }


def _quote(quotation: Quotation) -> dict[str, Any]:
    place = f"'{quotation.text_source}', characters {quotation.start - quotation.offset}–"
    place += f"{quotation.end - quotation.offset}"
    return {
        "id": quotation.id,
        "finding": quotation.finding,
        "text": quotation.text,
        "speaker": marked(f"who says this, as the source attributes it ({place})"),
        "role": marked("the id of the speaker's role (a `roles:` entry of this study)"),
    }


def _concept(code: Code, concepts: dict[str, str]) -> dict[str, Any]:
    concept: dict[str, Any] = {"id": concepts[code.guid], "term": code.name}
    description = code.description.strip()
    concept["definition"] = description or marked(
        f"what the code '{' › '.join(code.path)}' means (the codebook gives no description)"
    )
    if code.parent:
        concept["related"] = [concepts[code.parent]]
    return concept
