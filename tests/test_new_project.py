"""`python -m build_scripts new DIR` (build_scripts/new_project.py): a new project in a folder of
the user's choosing that checks and builds at once with its own two commands, its example marked
fictional on every page; a folder in use is refused with nothing written."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from build_scripts.cli import main
from tests.conftest import PROJECT


def test_a_new_project_checks_and_builds_with_its_two_commands(tmp_path: Path) -> None:
    folder = tmp_path / "my review"  # a space in the path, as people's folders have
    assert main(["new", str(folder)]) == 0
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert names == [
        ".gitignore",
        "Makefile",
        "README.md",
        "bib/references.bib",
        "content/site.yaml",
        "content/study.yaml",
        "mkdocs.yml",
        "sources/example-study.txt",
    ]
    for name in ("content/site.yaml", "content/study.yaml", "bib/references.bib"):
        assert "REPLACE" in (folder / name).read_text(encoding="utf-8"), name
    done = subprocess.run(
        # -o installed: the generator is set up already; a test never reinstalls it.
        ["make", "-C", str(folder), "-o", "installed", "test"],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    pages = sorted((folder / "site").rglob("*.html"))
    assert len(pages) > 15
    for page in pages:
        text = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text()
        assert "fictional" in text, page  # the example says so on every page
    finding = folder / "site" / "findings" / "huddles-invited-ideas" / "index.html"
    assert "It was our idea, so we kept at it." in finding.read_text(encoding="utf-8")


def test_the_new_project_checks_its_quotations_against_its_source(tmp_path: Path) -> None:
    folder = tmp_path / "review"
    assert main(["new", str(folder)]) == 0
    study = folder / "content" / "study.yaml"
    study.write_text(
        study.read_text(encoding="utf-8").replace("so we kept at it", "so we kept on"), "utf-8"
    )
    assert main(["check", "--root", str(folder), "--config", str(folder / "mkdocs.yml")]) == 1


def test_a_folder_in_use_is_refused_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["new", str(folder)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{folder}: exists and is not empty; name a new folder (nothing was written)"
    )
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_the_project_names_this_checkout_and_its_overrides(tmp_path: Path) -> None:
    folder = tmp_path / "review"
    assert main(["new", str(folder)]) == 0
    assert f"GENERATOR := {PROJECT}\n" in (folder / "Makefile").read_text(encoding="utf-8")
    config = (folder / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"  custom_dir: {PROJECT / 'overrides'}\n" in config
    assert "docs_dir: build/docs\n" in config and "site_dir: site\n" in config
