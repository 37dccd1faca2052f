"""The registry of entity kinds agrees with the content schema, and a prose field added to the
schema alone has its citations checked, rendered and listed under "cited by"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from build_scripts.build import GenerateOptions, Paths, check
from build_scripts.build import build as driver_build
from build_scripts.engine.mkdocs_engine import MkDocsEngine
from build_scripts.pipeline.kinds import KIND, KINDS
from build_scripts.pipeline.schema_info import CONTENT_SCHEMA, SCHEMA_PATH, ContentSchema
from tests.conftest import CONFIG, MINI
from tests.sitecheck import soup


def test_every_collection_of_the_schema_is_a_kind_with_its_link_fields() -> None:
    schema = CONTENT_SCHEMA.data
    assert {kind.plural for kind in KINDS} == set(schema["properties"]) - {"site"}
    for kind in KINDS:
        items = schema["properties"][kind.plural]["items"]
        fields = schema["$defs"][items["$ref"].rsplit("/", 1)[-1]]["properties"]
        assert set(kind.links) <= set(fields), kind.name
        assert set(kind.links.values()) <= set(KIND)


def test_prose_fields_come_from_the_schema() -> None:
    assert KIND["finding"].prose_fields(CONTENT_SCHEMA) == (
        ("statement",),
        ("stages_rationale",),
        ("cerqual", "explanation"),
    )
    assert ("data_collection", "*", "description") in KIND["study"].prose_fields(CONTENT_SCHEMA)
    # A quotation's words are verbatim text, not prose; why it is at its stage is prose.
    assert KIND["quote"].prose_fields(CONTENT_SCHEMA) == (("stage_rationale",),)
    assert KIND["role"].prose_fields(CONTENT_SCHEMA) == (("group_rationale",), ("description",))


def test_each_judged_link_needs_its_basis_in_the_schema() -> None:
    schema = CONTENT_SCHEMA.data
    for kind in KINDS:
        items = schema["properties"][kind.plural]["items"]
        definition = schema["$defs"][items["$ref"].rsplit("/", 1)[-1]]
        for name, (basis, rationale) in kind.judged.items():
            assert name in kind.links, kind.name
            assert {basis, rationale} <= set(definition["properties"]), kind.name
            assert definition["dependentRequired"][name] == [basis]
            assert definition["dependentRequired"][rationale] == [basis]


@pytest.fixture
def note_schema() -> ContentSchema:
    """The content schema with one more prose field, a concept's `note`."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    schema["$defs"]["concept"]["properties"]["note"] = {"$ref": "#/$defs/prose"}
    return ContentSchema(schema)


def with_note(mini: Path, note: str) -> None:
    """The mini corpus's first concept with a note."""
    text = (MINI / "content" / "people.yaml").read_text(encoding="utf-8")
    marker = "    related: [social-movement]\n"
    people = mini / "content" / "people.yaml"
    people.write_text(text.replace(marker, marker + f"    note: {note}\n", 1), encoding="utf-8")


def test_a_prose_field_added_to_the_schema_is_checked_rendered_and_cited(
    note_schema: ContentSchema, mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert KIND["concept"].prose_fields(note_schema)[-1] == ("note",)
    with_note(mini, "Compare [@nosuch].")
    assert check(mini, "text", schema=note_schema) == 1
    assert "unknown citation key 'nosuch' in field 'note'" in capsys.readouterr().err
    # The content schema of the project stays as it is: a note is no field of it.
    assert check(mini, "text") == 1
    assert "unknown field 'note' in concept 'collective-action-frame'" in capsys.readouterr().err
    with_note(mini, "Compare [@ovretveit2002].")
    options = GenerateOptions(schema=note_schema)
    assert driver_build(Paths.of(mini, config=CONFIG), options, MkDocsEngine()) == 0
    concept = soup(mini / "site" / "concepts" / "collective-action-frame" / "index.html")
    cited = concept.find(id="_works-cited")
    assert cited is not None
    works = cited.find_next("ul")
    assert works is not None and "Øvretveit" in works.get_text()
    reference = soup(mini / "site" / "bibliography" / "ovretveit2002" / "index.html")
    cited_by = reference.find(id="_cited-by").find_next("ul")  # type: ignore[union-attr]
    assert cited_by is not None
    assert "Collective action frame" in cited_by.get_text()
    export = json.loads((mini / "site" / "data" / "evidence.json").read_text(encoding="utf-8"))
    [frame] = [c for c in export["concepts"] if c["id"] == "collective-action-frame"]
    assert frame["note"] == "Compare [@ovretveit2002]."
