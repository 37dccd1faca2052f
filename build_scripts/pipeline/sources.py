"""Source texts: every quotation of a study that names its source text (`source:
sources/<name>.txt`, plain UTF-8) must occur in that text, as pipeline.locate compares them
(whitespace, quotation marks and dashes aside); each one found gets its place there, under the
headings the study declares (`source_headings`), which must be paragraphs of the text in their
order."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from build_scripts.pipeline.entities import Corpus
from build_scripts.pipeline.load import SOURCES_FOLDER, YamlFile
from build_scripts.pipeline.locate import Heading, Location, Outline, SourceText, locate, normalise
from build_scripts.pipeline.problems import Problem
from build_scripts.pipeline.remember import Remember, recompute, text_key

MAX_QUOTATION = 5000  # characters: the schema's limit of a text (content.schema.json)
CONTEXT = 12  # characters of agreement shown either side of a difference
# A study's quotations as they are looked for: (id, text), sorted by id.
Quotations = list[tuple[str, str]]


@dataclass(frozen=True)
class Search:
    """What looking for a study's quotations in its source text found: the location of each
    one there, each one not there (id, closest passage, differences), and how many of the
    study's headings were found."""

    locations: dict[str, Location]
    missing: list[tuple[str, str | None, str]]
    headings_found: int


def search_source(
    path: str, text: str, headings: tuple[Heading, ...], quotes: Quotations
) -> Search:
    """Look for each quotation (id, text) in the source text at path, under its headings; for
    those not there, the closest passage ("" when none is close; None once CLOSEST_BUDGET
    characters of them have been looked for)."""
    source, outline = SourceText(text), Outline(text, headings)
    locations: dict[str, Location] = {}
    missing: list[tuple[str, str | None, str]] = []
    passages: Passages | None = None
    budget = CLOSEST_BUDGET
    for ident, quote in quotes:
        span = source.find(quote)
        if span:
            locations[ident] = locate(path, text, outline, *span)
        elif budget <= 0:
            missing.append((ident, None, ""))
        else:
            wanted = normalise(quote)
            budget -= len(wanted)
            passages = passages or Passages(source.normalised)
            passage = passages.closest(wanted)
            missing.append((ident, passage, differences(passage, wanted) if passage else ""))
    return Search(locations, missing, outline.found)


def _search(
    remember: Remember, path: str, text: str, headings: tuple[Heading, ...], quotes: Quotations
) -> Search:
    # Validation and the model ask the same question: one key, so that one answers both.
    quotes = sorted(quotes)
    listed = json.dumps([[[h.title, h.level] for h in headings], quotes])
    key = text_key("quotes", path, text + "\0" + listed)
    return remember(key, search_source, path, text, headings, quotes)


def check_quotations(
    entities: Mapping[str, Mapping[str, Any]],
    texts: Mapping[str, str],
    remember: Remember = recompute,
) -> Iterator[Problem]:
    """A study's source text exists and holds its headings in order; each quotation of a study
    with one occurs in it. `entities` are validation's entities by collection and id (each with
    its file, key and data); `texts`, the source texts by project-relative path."""
    sources: dict[str, str] = {}
    for study in entities["studies"].values():
        path = study.data.get("source")
        if not isinstance(path, str):
            continue
        if path not in texts:
            line, column = study.file.position((*study.key, "source"))
            message = f"source text '{path}' not found; add it (plain UTF-8) or remove `source`"
            yield Problem(study.file.path, line, column, message)
        else:
            sources[study.data["id"]] = path
    quoted: dict[str, Quotations] = {ident: [] for ident in sources}
    for ident, quote in entities["quotes"].items():
        finding = entities["findings"].get(str(quote.data.get("finding")))
        study = str(finding.data.get("study")) if finding else ""
        text = quote.data.get("text")
        # One over the schema's length is the schema's to report: never looked for.
        if study in quoted and isinstance(text, str) and len(text) <= MAX_QUOTATION:
            quoted[study].append((ident, text))
    for study_id, quotes in quoted.items():
        study, path = entities["studies"][study_id], sources[study_id]
        headings = _headings(study.data.get("source_headings"))
        search = _search(remember, path, texts[path], headings, quotes)
        if search.headings_found < len(headings):
            yield _heading_problem(study, path, headings, search.headings_found)
        for ident, passage, diff in search.missing:
            quote = entities["quotes"][ident]
            line, column = quote.file.position((*quote.key, "text"))
            closest = (
                f"closest passage: “{passage}”; differences (source [-…-], quotation {{+…+}}): "
                f"{diff}"
                if passage
                else "no passage of the source is close to it"
                if passage == ""
                else f"(closest passages are shown for the first {CLOSEST_BUDGET:,} characters "
                "of quotations missing from a text)"
            )
            yield Problem(
                quote.file.path,
                line,
                column,
                f"quotation '{ident}' is not in its study's source text {path} (whitespace, "
                f"quotation marks and dashes aside); {closest}",
            )


