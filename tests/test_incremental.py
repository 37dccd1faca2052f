"""A build that renders again only the pages an edit touches, and takes the others' HTML from the
last good site, gives after any sequence of edits byte for byte the pages and the site that a
cold generation and mkdocs' own cold build make of the final content."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_scripts import build as driver
from build_scripts.build import Kept, Rendered, generate, generate_site
from build_scripts.engine import EngineOptions
from build_scripts.engine.mkdocs_engine import MkDocsEngine
from build_scripts.publish import write_docs
from tests.conftest import CONFIG, MINI, PROJECT, SITE, build, copy_corpus
from tests.sitecheck import differing_files

FINDINGS = "content/findings.yaml"
PEOPLE = "content/people.yaml"
BIB = "bib/references.bib"
RECEPTIVE = """  - id: receptive-context
    study: mini-study
    section: discussion
    title: A receptive context for top-down change
    statement: Adopting a movement approach created a receptive context [see @bate2004, p. 64; @crossley2002].
    stages: [framing, mobilising]
    stages_basis: authors
    stages_rationale: A fixture case of stages the paper's authors assign themselves.
"""
ADDED = """  - id: an-added-finding
    study: mini-study
    section: discussion
    title: An added finding
    statement: Something was added later [@crossley2002].
    stages: [mobilising]
    stages_basis: editors
