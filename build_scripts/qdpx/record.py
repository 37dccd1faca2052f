"""The texts an import writes: the draft's content file, and its record
(`imports/<study>.qdpx.yaml`), which the build does not read: where each quotation came from
(its text source, the selection's guid, name and offsets, its codes) and its place as the
project's selectors (W3C Web Annotation TextPositionSelector and TextQuoteSelector in the
study's source text), the tool that made the project, its memos, and what was skipped. A later
import of the same project compares its selections with this record.

Every value is written with yaml.safe_dump, so that text stays text (`yes`, `1.0`, `: `, a
leading `*` or `&` are quoted), and read back before it is written: a value that would not come
back as it went is a bug, raised."""

from __future__ import annotations

from typing import Any

import yaml

from build_scripts.pipeline.schema_info import SCHEMA_PATH
from build_scripts.qdpx.draft import Draft, Quotation
from build_scripts.qdpx.project import QdaProject

CONTEXT = 32  # characters each side of a TextQuoteSelector, as the site's data export gives


def content_text(draft: Draft, study: str, archive: str, origin: str) -> str:
    """The draft's content file: a header that says what to do, then its collections."""
    head = (
        f"# yaml-language-server: $schema={SCHEMA_PATH}\n"
        f"# A DRAFT of the study '{study}', imported from {archive} ({origin or 'a QDA tool'})\n"
        "# by `python -m build_scripts import-qdpx`. Each value that starts with TODO(editors):\n"
        "# is one the QDA project cannot say: `make check` lists each at its line until you\n"
        "# replace it. Each quotation's text is its selection, cut from the study's source text\n"
        "# (sources/): keep it as it is. Findings are the codes that code a selection; concepts\n"
        "# are the whole codebook: shape, merge or remove them as your analysis says.\n"
    )
    return head + dump(draft.content)


def record_text(draft: Draft, project: QdaProject, study: str, archive: str) -> str:
    """The import's record (see the module's docstring)."""
    data = {
        "imported": {
            "file": archive,
            "origin": project.origin,
            "project": project.name,
            "study": study,
            "texts": [{"name": s.name, "guid": s.guid} for s in project.sources],
            "skipped": [note.message for note in project.notes],
        },
        "quotations": [_quotation(q, draft.source_text, project) for q in draft.quotations],
        "memos": [{"name": name, "text": text} for name, text in project.memos],
    }
    head = (
        "# The record of an import (python -m build_scripts import-qdpx): where each quotation\n"
        "# came from. The site's build does not read it; the next import of the same project\n"
        "# compares its selections with it. Keep it, and do not edit it.\n"
    )
    return head + dump(data)


def _quotation(quotation: Quotation, text: str, project: QdaProject) -> dict[str, Any]:
    selection = quotation.selection
    paths = {code.guid: list(code.path) for code in project.codes}
    record: dict[str, Any] = {
        "id": quotation.id,
        "finding": quotation.finding,
        "text_source": quotation.text_source,
        # The quotation's own offsets in its text source (the selection's, less white space).
        "place": {
            "start": quotation.start - quotation.offset,
            "end": quotation.end - quotation.offset,
        },
        "selection": {
            "guid": selection.guid,
            "name": selection.name,
            "start": selection.start,
            "end": selection.end,
        },
        "codes": [paths[guid] for guid in selection.codes],
        "selectors": [
            {"type": "TextPositionSelector", "start": quotation.start, "end": quotation.end},
            {
                "type": "TextQuoteSelector",
                "exact": quotation.text,
                "prefix": text[max(0, quotation.start - CONTEXT) : quotation.start],
                "suffix": text[quotation.end : quotation.end + CONTEXT],
            },
        ],
    }
    if selection.description.strip():
        record["description"] = selection.description
    return record


def dump(data: Any) -> str:
    """data as YAML whose every value reads back the same (else a bug, raised)."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    if yaml.safe_load(text) != data:
        raise ValueError("YAML that does not read back as written")  # a bug here
    return text