def _headings(data: Any) -> tuple[Heading, ...]:
    # Called before the schema's problems stop the build: headings of the wrong shape are the
    # schema's to report, and none is looked for.
    if not isinstance(data, list) or not all(
        isinstance(item, dict)
        and isinstance(item.get("title"), str)
        and isinstance(item.get("level", 1), int)
        for item in data
    ):
        return ()
    return tuple(Heading(item["title"], item.get("level", 1)) for item in data)


def _heading_problem(study: Any, path: str, headings: tuple[Heading, ...], found: int) -> Problem:
    line, column = study.file.position((*study.key, "source_headings", found, "title"))
    after = f" after the heading '{headings[found - 1].title}'" if found else ""
    return Problem(
        study.file.path,
        line,
        column,
        f"heading '{headings[found].title}' is not a paragraph of {path}{after}; a heading is a "
        "line of the text as printed, with blank lines around it, and the headings are listed "
        "in the text's order",
    )


def quotation_locations(
    corpus: Corpus, texts: Mapping[str, str], remember: Remember = recompute
) -> dict[str, Location]:
    """Where each quotation of a study with a source text sits in it, by quotation id (call on
    a corpus whose content validates)."""
    quoted: dict[str, Quotations] = {}
    for ident, quote in corpus.quotes.items():
        quoted.setdefault(corpus.findings[quote.finding].study, []).append((ident, quote.text))
    locations: dict[str, Location] = {}
    for study in corpus.studies.values():
        if study.source is not None:
            quotes = quoted.get(study.id, [])
            search = _search(
                remember, study.source, texts[study.source], study.source_headings, quotes
            )
            locations.update(search.locations)
    return {ident: locations[ident] for ident in corpus.quotes if ident in locations}


# Characters of quotations, in a search, for which the closest passage is worked out (its cost
# grows with the square of a quotation's length); the rest are only said to be missing.
CLOSEST_BUDGET = 10_000
GRAM = 8  # characters of a run that places a quotation against its source
COMMON = 64  # a run found more often than this in the source places nothing (like "of the ")


class Passages:
    """A normalised source text indexed by its runs of GRAM characters, built once (linear in
    the text) for finding the passage closest to each quotation not in it."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._at: dict[str, list[int]] = {}
        for start in range(len(source) - GRAM + 1):
            self._at.setdefault(source[start : start + GRAM], []).append(start)

    def closest(self, wanted: str) -> str:
        """The stretch of the source that best lines up with wanted ("" if none does): placed
        where most of wanted's runs agree, then trimmed to where wanted's first and last
        agreeing characters stand (extended by what wanted has before and after them). Linear
        in wanted, then bounded by its length: no step scans the source per character."""
        votes: Counter[int] = Counter()
        for start in range(len(wanted) - GRAM + 1):
            places = self._at.get(wanted[start : start + GRAM], ())
            if len(places) <= COMMON:
                votes.update(place - start for place in places)
        if not votes:
            return ""
        offset = votes.most_common(1)[0][0]
        margin = len(wanted) // 2 + 1
        low = max(0, offset - margin)
        region = self.source[low : max(low, offset + len(wanted) + margin)]
        blocks = SequenceMatcher(None, region, wanted, autojunk=False).get_matching_blocks()
        blocks = [block for block in blocks if block.size]
        if not blocks:
            return ""
        first, last = blocks[0], blocks[-1]
        start = max(0, first.a - first.b)
        end = min(len(region), last.a + last.size + len(wanted) - last.b - last.size)
        return region[start:end]


def differences(passage: str, wanted: str) -> str:
    """The characters in which passage and wanted differ, each with a little agreeing text
    either side: 'taken [-n-]{+m+}ore' ('…' where agreeing text is left out)."""
    parts = []
    for tag, a1, a2, b1, b2 in SequenceMatcher(None, passage, wanted, autojunk=False).get_opcodes():
        if tag == "equal":
            same = passage[a1:a2]
            parts.append(
                same if len(same) <= 2 * CONTEXT else f"{same[:CONTEXT]}…{same[-CONTEXT:]}"
            )
        else:
            removed = f"[-{passage[a1:a2]}-]" if a2 > a1 else ""
            added = f"{{+{wanted[b1:b2]}+}}" if b2 > b1 else ""
            parts.append(removed + added)
    text = "".join(parts)
    return text


def source_warnings(files: list[YamlFile]) -> Iterator[Problem]:
    """A study that names no source text: its quotations are checked against nothing (call on
    content that validates)."""
    for file in files:
        for number, study in enumerate(file.data.get("studies", [])):
            if "source" not in study:
                line, column = file.position(("studies", number, "id"))
                yield Problem(
                    file.path,
                    line,
                    column,
                    f"warning: study '{study['id']}' names no source text (`source: "
                    f"{SOURCES_FOLDER}/<name>.txt`), so its quotations are not checked against it",
                    severity="warning",
                )
