"""The build on every core (build_scripts.engine.mkdocs_parallel) gives the serial mkdocs build's site."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_scripts.build import GenerateOptions, generate, load_corpus
from build_scripts.engine import EngineOptions
from build_scripts.engine.executor import ForkedTasks
from build_scripts.engine.mkdocs_engine import MkDocsEngine
from build_scripts.engine.zensical_engine import ZensicalEngine
from build_scripts.pipeline.csl import Citer
from build_scripts.pipeline.model import build_index
from build_scripts.publish import write_docs
from build_scripts.render.pages import (
    REFERENCES_PER_WORKER,
    Page,
    RenderOptions,
    cited_items,
    render_site,
)
from build_scripts.tools.synth import write_corpus
from tests.conftest import CONFIG, PROJECT, SITE
from tests.sitecheck import differing_files

OFFLINE = PROJECT / "mkdocs.offline.yml"


# Every configuration the project ships, with the pages generated for it.
# (The online site's search index is written beside what the engine builds: publish.build_site.)
SHIPPED = [(CONFIG, False, "sitemap.xml"), (OFFLINE, True, "search/search_index.js")]


@pytest.mark.parametrize(("config", "offline", "index"), SHIPPED, ids=["online", "offline"])
def test_two_workers_write_the_serial_build_byte_for_byte(
    mini: Path, tmp_path: Path, config: Path, offline: bool, index: str
) -> None:
    docs = tmp_path / "docs"
    write_docs(generate(mini, GenerateOptions(offline=offline)), docs)
    engine = MkDocsEngine()
    assert (
        engine.build(docs, tmp_path / "serial", EngineOptions(config, site_name=SITE, workers=1))
        == []
    )
    assert (
        engine.build(docs, tmp_path / "parallel", EngineOptions(config, site_name=SITE, workers=2))
        == []
    )
    assert (tmp_path / "parallel" / index).is_file()
    assert differing_files(tmp_path / "serial", tmp_path / "parallel") == []


def config_beside(folder: Path, settings: str) -> Path:
    """folder/mkdocs.yml: the project's configuration for the docs in folder/docs, its theme
    overrides named absolutely, with settings added."""
    config = folder / "mkdocs.yml"
    config.write_text(
        f"INHERIT: {CONFIG}\ndocs_dir: docs\ntheme:\n  name: material\n"
        f"  custom_dir: {PROJECT / 'overrides'}\n{settings}",
        encoding="utf-8",
    )
    return config


def test_a_config_the_parallel_build_is_not_proven_on_is_built_by_mkdocs_itself(
    mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    write_docs(generate(mini), docs)
    config = config_beside(tmp_path, "plugins:\n  - search\n  - tags\n")
    assert (
        MkDocsEngine().build(
            docs, tmp_path / "site", EngineOptions(config, site_name=SITE, workers=2)
        )
        == []
    )
    said = "the parallel build is not proven with the plugin(s) material/tags"
    assert capsys.readouterr().err.splitlines() == [f"mkdocs.yml: {said}; building on one core"]
    assert (tmp_path / "site" / "index.html").is_file()


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
    serial = MkDocsEngine().build(
        docs, tmp_path / "serial", EngineOptions(CONFIG, site_name=SITE, workers=1)
    )
    parallel = MkDocsEngine().build(
        docs, tmp_path / "parallel", EngineOptions(CONFIG, site_name=SITE, workers=2)
    )
    assert [p.message for p in parallel] == [p.message for p in serial]
    assert "#no-such" in serial[0].message
    assert serial[1].message == "mkdocs: Aborted with 1 warnings in strict mode!"


def test_an_engine_warning_on_a_generated_page_is_reported_where_the_page_comes_from(
    mini: Path, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    pages = generate(mini)
    write_docs(pages, docs)
    about = docs / "about.md"
    about.write_text(
        about.read_text(encoding="utf-8") + "\n[gone](findings/receptive-context.md#no-such)\n",
        encoding="utf-8",
    )
    sources = {page.path: page.source for page in pages if page.source}
    assert sources["about.md"] == ("content/site.yaml", 2, 1)
    options = EngineOptions(CONFIG, site_name=SITE, workers=1, sources=sources)
    first, *_ = MkDocsEngine().build(docs, tmp_path / "site", options)
    assert (first.path, first.line, first.column, first.origin) == (
        "content/site.yaml",
        2,
        1,
        "engine",
    )
    assert first.message.startswith("mkdocs, on about.md: Doc file 'about.md' contains a link")


def test_pages_rendered_by_two_workers_are_the_pages_rendered_by_one(mini: Path) -> None:
    corpus, anchors, _ = load_corpus(mini)
    index = build_index(corpus)

    def render(workers: int) -> tuple[list[Page], dict[str, str]]:
        citer = Citer(corpus.references, corpus.site.citation_style, corpus.site.locale, {})
        return render_site(
            corpus, index, citer, RenderOptions(anchors=anchors), ForkedTasks(workers)
        ), citer.cache

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
        return render_site(
            corpus, index, citer, RenderOptions(anchors=anchors), ForkedTasks(workers)
        ), citer.cache

    serial, serial_cache = render(1)
    shared, shared_cache = render(2)
    assert shared == serial
    assert shared_cache == serial_cache


def test_prepared_references_leave_nothing_for_the_pages_to_format(synthetic: Path) -> None:
    corpus, anchors, _ = load_corpus(synthetic)
    citer = Citer(corpus.references, corpus.site.citation_style, corpus.site.locale, {})
    formatted = citer.prepare(sorted(corpus.references), cited_items(corpus))
    assert len(formatted) > len(corpus.references) and citer.uncached() == []
    order = citer.bibliography_order()  # the plan's, formatted before any page
    before = dict(citer.cache)
    render_site(corpus, build_index(corpus), citer, RenderOptions(anchors=anchors))
    assert citer.cache == before and sorted(order) == sorted(corpus.references)


def test_the_zensical_engine_says_what_to_run_when_it_is_not_installed(tmp_path: Path) -> None:
    engine = ZensicalEngine(tmp_path / "no-zensical")
    [problem] = engine.build(
        tmp_path / "docs", tmp_path / "site", EngineOptions(CONFIG, site_name=SITE)
    )
    assert str(problem) == (
        f"{tmp_path / 'no-zensical'}: missing; run `make zensical` "
        "(it installs Zensical in .venv-zensical)"
    )
    assert problem.origin == "environment"


def test_plugins_see_startup_and_shutdown_as_in_mkdocs_build(mini: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write_docs(generate(mini), docs)
    seen = tmp_path / "events.txt"
    hook = tmp_path / "hook.py"
    hook.write_text(
        "from pathlib import Path\n"
        f"SEEN = Path({str(seen)!r})\n"
        "def on_startup(command, dirty):\n"
        "    SEEN.write_text(SEEN.read_text() + f'startup {command} {dirty}\\n' if SEEN.exists() "
        "else f'startup {command} {dirty}\\n')\n"
        "def on_shutdown():\n"
        "    SEEN.write_text(SEEN.read_text() + 'shutdown\\n')\n",
        encoding="utf-8",
    )
    config = config_beside(tmp_path, f"hooks:\n  - {hook}\n")
    assert (
        MkDocsEngine().build(
            docs, tmp_path / "site", EngineOptions(config, site_name=SITE, workers=1)
        )
        == []
    )
    assert seen.read_text(encoding="utf-8") == "startup build False\nshutdown\n"
