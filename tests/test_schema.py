"""The JSON Schema editors type against: valid, named at the top of every content file, and
checked by a validator with its references inlined that reports exactly what the schema does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_scripts.pipeline.load import YamlFile, load_yaml_file
from build_scripts.pipeline.schema_info import (
    CONTENT_SCHEMA,
    SCHEMA_PATH,
    ContentValidator,
)
from build_scripts.pipeline.validate import check_schema
from build_scripts.pipeline.validate import schema_problems as worded
from tests.conftest import MINI, PROJECT

CONTENT_FILES = sorted((PROJECT / "content").rglob("*.yaml")) + sorted(
    (MINI / "content").rglob("*.yaml")
)


def test_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(CONTENT_SCHEMA.data)


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.relative_to(PROJECT).as_posix())
def test_content_file_names_the_schema_on_its_first_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    assert (path.parent / first[len(prefix) :]).resolve() == SCHEMA_PATH.resolve()


def test_every_prose_field_is_marked_as_markdown() -> None:
    defs = CONTENT_SCHEMA.data["$defs"]
    assert defs["prose"]["contentMediaType"] == "text/markdown"
    assert defs["finding"]["properties"]["statement"] == {"$ref": "#/$defs/prose"}
    assert defs["quote"]["properties"]["text"]["$ref"] == "#/$defs/text"


def messages(file: YamlFile, validator: jsonschema.Draft202012Validator) -> list[str]:
    """The messages of every schema error, and the problems check_schema words from them."""
    errors = list(validator.iter_errors(file.data))
    return [e.message for e in errors] + [str(p) for e in errors for p in worded(file, e)]


def stock_validator() -> jsonschema.Draft202012Validator:
    return ContentValidator(CONTENT_SCHEMA.data)


def test_inlined_validator_has_no_reference_left() -> None:
    assert "$ref" not in json.dumps({**CONTENT_SCHEMA.validator().schema, "$defs": {}})


BAD_FILES = sorted((Path(__file__).parent / "fixtures" / "bad").rglob("*.yaml"))
# The bad fixtures that are not YAML at all never reach the schema.
YAML_FILES = [p for p in CONTENT_FILES + BAD_FILES if load_yaml_file(p, p.parent, []) is not None]


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: p.name)
def test_inlined_validator_reports_content_files_like_the_schema(path: Path) -> None:
    file = load_yaml_file(path, path.parent, [])
    assert file is not None
    assert messages(file, CONTENT_SCHEMA.validator()) == messages(file, stock_validator())


def property_names(node: Any) -> set[str]:
    if isinstance(node, dict):
        own = set(node.get("properties", {}))
        return own.union(*(property_names(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(property_names(item) for item in node))
    return set()


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from(["a", "a", "Bad Id", "x-1", "", "2020", "Minor concerns", "[@k]"]),
)
NAMES = st.sampled_from(sorted(property_names(CONTENT_SCHEMA.data) | {"nonsense"}))
CONTENT = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(NAMES, inner, max_size=6),
    max_leaves=40,
)


ENTITY = st.builds(
    lambda ident, rest: {"id": ident, **rest}, SCALARS, st.dictionaries(NAMES, CONTENT)
)
ITEMS = st.lists(ENTITY, max_size=3)
DOCUMENTS = st.dictionaries(NAMES, ITEMS | CONTENT, max_size=4)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(DOCUMENTS)
def test_inlined_validator_reports_any_data_like_the_schema(data: dict[str, Any]) -> None:
    file = YamlFile(path="c.yaml", data=data)
    assert messages(file, CONTENT_SCHEMA.validator()) == messages(file, stock_validator())


def test_inlined_validator_reports_every_kind_of_error_like_the_schema() -> None:
    data = {
        "findings": [{"id": "a", "cerqual": {"confidence": "Huge"}, "statement": ""}],
        "stages": [{"id": "s", "number": -1, "title": "", "concepts": ["a", "a"]}],
        "studies": [{"id": "x", "aliases": ["B", "b", "b"], "timeline": [{"date_label": ""}]}],
    }
    file = YamlFile(path="c.yaml", data=data)
    kinds = {e.validator for e in CONTENT_SCHEMA.validator().iter_errors(data)}
    assert kinds == {"required", "pattern", "uniqueItems", "minLength", "minimum", "enum"}
    assert messages(file, CONTENT_SCHEMA.validator()) == messages(file, stock_validator())


JUDGEMENTS_WITHOUT_BASIS = """\
findings:
  - id: f
    study: s
    section: x
    title: T
    statement: S.
    stages: [framing]
quotes:
  - id: q
    finding: f
    text: T
    speaker: S
    role: r
    stage: framing
    stage_rationale: Why.
  - id: q2
    finding: f
    text: T
    speaker: S
    role: r
    stage_basis: authors
roles:
  - id: r
    study: s
    label: R
    group: g
    group_basis: editor
"""


def test_a_judgement_without_its_basis_is_an_error_at_the_judgement(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(JUDGEMENTS_WITHOUT_BASIS, encoding="utf-8")
    file = load_yaml_file(path, tmp_path, [])
    assert file is not None
    choice = "(one of: editors, authors)"
    enum = "['editors', 'authors']"
    assert sorted(str(p) for p in check_schema(file)) == [
        f"c.yaml:14:5: missing field 'stage_basis' in quote 'q': 'stage' needs it {choice}",
        f"c.yaml:15:5: missing field 'stage_basis' in quote 'q': 'stage_rationale' needs it {choice}",
        "c.yaml:21:5: missing field 'stage' in quote 'q2': 'stage_basis' needs it",
        f"c.yaml:27:18: field 'group_basis' in role 'r': 'editor' is not one of {enum}",
        f"c.yaml:7:5: missing field 'stages_basis' in finding 'f': 'stages' needs it {choice}",
    ]
    assert messages(file, CONTENT_SCHEMA.validator()) == messages(file, stock_validator())


def test_the_quotation_limit_is_the_schemas_limit_of_a_text() -> None:
    from build_scripts.pipeline.sources import MAX_QUOTATION

    assert CONTENT_SCHEMA.data["$defs"]["text"]["maxLength"] == MAX_QUOTATION
