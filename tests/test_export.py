"""The JSON export converts model objects exactly as dataclasses.asdict would."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from build_scripts.load import load_project
from build_scripts.model import build_corpus
from build_scripts.render import _plain
from tests.conftest import MINI, PROJECT, add_cerqual_assessment, copy_corpus

KINDS = ("study", "model", "stage", "finding", "quote", "role", "group", "concept")


def test_export_converts_every_entity_like_asdict(tmp_path: Path) -> None:
    assessed = copy_corpus(MINI, tmp_path)
    add_cerqual_assessment(assessed)
    corpora = [build_corpus(load_project(root)) for root in (PROJECT, assessed)]
    entities = [e for corpus in corpora for kind in KINDS for e in corpus.collection(kind).values()]
    assert any(getattr(entity, "cerqual", None) for entity in entities)  # a nested dataclass
    for entity in entities:
        converted = json.dumps(_plain(entity), ensure_ascii=False, indent=1)
        assert converted == json.dumps(asdict(entity), ensure_ascii=False, indent=1)
