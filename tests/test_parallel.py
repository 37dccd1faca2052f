"""The build on every core (build_scripts.engine.mkdocs_parallel) gives the serial mkdocs build's site."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from build_scripts.cli import generate, load_corpus
from build_scripts.pipeline.csl import Citer
from build_scripts.pipeline.model import build_index
from build_scripts.publish import run_mkdocs, write_docs
from build_scripts.render.pages import REFERENCES_PER_WORKER, Page, cited_items, render_site
from build_scripts.tools.synth import write_corpus
from tests.conftest import CONFIG


def same_tree(a: Path, b: Path) -> list[str]:
    """Files that differ, or are only in one of two folders."""
    names = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    names |= {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    return sorted(
        str(n)
        for n in names
        if not ((a / n).is_file() and (b / n).is_file())
        or not filecmp.cmp(a / n, b / n, shallow=False)
    )


def test_two_workers_write_the_serial_build_byte_for_byte(mini: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_docs(generate(mini), docs)
    assert run_mkdocs(CONFIG, docs, tmp_path / "serial", workers=1) == []
    assert run_mkdocs(CONFIG, docs, tmp_path / "parallel", workers=2) == []
    assert (tmp_path / "parallel" / "search" / "search_index.json").is_file()
    assert same_tree(tmp_path / "serial", tmp_path / "parallel") == []


def test_two_workers_report_a_broken_anchor_like_the_serial_build(
    mini: Path, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    write_docs(generate(mini), docs)
    about = docs / "about.md"
    about.write_text(
        about.read_text(encoding="utf-8") + "\n[gone](findings/receptive-context.md#no-such)\n",
        encoding="utf-8",
    )
    serial = run_mkdocs(CONFIG, docs, tmp_path / "serial", workers=1)
    parallel = run_mkdocs(CONFIG, docs, tmp_path / "parallel", workers=2)
    assert [p.message for p in parallel] == [p.message for p in serial]
    assert "#no-such" in serial[0].message
    assert serial[1].message == "mkdocs: Aborted with 1 warnings in strict mode!"


def test_pages_rendered_by_two_workers_are_the_pages_rendered_by_one(mini: Path) -> None:
    corpus, anchors, _ = load_corpus(mini)
    index = build_index(corpus)

    def render(workers: int) -> tuple[list[Page], dict[str, str]]:
        citer = Citer(corpus.references, corpus.site.citation_style, corpus.site.locale, {})
        return render_site(corpus, index, citer, None, False, anchors, workers=workers), citer.cache

    serial, serial_cache = render(1)
    shared, shared_cache = render(2)
    assert [p.path for p in shared] == [p.path for p in serial]
    assert shared == serial
    assert shared_cache == serial_cache  # what the workers formatted comes back to be saved


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("synthetic")
    write_corpus(root, 4)
    return root


def test_references_formatted_on_two_cores_give_the_pages_of_one(synthetic: Path) -> None:
    corpus, anchors, _ = load_corpus(synthetic)
    index = build_index(corpus)

    def render(workers: int) -> tuple[list[Page], dict[str, str]]:
        citer = Citer(corpus.references, corpus.site.citation_style, corpus.site.locale, {})
        assert len(citer.uncached()) >= REFERENCES_PER_WORKER * workers  # enough to share out
        return render_site(corpus, index, citer, None, False, anchors, workers=workers), citer.cache

    serial, serial_cache = render(1)
    shared, shared_cache = render(2)
    assert shared == serial
    assert shared_cache == serial_cache


def test_prepared_references_leave_nothing_for_the_pages_to_format(synthetic: Path) -> None:
    corpus, anchors, _ = load_corpus(synthetic)
    citer = Citer(corpus.references, corpus.site.citation_style, corpus.site.locale, {})
    formatted = citer.prepare(sorted(corpus.references), cited_items(corpus))
    assert len(formatted) > len(corpus.references) and citer.uncached() == []
    before = dict(citer.cache)
    render_site(corpus, build_index(corpus), citer, None, False, anchors, workers=1)
    assert citer.cache == before
