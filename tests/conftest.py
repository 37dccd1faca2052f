"""Shared fixtures: the mini corpus, copies of it to break, and a built mini site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from build_scripts.cli import main

HERE = Path(__file__).parent
PROJECT = HERE.parent
MINI = HERE / "fixtures" / "mini"
CONFIG = PROJECT / "mkdocs.yml"
# The mini corpus's site.title, which the generator hands the engine as the site's name.
SITE = "Mini evidence site"


def copy_corpus(source: Path, dest: Path) -> Path:
    """A writable copy of a corpus (content/, bib/ and sources/ where it has them)."""
    for part in ("content", "bib", "sources"):
        if (source / part).is_dir():
            shutil.copytree(source / part, dest / part)
    return dest


def add_cerqual_assessment(root: Path) -> None:
    """Give the mini corpus's first finding a GRADE-CERQual assessment (the paper records none)."""
    findings = root / "content" / "findings.yaml"
    findings.write_text(
        findings.read_text(encoding="utf-8").replace(
            "    stages: [framing, mobilising]\n",
            "    stages: [framing, mobilising]\n"
            "    cerqual:\n"
            "      methodological_limitations: Minor concerns\n"
            "      coherence: No or very minor concerns\n"
            "      adequacy: Moderate concerns\n"
            "      relevance: Minor concerns\n"
            "      confidence: Moderate\n"
            "      explanation: One case study; thin data on sustaining [@bate2004].\n",
            1,
        ),
        encoding="utf-8",
    )


def build(root: Path) -> int:
    """Build a corpus under root into root/site with the project's mkdocs.yml."""
    return main(["build", "--root", str(root), "--config", str(CONFIG)])


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A fresh, writable copy of the mini corpus."""
    return copy_corpus(MINI, tmp_path / "mini")


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini corpus built once into a site folder (read-only for tests)."""
    root = copy_corpus(MINI, tmp_path_factory.mktemp("built") / "mini")
    assert build(root) == 0
    return root / "site"
