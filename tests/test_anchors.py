"""Anchors that never break: the lock, aliases with redirects and extra anchors, stable ids."""

from __future__ import annotations

import posixpath
import shutil
from pathlib import Path
from urllib.parse import urljoin

from build_scripts.build import load_corpus
from build_scripts.cli import main
from build_scripts.pipeline.anchors import parse_lock
from tests.conftest import PROJECT, build
from tests.sitecheck import ids, soup
from tests.test_bad_input import run

LOCK = "anchors.lock"


def lock(root: Path) -> set[str]:
    assert main(["lock", "--root", str(root)]) == 0
    return {entry for _, entry in parse_lock((root / LOCK).read_text(encoding="utf-8"))}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def resolves(site: Path, permalink: str) -> bool:
    """Whether a permalink lands on its page and fragment, following a redirect page."""
    page, _, fragment = permalink.partition("#")
    html = site / page / "index.html"
    if not html.is_file():
        return False
    refresh = soup(html).find("meta", attrs={"http-equiv": "refresh"})
    if refresh is not None:
        target = posixpath.normpath(posixpath.join(page, refresh["content"].split("url=", 1)[1]))
        return resolves(site, target + "/" + (f"#{fragment}" if fragment else ""))
    return not fragment or fragment in ids(site, page + "index.html")


def test_project_lock_is_up_to_date() -> None:
    _, anchors, locked = load_corpus(PROJECT)
    assert locked is not None
    assert set(anchors.current) <= {entry for _, entry in locked}, "run `make lock`"


def test_renamed_ids_with_aliases_keep_every_old_permalink(mini: Path) -> None:
    before = lock(mini)
    findings = mini / "content" / "findings.yaml"
    edit(
        findings,
        "  - id: receptive-context\n",
        "  - id: a-receptive-context\n    aliases: [receptive-context]\n",
    )
    edit(findings, "  - id: q-pdsa-push\n", "  - id: q-pdsa-big-push\n    aliases: [q-pdsa-push]\n")
    for path in (mini / "content").glob("*.yaml"):
        path.write_text(
            path.read_text(encoding="utf-8").replace("[social-movement]", "[social-movements]"),
            encoding="utf-8",
        )
    edit(
        mini / "content" / "people.yaml",
        "  - id: social-movement\n",
        "  - id: social-movements\n    aliases: [social-movement]\n",
    )
    edit(
        mini / "bib" / "references.bib",
        "@book{crossley2002,",
        "@book{crossley2002a,\n  ids = {crossley2002},",
    )
    for path in (mini / "content").glob("*.yaml"):
        path.write_text(
            path.read_text(encoding="utf-8").replace("@crossley2002", "@crossley2002a"),
            encoding="utf-8",
        )
    assert build(mini) == 0
    site = mini / "site"
    redirect = soup(site / "findings/receptive-context/index.html")
    assert (
        redirect.find("meta", attrs={"http-equiv": "refresh"})["content"]
        == "0; url=../a-receptive-context/"
    )
    assert 'location.replace("../a-receptive-context/" + location.hash)' in str(redirect)
    assert "q-pdsa-push" in ids(site, "findings/qi-methods-chosen-quickly/index.html")
    assert (site / "concepts/social-movement/index.html").is_file()
    assert (site / "bibliography/crossley2002/index.html").is_file()
    assert sorted(p for p in before if not resolves(site, p)) == []


def test_removing_an_id_without_an_alias_fails_naming_the_permalink(mini: Path) -> None:
    lock(mini)
    site = mini / "site"
    edit(mini / "content" / "findings.yaml", "  - id: q-pdsa-push\n", "  - id: q-pdsa-big-push\n")
    result = run(mini, "build")
    assert result.returncode == 1
    line = next(
        n
        for n, e in parse_lock((mini / LOCK).read_text(encoding="utf-8"))
        if e == "findings/qi-methods-chosen-quickly/#q-pdsa-push"
    )
    assert result.stderr.splitlines()[0] == (
        f"anchors.lock:{line}:1: permalink 'findings/qi-methods-chosen-quickly/#q-pdsa-push' would "
        "stop resolving: keep its id, or add the old id to the `aliases` of the entity that "
        "replaces it (BibTeX: `ids`); if it was never published, delete this line"
    )
    assert not site.exists()


