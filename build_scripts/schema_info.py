"""The content schema and the small helpers every check uses to word its messages."""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path
from typing import Any

from build_scripts.load import Key

SCHEMA_PATH = Path(__file__).parent / "schema" / "content.schema.json"


@cache
def content_schema() -> dict[str, Any]:
    """The JSON Schema every content file is checked against (also used by editors)."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def field_name(key: Key) -> str:
    names = [str(part) for part in key if isinstance(part, str)]
    return names[-1] if names else "(top level)"


def suggest(name: str, known: Any) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""
