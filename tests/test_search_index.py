"""The online search index (render/search_index.py) and the worker that reads it
(assets/javascripts/search-worker.js), its functions run in Node: the two read words alike, the
files hold exactly what was indexed, and text from content comes out escaped."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from build_scripts.folders import ASSETS
from build_scripts.render.search_index import (
    KEY_FILE_SIZE,
    RECORDS_PER_FILE,
    Analyser,
    Record,
    index_files,
    words,
)

WORKER = ASSETS / "javascripts" / "search-worker.js"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="Node.js runs the worker's functions")

# Loads the worker's script into a context of its own (no worker around it) and prints the
# value of each expression given on standard input (a JSON list of [function, arguments]).
HARNESS = """
const vm = require("vm");
const fs = require("fs");
const context = { self: { addEventListener() {} }, console };
vm.createContext(context);
vm.runInContext(fs.readFileSync(process.argv[1], "utf8"), context);
const calls = JSON.parse(fs.readFileSync(0, "utf8"));
context.calls = calls;
const out = vm.runInContext("calls.map(([f, args]) => this[f](...args))", context);
process.stdout.write(JSON.stringify(out));
"""

TRICKY = [
    "Crompton's ‘movement’ — don't stop",
    "Ørstavik, Åse and Zoë: naïve café",
    "ﬁnal ﬂow, Straße, İstanbul",
    "snake_case and CamelCase 2017 x 3",
    "日本語のテキスト and emoji 🙂 here",
    "a\u0301ccent e\u0300 combining",
    "tab\tnew\nline  spaces",
]


def run_worker(calls: list[tuple[str, list[Any]]]) -> list[Any]:
    """The worker's functions' results for each (name, arguments)."""
    assert NODE is not None
    done = subprocess.run(
        [NODE, "-e", HARNESS, str(WORKER)],
        input=json.dumps(calls),
        capture_output=True,
        text=True,
        check=True,
    )
    result: list[Any] = json.loads(done.stdout)
    return result


@needs_node
def test_the_worker_reads_words_as_the_index_does() -> None:
    assert run_worker([("words", [text]) for text in TRICKY]) == [words(t) for t in TRICKY]
    assert words("Ørstavik naïve Straße don't") == ["ørstavik", "naive", "straße", "don"]


@needs_node
def test_the_worker_shows_text_from_content_as_text() -> None:
    hostile = "<img src=x onerror=\"alert(1)\"> & <b>bold</b> 'quoted'"
    marks = [{"word": "bold", "stems": ["bold"], "complete": False}]
    title, text = run_worker(
        [
            ("title", ["Quotation", "<i>Study</i>", hostile, marks]),
            ("highlight", [hostile, marks, 1000]),
        ]
    )
    for html in (title, text):
        tags = [t for t in html.split("<")[1:]]
        assert all(t.startswith(("mark>", "/mark>", "span ", "/span>")) for t in tags), html
    assert "&#60;img src=x onerror=&#34;alert(1)&#34;&#62;" in text
    assert "<mark>bold</mark>" in text
    assert '<span class="evidence-search-kind">Quotation · &#60;i&#62;Study' in title


def records() -> list[Record]:
    texts = [
        "Leaders mobilise clinicians in collective action",
        "Mobilising the movement through local action groups",
        "The whisper campaign spread by word of mouth",
        "Framing processes and social movements",
    ] * 9
    return [
        Record(f"page-{n}/", "Finding", "Study", f"Title {n}", text, f"Title {n}")
        for n, text in enumerate(texts)
    ]


def decoded(files: dict[str, str]) -> tuple[dict[str, Any], dict[str, list[int]], dict[str, str]]:
    """The index's settings, each stem's records and each word's stem, read back from files."""
    meta = json.loads(files["search/search_index.json"])["config"]["evidence"]
    postings: dict[str, list[int]] = {}
    aliases: dict[str, str] = {}
    for n in range(len(meta["keys"])):
        share = json.loads(files[f"search/{meta['folder']}/keys/{n}.json"])
        assert min([*share["p"], *share["a"]]) == meta["keys"][n]
        aliases.update(share["a"])
        for stem, flat in share["p"].items():
            numbers, at = [], 0
            for delta in flat[::2]:
                at += delta
                numbers.append(at)
            postings[stem] = numbers
    return meta, postings, aliases


def test_each_word_leads_to_exactly_the_records_that_hold_it() -> None:
    given = records()
    meta, postings, aliases = decoded(index_files(given, "en-GB"))
    analyser = Analyser.of("en-GB")
    for word in {w for r in given for w in words(f"{r.title} {r.text}")} - analyser.stop:
        stem = aliases.get(word, word)
        holding = [n for n, r in enumerate(given) if word in words(f"{r.title} {r.text}")]
        assert set(holding) <= set(postings[stem]), word
    assert aliases["mobilising"] == aliases["mobilise"] == "mobilis"
    assert "the" not in postings and "in" not in postings
    assert meta["records"] == len(given) and meta["per_file"] == RECORDS_PER_FILE


def test_records_are_stored_in_order_a_file_of_sixteen_at_a_time() -> None:
    given = records()
    files = index_files(given, "en-GB")
    meta, _, _ = decoded(files)
    stored = [
        row
        for n in range(-(-len(given) // RECORDS_PER_FILE))
        for row in json.loads(files[f"search/{meta['folder']}/records/{n}.json"])
    ]
    assert [row[0] for row in stored] == [r.location for r in given]


def test_key_files_stay_small_however_many_records() -> None:
    many = [
        Record(f"p{n}/", "Page", "", f"word{n} common", f"text{n} common", "") for n in range(5000)
    ]
    files = index_files(many, "en-GB")
    keys = [text for path, text in files.items() if "/keys/" in path]
    assert len(keys) > 10
    common = max(len(t) for t in keys)
    assert all(len(t) < KEY_FILE_SIZE + 2_000 for t in keys if len(t) != common)


def test_the_same_records_give_the_same_files_and_a_change_a_new_version() -> None:
    given = records()
    first = index_files(given, "en-GB")
    assert first == index_files(list(given), "en-GB")
    changed = [*given[:-1], Record("x/", "Page", "", "Other", "", "Other")]
    second = index_files(changed, "en-GB")
    assert first.keys() == second.keys()  # an edit rewrites files in place
    versions = [decoded(files)[0]["version"] for files in (first, second)]
    assert versions[0] != versions[1]
    unchanged = [path for path in first if first[path] == second[path]]
    assert any("/records/" in path for path in unchanged)


def test_a_language_without_a_stemmer_indexes_words_as_written() -> None:
    analyser = Analyser.of("cy")
    assert analyser.stemmer is None and analyser.stop == frozenset()
    assert analyser.stems("Mae'r gwaith yn dda") == {w: w for w in ["mae", "gwaith", "yn", "dda"]}
