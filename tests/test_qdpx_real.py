"""`import-qdpx` on two real REFI-QDA exports, from the qualitative-coding 1.7.8 wheel on PyPI
(AGPL-3: fetched at test time with pip into the git-ignored build/ folder, once; none of its
files is copied into the repository): QualCoder-style `demo.qdpx` (158 coded selections of a
52 KB transcript, 262 codes three deep) and NVivo for Mac 15's `nvivo_project.qdpx` (its
codebook, and two text sources with no text). Without the registry the tests skip, saying so."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from build_scripts.cli import main
from build_scripts.pipeline.marks import EDITORS_MARK
from tests.conftest import PROJECT

WHEEL = "qualitative_coding-1.7.8-py3-none-any.whl"
CACHE = PROJECT / "build" / "qdpx-test"
DEMO = "qualitative_coding/demo.qdpx"
NVIVO = "qualitative_coding/refi_qda/nvivo_project.qdpx"


@pytest.fixture(scope="module")
def wheel() -> Path:
    """The wheel, downloaded once into build/qdpx-test (skips when PyPI cannot be reached)."""
    path = CACHE / WHEEL
    if not path.is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        try:
            done = subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps"]
                + ["--disable-pip-version-check", "--timeout", "30"]
                + ["-d", str(CACHE), "qualitative-coding==1.7.8"],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.skip("PyPI did not answer within 300 s: qualitative-coding 1.7.8 not fetched")
        if done.returncode != 0 or not path.is_file():
            pytest.skip(f"PyPI cannot be reached to fetch qualitative-coding 1.7.8: {done.stderr}")
    return path


def extracted(wheel: Path, member: str, folder: Path) -> Path:
    """A member of the wheel (a .qdpx) as a file of its own in folder."""
    target = folder / Path(member).name
    with zipfile.ZipFile(wheel) as archive:
        target.write_bytes(archive.read(member))
    return target


def test_every_quotation_of_the_demo_is_its_slice_of_the_transcript(
    wheel: Path, tmp_path: Path
) -> None:
    qdpx = extracted(wheel, DEMO, tmp_path)
    assert main(["import-qdpx", str(qdpx), "--study", "board", "--out", str(tmp_path / "p")]) == 0
    with zipfile.ZipFile(qdpx) as archive:
        transcript = archive.read("sources/board_2017.txt").decode("utf-8")
    record = yaml.safe_load((tmp_path / "p/imports/board.qdpx.yaml").read_text("utf-8"))
    content = yaml.safe_load((tmp_path / "p/content/board.yaml").read_text("utf-8"))
    source = (tmp_path / "p/sources/board.txt").read_text("utf-8")
    texts = {quote["id"]: quote["text"] for quote in content["quotes"]}
    assert len(record["quotations"]) == len(texts) == 158
    lines = transcript.split("\n")
    for item in record["quotations"]:
        selection = item["selection"]
        # The export names each selection by its line (from 0): its offsets are characters
        # of the text as it is, the line's first to the next line's first.
        line = int(selection["name"].removeprefix("line:"))
        assert transcript[selection["start"] : selection["end"]] == lines[line] + "\n"
        sliced = transcript[selection["start"] : selection["end"]].strip()
        assert texts[item["id"]] == sliced == item["selectors"][1]["exact"]
        start, end = item["selectors"][0]["start"], item["selectors"][0]["end"]
        assert source[start:end] == sliced
    assert len(content["concepts"]) == 262
    assert content["studies"][0]["publish_source"] is False


def test_the_nvivo_codebook_is_imported_and_its_empty_texts_skipped(
    wheel: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    qdpx = extracted(wheel, NVIVO, tmp_path)
    assert main(["import-qdpx", str(qdpx), "--study", "nvivo", "--out", str(tmp_path / "p")]) == 0
    err = capsys.readouterr().err
    assert err.count("its plain text is empty") == 2
    content = yaml.safe_load((tmp_path / "p/content/nvivo.yaml").read_text("utf-8"))
    assert len(content["concepts"]) == 262
    assert "quotes" not in content and "source" not in content["studies"][0]
    record = yaml.safe_load((tmp_path / "p/imports/nvivo.qdpx.yaml").read_text("utf-8"))
    assert record["imported"]["origin"] == "NVivo for Mac 15.0.0"
    assert not (tmp_path / "p/sources").exists()


def filled(value: Any, key: str) -> Any:
    """A value of the draft with every mark replaced by what an editor might write."""
    if isinstance(value, dict):
        return {k: filled(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [filled(v, key) for v in value]
    if not (isinstance(value, str) and value.startswith(EDITORS_MARK)):
        return value
    return {
        "start": "2017",
        "end": "2018",
        "reference": "board2017",
        "role": "board-member",
        "speaker": "A board member",
    }.get(key, f"Filled in by the test [@board2017] ({key}).")


def test_the_demo_builds_once_the_marks_are_filled_in(wheel: Path, tmp_path: Path) -> None:
    root = tmp_path / "p"
    qdpx = extracted(wheel, DEMO, tmp_path)
    assert main(["import-qdpx", str(qdpx), "--study", "board", "--out", str(root)]) == 0
    config = ["--root", str(root), "--config", str(root / "mkdocs.yml")]
    assert main(["check", *config]) == 1  # the marks, until filled in
    for name in ("board.yaml", "site.yaml"):
        path = root / "content" / name
        path.write_text(yaml.safe_dump(filled(yaml.safe_load(path.read_text("utf-8")), "")))
    extra = {
        "groups": [{"id": "members", "label": "Members"}],
        "roles": [
            {"id": "board-member", "study": "board", "label": "Board member", "group": "members"}
            | {"group_basis": "editors"}
        ],
    }
    (root / "content" / "roles.yaml").write_text(yaml.safe_dump(extra), encoding="utf-8")
    with open(root / "bib" / "references.bib", "a", encoding="utf-8") as bib:
        bib.write("@misc{board2017, author = {Board, A.}, title = {Minutes}, year = {2017}}\n")
    assert main(["build", *config]) == 0
    page = root / "site" / "findings" / "programming" / "index.html"
    html = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    text = " ".join(html.get_text().split())
    assert "what I learned in high school, Basic, which was fun but that's just not enough" in text
    assert "board_2017" in text  # the quotation's place: under its transcript's heading
    assert not (root / "site" / "sources" / "board.txt").exists()  # transcripts stay private
