"""A corpus with hostile text in every string field, and a reader of built sites that finds any
markup that text made.

The fields come from the content schema and from the BibTeX fields the generator reads, so a field
added later is covered without changing this module. Each field gets a payload with its own number
(`alert(7)`, `<x-hostile-7>`), so a finding names the field whose escaping failed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup

from build_scripts.cli import main
from build_scripts.pipeline import csl_json as cite
from build_scripts.pipeline.bibtex import load_bib_file
from build_scripts.pipeline.load import RawProject, load_yaml_file
from build_scripts.pipeline.problems import Problem
from build_scripts.pipeline.schema_info import CONTENT_SCHEMA
from build_scripts.pipeline.validate import validate_project
from tests.conftest import MINI, PROJECT, add_cerqual_assessment, copy_corpus

# Markup, event handlers, a closing </title> and </script>, attribute and Mermaid breakouts, a
# Mermaid directive, Markdown's attribute lists and a template expression.
_HEAD = "x{n} </title></script></textarea></style><script>alert({n})</script>"
_COMMON = (
    _HEAD + '<img src=x onerror="alert({n})"><x-hostile-{n}></x-hostile-{n}>'
    ' " onmouseover="alert({n})" \' onfocus=\'alert({n})\' ]"] --> h{n}["x"]; click h{n} call'
    " alert({n}) %%{{init: {{'theme':'dark'}}}}%% *e*{{ onclick=\"alert({n})\" }} {{{{ config }}}}"
)
# Plain text may hold a Markdown link to any scheme (it is shown as written); in prose, a link
# with an unsafe scheme is an error of its own (tests/fixtures/bad/unsafe-link), so prose gets
# raw HTML that would be one, and block-level HTML on a line of its own.
# Each ends in an attribute list, which attr_list would give the paragraph or heading it ends.
PLAIN = (
    _COMMON + ' [l{n}](javascript:alert({n})) <a href="javascript:alert({n})">a{n}</a>'
    ' {{: onclick="alert({n})" }}'
)
PROSE = (
    _COMMON + '\n\n<div onclick="alert({n})">d{n}</div>\n\n<a href="javascript:alert({n})">a</a>'
    ' {{: onclick="alert({n})" }}'
)
# BibTeX: braces balanced, '&' escaped, no '%' (a LaTeX comment).
BIBTEX = (
    'x{n} </title></script><script>alert({n})</script><img src=x onerror="alert({n})">'
    '<x-hostile-{n}></x-hostile-{n}> " onmouseover="alert({n})" *e*\\{{ onclick="alert({n})" \\}}'
    " [l{n}](javascript:alert({n})) \\& `c` \\# | _u_"
)
# The fields of BibTeX entries the generator reads (csl_json.py maps them to CSL), and more that a
# publisher's export carries.
BIB_FIELDS = sorted(
    {*cite.TEXT_FIELDS, "author", "editor", "pages", "year", "date", "urldate", "ids"}
    | {"note", "abstract", "keywords", "isbn", "issn", "month"}
)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_SURROGATE = re.compile(r"\\ud[89a-f][0-9a-f]{2}")


def head(number: int) -> str:
    """How a plain text or prose payload begins: a page that shows its field shows this text."""
    return _HEAD.format(n=number)


@dataclass(frozen=True)
class Field:
    """One string field that holds a payload: where it is and what the payload's number is."""

    number: int
    place: str


@dataclass
class HostileCorpus:
    """The corpus written to disk, the fields that took a payload and those validation refused."""

    root: Path
    fields: list[Field]
    refused: list[str]

    def number(self, place_end: str) -> int:
        """The payload number of the first field whose place ends so ('quotes[0].text')."""
        return next(f.number for f in self.fields if f.place.endswith(place_end))


