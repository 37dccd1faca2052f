"""Source texts: every quotation of a study that names its source text (`source:
sources/<name>.txt`, plain UTF-8) must occur in that text. The comparison normalises only
whitespace (every run of spaces, tabs and line breaks is one space), quotation marks (‘ ’ ‚ ‛ ′ as
', “ ” „ ‟ ″ as ") and dashes (‐ ‑ ‒ – — ― − as -); anything else must be as printed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from build_scripts.pipeline.problems import Problem
from build_scripts.pipeline.remember import Remember, recompute, text_key

if TYPE_CHECKING:  # load reads the folder named here: no import of it at run time
    from build_scripts.pipeline.load import YamlFile

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
    entities: Mapping[str, Mapping[str, Any]],
    texts: Mapping[str, str],
    remember: Remember = recompute,
) -> Iterator[Problem]:
    """A study's source text exists; each quotation of a study with one occurs in it.
    `entities` are validation's entities by collection and id (each with its file, key and
    data); `texts`, the source texts by project-relative path. Each study's quotations are
    looked for through `remember`, under a key of its source text and its quotations."""
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
    quoted: dict[str, list[tuple[str, str]]] = {ident: [] for ident in sources}
    for ident, quote in entities["quotes"].items():
        finding = entities["findings"].get(str(quote.data.get("finding")))
        study = str(finding.data.get("study")) if finding else ""
        text = quote.data.get("text")
        if study in quoted and isinstance(text, str):
            quoted[study].append((ident, text))
    for study, quotes in quoted.items():
        path = sources[study]
        key = text_key("quotes", path, texts[path] + "\0" + json.dumps(quotes))
        for ident, passage, diff in remember(key, unquoted, texts[path], quotes):
            quote = entities["quotes"][ident]
            line, column = quote.file.position((*quote.key, "text"))
            yield Problem(
                quote.file.path,
                line,
                column,
                f"quotation '{ident}' is not in its study's source text {path} (whitespace, "
                f"quotation marks and dashes aside); closest passage: “{passage}”; "
                f"differences (source [-…-], quotation {{+…+}}): {diff}",
            )


def unquoted(source: str, quotes: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """The quotations (id, text) not in source, each with its closest passage there and the
    characters that differ."""
    text = normalise(source)
    missing = []
    for ident, quote in quotes:
        wanted = normalise(quote)
        if wanted not in text:
            passage = closest_passage(text, wanted)
            missing.append((ident, passage, differences(passage, wanted)))
    return missing


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
