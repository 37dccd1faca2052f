"""The registry of entity kinds agrees with the content schema, and a prose field added to the
schema alone has its citations checked, rendered and listed under "cited by"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from build_scripts.cli import main
from build_scripts.pipeline.kinds import KIND, KINDS
from build_scripts.pipeline.schema_info import SCHEMA_PATH, content_schema, use_content_schema
from tests.conftest import MINI, build
from tests.sitecheck import soup


def test_every_collection_of_the_schema_is_a_kind_with_its_link_fields() -> None:
    schema = content_schema()
    assert {kind.plural for kind in KINDS} == set(schema["properties"]) - {"site"}
    for kind in KINDS:
        items = schema["properties"][kind.plural]["items"]
        fields = schema["$defs"][items["$ref"].rsplit("/", 1)[-1]]["properties"]
        assert set(kind.links) <= set(fields), kind.name
        assert set(kind.links.values()) <= set(KIND)


def test_prose_fields_come_from_the_schema() -> None:
    assert KIND["finding"].prose_fields == (
        ("statement",),
        ("stages_rationale",),
        ("cerqual", "explanation"),
    )
    assert ("data_collection", "*", "description") in KIND["study"].prose_fields
    # A quotation's words are verbatim text, not prose; why it is at its stage is prose.
    assert KIND["quote"].prose_fields == (("stage_rationale",),)
    assert KIND["role"].prose_fields == (("group_rationale",), ("description",))


def test_each_judged_link_needs_its_basis_in_the_schema() -> None:
    schema = content_schema()
    for kind in KINDS:
        items = schema["properties"][kind.plural]["items"]
        definition = schema["$defs"][items["$ref"].rsplit("/", 1)[-1]]
        for name, (basis, rationale) in kind.judged.items():
            assert name in kind.links, kind.name
            assert {basis, rationale} <= set(definition["properties"]), kind.name
            assert definition["dependentRequired"][name] == [basis]
            assert definition["dependentRequired"][rationale] == [basis]


@pytest.fixture
def note_schema(tmp_path: Path) -> Iterator[Path]:
    """The content schema with one more prose field, a concept's `note`, in use for the test."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    schema["$defs"]["concept"]["properties"]["note"] = {"$ref": "#/$defs/prose"}
    path = tmp_path / "content.schema.json"
    path.write_text(json.dumps(schema), encoding="utf-8")
    use_content_schema(path)
    yield path
    use_content_schema(SCHEMA_PATH)


def with_note(mini: Path, note: str) -> None:
    """The mini corpus's first concept with a note."""
    text = (MINI / "content" / "people.yaml").read_text(encoding="utf-8")
    marker = "    related: [social-movement]\n"
    people = mini / "content" / "people.yaml"
    people.write_text(text.replace(marker, marker + f"    note: {note}\n", 1), encoding="utf-8")


def test_a_prose_field_added_to_the_schema_is_checked_rendered_and_cited(
    note_schema: Path, mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert KIND["concept"].prose_fields[-1] == ("note",)
    with_note(mini, "Compare [@nosuch].")
    assert main(["check", "--root", str(mini)]) == 1
    assert "unknown citation key 'nosuch' in field 'note'" in capsys.readouterr().err
    with_note(mini, "Compare [@ovretveit2002].")
    assert build(mini) == 0
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
