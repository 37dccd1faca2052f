"""A build that takes unchanged pages from the last good site gives, after any sequence of edits,
byte for byte the site mkdocs' own cold build makes of the final content."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_scripts.build import generate
from build_scripts.engine import EngineOptions
from build_scripts.engine.mkdocs_engine import MkDocsEngine
from build_scripts.publish import write_docs
from tests.conftest import CONFIG, MINI, build, copy_corpus
from tests.sitecheck import differing_files

FINDINGS = "content/findings.yaml"
PEOPLE = "content/people.yaml"
# Edits a keeper of the content makes: (file, text, replacement). Each keeps the corpus valid,
# except the broken link, which a later build must still report (and then mend).
EDITS = [
    (FINDINGS, "within 2-3 months", "within two or three months"),
    (FINDINGS, "within 2-3 months", "within 2-3 months, they said"),
    (FINDINGS, "Managers chose the QI methods quickly", "Managers picked the QI methods fast"),
    (PEOPLE, "label: Quality manager", "label: Quality lead"),
    (PEOPLE, "Collective action concerned with", "Collective action aimed at"),
    (FINDINGS, "stages: [framing]\n", "stages: [framing, mobilising]\n"),
    (FINDINGS, "concepts: [social-movement]\n", "concepts: [no-such-concept]\n"),
]


def cold_site(root: Path, out: Path) -> Path:
    """mkdocs' own build (one process, nothing kept) of the content as it is now."""
    docs = out / "docs"
    write_docs(generate(root), docs)
    assert MkDocsEngine().build(docs, out / "site", EngineOptions(CONFIG, workers=1)) == []
    return out / "site"


@settings(
    max_examples=4,
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
    assert differing_files(root / "site", cold_site(root, work / "cold")) == []


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
