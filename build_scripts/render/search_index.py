"""The online site's search index: records -> small static files, so that a first search fetches
a few of them whatever the size of the corpus (assets/javascripts/search-worker.js reads them).

Files, under `search/`:
- `search_index.json`: what the theme fetches on every page ({config, docs: []}); its
  `config.evidence` names the index folder and its version, the first key of each key file,
  the number of records, records per file and the stop words.
- `index/keys/N.json`: a share of the sorted keys. `p` maps a stem to its postings, a flat
  list [record − previous record, weight, …] (BM25, precomputed, ×100); `a` maps a word as
  written (lower case, accents removed) to its stem when the two differ. A word and its stem
  sort next to each other, so one file usually answers both.
- `index/records/N.json`: RECORDS_PER_FILE records, each [address, kind, study, title, text,
  title of the page the address is on].
The version is a digest of the files, which the worker asks them by (`?v=`): a browser holding
an old `search_index.json` never mixes it with new files. The names stay the same from build to
build, so that an edit rewrites only the files it changes.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import snowballstemmer

SEARCH_FOLDER = "search"
# The index's files: fetched by the worker, linked from no page.
INDEX_FOLDER = f"{SEARCH_FOLDER}/index"
RECORDS_PER_FILE = 16
# A key file is cut after this many characters of JSON (gzip: about a third).
KEY_FILE_SIZE = 16_000
# BM25's constants; a word of the title counts as TITLE_WEIGHT words of the text.
K1, B, TITLE_WEIGHT = 1.2, 0.75, 3
# A stored text beyond this is cut (its words are indexed all the same); a quotation is whole.
STORED_TEXT = 2_000
# Snowball's algorithms by a locale's language.
STEMMERS = {
    "da": "danish", "de": "german", "en": "english", "es": "spanish", "fi": "finnish",
    "fr": "french", "it": "italian", "nl": "dutch", "no": "norwegian", "nb": "norwegian",
    "pt": "portuguese", "ru": "russian", "sv": "swedish",
}  # fmt: skip
# Words too common to find anything by (lunr's English list, which the theme's search used).
STOP_WORDS = {
    "en": frozenset(
        [
            "a",
            "able",
            "about",
            "across",
            "after",
            "all",
            "almost",
            "also",
            "am",
            "among",
            "an",
            "and",
            "any",
            "are",
            "as",
            "at",
            "be",
            "because",
            "been",
            "but",
            "by",
            "can",
            "cannot",
            "could",
            "dear",
            "did",
            "do",
            "does",
            "either",
            "else",
            "ever",
            "every",
            "for",
            "from",
            "get",
            "got",
            "had",
            "has",
            "have",
            "he",
            "her",
            "hers",
            "him",
            "his",
            "how",
            "however",
            "i",
            "if",
            "in",
            "into",
            "is",
            "it",
            "its",
            "just",
            "least",
            "let",
            "like",
            "likely",
            "may",
            "me",
            "might",
            "most",
            "must",
            "my",
            "neither",
            "no",
            "nor",
            "not",
            "of",
            "off",
            "often",
            "on",
            "only",
            "or",
            "other",
            "our",
            "own",
            "rather",
            "said",
            "say",
            "says",
            "she",
            "should",
            "since",
            "so",
            "some",
            "than",
            "that",
            "the",
            "their",
            "them",
            "then",
            "there",
            "these",
            "they",
            "this",
            "tis",
            "to",
            "too",
            "twas",
            "us",
            "wants",
            "was",
            "we",
            "were",
            "what",
            "when",
            "where",
            "which",
            "while",
            "who",
            "whom",
            "why",
            "will",
            "with",
            "would",
            "yet",
            "you",
            "your",
        ]
    )
}
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Record:
    """One search result: a citable unit or a page. `location` is its site-relative address
    (with its #fragment for a unit on another's page), `kind` and `study` its labels ("" for
    none), `title` and `text` plain text, `page_title` the title of the page it is on."""

    location: str
    kind: str
    study: str
    title: str
    text: str
    page_title: str


def words(text: str) -> list[str]:
    """The words of a text as the index and the search read them: lower case, accents removed,
    runs of letters and digits of two characters or more (search-worker.js: `words`)."""
    bare = text.lower()
    if not bare.isascii():
        bare = unicodedata.normalize("NFKD", bare)
        marks = [ord(c) for c in set(bare) if _is_mark(c)]
        if marks:
            bare = bare.translate(dict.fromkeys(marks))
    return [word for word in _WORD.findall(bare) if len(word) > 1]


@cache
def _is_mark(character: str) -> bool:
    """Whether a character is a combining mark (Unicode category M, JavaScript's \\p{M})."""
    return unicodedata.category(character).startswith("M")


@dataclass(frozen=True)
class Analyser:
    """A language's reading of words: its stop words and its stems (none for a language
    Snowball has no stemmer for)."""

    stop: frozenset[str]
    stemmer: snowballstemmer.Stemmer | None

    @classmethod
    def of(cls, locale: str) -> Analyser:
        """The analyser of a locale ('en-GB')."""
        language = locale.split("-")[0].split("_")[0].lower()
        algorithm = STEMMERS.get(language)
        return cls(
            STOP_WORDS.get(language, frozenset()),
            snowballstemmer.stemmer(algorithm) if algorithm else None,
        )

    def stems(self, text: str) -> dict[str, str]:
        """Each word of a text that is not a stop word, with its stem."""
        return self.stems_of(words(text), {})

    def stems_of(self, found: Iterable[str], known: dict[str, str]) -> dict[str, str]:
        """Each of the words found that is not a stop word, with its stem; `known` holds the
        stems of words met before (each word is stemmed once) and gets the new ones."""
        stems = {}
        for word in found:
            if word in self.stop:
                continue
            stem = known.get(word)
            if stem is None:
                stem = self.stemmer.stemWord(word) if self.stemmer else word
                known[word] = stem
            stems[word] = stem
        return stems


def index_files(records: list[Record], locale: str) -> dict[str, str]:
    """The search index of records, as files by their site-relative path (module docstring)."""
    analyser = Analyser.of(locale)
    postings, aliases = _postings(records, analyser)
    key_files, firsts = _key_files(postings, aliases)
    record_files = [
        _json([_row(record) for record in records[start : start + RECORDS_PER_FILE]])
        for start in range(0, len(records), RECORDS_PER_FILE)
    ]
    digest = hashlib.sha256()
    for text in (*key_files, *record_files):
        digest.update(text.encode("utf-8"))
    files = {f"{INDEX_FOLDER}/keys/{n}.json": text for n, text in enumerate(key_files)}
    files.update({f"{INDEX_FOLDER}/records/{n}.json": text for n, text in enumerate(record_files)})
    meta = {
        "folder": INDEX_FOLDER.removeprefix(f"{SEARCH_FOLDER}/"),
        "version": digest.hexdigest()[:16],
        "keys": firsts,
        "records": len(records),
        "per_file": RECORDS_PER_FILE,
        "stop": sorted(analyser.stop),
    }
    # The theme reads `separator` to highlight words on a page (the feature is off) and hands
    # the whole `config` to the worker.
    config = {"lang": [locale.split("-")[0]], "separator": r"[\s\-]+", "evidence": meta}
    files[f"{SEARCH_FOLDER}/search_index.json"] = _json({"config": config, "docs": []})
    return files


def _postings(
    records: list[Record], analyser: Analyser
) -> tuple[dict[str, list[tuple[int, int]]], dict[str, str]]:
    """Each stem's (record, weight) pairs in record order, and each word's stem where the two
    differ."""
    counted: list[tuple[Counter[str], int]] = []
    known: dict[str, str] = {}
    for record in records:
        title, text = words(record.title), words(record.text)
        found = Counter(text)
        for word in title:
            found[word] += TITLE_WEIGHT
        counts: Counter[str] = Counter()
        for word, stem in analyser.stems_of(found, known).items():
            counts[stem] += found[word]
        counted.append((counts, len(title) + len(text)))
    aliases = {word: stem for word, stem in known.items() if word != stem}
    # Whole words: an edit that changes a record's length leaves the other weights as they were.
    average = round(sum(length for _, length in counted) / max(1, len(counted))) or 1
    postings: dict[str, list[tuple[int, int]]] = {}
    for number, (counts, length) in enumerate(counted):
        norm = K1 * (1 - B + B * length / average)
        for stem, count in counts.items():
            weight = count * (K1 + 1) / (count + norm)
            postings.setdefault(stem, []).append((number, max(1, math.floor(weight * 100))))
    return postings, aliases


def _key_files(
    postings: dict[str, list[tuple[int, int]]], aliases: dict[str, str]
) -> tuple[list[str], list[str]]:
    """The key files, each holding the keys from its first one to the next file's first, and
    those first keys."""
    files: list[str] = []
    firsts: list[str] = []
    share: dict[str, dict[str, object]] = {"p": {}, "a": {}}
    size = 0
    for key in sorted(postings.keys() | aliases.keys(), key=_utf16):
        entries: list[tuple[str, object]] = []
        if key in postings:
            flat: list[int] = []
            previous = 0
            for number, weight in postings[key]:
                flat += [number - previous, weight]
                previous = number
            entries.append(("p", flat))
        if key in aliases:
            entries.append(("a", aliases[key]))
        if size >= KEY_FILE_SIZE:
            files.append(_json(share))
            share, size = {"p": {}, "a": {}}, 0
        if size == 0:
            firsts.append(key)
        for part, value in entries:
            share[part][key] = value
            size += len(key) + len(json.dumps(value)) + 4
    if size or not files:
        files.append(_json(share))
        if not firsts:
            firsts.append("")
    return files, firsts


def _utf16(key: str) -> bytes:
    """The order in which JavaScript compares strings (by UTF-16 code units)."""
    return key.encode("utf-16-be")


def _row(record: Record) -> list[str]:
    text = record.text if record.kind == "Quotation" else _cut(record.text, STORED_TEXT)
    return [record.location, record.kind, record.study, record.title, text, record.page_title]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"
