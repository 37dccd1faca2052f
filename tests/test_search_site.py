"""The search index in the built site: written into the new site before it is swapped into place,
the same files as the render made, gone with nothing left over; the offline copy keeps the
theme's own search."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from build_scripts.build import GenerateOptions, generate_site
from build_scripts.cli import main
from tests.conftest import PROJECT, build

OFFLINE = PROJECT / "mkdocs.offline.yml"


def site_files(site: Path, folder: str = "search") -> dict[str, str]:
    """The files under a folder of a site, by site-relative path."""
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted((site / folder).rglob("*"))
        if p.is_file()
    }


def test_the_site_holds_exactly_the_index_the_render_made(mini: Path) -> None:
    assert build(mini) == 0
    made = generate_site(mini, GenerateOptions())[0].search()
    assert site_files(mini / "site") == dict(made)
    config = json.loads(made["search/search_index.json"])["config"]
    assert config["evidence"]["records"] > 20
    assert not (mini / "build" / "docs" / "search").exists()  # not a page: the engine never sees it


def test_a_failed_build_keeps_the_last_index_and_an_edit_makes_a_new_one(mini: Path) -> None:
    assert build(mini) == 0
    before = site_files(mini / "site")
    findings = mini / "content" / "findings.yaml"
    original = findings.read_text(encoding="utf-8")
    findings.write_text(original.replace("  statement: ", "  statement: [@nokey] ", 1), "utf-8")
    assert build(mini) == 1
    assert site_files(mini / "site") == before
    findings.write_text(original.replace("  statement: ", "  statement: Zeugma ", 1), "utf-8")
    assert build(mini) == 0
    after = site_files(mini / "site")
    assert after.keys() == before.keys()  # the same names: nothing left over
    assert after != before
    assert any("zeugma" in text for path, text in after.items() if "/keys/" in path)


def test_the_offline_copy_keeps_the_themes_search(mini: Path) -> None:
    command = ["build", "--offline", "--root", str(mini), "--config", str(OFFLINE)]
    assert main(command) == 0
    site = mini / "site-offline"
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert len(index["docs"]) > 20 and "evidence" not in index["config"]
    assert not (site / "search" / "index").exists()
    assert "workers/search." in theme_config(site / "index.html")["search"]


def test_the_online_site_asks_its_own_worker(mini_site: Path) -> None:
    assert theme_config(mini_site / "index.html")["search"] == "javascripts/search-worker.js"
    assert "search.highlight" not in theme_config(mini_site / "index.html")["features"]


def theme_config(page: Path) -> dict[str, Any]:
    """The theme's settings a page carries (its #__config script)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = soup.select_one("script#__config")
    assert found is not None
    config: dict[str, Any] = json.loads(found.get_text())
    return config