def _resolve(schema: dict[str, Any], data: Any = None) -> dict[str, Any]:
    """A schema with its references followed; of a `oneOf`, the alternative the data takes (the
    first whose required fields it has), or the first."""
    while "$ref" in schema:
        schema = CONTENT_SCHEMA.data["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    if "oneOf" in schema:
        options = [_resolve(option) for option in schema["oneOf"]]
        keys = set(data) if isinstance(data, dict) else set()
        fits = [o for o in options if set(o.get("required", [])) <= keys]
        return fits[0] if fits else options[0]
    return schema


def _follow(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema with its references followed (a `oneOf` kept whole)."""
    while "$ref" in schema:
        schema = CONTENT_SCHEMA.data["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _kind(schema: dict[str, Any]) -> str:
    """'prose', 'text' (a plain text field), or '' for any other string (ids, dates, keys)."""
    name = schema.get("$ref", "").rsplit("/", 1)[-1]
    return name if name in ("prose", "text") else ""


def string_fields(
    data: Any, schema: dict[str, Any], place: str
) -> Iterator[tuple[str, tuple[Any, Any], dict[str, Any]]]:
    """Every string of the data beside its schema: (place, (container, key), its schema)."""
    resolved = _resolve(schema, data)
    if isinstance(data, dict):
        for name, sub in resolved.get("properties", {}).items():
            value = data.get(name)
            if isinstance(value, str):
                yield f"{place}.{name}", (data, name), sub
            elif value is not None:
                yield from string_fields(value, sub, f"{place}.{name}")
    elif isinstance(data, list) and "items" in resolved:
        for index, value in enumerate(data):
            if isinstance(value, str):
                yield f"{place}[{index}]", (data, index), resolved["items"]
            else:
                yield from string_fields(value, resolved["items"], f"{place}[{index}]")


def sample(schema: dict[str, Any], numbers: Iterator[int], known: dict[str, Any]) -> Any:
    """A value of a schema with only its required parts: ids are fresh slugs, a field another
    entity has (a BibTeX key, a date) takes its value unless the schema gives an example, any
    other text is words. A list of alternatives (`oneOf`) gets one item of each."""
    unresolved = _resolve(schema)
    if unresolved.get("type") == "array" and "oneOf" in _follow(unresolved["items"]):
        options = _follow(unresolved["items"])["oneOf"]
        return [sample(option, numbers, known) for option in options]
    resolved = unresolved
    kind = resolved.get("type")
    if kind == "object":
        required = resolved.get("required", [])
        properties = resolved["properties"]
        return {
            name: known[name]
            if name in known and name != "id" and "examples" not in _follow(properties[name])
            else sample(properties[name], numbers, known)
            for name in required
        }
    if kind == "array":
        return [sample(resolved["items"], numbers, known)]
    if kind == "integer":
        return max(1, resolved.get("minimum", 1))
    if resolved.get("enum"):  # a fixed choice (a judgement's basis)
        return resolved["enum"][0]
    if resolved.get("examples"):
        return resolved["examples"][0]
    if resolved.get("pattern") == CONTENT_SCHEMA.data["$defs"]["id"]["pattern"]:
        return f"filled-{next(numbers)}"
    return "Filled text."


def _values_by_name(data: Any, found: dict[str, Any]) -> dict[str, Any]:
    """The first string value of each field name anywhere in the data."""
    if isinstance(data, dict):
        for name, value in data.items():
            if isinstance(value, str):
                found.setdefault(name, value)
            _values_by_name(value, found)
    elif isinstance(data, list):
        for value in data:
            _values_by_name(value, found)
    return found


class Trial:
    """Content files as data, written out and validated on demand (only changed files are read
    again)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files = {
            path: yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted((root / "content").rglob("*.yaml"))
        }
        self.bib_path = root / "bib" / "references.bib"
        self.bib = self.bib_path.read_text(encoding="utf-8")
        self.source_path = root / "sources" / "waring-crompton-2017.txt"
        self._written: dict[Path, str] = {}
        self._loaded: dict[Path, tuple[Any, list[Problem]]] = {}

    def texts(self) -> dict[Path, str]:
        """Every file's text as it would be written now; the studies' source text holds every
        heading they declare and every quotation as they are now (a payload in a quotation is
        then verbatim, as it must be)."""
        out = {path: _dumped(data) for path, data in self.files.items()}
        quotes = [
            q["text"]
            for data in self.files.values()
            for q in _list(data.get("quotes"))
            if isinstance(q, dict) and isinstance(q.get("text"), str)
        ]
        headings = [
            h["title"]
            for data in self.files.values()
            for study in _list(data.get("studies"))
            if isinstance(study, dict)
            for h in _list(study.get("source_headings"))
            if isinstance(h, dict) and isinstance(h.get("title"), str)
        ]
        # A lone surrogate (which a quotation cannot hold) is left out of the source text.
        text = "\n\n".join([*headings, *quotes]) + "\n"
        text = text.encode("utf-8", "replace").decode("utf-8")
        return {**out, self.bib_path: self.bib, self.source_path: text}

    def valid(self) -> bool:
        """Write what changed, and say whether the whole project validates."""
        return not self.problems()

    def problems(self) -> list[Problem]:
        """Write what changed, and validate the whole project: its problems."""
        for path, text in self.texts().items():
            if self._written.get(path) != text:
                path.write_text(text, encoding="utf-8")
                self._written[path] = text
                problems: list[Problem] = []
                if path == self.bib_path:
                    loaded: Any = load_bib_file(path, self.root, problems)
                elif path == self.source_path:
                    loaded = text
                else:
                    loaded = load_yaml_file(path, self.root, problems)
                self._loaded[path] = (loaded, problems)
        others = (self.bib_path, self.source_path)
        files = [v for p, (v, _) in self._loaded.items() if p not in others and v is not None]
        bib = self._loaded[self.bib_path][0]
        problems = [p for _, found in self._loaded.values() for p in found]
        sources = {
            self.source_path.relative_to(self.root).as_posix(): self._loaded[self.source_path][0]
        }
        raw = RawProject(files=files, bib=bib, problems=problems, sources=sources)
        return validate_project(raw)


def _dumped(data: Any) -> str:
    """A file's data as YAML; a lone surrogate written as YAML's escape (no UTF-8 file can hold
    it), which only the pure-Python dumper writes."""
    surrogate = bool(_SURROGATE.search(ascii(data)))
    dumper = yaml.SafeDumper if surrogate else _DUMPER
    return yaml.dump(data, Dumper=dumper, allow_unicode=not surrogate, sort_keys=False, width=10**6)


def _list(value: Any) -> list[Any]:
    """A list value, or none when a test put another type there."""
    return value if isinstance(value, list) else []


def _complete(
    trial: Trial, data: Any, schema: dict[str, Any], numbers: Iterator[int], known: dict[str, Any]
) -> None:
    """Give an entity its optional parts (one item of each optional list) where the result
    validates, so that every field of the schema is there to hold a payload."""
    resolved = _resolve(schema, data)
    if isinstance(data, dict):
        for name, sub in resolved.get("properties", {}).items():
            if name not in data:
                data[name] = sample(sub, numbers, known)
                if not trial.valid():
                    del data[name]
                    continue
            _complete(trial, data[name], sub, numbers, known)
    elif isinstance(data, list) and "items" in resolved:
        alternatives = "oneOf" in _follow(resolved["items"])
        for value in data if alternatives else data[:1]:
            _complete(trial, value, resolved["items"], numbers, known)


def _hostile_value(original: str, template: str, number: int, schema: dict[str, Any]) -> str | None:
    """The original value with the payload after it; for a field with a pattern, the payload
    inside the value, less each character the pattern refuses (None if its script goes too)."""
    payload = template.format(n=number)
    pattern = _resolve(schema).get("pattern")
    if not pattern:
        return f"{original} {payload}"
    for at in range(len(original), -1, -1):
        kept = "".join(
            c for c in payload if re.fullmatch(pattern, original[:at] + c + original[at:])
        )
        value = original[:at] + kept + original[at:]
        if _numbers(kept) and re.fullmatch(pattern, value):
            return value
    return None


def _bib_entries(bib: str) -> list[tuple[str, str]]:
    """The entries of a BibTeX file (one field a line, as the fixtures write them) as (key, text)."""
    entries = re.finditer(r"(@\w+\{([\w.-]+),.*?\n\})", bib, re.DOTALL)
    return [(m.group(2), m.group(1)) for m in entries]


def _with_payload(entry: str, name: str, payload: str) -> str:
    """An entry with the payload after the field's value, or as the field when it has none."""
    found = re.search(rf"^(\s*{name} = \{{.*)(\}},?)$", entry, re.MULTILINE)
    if found:
        return entry.replace(found.group(0), f"{found.group(1)} {payload}{found.group(2)}", 1)
    head, rest = entry.split("\n", 1)
    return f"{head}\n  {name} = {{{payload}}},\n{rest}"


def _bibtex_payloads(trial: Trial, numbers: Iterator[int], refused: list[str]) -> list[Field]:
    """A payload in each BibTeX field of each entry, kept for the fields that validate with it
    (the set halved until each refusing field is known); the refused go into `refused`."""
    base = trial.bib
    payloads = {(key, name): next(numbers) for key, _ in _bib_entries(base) for name in BIB_FIELDS}
    taken: list[str] = []

    def with_payloads(names: list[str]) -> str:
        bib = base
        for key, entry in _bib_entries(base):
            changed = entry
            for name in names:
                changed = _with_payload(changed, name, BIBTEX.format(n=payloads[(key, name)]))
            bib = bib.replace(entry, changed)
        return bib

    def take(names: list[str]) -> None:
        """Keep the fields that validate with a payload (halving the set until each is known)."""
        trial.bib = with_payloads(taken + names)
        if trial.valid():
            taken.extend(names)
        elif len(names) == 1:
            refused.extend(f"bib/references.bib {key}.{names[0]}" for key, _ in _bib_entries(base))
        else:
            take(names[: len(names) // 2])
            take(names[len(names) // 2 :])

    take(BIB_FIELDS)
    trial.bib = with_payloads(taken)
    return [
        Field(number, f"bib/references.bib {key}.{name}")
        for (key, name), number in payloads.items()
        if name in taken
    ]


# A review of the mini corpus's study with only its required parts (completion adds the rest),
# so that the review kinds' fields hold hostile text too.
_COMPONENT = "{judgement: minor concerns, explanation: Said.}"
MINIMAL_REVIEW = f"""\
reviews:
  - id: a-review
    title: A review
    question: A question?
    method: thematic synthesis
    studies: [mini-study]
review_findings:
  - id: a-review-finding
    review: a-review
    title: A review finding
    statement: A statement.
    findings: [qi-methods-chosen-quickly]
    quotes: [q-pdsa-push]
    assessment:
      methodological_limitations: {_COMPONENT}
      coherence: {_COMPONENT}
      adequacy: {_COMPONENT}
      relevance: {_COMPONENT}
      confidence: moderate
      explanation: Explained.
    assessment_basis: editors
"""


def completed_corpus(dest: Path, numbers: Iterator[int]) -> Trial:
    """The mini corpus with every optional part of its entities filled in (it validates)."""
    root = copy_corpus(MINI, dest)
    add_cerqual_assessment(root)
    (root / "content" / "review.yaml").write_text(MINIMAL_REVIEW, encoding="utf-8")
    trial = Trial(root)
    schema = CONTENT_SCHEMA.data
    known: dict[str, Any] = {}
    for data in trial.files.values():
        _values_by_name(data, known)
    for data in trial.files.values():
        for collection, value in data.items():
            _complete(trial, value, schema["properties"][collection], numbers, known)
    assert trial.valid(), "the completed corpus must be valid"
    return trial


def make_hostile_corpus(dest: Path) -> HostileCorpus:
    """The mini corpus with every optional part of its entities filled in, then a payload in each
    string field of content and BibTeX that validation accepts (each field tried alone)."""
    numbers = count(1)
    trial = completed_corpus(dest, numbers)
    root, schema = trial.root, CONTENT_SCHEMA.data
    fields: list[Field] = []
    refused: list[str] = []
    text_fields: list[Field] = []
    for path, data in trial.files.items():
        name = path.relative_to(root).as_posix()
        for place, (container, key), sub in list(string_fields(data, schema, name)):
            number, original, kind = next(numbers), container[key], _kind(sub)
            value = _hostile_value(original, (PROSE if kind == "prose" else PLAIN), number, sub)
            if kind:  # plain text and prose must all take it: tried together, below
                container[key] = value
                text_fields.append(Field(number, place))
                continue
            if value is not None:  # any other string (ids, keys, dates) is tried alone
                container[key] = value
                if trial.valid():
                    fields.append(Field(number, place))
                    continue
                container[key] = original
            refused.append(place)
    assert trial.valid(), "every plain text and prose field must take any text"
    fields.extend(text_fields)
    fields.extend(_bibtex_payloads(trial, numbers, refused))
    assert trial.valid()
    return HostileCorpus(root, fields, refused)


def build_hostile_sites(dest: Path) -> HostileCorpus:
    """The hostile corpus, built with the project's settings into site/ and site-offline/."""
    corpus = make_hostile_corpus(dest)
    root = str(corpus.root)
    assert main(["build", "--root", root, "--config", str(PROJECT / "mkdocs.yml")]) == 0
    offline = ["build", "--offline", "--root", root]
    assert main([*offline, "--config", str(PROJECT / "mkdocs.offline.yml")]) == 0
    return corpus


# What a browser would run or apply, found in parsed HTML.
_NUMBER = re.compile(r"alert\((\d+)\)|x-hostile-(\d+)")


def _numbers(text: str) -> list[int]:
    return [int(a or b) for a, b in _NUMBER.findall(text)]


_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href")


def markup_made(html: str) -> Iterator[tuple[int, str]]:
    """Each element, attribute or script in an HTML document or fragment that hostile text made,
    as (payload number, what). html.parser reads <title> as markup, which is stricter than a
    browser (it reads it as text), so nothing a browser would see as markup escapes this."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        for number in _numbers(tag.name):
            yield number, f"element <{tag.name}>"
        if tag.name == "img" and tag.get("src") == "x":
            yield -1, "element <img src=x>"
        if tag.name == "script":
            body = tag.get_text()
            if tag.get("type") in ("application/ld+json", "application/json"):  # data
                try:
                    json.loads(body)
                except ValueError:
                    yield -1, f"JSON-LD that no longer parses: {body[:80]!r}"
            else:  # text inside a string literal it cannot end (no quote, backslash or break)
                code = re.sub(r'"[^"\\\n\u2028\u2029]*"', '""', body)
                for number in _numbers(code):
                    yield number, "a script"
        for attr, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if attr.startswith("on"):
                for number in _numbers(text) or [-1]:
                    yield number, f"attribute {attr}= on <{tag.name}>"
            url = re.sub(r"[\x00-\x20]", "", text).lower()
            if attr in _URL_ATTRIBUTES and url.startswith("javascript:"):
                for number in _numbers(text) or [-1]:
                    yield number, f"javascript: {attr} on <{tag.name}>"


def mermaid_breakouts(html: str) -> Iterator[tuple[int, str]]:
    """Hostile text that left its place in a Mermaid diagram's source: the text of a quoted label,
    or of an accessible title or description (the rest of their line), may hold no quote, angle
    bracket or '%' (a directive), and nothing else of the source may come from content."""
    soup = BeautifulSoup(html, "html.parser")
    for diagram in soup.select("pre.mermaid"):
        for line in diagram.get_text().splitlines():
            stripped = line.strip()
            if stripped.startswith(("accTitle:", "accDescr:")):
                texts, rest = [stripped.split(":", 1)[1]], ""
            else:
                texts = re.findall(r'"([^"]*)"', stripped)
                rest = re.sub(r'"[^"]*"', '""', stripped)
            for text in texts:
                if re.search(r'[<>"%]', text):
                    for number in _numbers(text) or [-1]:
                        yield number, f"Mermaid label with markup: {text[:60]!r}"
            for number in _numbers(rest):
                yield number, f"Mermaid source outside a label: {rest[:60]!r}"


def site_findings(site: Path) -> list[str]:
    """Every place in a built site where hostile text became markup, one line each."""
    found: list[str] = []

    def report(where: str, items: Iterator[tuple[int, str]]) -> None:
        found.extend(f"{where}: payload {number}: {what}" for number, what in items)

    for path in sorted(site.rglob("*")):
        where = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            html = path.read_text(encoding="utf-8")
            report(where, markup_made(html))
            report(where, mermaid_breakouts(html))
        elif path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            if where.endswith("search_index.json"):
                for doc in data["docs"]:
                    report(f"{where} {doc['location']}", markup_made(doc["title"]))
                    report(f"{where} {doc['location']}", markup_made(doc["text"]))
    return found


def visible_text(site: Path) -> str:
    """The text a reader sees on every page of a site (for what it must show as written)."""
    texts = []
    for path in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for hidden in soup(["script", "style"]):
            hidden.decompose()
        texts.append(soup.get_text(" "))
    return "\n".join(texts)