"""
# Edits a keeper of the content makes: (file, text, replacement); one whose text is gone (a
# finding deleted before) changes nothing. Each keeps the corpus valid, except the broken link,
# which a later build must still report (and then mend).
EDITS = [
    (FINDINGS, RECEPTIVE, ""),  # delete a finding
    (FINDINGS, "quotes:\n", f"{ADDED}quotes:\n"),  # add one
    (
        FINDINGS,
        "id: receptive-context\n",
        "id: receptive-setting\n    aliases: [receptive-context]\n",
    ),
    (BIB, "Making Sense of Social Movements", "Making Sense of Social Movements Again"),
    (FINDINGS, "within 2-3 months", "within two or three months"),
    (FINDINGS, "within 2-3 months", "within 2-3 months, they said"),
    (FINDINGS, "Managers chose the QI methods quickly", "Managers picked the QI methods fast"),
    (PEOPLE, "label: Quality manager", "label: Quality lead"),
    (PEOPLE, "Collective action concerned with", "Collective action aimed at"),
    (FINDINGS, "stages: [framing]\n", "stages: [framing, mobilising]\n"),
    (FINDINGS, "concepts: [social-movement]\n", "concepts: [no-such-concept]\n"),
]


def cold_site(root: Path, out: Path) -> Path:
    """mkdocs' own build (one process, nothing kept) of the content as it is now, with the
    search index written beside it (as publish.build_site writes it)."""
    docs = out / "docs"
    rendered, _ = generate_site(root)
    write_docs(rendered.pages, docs)
    assert (
        MkDocsEngine().build(docs, out / "site", EngineOptions(CONFIG, site_name=SITE, workers=1))
        == []
    )
    for path, text in rendered.search().items():
        (out / "site" / path).parent.mkdir(parents=True, exist_ok=True)
        (out / "site" / path).write_text(text, encoding="utf-8")
    return out / "site"


@settings(
    max_examples=6,
    derandomize=True,  # the same sequences every run: a failure is a bug, never a dice roll
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.sampled_from(range(len(EDITS))), min_size=1, max_size=3))
def test_edits_then_a_build_give_the_cold_build(tmp_path: Path, edits: list[int]) -> None:
    work = tmp_path / "run"
    shutil.rmtree(work, ignore_errors=True)
    root = copy_corpus(MINI, work / "mini")
    assert build(root) == 0
    for number in edits:
        name, text, replacement = EDITS[number]
        path = root / name
        path.write_text(
            path.read_text(encoding="utf-8").replace(text, replacement), encoding="utf-8"
        )
        broken = "no-such-concept" in (root / FINDINGS).read_text(encoding="utf-8")
        assert build(root) == (1 if broken else 0)
        if broken:  # mended: the build must see the page the broken build never published
            findings = root / FINDINGS
            findings.write_text(
                findings.read_text(encoding="utf-8").replace("no-such-concept", "social-movement"),
                encoding="utf-8",
            )
            assert build(root) == 0
    assert (root / "build" / "cache" / "engine-mkdocs.pickle").is_file()
    assert (root / "build" / "cache" / "pages-docs.pickle").is_file()
    cold = cold_site(root, work / "cold")
    assert differing_files(root / "build" / "docs", work / "cold" / "docs") == []
    assert differing_files(root / "site", cold) == []


def test_a_build_with_nothing_changed_builds_no_page_again(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "mini")
    assert build(root) == 0
    page = root / "site" / "findings" / "qi-methods-chosen-quickly" / "index.html"
    before = page.stat().st_ino
    assert build(root) == 0
    # The page was not written again: the new site holds the earlier site's file.
    assert page.stat().st_ino == before
    findings = root / FINDINGS
    findings.write_text(
        findings.read_text(encoding="utf-8").replace("within 2-3 months", "within a season"),
        encoding="utf-8",
    )
    assert build(root) == 0
    assert page.stat().st_ino != before
    assert "within a season" in page.read_text(encoding="utf-8")


def test_an_edit_of_a_bibtex_entry_shows_on_the_next_build(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "mini")
    assert build(root) == 0
    _edit(root, BIB, "Making Sense of Social Movements", "Making Sense of Social Movements Again")
    assert build(root) == 0
    page = root / "site" / "bibliography" / "crossley2002" / "index.html"
    assert "Making Sense of Social Movements Again" in page.read_text(encoding="utf-8")
    assert differing_files(root / "site", cold_site(root, tmp_path / "cold")) == []


def _edit(root: Path, name: str, text: str, replacement: str) -> None:
    path = root / name
    path.write_text(path.read_text(encoding="utf-8").replace(text, replacement), encoding="utf-8")


def test_generation_renders_again_only_the_pages_an_edit_touches(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "mini")
    first, _ = generate_site(root)
    texts = {page.path: page.text for page in first.pages}
    kept = Kept(earlier=first.earlier, texts=from_memory(texts))
    again, _ = generate_site(root, kept=kept)
    assert again.rendered == 0
    assert again.pages == first.pages
    _edit(root, FINDINGS, "within 2-3 months", "within a season")
    edited, _ = generate_site(root, kept=kept)
    assert 0 < edited.rendered < len(first.earlier.pages) / 2
    assert edited.pages == generate_site(root)[0].pages
    assert "within a season" in texts_of(edited)["findings/qi-methods-chosen-quickly.md"]


def texts_of(rendered: Rendered) -> dict[str, str]:
    return {page.path: page.text for page in rendered.pages}


def from_memory(texts: dict[str, str]) -> Callable[[str, str], str | None]:
    return lambda path, digest: texts.get(path)


def test_a_published_page_changed_by_hand_is_rendered_again(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "mini")
    assert build(root) == 0
    page = root / "build" / "docs" / "findings" / "receptive-context.md"
    written = page.read_text(encoding="utf-8")
    page.unlink()  # a hard link of the published file: write a new one in its place
    page.write_text(written.replace("receptive", "perceptive"), encoding="utf-8")
    assert build(root) == 0
    assert page.read_text(encoding="utf-8") == written


def test_a_page_whose_earlier_text_is_lost_is_rendered_again(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "mini")
    first, _ = generate_site(root)
    texts = texts_of(first)
    lost = "findings/receptive-context.md"
    del texts[lost]
    again, _ = generate_site(root, kept=Kept(earlier=first.earlier, texts=from_memory(texts)))
    assert again.rendered == 1
    assert texts_of(again)[lost] == texts_of(first)[lost]


def test_a_change_to_the_generator_renders_every_page_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_corpus(MINI, tmp_path / "mini")
    first, _ = generate_site(root)
    monkeypatch.setattr(driver, "code_key", lambda schema: "a template was edited")
    kept = Kept(earlier=first.earlier, texts=from_memory(texts_of(first)))
    again, _ = generate_site(root, kept=kept)
    assert again.rendered == len(first.earlier.pages)


def test_write_docs_leaves_known_pages_alone_and_writes_them_when_gone(tmp_path: Path) -> None:
    pages = generate(MINI)
    docs = tmp_path / "docs"
    write_docs(pages, docs)
    kept, gone = docs / "findings" / "receptive-context.md", docs / "about.md"
    kept_inode = kept.stat().st_ino
    gone.unlink()
    same = {"findings/receptive-context.md", "about.md"}
    assert write_docs(pages, docs, same) == 1
    assert kept.stat().st_ino == kept_inode
    assert gone.read_text(encoding="utf-8") == next(p.text for p in pages if p.path == "about.md")


def test_a_deleted_finding_leaves_nothing_of_its_page_in_the_site(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "mini")
    assert build(root) == 0
    page = root / "site" / "findings" / "receptive-context"
    assert (page / "index.html").is_file()
    _edit(root, FINDINGS, RECEPTIVE, "")
    assert build(root) == 0
    assert not page.exists()
    assert differing_files(root / "site", cold_site(root, tmp_path / "cold")) == []


def test_entities_differing_only_in_fields_the_model_does_not_name_differ() -> None:
    """What a page shows of a new schema field (kept in `extra`) counts as a change of it."""
    from build_scripts.pipeline.entities import Concept

    plain = Concept(id="c", term="A term", definition="A definition.")
    assert replace(plain, extra={"note": "one"}) != replace(plain, extra={"note": "two"})


# Run as a program: the build, killed (SIGKILL, nothing cleaned up) at the Nth step that moves
# or removes a file or folder, or swaps two (argv: N, then the build's arguments).
KILLED_AT = """
import os, shutil, signal, sys
from build_scripts import publish
from build_scripts.cli import main
limit, count = int(sys.argv[1]), [0]
def counted(function):
    def step(*args, **kwargs):
        count[0] += 1
        if count[0] == limit:
            os.kill(os.getpid(), signal.SIGKILL)
        return function(*args, **kwargs)
    return step
os.replace, os.rename, shutil.rmtree = map(counted, (os.replace, os.rename, shutil.rmtree))
publish._exchange = counted(publish._exchange)
sys.exit(main(sys.argv[2:]))
"""


def _digests(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_build_killed_at_any_step_leaves_the_old_site_or_the_new_one(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "mini")
    assert build(root) == 0
    old = _digests(root / "site")
    _edit(root, FINDINGS, "within 2-3 months", "within a season")
    new = _digests(cold_site(root, tmp_path / "cold"))
    assert old != new
    arguments = ["build", "--root", str(root), "--config", str(CONFIG)]
    for step in range(1, 200):
        done = subprocess.run(
            [sys.executable, "-c", KILLED_AT, str(step), *arguments],
            cwd=PROJECT,
            capture_output=True,
            check=False,
            timeout=120,
        )
        now = _digests(root / "site")
        assert now in (old, new), f"killed at step {step}: a site that is neither"
        if done.returncode == 0:
            break
        assert done.returncode == -signal.SIGKILL, done.stderr.decode()
    assert step > 3, "too few steps were killed to test anything"
    assert now == new
    # The build after the last kill was whole or incremental as its state allowed: either way
    # the site is the cold one, and stays so when built again.
    assert build(root) == 0
    assert _digests(root / "site") == new
