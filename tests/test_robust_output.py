"""Atomic, safe and deterministic output: concurrent builds, killed builds, identical rebuilds."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import CONFIG, MINI, PROJECT, build, copy_corpus
from tests.sitecheck import broken_links


def start_build(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "build_scripts",
            "build",
            "--root",
            str(root),
            "--config",
            str(CONFIG),
        ],
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_two_builds_started_at_once_leave_a_complete_site(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "r")
    first, second = start_build(root), start_build(root)
    assert first.wait(timeout=300) == 0 and second.wait(timeout=300) == 0
    assert (root / "site" / "index.html").is_file()
    assert broken_links(root / "site") == []
    assert list((root / "build").glob(".build-*")) == []


def test_a_build_killed_midway_leaves_the_previous_site(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "r")
    assert build(root) == 0
    before = digest(root / "site")
    (root / "content" / "people.yaml").write_text(
        (root / "content" / "people.yaml")
        .read_text(encoding="utf-8")
        .replace("term: Social movement", "term: Social movement (edited)"),
        encoding="utf-8",
    )
    process = start_build(root)
    deadline = time.monotonic() + 60
    # mkdocs is writing pages once the build's own site folder exists: killed there, before it
    # has built every page (the last good site is touched only after all succeeded).
    while not list((root / "build").glob(".build-*/site")) and time.monotonic() < deadline:
        time.sleep(0.005)
    assert process.poll() is None
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert digest(root / "site") == before
    assert build(root) == 0  # and the next build cleans up after the killed one
    assert list((root / "build").glob(".build-*")) == []
    assert "(edited)" in (root / "site" / "concepts/social-movement/index.html").read_text(
        encoding="utf-8"
    )


def test_two_builds_of_the_same_content_are_byte_identical(tmp_path: Path) -> None:
    roots = [copy_corpus(MINI, tmp_path / name) for name in ("a", "b")]
    for root in roots:
        assert build(root) == 0
    first, second = (digest(root / "site") for root in roots)
    sitemaps = {"sitemap.xml", "sitemap.xml.gz"}  # they carry the build date, by design of mkdocs
    assert {k: v for k, v in first.items() if k not in sitemaps} == {
        k: v for k, v in second.items() if k not in sitemaps
    }
    assert len(first) > 40


def test_a_page_path_that_leaves_the_docs_folder_is_never_written(tmp_path: Path) -> None:
    import pytest

    from build_scripts.publish import write_docs
    from build_scripts.render.pages import Page

    docs = tmp_path / "docs"
    docs.mkdir()
    for path in ("../outside.md", "a/../../outside.md", "/tmp/outside.md"):
        with pytest.raises(ValueError, match="leaves"):
            write_docs([Page(path, "x")], docs)
    assert not (tmp_path / "outside.md").exists()
    assert list(docs.iterdir()) == []
