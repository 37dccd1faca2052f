"""Source texts: every quotation of a study that names its source text (`source:
sources/<name>.txt`, plain UTF-8) must occur in that text. The comparison normalises only
whitespace (every run of spaces, tabs and line breaks is one space), quotation marks (‘ ’ ‚ ‛ ′ as
', “ ” „ ‟ ″ as ") and dashes (‐ ‑ ‒ – — ― − as -); anything else must be as printed."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from difflib import SequenceMatcher
from typing import Any

from build_scripts.pipeline.problems import Problem

SOURCES_FOLDER = "sources"
_SINGLE = re.compile("[\u2018\u2019\u201a\u201b\u2032]")
_DOUBLE = re.compile("[\u201c\u201d\u201e\u201f\u2033]")
_DASH = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
CONTEXT = 12  # characters of agreement shown either side of a difference


def normalise(text: str) -> str:
    """Text as quotations are compared with their source (see the module's docstring)."""
    text = _DASH.sub("-", _DOUBLE.sub('"', _SINGLE.sub("'", text)))
    return " ".join(text.split())


def check_quotations(
    entities: Mapping[str, Mapping[str, Any]], texts: Mapping[str, str]
) -> Iterator[Problem]:
    """A study's source text exists; each quotation of a study with one occurs in it.
    `entities` are validation's entities by collection and id (each with its file, key and
    data); `texts`, the source texts by project-relative path."""
    normalised: dict[str, str] = {}
    for study in entities["studies"].values():
        path = study.data.get("source")
        if not isinstance(path, str):
            continue
        if path not in texts:
            line, column = study.file.position((*study.key, "source"))
            message = f"source text '{path}' not found; add it (plain UTF-8) or remove `source`"
            yield Problem(study.file.path, line, column, message)
        else:
            normalised[study.data["id"]] = normalise(texts[path])
    for ident, quote in entities["quotes"].items():
        finding = entities["findings"].get(str(quote.data.get("finding")))
        study = entities["studies"].get(str(finding.data.get("study"))) if finding else None
        text = quote.data.get("text")
        if study is None or study.data["id"] not in normalised or not isinstance(text, str):
            continue
        source = normalised[study.data["id"]]
        wanted = normalise(text)
        if wanted in source:
            continue
        line, column = quote.file.position((*quote.key, "text"))
        passage = closest_passage(source, wanted)
        yield Problem(
            quote.file.path,
            line,
            column,
            f"quotation '{ident}' is not in its study's source text {study.data['source']} "
            f"(whitespace, quotation marks and dashes aside); closest passage: “{passage}”; "
            f"differences (source [-…-], quotation {{+…+}}): {differences(passage, wanted)}",
        )


def closest_passage(source: str, wanted: str) -> str:
    """The stretch of source that best lines up with wanted: around their longest common run,
    from where wanted's first agreeing character stands to where its last one does (extended
    by what wanted has before and after them)."""
    match = SequenceMatcher(None, source, wanted, autojunk=False).find_longest_match(
        0, len(source), 0, len(wanted)
    )
    margin = len(wanted) // 2 + 1
    low = max(0, match.a - match.b - margin)
    region = source[low : match.a - match.b + len(wanted) + margin]
    blocks = SequenceMatcher(None, region, wanted, autojunk=False).get_matching_blocks()
    blocks = [block for block in blocks if block.size]
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


def source_warnings(entities: Mapping[str, Mapping[str, Any]]) -> Iterator[Problem]:
    """A study that names no source text: its quotations are checked against nothing."""
    for ident, study in entities["studies"].items():
        if "source" not in study.data:
            line, column = study.file.position((*study.key, "id"))
            yield Problem(
                study.file.path,
                line,
                column,
                f"warning: study '{ident}' names no source text (`source: "
                f"{SOURCES_FOLDER}/<name>.txt`), so its quotations are not checked against it",
                severity="warning",
            )
