"""Bounded cost (issue 29, class 6): every step is linear or bounded in its input. Limits stand in
the schema and are checked before the expensive step; no timing is asserted, but the expensive
steps are shown not to run on input over a limit, and a pathological input that took minutes
to hours before its fix must finish within a generous bound."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from build_scripts.pipeline import prose_checks, sources
from build_scripts.pipeline.sources import CLOSEST_BUDGET, search_source
from tests.conftest import MINI, PROJECT, copy_corpus
from tests.test_bad_input import run

QUOTE = (
    "text: PDSA is a well-established industry technique. We had elements of it already, but "
    "it probably wasn't as thorough as you might expect. So we wanted to do a big push, get it "
    "in every department as part of their local improvement work."
)


def _edit(root: Path, old: str, new: str) -> None:
    path = root / "content" / "findings.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _never(*args: object) -> None:
    raise AssertionError("the expensive step ran on input over its limit")


def test_an_80kb_quotation_is_refused_by_its_length_before_any_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_corpus(MINI, tmp_path / "p")
    _edit(root, QUOTE, "text: " + "word " * 16_000)
    monkeypatch.setattr(sources, "Passages", _never)
    from build_scripts import build as driver

    assert driver.check(root, "text") == 1


def test_the_length_limits_are_errors_at_the_field(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "p")
    _edit(root, QUOTE, "text: " + "word " * 16_000)
    _edit(
        root,
        "    stage_rationale: The quotation",
        "    stage_rationale: 'x " + "[a](" * 24_500 + "' #",
    )
    result = run(root, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        (
            "content/findings.yaml:27:11: field 'text' in quote 'q-pdsa-push' is 79,999 "
            "characters long; the limit is 5,000"
        ),
        (
            "content/findings.yaml:32:22: field 'stage_rationale' in quote 'q-pdsa-push' is "
            "98,002 characters long; the limit is 10,000"
        ),
        "2 problem(s); nothing was written.",
    ]


def test_a_prose_field_with_too_many_brackets_is_refused_before_markdown_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_corpus(MINI, tmp_path / "p")
    _edit(
        root, "    stage_rationale: The quotation", "    stage_rationale: 'x " + "[" * 9000 + "' #"
    )
    real = prose_checks.link_targets

    def small_only(text: str) -> list[str]:
        if text.count("[") > prose_checks.MAX_BRACKETS:
            _never()
        return real(text)

    monkeypatch.setattr(prose_checks, "link_targets", small_only)
    from build_scripts.build import load_corpus
    from build_scripts.pipeline.problems import ProblemsFound

    with pytest.raises(ProblemsFound) as found:
        load_corpus(root, [])
    assert [str(p) for p in found.value.problems] == [
        (
            "content/findings.yaml:32:22: field 'stage_rationale' holds 9,000 '['; the limit is "
            "50 (a link or citation takes one; write a literal bracket as '\\[')"
        )
    ]


def test_closest_passages_are_worked_out_for_a_bounded_number_of_characters() -> None:
    text = "Quotations come from this text, which holds none of the ones looked for here.\n"
    missing = [
        (f"q{n:02d}", f"Quotation {n:02d} " + "is not there at all. " * 50) for n in range(30)
    ]
    search = search_source("s.txt", text, (), missing)
    looked = [passage for _, passage, _ in search.missing if passage is not None]
    assert len(search.missing) == 30
    assert 0 < sum(len(q) for _, q in missing[: len(looked)]) - CLOSEST_BUDGET < len(missing[0][1])


@pytest.mark.parametrize(
    "statement",
    [
        # Backtracked quadratically in the citation pattern: minutes at 1 MB before its fix.
        "from build_scripts.pipeline.citations import parse_citations; "
        + "parse_citations('[@' + ' @' * 500_000)",
        # A missing quotation against a 1 MB source: the closest-passage search was quadratic.
        (
            "from build_scripts.pipeline.sources import search_source as s; "
            "import random; random.seed(1); w = [str(random.random()) for _ in range(50_000)]; "
            "t = ' '.join(w); s('s.txt', t, (), [('q', ' '.join(reversed(w[:400])))])"
        ),
    ],
    ids=["citation-pattern", "closest-passage"],
)
def test_a_pathological_input_finishes_within_a_generous_bound(statement: str) -> None:
    subprocess.run([sys.executable, "-c", statement], cwd=PROJECT, check=True, timeout=60)
