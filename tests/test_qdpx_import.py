"""`import-qdpx` on small .qdpx files made here from XML strings: each malformed kind gives its
error line (the element's line and column in project.qde) and exit 1 with nothing written; a
source that is not text is skipped with a note; odd names stay text; the marks are `check`'s
errors at their lines; a second import of a new export is compared, not written."""

from __future__ import annotations

import shutil
import stat
import zipfile
from pathlib import Path

import pytest
import yaml

from build_scripts.cli import main
from build_scripts.pipeline.load import parse_yaml
from tests.conftest import MINI
from tests.test_qdpx_real import filled

NS = 'xmlns="urn:QDA-XML:project:1.0"'
TEXT = "Interviewer: What changed?\nNurse: It was our idea, so we kept at it.\nThe end.\n"
CODES = (
    '<CodeBook><Codes>\n<Code guid="c1" name="Ownership">\n'
    '<Code guid="c2" name="Ideas"/>\n</Code>\n</Codes></CodeBook>\n'
)


def selection(guid: str, start: int, end: int, code: str = "c2") -> str:
    """A PlainTextSelection with one coding."""
    return (
        f'<PlainTextSelection guid="{guid}" name="{guid}" startPosition="{start}" '
        f'endPosition="{end}"><Coding guid="k{guid}"><CodeRef targetGUID="{code}"/></Coding>'
        "</PlainTextSelection>\n"
    )


def project(sources: str, codes: str = CODES) -> str:
    """project.qde of one line per element, the codebook first."""
    return f'<?xml version="1.0"?>\n<Project {NS} name="Ward" origin="TestQDA 1">\n{codes}<Sources>\n{sources}</Sources>\n</Project>\n'


def ward(selections: str) -> str:
    """A TextSource (its text in sources/ward.txt) holding selections."""
    return f'<TextSource guid="s1" name="ward" plainTextPath="internal://ward.txt">\n{selections}</TextSource>\n'


