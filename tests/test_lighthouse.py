"""The Lighthouse part of `make bench`: reading a report into the printed table (no browser, no
network; the fixture is a real Lighthouse 12.8.2 report of a finding page, cut down)."""

from __future__ import annotations

import json
from pathlib import Path

from build_scripts.tools.lighthouse import scores_of, stock_page, table

HERE = Path(__file__).parent
REPORT = json.loads((HERE / "fixtures" / "lighthouse" / "report.json").read_text(encoding="utf-8"))
SOURCE = HERE.parent / "sources" / "waring-crompton-2017.txt"


def test_a_report_gives_the_four_scores_out_of_100_the_layout_shift_and_the_font_size() -> None:
    row = scores_of("finding", REPORT)
    assert (row.performance, row.accessibility, row.best_practices, row.seo) == (81, 100, 96, 100)
    assert (row.version, row.form_factor) == ("12.8.2", "mobile")
    assert row.cls == 0
    assert row.font_size == "FAIL 5.11% legible text"
    assert row.below_full == ("best-practices: font-size",)


def test_the_table_has_a_line_per_page_and_says_what_fell_short() -> None:
    lines = table([scores_of("finding", REPORT)])
    assert lines[0].split()[:5] == ["page", "perf", "a11y", "best", "pr."]
    assert lines[1].split()[:5] == ["finding", "81", "100", "96", "100"]
    assert lines[1].endswith("FAIL 5.11% legible text")
    assert lines[2] == "finding: below 100: best-practices: font-size"


def test_a_run_that_failed_shows_no_scores_and_its_error() -> None:
    lines = table([scores_of("home", {"runtimeError": {"message": "Chrome did not start"}})])
    assert lines[1].split()[:6] == ["home", "-", "-", "-", "-", "-"]
    assert lines[2] == "home: Lighthouse error: Chrome did not start"


def test_the_stock_page_is_the_papers_prose_from_its_introduction() -> None:
    page = stock_page(SOURCE.read_text(encoding="utf-8"), words=300)
    blocks = page.split("\n\n")
    assert blocks[:2] == ["# A movement for improvement?", "## Introduction"]
    words = sum(len(block.split()) for block in blocks if not block.startswith("#"))
    assert 300 <= words < 600
