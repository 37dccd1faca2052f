"""A synthetic, valid corpus of N studies for benchmarks and scale tests (deterministic per seed)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

WORDS = [
    "improvement",
    "quality",
    "clinicians",
    "managers",
    "movement",
    "campaign",
    "framing",
    "mobilising",
    "leaders",
    "ward",
    "hospital",
    "change",
    "engagement",
    "network",
    "safety",
    "practice",
    "policy",
    "collective",
    "action",
    "frame",
    "local",
    "group",
    "staff",
    "patients",
    "culture",
    "evidence",
    "strategy",
    "learning",
    "reporting",
    "incident",
    "training",
    "team",
    "department",
    "support",
    "empowerment",
    "control",
    "autonomy",
    "professional",
    "hybrid",
    "vision",
    "voice",
    "meeting",
]
FAMILIES = [
    "Adams",
    "Baker",
    "Clarke",
    "Davies",
    "Evans",
    "Foster",
    "Green",
    "Hughes",
    "Irwin",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nolan",
    "Owens",
    "Price",
    "Quinn",
    "Roberts",
    "Shah",
    "Turner",
    "Upton",
    "Vaughan",
    "Walker",
    "Young",
    "Zhou",
    "Øvretveit",
    "Banaszak-Holl",
]
GROUPS = ("senior-managers", "local-action-groups", "frontline-clinicians", "field-records")
STAGES = ("framing", "mobilising", "sustaining-and-mainstreaming")
HEADER = "# yaml-language-server: $schema=../../build_scripts/schema/content.schema.json\n"


@dataclass(frozen=True)
class Shape:
    """How much of each thing one synthetic study has."""

    findings: int = 20
    quotes_per_finding: int = 5
    references: int = 15
    roles: int = 5
    concepts: int = 5
    citations_per_finding: int = 8


class _Writer:
    def __init__(self, seed: int, citations: bool) -> None:
        self.rng = random.Random(seed)
        self.citations = citations

    def words(self, count: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(count))

    def sentence(self, count: int) -> str:
        text = self.words(count)
        return text[0].upper() + text[1:] + "."

    def cite(self, keys: list[str], narrative: bool = False, locator: bool = False) -> str:
        """Pandoc citation syntax, or nothing when the corpus is built without citations."""
        if not self.citations:
            return ""
        if narrative:
            return f" @{keys[0]}"
        page = f", p. {self.rng.randint(1, 300)}" if locator else ""
        return (
            " ["
            + "; ".join(f"@{k}" for k in keys[:-1])
            + f"{'; ' if keys[:-1] else ''}@{keys[-1]}{page}]"
        )

    def prose(self, keys: list[str], citations: int) -> str:
        """Sentences carrying exactly `citations` citations of the given keys."""
        parts, left = [], citations
        while left > 0:
            take = min(left, self.rng.choice((1, 1, 2)))
            chosen = self.rng.sample(keys, take)
            narrative = take == 1 and self.rng.random() < 0.25
            body = self.sentence(self.rng.randint(8, 16))
            if narrative:
                parts.append(
                    f"As{self.cite(chosen, narrative=True)} shows, {body[0].lower()}{body[1:]}"
                )
            else:
                parts.append(body[:-1] + self.cite(chosen, locator=self.rng.random() < 0.3) + ".")
            left -= take
        return " ".join(parts)


def write_corpus(
    out: Path,
    studies: int,
    seed: int = 1,
    citations: bool = True,
    shape: Shape = Shape(),
    review_findings: int = 0,
) -> None:
    """Write content/, bib/ and sources/ of a synthetic corpus under out; with review_findings,
    a review over all its studies with that many review findings too."""
    writer = _Writer(seed, citations)
    (out / "content" / "studies").mkdir(parents=True, exist_ok=True)
    (out / "bib").mkdir(parents=True, exist_ok=True)
    _dump(out / "content" / "site.yaml", {"site": _site()}, depth=1)
    _dump(out / "content" / "model.yaml", _model(writer), depth=1)
    (out / "sources").mkdir(parents=True, exist_ok=True)
    bib = []
    evidence: list[tuple[str, list[dict[str, Any]], list[dict[str, Any]]]] = []
    for number in range(1, studies + 1):
        study, entries = _study(writer, number, shape)
        # The study's source text: under a heading per section, the quotations of its
        # findings, each a paragraph, between filler sentences.
        source = f"sources/s{number:03d}.txt"
        (out / source).write_text(_source_text(writer, study), encoding="utf-8")
        study["studies"][0]["source"] = source
        study["studies"][0]["source_headings"] = [
            {"title": section["title"]} for section in study["studies"][0]["sections"]
        ]
        _dump(out / "content" / "studies" / f"s{number:03d}.yaml", study, depth=2)
        bib.extend(entries)
        evidence.append((study["studies"][0]["id"], study["findings"], study["quotes"]))
    (out / "bib" / "synthetic.bib").write_text("\n".join(bib), encoding="utf-8")
    if review_findings:
        review = _review(writer, evidence, review_findings)
        _dump(out / "content" / "review.yaml", review, depth=1)


# A synthetic review finding's evidence: a finding and a quotation of each of this many studies.
STUDIES_PER_REVIEW_FINDING = 3


def _review(
    writer: _Writer,
    evidence: list[tuple[str, list[dict[str, Any]], list[dict[str, Any]]]],
    count: int,
) -> dict[str, Any]:
    """A review over every study with `count` review findings, each resting on a finding and a
    quotation of a few studies in turn, assessed with GRADE-CERQual."""
    judgements = ["no or very minor concerns", "minor concerns", "moderate concerns"]
    findings = []
    for number in range(count):
        picked = [
            evidence[(number * 3 + k) % len(evidence)] for k in range(STUDIES_PER_REVIEW_FINDING)
        ]
        components = {
            name: {"judgement": writer.rng.choice(judgements), "explanation": writer.sentence(8)}
            for name in ("methodological_limitations", "coherence", "adequacy", "relevance")
        }
        findings.append(
            {
                "id": f"review-finding-{number + 1:02d}",
                "review": "synthetic-review",
                "title": writer.sentence(6)[:-1],
                "statement": writer.sentence(25),
                "findings": list(dict.fromkeys(f[0]["id"] for _, f, _ in picked)),
                "quotes": list(dict.fromkeys(q[0]["id"] for _, _, q in picked)),
                "assessment": {
                    **components,
                    "confidence": writer.rng.choice(["moderate", "low"]),
                    "explanation": writer.sentence(15),
                },
                "assessment_basis": "authors",
            }
        )
    review = {
        "id": "synthetic-review",
        "title": "Synthetic review",
        "question": writer.sentence(12),
        "method": "thematic synthesis",
        "studies": [study for study, _, _ in evidence],
    }
    return {"reviews": [review], "review_findings": findings}


def _source_text(writer: _Writer, study: dict[str, Any]) -> str:
    """A study's source text: each section's title, then its findings' quotations, each a
    paragraph after a filler sentence."""
    section_of = {f["id"]: f["section"] for f in study["findings"]}
    paragraphs = []
    for section in study["studies"][0]["sections"]:
        paragraphs.append(section["title"])
        paragraphs.extend(
            f"{writer.sentence(10)} {q['text']}"
            for q in study["quotes"]
            if section_of[q["finding"]] == section["id"]
        )
    return "\n\n".join(paragraphs) + "\n"


def _dump(path: Path, data: dict[str, Any], depth: int) -> None:
    header = HEADER.replace("../../", "../" * depth)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(header + text, encoding="utf-8")


def _site() -> dict[str, str]:
    return {
        "title": "Synthetic synthesis",
        "intro": "A synthetic corpus for benchmarks.",
        "about": "Generated by `python -m build_scripts synth`.",
        "licence": "Synthetic text, free to use.",
    }


def _model(writer: _Writer) -> dict[str, Any]:
    return {
        "models": [
            {"id": "synthetic-model", "title": "Synthetic model", "summary": writer.sentence(12)}
        ],
        "stages": [
            {
                "id": stage,
                "model": "synthetic-model",
                "number": n,
                "title": stage.replace("-", " ").capitalize(),
                "definition": writer.sentence(20),
            }
            for n, stage in enumerate(STAGES, start=1)
        ],
        "groups": [{"id": g, "label": g.replace("-", " ").capitalize()} for g in GROUPS],
    }


def _bib_entry(writer: _Writer, key: str, number: int) -> str:
    authors = " and ".join(
        f"{writer.rng.choice(FAMILIES)}, {writer.rng.choice('ABCDEFGHJKLMNPRS')}."
        for _ in range(writer.rng.randint(1, 4))
    )
    year = 1990 + (number * 7 + len(key)) % 35
    title = writer.sentence(8)[:-1]
    kind = ("article", "book", "incollection")[number % 3]
    fields = {"author": authors, "title": title, "year": str(year)}
    if kind == "article":
        fields |= {
            "journal": "Journal of " + writer.words(2).title(),
            "volume": str(number % 40 + 1),
            "number": str(number % 4 + 1),
            "pages": f"{number}--{number + 14}",
        }
    elif kind == "book":
        fields |= {"publisher": "Synthetic Press", "address": "London"}
    else:
        fields |= {
            "booktitle": writer.sentence(5)[:-1],
            "editor": "Editor, E.",
            "publisher": "Synthetic Press",
            "address": "Oxford",
        }
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    return f"@{kind}{{{key},\n{body}\n}}\n"


def _reason(field: str, what: str, basis: str) -> dict[str, str]:
    """The rationale of a judgement the site's editors made (none where the paper made it)."""
    if basis == "authors":
        return {}
    return {f"{field}_rationale": f"The synthetic paper does not say; the editors placed {what}."}