def qdpx(path: Path, qde: str, members: dict[str, bytes] | None = None) -> Path:
    """A .qdpx at path: project.qde and sources/ward.txt (TEXT), plus members."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/ward.txt", TEXT)
        for name, data in (members or {}).items():
            archive.writestr(name, data)
    return path


def place(qde: str, needle: str) -> str:
    """line:column (from 1) where needle starts in qde."""
    before = qde[: qde.index(needle)]
    return f"{before.count(chr(10)) + 1}:{len(before) - before.rfind(chr(10))}"


def run(
    file: Path, out: Path, capsys: pytest.CaptureFixture[str], study: str = "ward"
) -> tuple[int, list[str]]:
    code = main(["import-qdpx", str(file), "--study", study, "--out", str(out)])
    return code, capsys.readouterr().err.splitlines()


QUOTE = TEXT.index("It was")
GOOD = ward(selection("a", QUOTE, TEXT.index("\nThe end")))


def test_a_good_project_gives_a_draft_whose_quotation_is_its_slice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run(qdpx(tmp_path / "w.qdpx", project(GOOD)), tmp_path / "p", capsys)
    assert code == 0, err
    content = yaml.safe_load((tmp_path / "p/content/ward.yaml").read_text("utf-8"))
    assert content["quotes"] == [
        {
            "id": f"q-ward-{QUOTE}",
            "finding": "ideas",
            "text": "It was our idea, so we kept at it.",
            "speaker": f"TODO(editors): who says this, as the source attributes it ('ward', "
            f"characters {QUOTE}–{QUOTE + 34})",
            "role": "TODO(editors): the id of the speaker's role (a `roles:` entry of this study)",
        }
    ]
    assert content["findings"][0]["section"] == "ownership"
    assert [c["id"] for c in content["concepts"]] == ["ownership", "ideas"]
    assert content["concepts"][1]["related"] == ["ownership"]
    assert (tmp_path / "p/sources/ward.txt").read_text("utf-8") == "ward\n\n" + TEXT + "\n"
    record = yaml.safe_load((tmp_path / "p/imports/ward.qdpx.yaml").read_text("utf-8"))
    assert record["imported"]["origin"] == "TestQDA 1"
    assert record["quotations"][0]["codes"] == [["Ownership", "Ideas"]]


def test_a_transcript_with_crlf_line_ends_keeps_them_in_its_offsets_and_its_quotation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Offsets count each character of the text as exported, a carriage return too: a
    # selection across a line break holds its CRLF, and the draft checks clean once filled in.
    text = "Interviewer: What changed?\r\nNurse: It was our idea,\r\nso we kept at it.\r\n"
    start, end = text.index("It was"), text.index(".\r\n", text.index("kept")) + 1
    file = tmp_path / "w.qdpx"
    with zipfile.ZipFile(file, "w") as archive:
        archive.writestr("project.qde", project(ward(selection("a", start, end))))
        archive.writestr("sources/ward.txt", text)
    code, err = run(file, tmp_path / "p", capsys)
    assert code == 0, err
    root = tmp_path / "p"
    content = yaml.safe_load((root / "content/ward.yaml").read_text("utf-8"))
    assert (
        content["quotes"][0]["text"] == text[start:end] == "It was our idea,\r\nso we kept at it."
    )
    assert (root / "sources/ward.txt").read_bytes() == f"ward\n\n{text}\n".encode()
    for name in ("ward.yaml", "site.yaml"):
        path = root / "content" / name
        path.write_text(yaml.safe_dump(filled(yaml.safe_load(path.read_text("utf-8")), "")))
    role = {"id": "board-member", "study": "ward", "label": "Nurse", "group": "staff"}
    extra = {"groups": [{"id": "staff", "label": "Staff"}], "roles": [role]}
    role["group_basis"] = "editors"
    (root / "content/roles.yaml").write_text(yaml.safe_dump(extra), encoding="utf-8")
    with open(root / "bib/references.bib", "a", encoding="utf-8") as bib:
        bib.write("@misc{board2017, author = {Board, A.}, title = {Minutes}, year = {2017}}\n")
    assert main(["check", "--root", str(root), "--config", str(root / "mkdocs.yml")]) == 0


def test_check_reports_each_mark_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(qdpx(tmp_path / "w.qdpx", project(GOOD)), tmp_path / "p", capsys)[0] == 0
    root = tmp_path / "p"
    assert main(["check", "--root", str(root), "--config", str(root / "mkdocs.yml")]) == 1
    err = capsys.readouterr().err.splitlines()
    lines = (root / "content/ward.yaml").read_text("utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("  role: "))
    assert (
        f"content/ward.yaml:{number}:9: field 'role' in quote 'q-ward-{QUOTE}' is marked for the "
        "editors: the id of the speaker's role (a `roles:` entry of this study)"
    ) in err
    assert all("marked for the editors" in line for line in err[:-1])  # nothing else
    assert err[-1] == f"{len(err) - 1} problem(s); nothing was written."


@pytest.mark.parametrize(
    ("qde", "needle", "message"),
    [
        (
            project(ward(selection("a", 10, 999))),
            "<PlainTextSelection",
            (
                "selection 'a' of 'ward': offsets 10–999 are outside its text, which has "
                f"{len(TEXT)} characters (start before end, both within the text)"
            ),
        ),
        (
            project(ward(selection("a", 10, 5))),
            "<PlainTextSelection",
            (
                "selection 'a' of 'ward': offsets 10–5 are outside its text, which has "
                f"{len(TEXT)} characters (start before end, both within the text)"
            ),
        ),
        (
            project(ward("") + selection("a", 0, 5)),
            "<PlainTextSelection",
            "a PlainTextSelection outside any TextSource: a selection must be in its source",
        ),
        (
            project(ward(selection("a", 0, 5, code="nope"))),
            "<CodeRef",
            "selection 'a' of 'ward': its code 'nope' is not in the codebook",
        ),
        (
            project(GOOD.replace("internal://ward.txt", "internal://gone.txt")),
            "<TextSource",
            (
                "TextSource 'ward' names its text 'internal://gone.txt', which the .qdpx does not "
                "hold; export the project with its sources"
            ),
        ),
        (
            project(GOOD).replace("</Sources>", "</Source>"),
            "</Source>",
            "XML is not well formed: mismatched tag",
        ),
        (
            '<!DOCTYPE lol [<!ENTITY lol "lol">]>\n' + project(GOOD),
            "<!DOCTYPE",
            (
                "refused: the XML has a document type declaration (<!DOCTYPE …>); a REFI-QDA "
                "project has none"
            ),
        ),
    ],
    ids=["outside", "reversed", "not-in-source", "unknown-code", "no-text", "xml", "doctype"],
)
def test_a_malformed_project_is_an_error_at_its_element_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], qde: str, needle: str, message: str
) -> None:
    file = qdpx(tmp_path / "bad.qdpx", qde)
    code, err = run(file, tmp_path / "p", capsys)
    line, column = place(qde, needle).split(":")
    if needle == "<!DOCTYPE":
        column = str(len("<!DOCTYPE lol ") + 1)  # expat stops at the declaration's name
    if needle == "</Source>":
        column = str(int(column) + 2)  # at the name of the closing tag
    assert (code, err) == (
        1,
        [f"{file}/project.qde:{line}:{column}: {message}", "1 problem(s); nothing was written."],
    )
    assert not (tmp_path / "p").exists()


def test_every_error_of_a_run_is_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    qde = project(ward(selection("a", 10, 999) + selection("b", 0, 5, code="nope")))
    code, err = run(qdpx(tmp_path / "bad.qdpx", qde), tmp_path / "p", capsys)
    assert code == 1 and err[-1] == "2 problem(s); nothing was written."
    assert "offsets 10–999" in err[0] and "its code 'nope'" in err[1]


@pytest.mark.parametrize(
    ("name", "why"),
    [("../evil.txt", "climbs out of the archive (`..`)"), ("/etc/evil", "is an absolute name")],
)
def test_a_member_that_leaves_the_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, why: str
) -> None:
    file = qdpx(tmp_path / "bad.qdpx", project(GOOD), {name: b"x"})
    assert run(file, tmp_path / "p", capsys) == (
        1,
        [f"{file}: member '{name}' {why}; refused", "1 problem(s); nothing was written."],
    )
    assert not (tmp_path / "p").exists()


def test_a_symbolic_link_in_the_archive_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = qdpx(tmp_path / "bad.qdpx", project(GOOD))
    with zipfile.ZipFile(file, "a") as archive:
        link = zipfile.ZipInfo("sources/link.txt")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    code, err = run(file, tmp_path / "p", capsys)
    assert (code, err[0]) == (1, f"{file}: member 'sources/link.txt' is a symbolic link; refused")


def test_a_file_that_is_no_zip_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "bad.qdpx"
    file.write_text("<Project/>", encoding="utf-8")
    assert run(file, tmp_path / "p", capsys) == (
        1,
        [
            f"{file}: is not a readable ZIP archive (a .qdpx is one): File is not a zip file",
            "1 problem(s); nothing was written.",
        ],
    )


def test_a_pdf_source_is_skipped_with_a_note_and_the_rest_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = '<PDFSource guid="p1" name="scan" path="internal://scan.pdf"/>\n'
    qde = project(pdf + GOOD)
    file = qdpx(tmp_path / "w.qdpx", qde)
    code, err = run(file, tmp_path / "p", capsys)
    assert code == 0
    assert err[0] == (
        f"{file}/project.qde:{place(qde, '<PDFSource')}: skipped PDFSource 'scan', a PDF: the "
        "site quotes text only (its selections are not imported)"
    )
    content = yaml.safe_load((tmp_path / "p/content/ward.yaml").read_text("utf-8"))
    assert len(content["quotes"]) == 1


def test_odd_names_stay_text_in_the_draft(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = ["yes", "key: value", "*star", "- dash", "1.0", "null", "#hash", "'quoted\""]
    codes = "".join(
        f'<Code guid="o{i}" name="{n.replace(chr(34), "&quot;")}"/>\n' for i, n in enumerate(names)
    )
    qde = project(GOOD, CODES.replace("</Codes>", codes + "</Codes>"))
    assert run(qdpx(tmp_path / "w.qdpx", qde), tmp_path / "p", capsys)[0] == 0
    text = (tmp_path / "p/content/ward.yaml").read_text("utf-8")
    loaded, problems = parse_yaml("content/ward.yaml", text)
    assert problems == [] and loaded is not None
    assert [c["term"] for c in loaded.data["concepts"]][2:] == names


def test_a_second_import_of_a_new_export_reports_new_changed_and_gone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    end = TEXT.index("The end")
    first = ward(
        selection("a", QUOTE, QUOTE + 34) + selection("b", 0, 11) + selection("c", end, end + 7)
    )
    assert run(qdpx(tmp_path / "1.qdpx", project(first)), tmp_path / "p", capsys)[0] == 0
    before = {p: p.read_bytes() for p in (tmp_path / "p").rglob("*") if p.is_file()}
    # A new export: new GUIDs; "a" the same, "b" wider, "c" gone, "Nurse" new.
    nurse = TEXT.index("Nurse")
    second = ward(
        selection("x", QUOTE, QUOTE + 34)
        + selection("z", 0, 26, code="c1")
        + selection("y", nurse, nurse + 5)
    )
    code, err = run(qdpx(tmp_path / "2.qdpx", project(second)), tmp_path / "p", capsys)
    shown = (tmp_path / "p/imports/ward.qdpx.yaml").as_posix()
    assert (code, err) == (
        0,
        [
            f"{shown}: unchanged: 1 quotation(s)",
            (
                f"{shown}: changed: quotation 'q-ward-0': its words changed: “Interviewer: What "
                "changed?”"
            ),
            f"{shown}: new: selection 'y' ('ward' {nurse}–{nurse + 5}): “Nurse”",
            f"{shown}: gone: quotation 'q-ward-{end}': “The end”",
            (
                f"{shown}: a new import of a study already imported writes nothing; edit content/ "
                "by hand"
            ),
        ],
    )
    assert before == {p: p.read_bytes() for p in (tmp_path / "p").rglob("*") if p.is_file()}


def test_an_import_into_a_project_adds_its_files_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "mini"
    for part in ("content", "bib", "sources"):
        shutil.copytree(MINI / part, root / part)
    file = qdpx(tmp_path / "w.qdpx", project(GOOD))
    assert run(file, root, capsys)[0] == 0
    assert (root / "content/ward.yaml").is_file() and not (root / "Makefile").exists()
    (root / "imports/ward.qdpx.yaml").unlink()
    code, err = run(file, root, capsys)
    assert code == 1
    assert err[0] == (
        f"{(root / 'content/ward.yaml').as_posix()}: exists already; an import never "
        "overwrites a file (nothing was written)"
    )


def test_a_folder_that_is_no_project_and_a_bad_id_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "mine.txt").write_text("mine", encoding="utf-8")
    code, err = run(qdpx(tmp_path / "w.qdpx", project(GOOD)), folder, capsys, study="Ward A")
    assert (code, err) == (
        1,
        [
            "--study: 'Ward A' is not an id: use a lowercase slug of a-z, 0-9 and single hyphens",
            f"{folder}: is neither a new (empty) folder nor a project (a folder with content/)",
            "2 problem(s); nothing was written.",
        ],
    )
    assert [p.name for p in folder.iterdir()] == ["mine.txt"]
