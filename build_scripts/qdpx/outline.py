"""A site's evidence as a REFI-QDA project (qdpx.exported), from its corpus and its studies'
source texts. The codebook: a code per model with a child code per stage (`Stage N: title`,
its definition), then a code per study with a child code per finding (its title, its
statement). A text source per study with a source text (named by the study's title), a
selection per quotation at its place there (named by the quotation's id, described by its
speaker as printed), coded with its finding's code and with its stage's code: the
quotation's own stage, else its finding's stages. The editors' rationales for those stages
are notes, referred to from the finding's code, the quotation and each coding they explain.

Nothing is invented: no user but the site's editors, no dates. A study whose quotations have
no place (it names no source text), or a value XML cannot carry (a control character), is a
problem at its place in the content; nothing else in the corpus can fail here."""

from __future__ import annotations

import re
from collections.abc import Mapping

from build_scripts.pipeline.entities import Corpus, Finding, Quote, Ref, Stage
from build_scripts.pipeline.locate import Location
from build_scripts.pipeline.problems import Problem
from build_scripts.qdpx.exported import (
    ExportCode,
    ExportCoding,
    ExportNote,
    ExportProject,
    ExportSelection,
    ExportSource,
    guid,
)

# What XML 1.0 cannot carry (controls other than tab and line feed, lone surrogates, U+FFFE,
# U+FFFF), and a carriage return, which an XML parser reads back as a line feed.
_NOT_XML = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
BASIS = {"editors": "assigned by the site's editors", "authors": "as the paper's authors assign it"}


class _Outline:
    """Gathers the export's parts and the problems of the values it takes from content."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.problems: list[Problem] = []
        self.notes: dict[str, ExportNote] = {}

    def text(self, ref: Ref, name: str, value: str) -> str:
        """value, checked: a character XML cannot carry is a problem at ref's place."""
        bad = _NOT_XML.search(value)
        if bad is not None:
            path, line, column = self.corpus.sources.get(ref, ("content", 0, 0))
            message = (
                f"field '{name}' of {ref[0]} '{ref[1]}' holds {ascii(bad.group())[1:-1]}, a "
                "character the XML of a .qdpx cannot carry; remove it"
            )
            self.problems.append(Problem(path, line, column, message))
        return value

    def note(self, ref: Ref, field: str, about: str, rationale: str | None) -> tuple[str, ...]:
        """The note of a rationale (its GUID, once), or () when there is none."""
        if not rationale:
            return ()
        ident = guid(*ref, field)
        text = self.text(ref, field, rationale)
        self.notes.setdefault(ident, ExportNote(ident, about, text))
        return (ident,)


def outline_export(
    corpus: Corpus, texts: Mapping[str, str], origin: str
) -> tuple[ExportProject | None, list[Problem]]:
    """The export of corpus; `texts` holds each study's source text by its path (`source:`),
    read as the site reads it; `origin` names the tool. None and every problem when a value
    cannot be exported."""
    outline = _Outline(corpus)
    site = ("site", "")
    name = outline.text(site, "title", corpus.site.title)
    description = corpus.site.description
    if description is not None:
        outline.text(site, "description", description)
    codes = (*_model_codes(outline), *_study_codes(outline))
    sources = tuple(_sources(outline, texts))
    if outline.problems:
        return None, sorted(set(outline.problems))
    user, notes = guid("user", "editors"), tuple(outline.notes.values())
    return ExportProject(name, origin, description, user, codes, sources, notes), []


def stage_label(stage: Stage) -> str:
    """A stage's code name, as the site labels it: `Stage 1: Framing`."""
    return f"Stage {stage.number}: {stage.title}"


def _model_codes(outline: _Outline) -> list[ExportCode]:
    corpus = outline.corpus
    codes = []
    by_model: dict[str, list[Stage]] = {}
    for stage in sorted(corpus.stages.values(), key=lambda s: s.number):
        by_model.setdefault(stage.model, []).append(stage)
    for model in corpus.models.values():
        ref = ("model", model.id)
        stages = by_model.get(model.id, [])
        children = tuple(
            ExportCode(
                guid("stage", stage.id),
                outline.text(("stage", stage.id), "title", stage_label(stage)),
                outline.text(("stage", stage.id), "definition", stage.definition),
                codable=True,
            )
            for stage in stages
        )
        title = outline.text(ref, "title", model.title)
        summary = outline.text(ref, "summary", model.summary)
        codes.append(ExportCode(guid(*ref), title, summary, False, children=children))
    return codes


