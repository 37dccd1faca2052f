"""A source text that checks without publishing (issue 33): with `publish_source: false`, a
study's quotations are still verified against its text at every build and keep their place
(section, paragraph, position), but no sentence of the text reaches the site: no page, no
search index, no data export, no JSON-LD, no copy of the file."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from tests.conftest import MINI, build, copy_corpus
from tests.test_bad_input import run

SOURCE = "sources/waring-crompton-2017.txt"


def unpublished(root: Path) -> Path:
    study = root / "content" / "study.yaml"
    text = study.read_text(encoding="utf-8").replace(
        f"    source: {SOURCE}\n", f"    source: {SOURCE}\n    publish_source: false\n"
    )
    study.write_text(text, encoding="utf-8")
    return root


def flat(text: str) -> str:
    return " ".join(html.unescape(text).replace("\\n", " ").split())


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = unpublished(copy_corpus(MINI, tmp_path_factory.mktemp("unpublished") / "mini"))
    assert build(root) == 0
    return root


def test_no_sentence_of_the_text_reaches_the_built_site(root: Path) -> None:
    content = flat(
        " ".join(
            p.read_text(encoding="utf-8") for p in [*root.rglob("*.yaml"), *root.rglob("*.bib")]
        )
    )
    # The text up to its reference list (the site formats the same references from BibTeX).
    source = (root / SOURCE).read_text(encoding="utf-8").split("\nReferences\n")[0]
    sentences = [
        flat(s)
        for s in re.split(r"(?<=[.?!])\s+", source)
        if len(flat(s)) >= 30 and flat(s) not in content  # the content may repeat a sentence
    ]
    assert len(sentences) > 100
    site = root / "site"
    assert not (site / SOURCE).exists()
    texts = [
        flat(p.read_text(encoding="utf-8", errors="replace"))
        for p in site.rglob("*")
        if p.is_file()
    ]
    found = [s for s in sentences if any(s in text for text in texts)]
    assert found == []


def test_quotations_keep_their_place_without_the_texts_words(root: Path) -> None:
    data = json.loads((root / "site" / "data" / "evidence.json").read_text(encoding="utf-8"))
    location = next(q for q in data["quotes"] if q["id"] == "q-pdsa-push")["location"]
    assert location["published"] is False
    assert location["label"] == "Findings › Adopting a movement approach, paragraph 2"
    quote, position = location["selector"]
    assert set(quote) == {"type", "exact"} and position["end"] > position["start"] > 0
    page = (root / "site" / "findings" / "qi-methods-chosen-quickly" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "in the source text: Findings › Adopting a movement approach, paragraph 2" in flat(page)
    assert SOURCE not in page and "quote-context" not in page


def test_a_quotation_is_still_checked_against_the_unpublished_text(tmp_path: Path) -> None:
    root = unpublished(copy_corpus(MINI, tmp_path / "mini"))
    findings = root / "content" / "findings.yaml"
    text = findings.read_text(encoding="utf-8").replace("a big push", "a large push")
    findings.write_text(text, encoding="utf-8")
    result = run(root, "check")
    assert result.returncode == 1
    assert "quotation 'q-pdsa-push' is not in its study's source text" in result.stderr
