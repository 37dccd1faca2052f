"""The JSON export converts model objects exactly as dataclasses.asdict would."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from build_scripts.pipeline.csl import Citer
from build_scripts.pipeline.entities import Corpus
from build_scripts.pipeline.kinds import KINDS as REGISTRY
from build_scripts.pipeline.load import load_project
from build_scripts.pipeline.model import build_corpus, build_index
from build_scripts.render.cite_this import flat_json
from build_scripts.render.export import export_json, json_lines, plain_data
from tests.conftest import MINI, PROJECT, add_cerqual_assessment, copy_corpus

KINDS = [kind.name for kind in REGISTRY]


def test_export_converts_every_entity_like_asdict(tmp_path: Path) -> None:
    assessed = copy_corpus(MINI, tmp_path)
    add_cerqual_assessment(assessed)
    corpora = [build_corpus(load_project(root)) for root in (PROJECT, assessed)]
    entities = [e for corpus in corpora for kind in KINDS for e in corpus.collection(kind).values()]
    assert any(getattr(entity, "cerqual", None) for entity in entities)  # a nested dataclass
    for entity in entities:
        converted = json.dumps(plain_data(entity), ensure_ascii=False, indent=1)
        expected = asdict(entity)
        expected.update(expected.pop("extra"))  # fields the class does not name sit among its own
        assert converted == json.dumps(expected, ensure_ascii=False, indent=1)


@given(st.dictionaries(st.text(), st.text(), max_size=8))
def test_flat_json_is_the_indented_dump(item: dict[str, str]) -> None:
    assert flat_json(item) == json.dumps(item, ensure_ascii=False, indent=2)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)


@given(st.dictionaries(st.text(), JSON_VALUES, max_size=6))
def test_export_lines_read_back_as_the_same_data(data: dict[str, object]) -> None:
    text = json_lines(data)
    assert json.loads(text) == data
    assert text.endswith("}\n")


def citer_for(corpus: Corpus) -> Citer:
    return Citer(corpus.references, corpus.site.citation_style, corpus.site.locale, {})


def test_export_writes_one_entity_a_line() -> None:
    corpus = build_corpus(load_project(PROJECT))
    lines = export_json(corpus, build_index(corpus), citer_for(corpus)).splitlines()
    quote_lines = [line for line in lines if line.startswith('  {"id": "q-')]
    assert len(quote_lines) == len(corpus.quotes)
