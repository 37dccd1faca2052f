"""`export-qdpx` writes the site's studies as a REFI-QDA project: the paper's site validates
against the REFI-QDA schema (libxml2's validator, through lxml) and comes back through
`import-qdpx` with its 41 quotations at their places in its source text; two exports are the
same bytes and keep their GUIDs across edits; text from content stays text in the XML; each
malformed case is an error at its place, exit 1, and nothing written."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml

from build_scripts.build import load_corpus
from build_scripts.cli import main
from build_scripts.qdpx.project import QdaProject, read_project
from build_scripts.qdpx.qde import parse_qde
from build_scripts.qdpx.read import read_archive
from build_scripts.qdpx.xsd import schema_errors
from build_scripts.state import files
from tests.conftest import MINI, PROJECT, copy_corpus

PAPER_SOURCE = "sources/waring-crompton-2017.txt"
HOSTILE = '<script>alert("x")</script> & \'q\' ]]> "d" &amp; <![CDATA[x]]>'


def export(root: Path, file: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """Run export-qdpx; its exit status and the lines it printed."""
    code = main(["export-qdpx", "--root", str(root), str(file)])
    return code, capsys.readouterr().err.splitlines()


def read_back(file: Path) -> QdaProject:
    """The export as the import reads it (its safe ZIP and XML reading)."""
    archive, problems = read_archive(file, file.name)
    assert archive is not None, problems
    root, problems = parse_qde(archive.members["project.qde"], "project.qde")
    assert root is not None, problems
    project, problems = read_project(root, archive)
    assert problems == []
    return project


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The paper's site (the project's own content) exported once."""
    file = tmp_path_factory.mktemp("export") / "paper.qdpx"
    assert main(["export-qdpx", "--root", str(PROJECT), str(file)]) == 0
    return file


def test_the_papers_export_is_valid_against_the_refi_qda_schema(paper: Path) -> None:
    with zipfile.ZipFile(paper) as archive:
        names = archive.namelist()
        qde = archive.read("project.qde")
    assert names[0] == "project.qde" and len(names) == 2 and names[1].startswith("sources/")
    assert schema_errors(qde) == []
    # Every GUID is one element's own, and every reference names one of them.
    root, _ = parse_qde(qde, "project.qde")
    assert root is not None
    elements = [element for _, element in root.walk()]
    guids = [e.attributes["guid"] for e in elements if "guid" in e.attributes]
    targets = {e.attributes["targetGUID"] for e in elements if "targetGUID" in e.attributes}
    assert len(guids) == len(set(guids)) and targets <= set(guids)
    # The validator is not vacuous: a code without its required isCodable fails it.
    broken = qde.replace(b' isCodable="true"', b"", 1)
    assert any("isCodable" in error for error in schema_errors(broken))


