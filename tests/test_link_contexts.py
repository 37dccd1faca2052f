"""Links judged where they are rendered (issue 29, class 2): a page places a prose field in a
context of its own, so a `javascript:` link that is plain text when the field is read alone
(indented, an admonition's body, a list item's second paragraph, a reference defined in one
field and used in another) is refused by `check` at the field; and a last check over the built
site fails the build on any link with another scheme, naming the content its page came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_scripts.cli import main
from build_scripts.pipeline import prose_checks
from tests.conftest import CONFIG, MINI, copy_corpus
from tests.test_bad_input import run, site_digest

STATEMENT = """    statement: |
      The task-and-finish group identified the QI methods within 2-3 months.
      Methods like *PDSA* came from improvement agencies [@ovretveit2002].
"""
RATIONALE = """    stages_rationale: >-
      The paper does not assign findings to the model's stages; the site's editors placed this
      one under framing because managers chose the methods before clinicians were involved.
"""
# Each way through, in the field that a page shows in that context.
WAYS = {
    # Indentation that the page's prose() strips: read alone, an indented code block.
    "content/findings.yaml": [
        (STATEMENT, "    statement: |\n          [x](javascript:alert(1))\n"),
        # A rationale's indented second paragraph, which the page joins onto one line.
        (
            RATIONALE,
            "    stages_rationale: |\n      First.\n\n          [x](javascript:alert(2))\n",
        ),
        # A reference defined in one field, used in another field of the same page.
        ("    statement: Adopting a movement", "    statement: See [x][r]. Adopting a movement"),
        (
            "    stages_rationale: A fixture case",
            "    stages_rationale: |\n      [r]: javascript:alert(3)\n\n      A fixture case",
        ),
    ],
    "content/model.yaml": [
        # An admonition whose body is indented.
        (
            "    definition: Leaders mobilise clinicians in collective action.\n",
            "    definition: |\n      !!! note\n          [x](javascript:alert(4))\n",
        )
    ],
    "content/study.yaml": [
        # An indented paragraph that continues a list item on the study page.
        (
            "        description: A risk control method.\n",
            "        description: |\n          A method.\n\n              [x](javascript:alert(5))\n",
        )
    ],
}


def _apply(root: Path, ways: dict[str, list[tuple[str, str]]]) -> None:
    for name, edits in ways.items():
        path = root / name
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, old
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")


def _refused(field: str, line: str) -> str:
    return (
        f"{line}: link with the 'javascript:' scheme in field '{field}': only http(s), mailto "
        "and links to the site's units by kind and id (finding:, quote:, stage:, concept:, "
        "ref:, …) are allowed"
    )


def test_every_context_of_a_link_is_refused_by_check_at_its_line(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "p")
    _apply(root, WAYS)
    result = run(root, "check")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert _refused("statement", "content/findings.yaml:8:15") in lines
    assert _refused("stages_rationale", "content/findings.yaml:14:15") in lines
    assert _refused("stages_rationale", "content/findings.yaml:24:12") in lines
    assert _refused("definition", "content/model.yaml:13:15") in lines
    assert _refused("description", "content/study.yaml:31:19") in lines
    assert lines[-1] == "5 problem(s); nothing was written."


def test_a_link_the_content_check_misses_fails_the_build_at_its_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_corpus(MINI, tmp_path / "p")
    assert main(["build", "--root", str(root), "--config", str(CONFIG)]) == 0
    before = site_digest(root / "site")
    _apply(root, {"content/findings.yaml": WAYS["content/findings.yaml"][:1]})
    monkeypatch.setattr(prose_checks, "link_targets", lambda text: [])  # the content check off
    assert main(["build", "--root", str(root), "--config", str(CONFIG)]) == 1
    assert site_digest(root / "site") == before


def test_the_last_check_names_the_page_and_the_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_corpus(MINI, tmp_path / "p")
    _apply(root, {"content/findings.yaml": WAYS["content/findings.yaml"][:1]})
    monkeypatch.setattr(prose_checks, "link_targets", lambda text: [])
    assert main(["build", "--root", str(root), "--config", str(CONFIG)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert [line for line in lines if ": warning: " not in line] == [
        (
            "content/findings.yaml:3:5: the built page findings/qi-methods-chosen-quickly/"
            "index.html links with the 'javascript:' scheme ('javascript:alert(1)'); only "
            "http(s), mailto and the site's own links are allowed: remove the link from the "
            "content"
        ),
        "1 problem(s); nothing was written.",
    ]
    assert not (root / "site").exists()
