"""`import-qdpx FILE --study ID --out DIR`: a draft of a study from a REFI-QDA project. Into a
fresh folder (missing or empty) it writes a new project around the draft (qdpx.frame); into a
project (a folder with content/) it adds the study's three files. Whatever is wrong is found
first, every problem at once, and then nothing is written; no file is ever overwritten. When
the project holds the record of an earlier import of this study, nothing is written either: the
new export is compared with the record (qdpx.match) and the differences are reported."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from build_scripts.new_project import is_generator_checkout
from build_scripts.pipeline.bib_checks import is_reserved
from build_scripts.pipeline.load import load_project
from build_scripts.pipeline.problems import Problem
from build_scripts.pipeline.validate import ID_PATTERN
from build_scripts.qdpx.draft import Draft, make_draft
from build_scripts.qdpx.frame import frame_files
from build_scripts.qdpx.match import compare, recorded_quotations
from build_scripts.qdpx.project import QdaProject, read_project
from build_scripts.qdpx.qde import parse_qde
from build_scripts.qdpx.read import PROJECT_FILE, read_archive
from build_scripts.qdpx.record import content_text, record_text

COLLECTIONS = ("studies", "findings", "quotes", "concepts")


@dataclass
class Outcome:
    """What an import found: problems (then nothing was written), and lines to tell the user
    (notes on what was skipped, what was written, or how a new export differs)."""

    problems: list[Problem] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def import_qdpx(file: Path, study: str, out: Path) -> Outcome:
    """Import file as the study `study` into out (see the module's docstring)."""
    outcome = Outcome(problems=_argument_problems(study, out))
    archive, problems = read_archive(file, str(file))
    outcome.problems += problems
    if archive is None or outcome.problems:
        return outcome
    where = f"{archive.shown}/{PROJECT_FILE}"
    root, problems = parse_qde(archive.members[PROJECT_FILE], where)
    if root is None:
        return Outcome(problems)
    project, problems = read_project(root, archive)
    outcome.lines += [str(note) for note in project.notes]
    if problems:
        return Outcome(problems, outcome.lines)
    record = out / "imports" / f"{study}.qdpx.yaml"
    fresh = not out.exists() or not any(out.iterdir())
    draft, found = make_draft(project, study, where, {} if fresh else _ids_of(out))
    outcome.problems += found
    if draft is None or outcome.problems:
        return outcome
    if record.is_file():
        outcome.lines += _reimport(record, draft, project)
        return outcome
    files = _draft_files(draft, project, study, file.name)
    if fresh:
        outcome.problems += _write_fresh(out, {**frame_files(study, file.name), **files})
    else:
        outcome.problems += _write_into(out, files)
    if not outcome.problems:
        outcome.lines.append(_written(out, study, draft, fresh))
    return outcome


def _argument_problems(study: str, out: Path) -> list[Problem]:
    problems = []
    if not re.fullmatch(ID_PATTERN, study) or is_reserved(study):
        message = f"'{study}' is not an id: use a lowercase slug of a-z, 0-9 and single hyphens"
        problems.append(Problem("--study", 0, 0, message, origin="environment"))
    empty = not out.exists() or (out.is_dir() and not any(out.iterdir()))
    if out.is_symlink() or not (empty or (out / "content").is_dir()):
        message = "is neither a new (empty) folder nor a project (a folder with content/)"
        problems.append(Problem(str(out), 0, 0, message, origin="environment"))
    if empty and not is_generator_checkout():
        message = "this is no checkout of the generator (no mkdocs.yml, overrides/)"
        problems.append(Problem(str(out), 0, 0, message, origin="environment"))
    return problems


def _ids_of(out: Path) -> dict[str, set[str]]:
    """The ids the project in out uses, by collection (for the draft's to keep apart)."""
    taken: dict[str, set[str]] = {name: set() for name in COLLECTIONS}
    for file in load_project(out).files:
        data = file.data if isinstance(file.data, dict) else {}
        for name in COLLECTIONS:
            items = data.get(name)
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    taken[name].add(item["id"])
    return taken


def _draft_files(draft: Draft, project: QdaProject, study: str, archive: str) -> dict[str, str]:
    files = {
        f"content/{study}.yaml": content_text(draft, study, archive, project.origin),
        f"imports/{study}.qdpx.yaml": record_text(draft, project, study, archive),
    }
    if draft.source_text:
        files[f"sources/{study}.txt"] = draft.source_text
    return files


def _reimport(record: Path, draft: Draft, project: QdaProject) -> list[str]:
    """How the new export differs from the record of the last import (nothing is written)."""
    shown = record.as_posix()
    recorded = recorded_quotations(yaml.safe_load(record.read_text(encoding="utf-8")))
    if recorded is None:
        return [f"{shown}: not the record of an import; nothing was compared or written"]
    paths = {code.guid: code.path for code in project.codes}
    result = compare(recorded, draft.quotations, paths)
    lines = [f"{shown}: unchanged: {result.unchanged} quotation(s)"]
    for ident, quotation, what in result.changed:
        lines.append(f"{shown}: changed: quotation '{ident}': {what}: “{quotation.text}”")
    for quotation in result.new:
        place = f"'{quotation.text_source}' {quotation.start - quotation.offset}–{quotation.end - quotation.offset}"
        lines.append(
            f"{shown}: new: selection '{quotation.selection.name or quotation.selection.guid}' ({place}): “{quotation.text}”"
        )
    for old in result.gone:
        lines.append(f"{shown}: gone: quotation '{old.id}': “{old.text}”")
    lines.append(
        f"{shown}: a new import of a study already imported writes nothing; edit content/ by hand"
    )
    return lines


def _write_into(out: Path, files: dict[str, str]) -> list[Problem]:
    """Add files to the project in out, none of which may exist yet (nothing is written then)."""
    there = [name for name in files if (out / name).exists() or (out / name).is_symlink()]
    if there:
        message = "exists already; an import never overwrites a file (nothing was written)"
        return [
            Problem((out / name).as_posix(), 0, 0, message, origin="environment") for name in there
        ]
    for name, text in files.items():
        _write(out / name, text)
    return []


def _write_fresh(out: Path, files: dict[str, str]) -> list[Problem]:
    """A new project in out: written beside it, then moved into place whole."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    for name, text in files.items():
        _write(staging / name, text)
    if out.exists():
        out.rmdir()  # empty, as checked
    os.rename(staging, out)
    os.chmod(out, 0o755)
    return []


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="") as file:  # never over a file
        file.write(text)


def _written(out: Path, study: str, draft: Draft, fresh: bool) -> str:
    made = "a new project" if fresh else "added to the project"
    count = len(draft.quotations)
    return (
        f"{out}: {made}: content/{study}.yaml ({count} quotation(s)); `make -C {out} check` "
        "lists each value to fill in (TODO(editors):)"
    )
