"""One rule for files (issue 29, class 1): the build reads only regular files inside the project
and writes only into real folders inside it; anything else is an error at its path, found by
`check` too, before anything is written or deleted."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from build_scripts.engine.config_file import unsafe_tag_problems
from tests.conftest import CONFIG, MINI, PROJECT, copy_corpus
from tests.test_bad_input import run

READ_OUTSIDE = (
    "is a symbolic link that leads outside the project; the build reads only files inside it "
    "(copy the file in instead)"
)
WRITE_LINK = (
    "is a symbolic link; the build writes only into real folders inside the project (remove "
    "the link; the build makes the folder)"
)


def _outside(tmp_path: Path) -> Path:
    """A folder beside the project holding one file that must survive every build."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "precious.txt").write_text("keep me", encoding="utf-8")
    return folder


def test_a_site_that_is_a_link_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "p")
    outside = _outside(tmp_path)
    (root / "site").symlink_to(outside, target_is_directory=True)
    for command in ("check", "build"):
        result = run(root, command)
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            f"site:1:1: {WRITE_LINK}",
            "1 problem(s); nothing was written.",
        ]
    assert sorted(p.name for p in outside.iterdir()) == ["precious.txt"]
    assert (root / "site").is_symlink()
    assert not (root / "build").exists()


def test_a_build_folder_that_is_a_link_is_refused(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "p")
    outside = _outside(tmp_path)
    (root / "build").symlink_to(outside, target_is_directory=True)
    result = run(root, "build")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == f"build:1:1: {WRITE_LINK}"
    assert sorted(p.name for p in outside.iterdir()) == ["precious.txt"]
    assert not (root / "site").exists()


def test_a_source_text_linking_to_the_environment_is_never_read(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "p")
    (root / "sources").mkdir(exist_ok=True)
    (root / "sources" / "environ.txt").symlink_to("/proc/self/environ")
    result = run(root, "build")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"sources/environ.txt:1:1: {READ_OUTSIDE}",
        "1 problem(s); nothing was written.",
    ]
    assert not (root / "site").exists()


def test_content_that_is_not_a_regular_file_inside_is_an_error_each(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "p")
    content = root / "content"
    (content / "elsewhere.yaml").symlink_to(PROJECT / "content" / "site.yaml")
    (content / "dangling.yaml").symlink_to(tmp_path / "missing.yaml")
    (content / "folder.yaml").mkdir()
    os.mkfifo(content / "pipe.yaml")  # reading it would block the build for ever
    (root / "kept").mkdir()  # a link that stays inside the project is read as its target
    (content / "site.yaml").rename(root / "kept" / "site.yaml")
    (content / "site.yaml").symlink_to(Path("..") / "kept" / "site.yaml")
    result = run(root, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        (
            "content/dangling.yaml:1:1: is a symbolic link to nothing (its target is missing); "
            "remove it"
        ),
        f"content/elsewhere.yaml:1:1: {READ_OUTSIDE}",
        "content/folder.yaml:1:1: is a folder, not a file; the build reads only regular files",
        "content/pipe.yaml:1:1: is a named pipe, not a file; the build reads only regular files",
        "4 problem(s); nothing was written.",
    ]


def test_a_lock_file_that_is_not_utf8_is_an_error_at_its_byte(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "p")
    (root / "anchors.lock").write_bytes(b"# permalinks\n\xff\xfe\n")
    for command in ("check", "build", "lock"):
        result = run(root, command, None if command == "lock" else CONFIG)
        assert result.returncode == 1, command
        assert result.stderr.splitlines() == [
            "anchors.lock:2:1: not valid UTF-8 (byte offset 13); save as UTF-8",
            "1 problem(s); nothing was written.",
        ]
    assert (root / "anchors.lock").read_bytes() == b"# permalinks\n\xff\xfe\n"


def test_the_ignore_file_keeps_a_site_that_is_a_link_out_of_git(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(PROJECT / ".gitignore", repo / ".gitignore")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    for name in ("site", "site-offline", "build"):
        (repo / name).symlink_to(tmp_path, target_is_directory=True)
        ignored = subprocess.run(["git", "-C", str(repo), "check-ignore", "-q", name], check=False)
        assert ignored.returncode == 0, name


def test_a_python_tag_in_the_configuration_is_refused_before_it_runs(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "p")
    marker = tmp_path / "ran"
    settings = CONFIG.read_text(encoding="utf-8").replace(
        "custom_dir: overrides", f"custom_dir: {PROJECT / 'overrides'}"
    )
    (root / "mkdocs.yml").write_text(settings, encoding="utf-8")
    child = (
        f"INHERIT: mkdocs.yml\nextra:\n  x: !!python/object/apply:os.system ['touch {marker}']\n"
    )
    (root / "child.yml").write_text(child, encoding="utf-8")
    for command in ("check", "build", "generate"):
        result = run(root, command, root / "child.yml")
        assert result.returncode == 1, command
        assert result.stderr.splitlines() == [
            (
                "child.yml:3:6: the tag '!!python/object/apply:os.system' would run Python code "
                "when the engine reads this file; remove it (allowed: !!python/name: of "
                "material.extensions.emoji.to_svg, material.extensions.emoji.twemoji, "
                "pymdownx.superfences.fence_code_format)"
            ),
            "1 problem(s); nothing was written.",
        ]
    assert not marker.exists()
    assert not (root / "site").exists()


def test_the_themes_own_python_names_are_allowed(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: x\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:os.system\n",
        encoding="utf-8",
    )
    problems = unsafe_tag_problems(config)
    assert [(p.line, p.column) for p in problems] == [(5, 24)]
