"""Every quotation of a study that names its source text is found in that text at every build;
a study without one gets a warning."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from build_scripts.cli import main
from build_scripts.pipeline.sources import normalise
from tests.conftest import PROJECT, copy_corpus

ADOPTING = "content/findings/adopting.yaml"


def project_copy(tmp_path: Path) -> Path:
    root = copy_corpus(PROJECT, tmp_path / "project")
    shutil.copy(PROJECT / "anchors.lock", root / "anchors.lock")
    return root


def first_error(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """The first line `check` prints for a project it fails."""
    assert main(["check", "--root", str(root)]) == 1
    return capsys.readouterr().err.splitlines()[0]


def _edit(root: Path, name: str, text: str, replacement: str) -> None:
    path = root / name
    original = path.read_text(encoding="utf-8")
    assert text in original
    path.write_text(original.replace(text, replacement, 1), encoding="utf-8")


def test_the_papers_quotations_are_all_in_its_source_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", "--root", str(PROJECT)]) == 0
    assert "source text" not in capsys.readouterr().err


def test_one_character_changed_in_a_quotation_fails_at_its_line_with_the_closest_passage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project_copy(tmp_path)
    _edit(
        root, ADOPTING, "well-established industry technique", "well-established industri technique"
    )
    assert main(["check", "--root", str(root)]) == 1
    line = next(
        number
        for number, text in enumerate((root / ADOPTING).read_text(encoding="utf-8").splitlines(), 1)
        if text.lstrip().startswith('text: "PDSA is a well-established')
    )
    passage = (
        "PDSA is a well-established industry technique. We had elements of it already, but it "
        "probably wasn't as thorough as you might expect. So we wanted to do a big push, get it "
        "in every department as part of their local improvement work."
    )
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{ADOPTING}:{line}:11: quotation 'q-pdsa-big-push-quality-manager' is not in its study's "
        "source text sources/waring-crompton-2017.txt (whitespace, quotation marks and dashes "
        f"aside); closest passage: “{passage}”; differences (source [-…-], quotation {{+…+}}): "
        "PDSA is a we…shed industr[-y-]{+i+} technique. …vement work."
    )


def test_whitespace_quotation_marks_and_dashes_are_all_that_is_normalised() -> None:
    assert normalise("a\u2019s  \u201cword\u201d \u2013\n b") == 'a\'s "word" - b'
    assert normalise("A . . . b") != normalise("A … b")


def test_a_missing_source_text_is_an_error_at_the_study(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project_copy(tmp_path)
    (root / "sources" / "waring-crompton-2017.txt").unlink()
    assert first_error(root, capsys) == (
        "content/study.yaml:6:13: source text 'sources/waring-crompton-2017.txt' not found; "
        "add it (plain UTF-8) or remove `source`"
    )


def test_headings_without_a_source_text_are_an_error_at_the_headings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project_copy(tmp_path)
    _edit(root, "content/study.yaml", "    source: sources/waring-crompton-2017.txt\n", "")
    assert first_error(root, capsys) == (
        "content/study.yaml:7:5: missing field 'source' in study 'waring-crompton-2017': "
        "'source_headings' needs it"
    )


def test_a_study_without_a_source_text_gets_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project_copy(tmp_path)
    _edit(root, "content/study.yaml", "    source: sources/waring-crompton-2017.txt\n", "")
    study = root / "content/study.yaml"
    kept = study.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(kept) if line.startswith("    source_headings:"))
    end = next(i for i in range(start + 1, len(kept)) if not kept[i].startswith("      "))
    study.write_text("".join(kept[:start] + kept[end:]), encoding="utf-8")
    assert main(["check", "--root", str(root), "--format", "json"]) == 0
    warnings = [r for r in json.loads(capsys.readouterr().out) if "source text" in r["message"]]
    assert warnings == [
        {
            "path": "content/study.yaml",
            "line": 3,
            "column": 9,
            "severity": "warning",
            "origin": "content",
            "message": "study 'waring-crompton-2017' names no source text (`source: "
            "sources/<name>.txt`), so its quotations are not checked against it",
        }
    ]
