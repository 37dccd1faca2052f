"""'Cite this' BibTeX reads back as the unit it cites (issue 29, class 8): any text, and names
that hold a comma or the word 'and', through bibtexparser with the loader's LaTeX decoding, and
through pandoc's biblatex reader where pandoc is installed (`make test` installs it)."""

from __future__ import annotations

import json
import shutil
import subprocess

import bibtexparser
import pytest
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from hypothesis import given, settings
from hypothesis import strategies as st

from build_scripts.pipeline.bib_latex import latex_decoder, latex_decoding_middleware
from build_scripts.render.cite_this import bibtex_name, bibtex_text

# Text as content holds it: any character but controls and lone surrogates.
TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1)
HOSTILE = r"C:\temp ~ 50% a^b & {x} $5 #1 _u_ -- ''q'' ``r`` ?` !` \alert{x} \\ end"
# Pandoc sets straight quotes and backquotes as curly ones, as typography does (an apostrophe
# too): the text it reads back is compared without them.
FOR_PANDOC = r"C:\temp ~ 50% a^b & {x} $5 #1 _u_ -- ?! \alert{x} \\ end"
NAMES = [
    {"family": "Doe and Mallory", "given": "Jane"},
    {"family": "Roe", "given": "Ann, Jr"},
    {"family": "AND", "given": "Anderson"},
    {"literal": "R&D Unit and Partners"},
]


def _entry(title: str, names: list[dict[str, str]]) -> str:
    author = " and ".join(bibtex_name(name) for name in names)
    return f"@online{{k,\n  author = {{{author}}},\n  title = {{{{{bibtex_text(title)}}}}}\n}}"


def _read(bib: str) -> tuple[str, list[str]]:
    """The title and each author's name (family, given) as bibtexparser reads them back."""
    middleware = [SeparateCoAuthors(), SplitNameParts(), latex_decoding_middleware()]
    library = bibtexparser.parse_string(bib, append_middleware=middleware)
    assert not library.failed_blocks
    [entry] = library.entries
    decode = latex_decoder().latex_to_text
    names = [
        ", ".join(decode(" ".join(part)) for part in (name.last, name.first) if part)
        for name in entry["author"]
    ]
    return entry["title"], names


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_text_reads_back_as_written(text: str) -> None:
    title, _ = _read(_entry(text, [{"family": "Doe"}]))
    assert title == " ".join(text.split())


def test_hostile_text_and_names_read_back_as_the_unit() -> None:
    title, names = _read(_entry(HOSTILE, NAMES))
    assert title == HOSTILE
    assert names == [
        "Doe and Mallory, Jane",
        "Roe, Ann, Jr",
        "AND, Anderson",
        "R&D Unit and Partners",
    ]


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_the_export_back_as_the_unit() -> None:
    done = subprocess.run(
        ["pandoc", "-f", "biblatex", "-t", "csljson"],
        input=_entry(FOR_PANDOC, NAMES[:1] + NAMES[3:]),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    [item] = json.loads(done.stdout)
    assert item["title"] == FOR_PANDOC
    assert item["author"] == [
        {"family": "Doe and Mallory", "given": "Jane"},
        {"literal": "R&D Unit and Partners"},
    ]
