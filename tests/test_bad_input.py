"""Each bad edit gives its exact `path:line:col: message`, exit 1, no traceback, and an untouched site."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CONFIG, MINI, PROJECT, build, copy_corpus

BAD = Path(__file__).parent / "fixtures" / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())


def site_digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def run(
    root: Path, command: str, config: Path | None = CONFIG, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    """`python -m build_scripts COMMAND --root ROOT --config CONFIG`, as a user runs it (no
    --config when config is None: `lock` takes none)."""
    return subprocess.run(
        [sys.executable, "-m", "build_scripts", command, "--root", str(root)]
        + (["--config", str(config)] if config is not None else []),
        check=False,
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def broken_copy(case: str, dest: Path) -> Path:
    root = copy_corpus(MINI, dest)
    for part in ("content", "bib"):
        if (BAD / case / part).is_dir():
            shutil.copytree(BAD / case / part, root / part, dirs_exist_ok=True)
    return root


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gives_its_exact_error_and_keeps_the_site(case: str, tmp_path: Path) -> None:
    root = broken_copy(case, tmp_path / case)
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("last good site", encoding="utf-8")
    result = run(root, "build")
    expected = (BAD / case / "expected.txt").read_text(encoding="utf-8")
    assert result.returncode == 1
    assert result.stderr == expected
    assert "Traceback" not in result.stdout + result.stderr
    assert site_digest(root / "site") == {
        "index.html": hashlib.sha256(b"last good site").hexdigest()
    }


def test_every_bad_case_has_an_expected_error() -> None:
    assert len(CASES) >= 15
    for case in CASES:
        lines = (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines()
        assert lines[-1].endswith("problem(s); nothing was written.")
        assert all(line.count(":") >= 3 for line in lines[:-1]), case


def test_check_reports_without_building(tmp_path: Path) -> None:
    root = broken_copy("several-problems", tmp_path / "r")
    result = run(root, "check")
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 5
    assert not (root / "site").exists()


def test_failed_build_leaves_a_real_site_byte_for_byte(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "r")
    assert build(root) == 0
    before = site_digest(root / "site")
    shutil.copytree(BAD / "unknown-link" / "content", root / "content", dirs_exist_ok=True)
    assert build(root) == 1
    assert site_digest(root / "site") == before


def test_a_good_build_exits_zero_and_replaces_the_site(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "r")
    (root / "site").mkdir()
    (root / "site" / "stale.html").write_text("old", encoding="utf-8")
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    assert not (root / "site" / "stale.html").exists()
    assert (root / "site" / "index.html").is_file()
    assert not list((root / "build").glob(".build-*"))


def test_a_reference_never_cited_is_a_warning_not_an_error(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "r")
    with (root / "bib" / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(
            "\n@book{snow2004,\n  author = {Snow, D.},\n  title = {Framing},\n  year = {2004}\n}\n"
        )
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        "bib/references.bib:50:1: warning: reference 'snow2004' is never cited; it is listed in "
        "the bibliography, but no page cites it"
    )
    assert "snow2004" in (root / "site" / "bibliography" / "index.html").read_text(encoding="utf-8")


def test_a_setting_the_content_gives_or_the_theme_writes_unescaped_is_refused_at_its_place(
    tmp_path: Path,
) -> None:
    root = copy_corpus(MINI, tmp_path / "r")
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("last good site", encoding="utf-8")
    settings = CONFIG.read_text(encoding="utf-8").replace(
        "custom_dir: overrides", f"custom_dir: {PROJECT / 'overrides'}"
    )
    settings = 'site_name: "Q&A on <b>A movement</b>"\n' + settings
    (root / "mkdocs.yml").write_text(settings, encoding="utf-8")
    (root / "child.yml").write_text("INHERIT: mkdocs.yml\nsite_author: R&amp;D\n", "utf-8")
    result = run(root, "build", root / "child.yml")
    assert result.returncode == 1
    unescaped = "which the theme writes into every page unescaped, as markup; leave it out or say it in words"
    assert result.stderr.splitlines() == [
        (
            "mkdocs.yml:1:1: site_name comes from content/site.yaml (site.title), the one source "
            "of the site's name and description; remove it here"
        ),
        "1 problem(s); nothing was written.",
    ]
    (root / "mkdocs.yml").write_text(settings.split("\n", 1)[1], encoding="utf-8")
    result = run(root, "build", root / "child.yml")
    assert result.stderr.splitlines() == [
        f"child.yml:2:14: site_author holds '&', {unescaped}",
        "1 problem(s); nothing was written.",
    ]
    assert site_digest(root / "site") == {
        "index.html": hashlib.sha256(b"last good site").hexdigest()
    }