def _study_codes(outline: _Outline) -> list[ExportCode]:
    corpus = outline.corpus
    by_study: dict[str, list[Finding]] = {}
    for finding in corpus.findings.values():
        by_study.setdefault(finding.study, []).append(finding)
    codes = []
    for study in corpus.studies.values():
        ref = ("study", study.id)
        findings = tuple(_finding_code(outline, f) for f in by_study.get(study.id, []))
        title = outline.text(ref, "title", study.title)
        summary = outline.text(ref, "summary", study.summary)
        codes.append(ExportCode(guid(*ref), title, summary, False, children=findings))
    return codes


def _finding_code(outline: _Outline, finding: Finding) -> ExportCode:
    ref = ("finding", finding.id)
    title = outline.text(ref, "title", finding.title)
    notes = _stages_note(outline, finding)
    statement = outline.text(ref, "statement", finding.statement)
    return ExportCode(guid(*ref), title, statement, True, notes=notes)


def _stages_note(outline: _Outline, finding: Finding) -> tuple[str, ...]:
    stages = ", ".join(stage_label(outline.corpus.stages[s]) for s in finding.stages)
    about = _about(f"the finding '{finding.id}'", stages, finding.stages_basis)
    return outline.note(
        ("finding", finding.id), "stages_rationale", about, finding.stages_rationale
    )


def _about(what: str, stages: str, basis: str | None) -> str:
    """A rationale's note's name: what is placed under which stages, by whom."""
    return f"Why {what} is under {stages} ({BASIS.get(basis or '', 'basis not given')})"


def _sources(outline: _Outline, texts: Mapping[str, str]) -> list[ExportSource]:
    corpus = outline.corpus
    quoted: dict[str, list[Quote]] = {}
    for quote in corpus.quotes.values():
        quoted.setdefault(corpus.findings[quote.finding].study, []).append(quote)
    sources = []
    for study in corpus.studies.values():
        quotes = quoted.get(study.id, [])
        if study.source is None:
            _unplaced(outline, ("study", study.id), quotes)
            continue
        text = texts[study.source]
        placed = [(q, corpus.locations[q.id]) for q in quotes if q.id in corpus.locations]
        _unplaced(outline, ("study", study.id), [q for q in quotes if q.id not in corpus.locations])
        placed.sort(key=lambda pair: (pair[1].start, pair[1].end, pair[0].id))
        selections = tuple(_selection(outline, quote, where, text) for quote, where in placed)
        name = outline.text(("study", study.id), "title", study.title)
        sources.append(ExportSource(guid("study", study.id, "text"), name, text, selections))
    return sources


def _unplaced(outline: _Outline, ref: Ref, quotes: list[Quote]) -> None:
    """A problem at the study when some of its quotations have no place in a source text."""
    if not quotes:
        return
    path, line, column = outline.corpus.sources.get(ref, ("content", 0, 0))
    names = ", ".join(f"'{q.id}'" for q in quotes[:3]) + (", …" if len(quotes) > 3 else "")
    message = (
        f"{len(quotes)} quotation(s) of study '{ref[1]}' ({names}) have no place in a source "
        "text, and a .qdpx holds a quotation only as a selection of its text: name the "
        "study's text in `source: sources/<name>.txt` (`publish_source: false` keeps it "
        "unpublished)"
    )
    outline.problems.append(Problem(path, line, column, message))


def _selection(outline: _Outline, quote: Quote, where: Location, text: str) -> ExportSelection:
    ref = ("quote", quote.id)
    if text[where.start : where.end] != where.exact:
        # The text changed on disk since the site was read: its places no longer hold.
        path, line, column = outline.corpus.sources.get(ref, ("content", 0, 0))
        message = f"{where.source} changed while it was exported; export again"
        outline.problems.append(Problem(path, line, column, message))
    finding = outline.corpus.findings[quote.finding]
    codings = [ExportCoding(guid(*ref, "finding", finding.id), guid("finding", finding.id))]
    notes: tuple[str, ...] = ()
    if quote.stage is not None:
        label = stage_label(outline.corpus.stages[quote.stage])
        about = _about(f"the quotation '{quote.id}'", label, quote.stage_basis)
        notes = outline.note(ref, "stage_rationale", about, quote.stage_rationale)
        codings.append(_stage_coding(ref, quote.stage, notes))
    else:
        why = _stages_note(outline, finding)
        codings += [_stage_coding(ref, stage, why) for stage in finding.stages]
    speaker = outline.text(ref, "speaker", quote.speaker)
    return ExportSelection(
        guid(*ref), quote.id, where.start, where.end, speaker, tuple(codings), notes
    )


def _stage_coding(ref: Ref, stage: str, notes: tuple[str, ...]) -> ExportCoding:
    return ExportCoding(guid(*ref, "stage", stage), guid("stage", stage), notes)
