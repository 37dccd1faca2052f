"""`export-qdpx FILE [--root ROOT]`: the site's studies as a REFI-QDA project, so that a team
can open its published evidence in its QDA tool. The site is read as a build reads it (every
problem of the content stops the export), each study's source text as the build reads it;
the export is outlined (qdpx.outline), written as XML (qdpx.write_qde), checked against the
REFI-QDA schema (an export that fails it is a bug here, raised) and packed with the texts
(qdpx.pack). FILE is written whole or not at all; any problem found means nothing is
written. The same site gives the same bytes."""

from __future__ import annotations

import tomllib
from pathlib import Path

from build_scripts.build import load_corpus
from build_scripts.folders import PACKAGE
from build_scripts.pipeline.entities import Corpus
from build_scripts.pipeline.problems import Problem, ProblemsFound
from build_scripts.pipeline.text_files import read_text
from build_scripts.qdpx.exported import ExportProject
from build_scripts.qdpx.outline import outline_export
from build_scripts.qdpx.pack import qdpx_bytes
from build_scripts.qdpx.read import PROJECT_FILE
from build_scripts.qdpx.run import Outcome
from build_scripts.qdpx.write_qde import qde_bytes
from build_scripts.qdpx.xsd import schema_errors
from build_scripts.state.files import atomic_write


def export_qdpx(root: Path, file: Path) -> Outcome:
    """Export the site at root into file (see the module's docstring)."""
    outcome = Outcome(problems=_file_problems(file))
    try:
        corpus, _, _ = load_corpus(root)
    except ProblemsFound as found:
        outcome.problems += found.problems
        return outcome
    texts = _source_texts(root, corpus, outcome.problems)
    if outcome.problems:
        return outcome
    project, problems = outline_export(corpus, texts, generator_origin())
    if project is None:
        return Outcome(problems)
    try:
        atomic_write(file, archive_bytes(project))
    except OSError as err:  # a folder not writable, a full disk: the old file stays
        message = f"cannot be written: {err.strerror or err}"
        return Outcome([Problem(str(file), 0, 0, message, origin="environment")])
    quotations = sum(len(source.selections) for source in project.sources)
    outcome.lines.append(
        f"{file}: {len(project.sources)} text source(s), {quotations} coded selection(s), "
        f"{_count(project)} code(s), {len(project.notes)} note(s)"
    )
    outcome.lines += _unpublished(corpus, file)
    return outcome


def archive_bytes(project: ExportProject) -> bytes:
    """The .qdpx of an export: project.qde, valid against the schema, and each text source's
    text in sources/ (UTF-8)."""
    qde = qde_bytes(project)
    errors = schema_errors(qde)
    if errors:  # the outline and the writer make only valid projects: a bug here
        raise ValueError(f"the export's {PROJECT_FILE} is not valid: {errors[:5]}")
    members = {PROJECT_FILE: qde}
    members.update({source.member: source.text.encode("utf-8") for source in project.sources})
    return qdpx_bytes(members)


def generator_origin() -> str:
    """The generator's name and version (its pyproject.toml), for the project's `origin`."""
    try:
        with open(PACKAGE.parent / "pyproject.toml", "rb") as file:
            meta = tomllib.load(file)["project"]
        return f"{meta['name']} {meta['version']}"
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "evidence-site"


def _file_problems(file: Path) -> list[Problem]:
    """FILE must be a file to write: not a folder, in a folder that exists."""
    if file.is_dir():
        message = "is a folder; name the .qdpx file to write (e.g. evidence.qdpx)"
        return [Problem(str(file), 0, 0, message, origin="environment")]
    if not file.parent.is_dir():
        message = f"cannot be written: its folder {file.parent} does not exist"
        return [Problem(str(file), 0, 0, message, origin="environment")]
    return []


def _source_texts(root: Path, corpus: Corpus, problems: list[Problem]) -> dict[str, str]:
    """Each study's source text by its path, read as the build reads it."""
    texts = {}
    for study in corpus.studies.values():
        if study.source is not None and study.source not in texts:
            text = read_text(root / study.source, study.source, problems, root)
            if text is not None:
                texts[study.source] = text
    return texts


def _count(project: ExportProject) -> int:
    stack, count = list(project.codes), 0
    while stack:
        code = stack.pop()
        count += 1
        stack.extend(code.children)
    return count


def _unpublished(corpus: Corpus, file: Path) -> list[str]:
    """A note for each text that the site keeps unpublished but the .qdpx holds."""
    return [
        f"{file}: note: holds the source text of study '{study.id}' ({study.source}), which "
        "the site does not publish (publish_source: false); share the file as you would the text"
        for study in corpus.studies.values()
        if study.source is not None and not study.publish_source
    ]
