"""Golden Markdown: the whole generated docs folder of a fixture corpus, file by file."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_scripts.build import generate
from build_scripts.publish import ASSETS, write_docs
from tests.regenerate_goldens import FIXTURES, GOLDEN_CORPORA, corpus_root


def tree(folder: Path) -> dict[str, str]:
    """Every generated file but the assets, which are copied verbatim."""
    assets = {asset.name for asset in ASSETS.iterdir()}
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] not in assets
    }


@pytest.mark.parametrize("name", GOLDEN_CORPORA)
def test_generated_markdown_matches_golden(name: str, tmp_path: Path) -> None:
    with corpus_root(name) as root:
        write_docs(generate(root), tmp_path)
    expected = tree(FIXTURES / name / "expected")
    actual = tree(tmp_path)
    assert sorted(actual) == sorted(expected), "the set of generated files changed (make golden)"
    for path in expected:
        assert actual[path] == expected[path], f"{path} differs from its golden file (make golden)"


def test_generation_is_deterministic(tmp_path: Path) -> None:
    write_docs(generate(FIXTURES / "mini"), tmp_path / "a")
    write_docs(generate(FIXTURES / "mini"), tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_rewriting_unchanged_pages_touches_nothing(tmp_path: Path) -> None:
    pages = generate(FIXTURES / "mini")
    assert write_docs(pages, tmp_path) > 0
    assert write_docs(pages, tmp_path) == 0
