"""Rewrite tests/fixtures/pandoc/ on purpose: the paper's entries that show citeproc-py's gaps,
as CSL-JSON (`to_csl`), and pandoc's rendering of them with Cite Them Right
(`pandoc --citeproc`, Debian's pandoc). Run: `.venv/bin/python -m tests.regenerate_pandoc_golden`,
then review the diff."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from build_scripts.pipeline.bibtex import load_bib_file
from build_scripts.pipeline.csl import style_path
from build_scripts.pipeline.csl_json import to_csl
from build_scripts.pipeline.entities import Reference

HERE = Path(__file__).parent
GOLDEN = HERE / "fixtures" / "pandoc"
BIB = HERE.parent / "bib" / "references.bib"
STYLE = "harvard-cite-them-right"
# Edited books (editors standing in for authors), quotations inside quoted titles (curly and
# straight), apostrophes, a chapter with its editors, and an author list ending "and others".
KEYS = [
    "banaszakholl2010",
    "goodwin2014",
    "waring2017",
    "gleeson2006",
    "pender2002",
    "noordegraaf2007",
    "dixonwoods2012",
    "mcgovern2015",
    "bate2010",
]
DOCUMENT = '---\nnocite: "@*"\nlang: en-GB\n---\n'


def csl_items() -> list[dict[str, object]]:
    """The CSL-JSON of KEYS, as the CSL step formats them."""
    entries = {e.key: e for e in load_bib_file(BIB, BIB.parent, [])}
    return [to_csl(Reference(k, entries[k].entry_type, entries[k].fields)) for k in KEYS]


def main() -> None:
    """Write the items and pandoc's HTML of them."""
    GOLDEN.mkdir(parents=True, exist_ok=True)
    items = GOLDEN / f"{STYLE}.json"
    items.write_text(json.dumps(csl_items(), ensure_ascii=False, indent=1) + "\n", "utf-8")
    command = ["pandoc", "--citeproc", "--wrap=none", "-t", "html", "--bibliography", str(items)]
    command += ["--csl", str(style_path(STYLE))]
    html = subprocess.run(command, input=DOCUMENT, capture_output=True, text=True, check=True)
    (GOLDEN / f"{STYLE}.html").write_text(html.stdout, "utf-8")
    print(f"rewrote {GOLDEN}")


if __name__ == "__main__":
    main()