def _study(writer: _Writer, number: int, shape: Shape) -> tuple[dict[str, Any], list[str]]:
    sid = f"s{number:03d}"
    keys = [f"{sid}r{k:02d}" for k in range(1, shape.references + 1)]
    entries = [
        _bib_entry(writer, key, number * 100 + i) for i, key in enumerate([f"{sid}main", *keys])
    ]
    # Every other study's paper assigns its own stages and groups (basis "authors"); in the
    # others the site's editors do, and say why. No draw of the generator: the text stays the same.
    basis = "authors" if number % 2 == 0 else "editors"
    roles = [
        {
            "id": f"{sid}-role-{r}",
            "study": f"study-{sid}",
            "label": f"{writer.words(2)} {r}",
            "group": GROUPS[r % 4],
            "group_basis": basis,
            **_reason("group", f"role {r} in its group", basis),
        }
        for r in range(1, shape.roles + 1)
    ]
    concepts = [
        {
            "id": f"{sid}-concept-{c}",
            "term": f"{writer.words(2).title()} {sid}-{c}",
            "definition": writer.prose(keys, 1),
        }
        for c in range(1, shape.concepts + 1)
    ]
    sections = [
        {"id": s, "title": s.replace("-", " ").capitalize()}
        for s in ("findings-a", "findings-b", "discussion")
    ]
    findings, quotes = [], []
    for f in range(1, shape.findings + 1):
        fid = f"{sid}-finding-{f:02d}"
        findings.append(
            {
                "id": fid,
                "study": f"study-{sid}",
                "section": sections[f % 3]["id"],
                "title": writer.sentence(6)[:-1],
                "statement": writer.prose(keys, shape.citations_per_finding),
                "stages": sorted(writer.rng.sample(STAGES, writer.rng.randint(1, 2))),
                "stages_basis": basis,
                **_reason("stages", f"finding {f} at these stages", basis),
                "concepts": [concepts[f % shape.concepts]["id"]],
            }
        )
        for q in range(1, shape.quotes_per_finding + 1):
            role = writer.rng.choice(roles)
            quotes.append(
                {
                    "id": f"q-{fid}-{q}",
                    "finding": fid,
                    "text": writer.sentence(writer.rng.randint(20, 60)),
                    "speaker": role["label"],
                    "role": role["id"],
                    "stage": writer.rng.choice(STAGES),
                    "stage_basis": basis,
                }
            )
    study = {
        "id": f"study-{sid}",
        "title": f"Synthetic study {number}: {writer.words(5)}",
        "reference": f"{sid}main",
        "model": "synthetic-model",
        "summary": writer.prose([f"{sid}main"], 1),
        "setting": writer.sentence(20),
        "design": writer.sentence(15),
        "period": {"start": "2014", "end": "2016"},
        "data_collection": [
            {
                "id": "interviews",
                "method": "Interviews",
                "count": 20 + number % 10,
                "unit": "interviews",
                "description": writer.sentence(12),
            }
        ],
        "analysis": writer.sentence(12),
        "ethics": writer.sentence(6),
        "timeline": [
            {"id": f"event-{e}", "date": f"201{4 + e}", "event": writer.sentence(10)}
            for e in range(3)
        ],
        "sections": sections,
    }
    return {
        "studies": [study],
        "roles": roles,
        "concepts": concepts,
        "findings": findings,
        "quotes": quotes,
    }, entries