def test_a_quotation_moved_to_another_finding_leaves_an_anchor(mini: Path) -> None:
    lock(mini)
    edit(
        mini / "content" / "findings.yaml",
        "    finding: qi-methods-chosen-quickly\n    text: The doctors",
        "    finding: receptive-context\n    text: The doctors",
    )
    assert build(mini) == 0
    page = soup(mini / "site/findings/qi-methods-chosen-quickly/index.html")
    moved = page.find(id="q-doctors-awkward")
    assert moved is not None and "has moved" in moved.get_text()
    page_url = "https://example.org/findings/qi-methods-chosen-quickly/"
    assert urljoin(page_url, moved.find("a")["href"]) == (
        "https://example.org/findings/receptive-context/#q-doctors-awkward"
    )


def test_reordering_and_adding_content_changes_no_permalink(mini: Path) -> None:
    from build_scripts.pipeline.anchors import current_anchors

    before = current_anchors(load_corpus(mini)[0])
    findings = mini / "content" / "findings.yaml"
    text = findings.read_text(encoding="utf-8")
    head, rest = text.split("findings:\n", 1)
    block, quotes = rest.split("quotes:\n", 1)
    first, second = block.split("  - id: receptive-context\n")
    new_finding = (
        "  - id: a-new-first-finding\n    study: mini-study\n    section: discussion\n"
        "    title: New\n    statement: New [@bate2004].\n"
    )
    new_quote = (
        "  - id: q-new\n    finding: receptive-context\n    text: The case study\n"
        "    speaker: Quality manager\n    role: quality-manager\n"
    )
    findings.write_text(
        head
        + "findings:\n"
        + new_finding
        + "  - id: receptive-context\n"
        + second
        + first
        + "quotes:\n"
        + new_quote
        + quotes,
        encoding="utf-8",
    )
    after = current_anchors(load_corpus(mini)[0])
    assert {k: v for k, v in after.items() if k in before} == before
    assert set(after) - set(before) == {
        "findings/a-new-first-finding/",
        "findings/a-new-first-finding/#_quotations",
        "findings/a-new-first-finding/#_works-cited",
        "findings/a-new-first-finding/#_linked-from",
        "findings/receptive-context/#q-new",
    }


def test_in_the_offline_copy_a_renamed_page_redirects_file_to_file(mini: Path) -> None:
    edit(
        mini / "content" / "findings.yaml",
        "  - id: receptive-context\n",
        "  - id: a-receptive-context\n    aliases: [receptive-context]\n",
    )
    config = PROJECT / "mkdocs.offline.yml"
    assert main(["build", "--offline", "--root", str(mini), "--config", str(config)]) == 0
    site = mini / "site-offline"
    redirect = soup(site / "findings/receptive-context.html")
    refresh = redirect.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh["content"] == "0; url=a-receptive-context.html"
    assert (site / "findings/a-receptive-context.html").is_file()
    assert not (site / "findings/receptive-context/index.html").exists()


def test_every_section_the_lock_records_lands_on_its_page(mini: Path) -> None:
    entries = lock(mini)
    sections = {entry for entry in entries if "#_" in entry}
    kinds = {entry.split("/")[0] for entry in sections}
    assert kinds == {"studies", "models", "stages", "findings", "roles", "groups", "concepts"} | {
        "bibliography"
    }
    assert build(mini) == 0
    assert [entry for entry in sorted(entries) if not resolves(mini / "site", entry)] == []


def test_the_address_lost_with_a_works_cited_section_resolves_again(tmp_path: Path) -> None:
    lost = "findings/task-and-finish-group/#_works-cited"
    assert lost in {entry for _, entry in parse_lock((PROJECT / LOCK).read_text("utf-8"))}
    root = tmp_path / "paper"
    for part in ("content", "bib", "sources"):
        shutil.copytree(PROJECT / part, root / part)
    shutil.copyfile(PROJECT / LOCK, root / LOCK)
    assert build(root) == 0
    assert resolves(root / "site", lost)
    page = soup(root / "site" / "findings" / "task-and-finish-group" / "index.html")
    assert page.find(id="_works-cited") is not None
