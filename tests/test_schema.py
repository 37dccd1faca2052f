"""The JSON Schema editors type against: valid, and named at the top of every content file."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from build_scripts.schema_info import SCHEMA_PATH, content_schema
from tests.conftest import MINI, PROJECT

CONTENT_FILES = sorted((PROJECT / "content").rglob("*.yaml")) + sorted(
    (MINI / "content").rglob("*.yaml")
)


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(content_schema())


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.relative_to(PROJECT).as_posix())
def test_content_file_names_the_schema_on_its_first_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    assert (path.parent / first[len(prefix) :]).resolve() == SCHEMA_PATH.resolve()


def test_every_prose_field_is_marked_as_markdown() -> None:
    defs = content_schema()["$defs"]
    assert defs["prose"]["contentMediaType"] == "text/markdown"
    assert defs["finding"]["properties"]["statement"] == {"$ref": "#/$defs/prose"}
    assert defs["quote"]["properties"]["text"]["$ref"] == "#/$defs/text"