def test_exporting_and_importing_the_paper_gives_back_its_41_quotations_at_their_places(
    paper: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, _, _ = load_corpus(PROJECT)
    text = (PROJECT / PAPER_SOURCE).read_text(encoding="utf-8")
    project = read_back(paper)
    [source] = project.sources
    assert source.text == text
    placed = {s.name: (s.start, s.end) for s in source.selections}
    wanted = {ident: (where.start, where.end) for ident, where in corpus.locations.items()}
    assert len(wanted) == len(corpus.quotes) == 41
    assert placed == wanted
    # The import itself: each quotation of the draft is the same slice of the same text.
    out = tmp_path / "draft"
    assert main(["import-qdpx", str(paper), "--study", "paper", "--out", str(out)]) == 0
    record = yaml.safe_load((out / "imports/paper.qdpx.yaml").read_text(encoding="utf-8"))
    draft = (out / "sources/paper.txt").read_text(encoding="utf-8")
    assert text in draft
    for quotation in record["quotations"]:
        where = corpus.locations[quotation["selection"]["name"]]
        assert (quotation["place"]["start"], quotation["place"]["end"]) == (where.start, where.end)
        assert quotation["selectors"][1]["exact"] == where.exact == text[where.start : where.end]
    assert len(record["quotations"]) == 41


def test_each_quotation_is_coded_with_its_finding_and_its_stage(paper: Path) -> None:
    corpus, _, _ = load_corpus(PROJECT)
    project = read_back(paper)
    paths = {code.guid: code.path for code in project.codes}
    study = corpus.studies["waring-crompton-2017"].title
    for selection in project.sources[0].selections:
        quote = corpus.quotes[selection.name]
        finding = corpus.findings[quote.finding]
        stages = [quote.stage] if quote.stage else list(finding.stages)
        labels = [f"Stage {corpus.stages[s].number}: {corpus.stages[s].title}" for s in stages]
        coded = [paths[guid] for guid in selection.codes]
        assert coded[0] == (study, finding.title)
        assert [path[-1] for path in coded[1:]] == labels
        assert selection.description == quote.speaker


def test_the_editors_rationales_are_notes(paper: Path) -> None:
    corpus, _, _ = load_corpus(PROJECT)
    memos = {text for _, text in read_back(paper).memos}
    rationales = {f.stages_rationale for f in corpus.findings.values() if f.stages_rationale}
    rationales |= {q.stage_rationale for q in corpus.quotes.values() if q.stage_rationale}
    assert rationales and memos == rationales


def test_two_exports_of_the_same_site_are_byte_identical(
    paper: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    again = tmp_path / "again.qdpx"
    assert export(PROJECT, again, capsys)[0] == 0
    assert again.read_bytes() == paper.read_bytes()
    with zipfile.ZipFile(again) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_an_edit_keeps_every_guid_of_the_units_it_leaves(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_corpus(MINI, tmp_path / "mini")
    assert export(root, tmp_path / "before.qdpx", capsys)[0] == 0
    findings = root / "content/findings.yaml"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text.replace("chose the QI methods quickly", "chose fast"), "utf-8")
    assert export(root, tmp_path / "after.qdpx", capsys)[0] == 0
    before, after = read_back(tmp_path / "before.qdpx"), read_back(tmp_path / "after.qdpx")
    assert [c.guid for c in before.codes] == [c.guid for c in after.codes]
    assert [c.name for c in before.codes] != [c.name for c in after.codes]
    selections = [[s.guid for s in source.selections] for source in before.sources]
    assert selections == [[s.guid for s in source.selections] for source in after.sources]


def test_hostile_text_from_content_stays_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_corpus(MINI, tmp_path / "mini")
    findings = root / "content/findings.yaml"
    quoted = yaml.safe_dump(HOSTILE, width=1000).removesuffix("\n...\n").strip()
    text = findings.read_text(encoding="utf-8")
    text = text.replace("title: Managers chose the QI methods quickly", f"title: {quoted}")
    rationale = next(line for line in text.splitlines() if "stage_rationale:" in line)
    text = text.replace(rationale, f"    stage_rationale: {quoted}")
    findings.write_text(text, encoding="utf-8")
    assert export(root, tmp_path / "h.qdpx", capsys)[0] == 0
    project = read_back(tmp_path / "h.qdpx")
    assert HOSTILE in [code.name for code in project.codes]
    assert HOSTILE in [memo for _, memo in project.memos]
    with zipfile.ZipFile(tmp_path / "h.qdpx") as archive:
        qde = archive.read("project.qde")
    assert b"<script>" not in qde and schema_errors(qde) == []


def broken_copy(root: Path, case: str) -> Path:
    """The mini corpus with one thing the export cannot take."""
    copy_corpus(MINI, root)
    study, findings = root / "content/study.yaml", root / "content/findings.yaml"
    if case == "no source text":
        lines = study.read_text(encoding="utf-8").splitlines(keepends=True)
        study.write_text("".join(lines[:5] + lines[11:]), encoding="utf-8")
    elif case == "missing source text":
        (root / PAPER_SOURCE).unlink()
    else:
        text = findings.read_text(encoding="utf-8")
        control = 'title: "Managers chose\\x01 the QI methods"'
        text = text.replace("title: Managers chose the QI methods quickly", control)
        findings.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("case", "error"),
    [
        (
            "no source text",
            (
                "content/study.yaml:3:5: 2 quotation(s) of study 'mini-study' ('q-pdsa-push', "
                "'q-doctors-awkward') have no place in a source text, and a .qdpx holds a "
                "quotation only as a selection of its text: name the study's text in `source: "
                "sources/<name>.txt` (`publish_source: false` keeps it unpublished)"
            ),
        ),
        (
            "missing source text",
            (
                "content/study.yaml:6:13: source text 'sources/waring-crompton-2017.txt' not "
                "found; add it (plain UTF-8) or remove `source`"
            ),
        ),
        (
            "control character",
            (
                "content/findings.yaml:3:5: field 'title' of finding 'qi-methods-chosen-quickly' "
                "holds \\x01, a character the XML of a .qdpx cannot carry; remove it"
            ),
        ),
    ],
)
def test_a_site_the_export_cannot_take_is_an_error_at_its_place_and_nothing_is_written(
    case: str, error: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = broken_copy(tmp_path / "mini", case)
    kept = tmp_path / "old.qdpx"
    kept.write_bytes(b"the last export")
    code, err = export(root, kept, capsys)
    assert code == 1
    assert err[-2:] == [error, "1 problem(s); nothing was written."]
    assert kept.read_bytes() == b"the last export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mini", "old.qdpx"]


def test_a_write_that_fails_leaves_the_older_file_and_nothing_beside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "mini.qdpx"
    file.write_bytes(b"an older export")

    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", fail)
    assert export(MINI, file, capsys) == (
        1,
        [
            f"{file}: cannot be written: disk full",
            "1 problem(s); nothing was written.",
        ],
    )
    assert file.read_bytes() == b"an older export"
    assert [p.name for p in tmp_path.iterdir()] == ["mini.qdpx"]


def test_a_text_the_site_keeps_unpublished_is_exported_with_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_corpus(MINI, tmp_path / "mini")
    study = root / "content/study.yaml"
    text = study.read_text(encoding="utf-8")
    study.write_text(
        text.replace("    source_headings:", "    publish_source: false\n    source_headings:"),
        "utf-8",
    )
    code, err = export(root, tmp_path / "m.qdpx", capsys)
    assert code == 0
    assert err[-1] == (
        f"{tmp_path / 'm.qdpx'}: note: holds the source text of study 'mini-study' ({PAPER_SOURCE}), "
        "which the site does not publish (publish_source: false); share the file as you would the text"
    )
    assert read_back(tmp_path / "m.qdpx").sources[0].text == (root / PAPER_SOURCE).read_text(
        "utf-8"
    )


def test_a_folder_is_no_file_to_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = export(MINI, tmp_path, capsys)
    assert (code, err) == (
        1,
        [
            f"{tmp_path}: is a folder; name the .qdpx file to write (e.g. evidence.qdpx)",
            "1 problem(s); nothing was written.",
        ],
    )
    assert list(tmp_path.iterdir()) == []
    code, err = export(MINI, tmp_path / "missing" / "x.qdpx", capsys)
    assert code == 1 and err[0].endswith(f"its folder {tmp_path / 'missing'} does not exist")


def test_an_export_replaces_the_file_whole_and_leaves_nothing_beside_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "mini.qdpx"
    file.write_bytes(b"an older export")
    code, err = export(MINI, file, capsys)
    assert code == 0
    assert err == [f"{file}: 1 text source(s), 2 coded selection(s), 7 code(s), 3 note(s)"]
    assert [p.name for p in tmp_path.iterdir()] == ["mini.qdpx"]
    assert zipfile.is_zipfile(file) and file.stat().st_mode & 0o777 == 0o644
