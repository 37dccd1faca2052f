"""Validate stage: schema, ids, cross-references and citations -> every problem, sorted by place."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import jsonschema

from build_scripts.pipeline.bib_checks import check_bib_entries, is_reserved
from build_scripts.pipeline.csl import known_locales, known_styles
from build_scripts.pipeline.kinds import KIND, KINDS
from build_scripts.pipeline.load import Key, RawProject, YamlFile
from build_scripts.pipeline.marks import SINGULAR, check_marks, item_of, unmarked
from build_scripts.pipeline.problems import Problem
from build_scripts.pipeline.prose_checks import check_prose, check_unit_links
from build_scripts.pipeline.remember import Remember, recompute
from build_scripts.pipeline.review_checks import check_review_evidence
from build_scripts.pipeline.schema_info import CONTENT_SCHEMA, ContentSchema
from build_scripts.pipeline.schema_info import field_name as _field
from build_scripts.pipeline.schema_info import suggest as _suggest
from build_scripts.pipeline.sources import check_quotations
from build_scripts.pipeline.study_checks import check_roles_of_studies, check_stage_cases

COLLECTIONS = tuple(kind.plural for kind in KINDS)
# A kind as messages name it: "review finding", not "review_finding".
KIND_OF = {kind.plural: kind.name for kind in KINDS}
# Which field of which collection points at which collection (a field may hold one id or a list).
LINKS: dict[str, dict[str, str]] = {
    kind.plural: {field: KIND[target].plural for field, target in kind.links.items()}
    for kind in KINDS
    if kind.links
}
ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
STUDY_PARTS = ("data_collection", "interventions", "timeline", "sections", "citation_notes")


@dataclass(frozen=True)
class Located:
    """An entity's data and the file it came from, found while collecting ids."""

    file: YamlFile
    key: Key
    data: dict[str, Any]


def validate_project(
    raw: RawProject, remember: Remember = recompute, schema: ContentSchema = CONTENT_SCHEMA
) -> list[Problem]:
    """Every problem of the project: load problems plus schema, id, link and citation checks.
    The checks of one file alone go through `remember`, under a key of its text (and of the
    bibliography's keys, for its citations)."""
    problems = list(raw.problems)
    # A value the loader refused (None in its place) is not reported again as of a wrong type.
    refused = {(p.path, p.line, p.column) for p in raw.problems}
    for file in raw.files:
        found = _per_file(remember, "schema", file, _schema_problems, file, schema)
        problems.extend(p for p in found if (p.path, p.line, p.column) not in refused)
    entities, id_problems = collect_entities(raw.files)
    problems.extend(id_problems)
    problems.extend(check_quotations(entities, raw.sources, remember))
    problems.extend(check_site(raw.files))
    problems.extend(check_links(entities))
    problems.extend(check_aliases(entities))
    problems.extend(check_sections(entities))
    problems.extend(check_roles_of_studies(entities))
    problems.extend(check_stage_cases(entities))
    problems.extend(check_review_evidence(entities))
    bib_keys = {entry.key for entry in raw.bib}
    problems.extend(check_study_references(entities, bib_keys))
    keys = hashlib.sha256("\n".join(sorted(bib_keys)).encode("utf-8")).hexdigest()
    for file in raw.files:
        found = _per_file(remember, f"prose:{keys}", file, _prose_problems, file, bib_keys, schema)
        problems.extend(found)
    problems.extend(check_bib_entries(raw.bib))
    ids = {KIND_OF[name]: set(items) for name, items in entities.items()}
    problems.extend(check_unit_links(raw.files, {**ids, "reference": bib_keys}, schema))
    marks = [m for file in raw.files for m in _per_file(remember, "marks", file, _marks, file)]
    return sorted(set(unmarked(problems, marks) + marks))


def _per_file(
    remember: Remember,
    check: str,
    file: YamlFile,
    function: Callable[..., list[Problem]],
    *args: Any,
) -> list[Problem]:
    """function(*args), a check of file alone, remembered under the file's key (a file made
    by hand has none: checked every time)."""
    if not file.key:
        return function(*args)
    return remember(f"{check}:{file.key}", function, *args)


def _marks(file: YamlFile) -> list[Problem]:
    return check_marks([file])


def _schema_problems(file: YamlFile, schema: ContentSchema) -> list[Problem]:
    return list(check_schema(file, schema))


def _prose_problems(file: YamlFile, keys: set[str], schema: ContentSchema) -> list[Problem]:
    return list(check_prose(file, keys, schema))


def check_schema(file: YamlFile, schema: ContentSchema = CONTENT_SCHEMA) -> Iterator[Problem]:
    """Turn JSON Schema errors into messages that name the field and the fix."""
    for error in schema.validator().iter_errors(file.data):
        yield from schema_problems(file, error, schema)


def schema_problems(
    file: YamlFile, error: jsonschema.ValidationError, schema: ContentSchema = CONTENT_SCHEMA
) -> Iterator[Problem]:
    key: Key = tuple(error.absolute_path)
    where = item_of(file, key)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        for name in sorted(set(error.instance) - set(allowed)):
            line, column = file.key_position((*key, name))
            hint = _suggest(name, allowed) or f"; allowed: {', '.join(allowed)}"
            yield Problem(file.path, line, column, f"unknown field '{name}'{where}{hint}")
        return
    if error.validator == "dependentRequired":
        yield _dependency_problem(file, key, where, error, schema)
        return
    line, column = file.position(key)
    if error.validator == "required":
        missing = str(error.message).split("'")[1]
        yield Problem(file.path, line, column, f"missing field '{missing}'{where}")
    elif error.validator == "pattern" and error.validator_value == ID_PATTERN:
        yield Problem(
            file.path,
            line,
            column,
            f"invalid id {json.dumps(error.instance)}: use a lowercase slug of a-z, 0-9 and "
            "single hyphens, e.g. 'local-action-groups'",
        )
    elif error.validator == "maxLength" and isinstance(error.instance, str):
        yield Problem(
            file.path,
            line,
            column,
            f"field '{_field(key)}'{where} is {len(error.instance):,} characters long; the "
            f"limit is {error.validator_value:,}",
        )
    elif error.validator == "type":
        expected = error.validator_value
        yield Problem(
            file.path,
            line,
            column,
            f"field '{_field(key)}'{where} must be {_article(expected)}, "
            f"not {_type_name(error.instance)}",
        )
    else:
        yield Problem(file.path, line, column, f"field '{_field(key)}'{where}: {error.message}")


def _dependency_problem(
    file: YamlFile, key: Key, where: str, error: jsonschema.ValidationError, schema: ContentSchema
) -> Problem:
    """A field that another needs is missing (a stage without the basis of that judgement):
    reported at the field that needs it, with the values the missing one may take."""
    missing, needed_by = str(error.message).split("'")[1::2]
    line, column = file.key_position((*key, needed_by))
    choices = schema.resolve(error.schema.get("properties", {}).get(missing, {})).get("enum")
    hint = f" (one of: {', '.join(choices)})" if choices else ""
    message = f"missing field '{missing}'{where}: '{needed_by}' needs it{hint}"
    return Problem(file.path, line, column, message)


def _article(expected: Any) -> str:
    names = {
        "string": "a string",
        "integer": "an integer",
        "array": "a list",
        "object": "a mapping",
        "number": "a number",
        "boolean": "true or false",
    }
    if isinstance(expected, list):
        return " or ".join(names.get(str(e), str(e)) for e in expected)
    return names.get(str(expected), str(expected))


def _type_name(value: Any) -> str:
    if value is None:
        return "empty"
    return {
        bool: "true/false",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
    }.get(type(value), type(value).__name__)


def collect_entities(files: list[YamlFile]) -> tuple[dict[str, dict[str, Located]], list[Problem]]:
    """Index every entity by collection and id; duplicate ids are problems."""
    entities: dict[str, dict[str, Located]] = {name: {} for name in COLLECTIONS}
    problems = []
    for file in files:
        if not isinstance(file.data, dict):
            continue
        for collection in COLLECTIONS:
            items = file.data.get(collection)
            for index, item in enumerate(items if isinstance(items, list) else []):
                ident = item.get("id") if isinstance(item, dict) else None
                if not isinstance(ident, str) or not re.fullmatch(ID_PATTERN, ident):
                    continue
                if is_reserved(ident):
                    line, column = file.position((collection, index, "id"))
                    problems.append(
                        Problem(
                            file.path,
                            line,
                            column,
                            f"id '{ident}' is reserved for index pages; choose another",
                        )
                    )
                    continue
                seen = entities[collection].get(ident)
                if seen is not None:
                    line, column = file.position((collection, index, "id"))
                    first_line = seen.file.position((*seen.key, "id"))[0]
                    problems.append(
                        Problem(
                            file.path,
                            line,
                            column,
                            f"duplicate {SINGULAR[collection]} id '{ident}' "
                            f"(first defined at {seen.file.path}:{first_line})",
                        )
                    )
                    continue
                entities[collection][ident] = Located(file, (collection, index), item)
    return entities, problems


def check_aliases(entities: dict[str, dict[str, Located]]) -> Iterator[Problem]:
    """An alias names no other entity of its kind and belongs to one entity only."""
    for collection, items in entities.items():
        owners: dict[str, str] = {}
        for ident, located in items.items():
            aliases = located.data.get("aliases")
            for index, alias in enumerate(aliases if isinstance(aliases, list) else []):
                if not isinstance(alias, str):
                    continue
                if is_reserved(alias):
                    line, column = located.file.position((*located.key, "aliases", index))
                    message = f"alias '{alias}' of {SINGULAR[collection]} '{ident}' is reserved "
                    yield Problem(
                        located.file.path, line, column, message + "for index pages; remove it"
                    )
                    continue
                clash = (
                    "is the id of"
                    if alias in items
                    else ("is already an alias of" if alias in owners else "")
                )
                if clash:
                    other = alias if alias in items else owners[alias]
                    line, column = located.file.position((*located.key, "aliases", index))
                    yield Problem(
                        located.file.path,
                        line,
                        column,
                        f"alias '{alias}' of {SINGULAR[collection]} '{ident}' {clash} "
                        f"{SINGULAR[collection]} '{other}'",
                    )
                owners.setdefault(alias, ident)


def check_site(files: list[YamlFile]) -> list[Problem]:
    """Exactly one file defines the site block; its citation style and locale exist."""
    holders = [f for f in files if isinstance(f.data, dict) and "site" in f.data]
    if not holders:
        place = files[0].path if files else "content"
        return [
            Problem(place, 1, 1, "no content file defines 'site' (title, intro, about, licence)")
        ]
    problems = [
        Problem(
            f.path,
            *f.key_position(("site",)),
            f"'site' is already defined in {holders[0].path}; define it once",
        )
        for f in holders[1:]
    ]
    site, file = holders[0].data["site"], holders[0]
    if not isinstance(site, dict):
        return problems
    for name, known, what in (
        ("citation_style", known_styles(), "citation style"),
        ("locale", known_locales(), "CSL locale"),
    ):
        value = site.get(name)
        if isinstance(value, str) and value not in known:
            message = f"unknown {what} '{value}'"
            hint = _suggest(value, known) or f"; known: {', '.join(known)}"
            problems.append(Problem(file.path, *file.position(("site", name)), message + hint))
    release = site.get("release")
    day = release.get("date") if isinstance(release, dict) else None
    if isinstance(day, str) and ISO_DAY.match(day):
        message = ""
        if not _is_day(day):
            message = f"release date '{day}' is not a day of the calendar (YYYY-MM-DD)"
        elif not FIRST_DAY <= day <= LAST_DAY:
            message = (
                f"release date '{day}' is outside {FIRST_DAY} to {LAST_DAY}, the days the site's "
                "archives (the gzipped sitemap's timestamp) can hold"
            )
        if message:
            at = file.position(("site", "release", "date"))
            problems.append(Problem(file.path, *at, message))
    return problems


ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
# A build dates its files by the release day, as seconds since 1970 in 32 bits (gzip's header).
FIRST_DAY, LAST_DAY = "1970-01-01", "2106-02-06"


def _is_day(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def site_url_problems(
    value: str, where: str, schema: ContentSchema = CONTENT_SCHEMA
) -> list[Problem]:
    """Problems of a site address given at build time (the environment's SITE_URL), which
    must be what site.url may be: an absolute http(s) address (its final '/' may be left out)."""
    address = value if value.endswith("/") else value + "/"
    pattern = schema.data["$defs"]["site"]["properties"]["url"]["pattern"]
    if re.match(pattern, address):
        return []
    message = (
        f"{value!r} is not a site address: give an absolute http(s) address such as "
        "https://example.org/evidence/, with no spaces, quotes, <, >, \\, ^, `, {, | or }"
    )
    return [Problem(where, 0, 0, message, origin="environment")]


def check_links(entities: dict[str, dict[str, Located]]) -> Iterator[Problem]:
    """Every id an entity points at exists in the collection the field names."""
    for collection, fields in LINKS.items():
        for ident, located in entities[collection].items():
            for field, target in fields.items():
                value = located.data.get(field)
                values = value if isinstance(value, list) else [value]
                for index, target_id in enumerate(values):
                    if not isinstance(target_id, str) or target_id in entities[target]:
                        continue
                    key = (
                        (*located.key, field, index)
                        if isinstance(value, list)
                        else (*located.key, field)
                    )
                    line, column = located.file.position(key)
                    yield Problem(
                        located.file.path,
                        line,
                        column,
                        f"unknown {SINGULAR[target]} id '{target_id}' in {SINGULAR[collection]} "
                        f"'{ident}'{_suggest(target_id, entities[target])}",
                    )


def check_sections(entities: dict[str, dict[str, Located]]) -> Iterator[Problem]:
    """A finding's section is a section of its study; a study's part ids are unique in it."""
    for study_id, study in entities["studies"].items():
        seen: dict[str, str] = {}
        for part in STUDY_PARTS:
            items = study.data.get(part)
            for index, item in enumerate(items if isinstance(items, list) else []):
                ident = item.get("id") if isinstance(item, dict) else None
                if isinstance(ident, str) and ident in seen:
                    line, column = study.file.position((*study.key, part, index, "id"))
                    yield Problem(
                        study.file.path,
                        line,
                        column,
                        f"duplicate id '{ident}' in study '{study_id}' (also in {seen[ident]})",
                    )
                elif isinstance(ident, str):
                    seen[ident] = part
    for finding_id, finding in entities["findings"].items():
        owner = entities["studies"].get(str(finding.data.get("study")))
        section = finding.data.get("section")
        if owner is None:
            continue
        listed = owner.data.get("sections", [])
        if not isinstance(listed, list) or not isinstance(section, str):
            continue  # a study's sections of the wrong type are the schema's to report
        sections = [s["id"] for s in listed if isinstance(s, dict) and isinstance(s.get("id"), str)]
        if section not in sections:
            line, column = finding.file.position((*finding.key, "section"))
            yield Problem(
                finding.file.path,
                line,
                column,
                f"unknown section id '{section}' in finding '{finding_id}'"
                + (
                    _suggest(section, sections)
                    or f"; sections of study '{owner.data['id']}': " + ", ".join(map(str, sections))
                ),
            )


def check_study_references(
    entities: dict[str, dict[str, Located]], keys: set[str]
) -> Iterator[Problem]:
    """A study's publication and the entries its source notes name are in the bibliography."""
    for ident, study in entities["studies"].items():
        places: list[Key] = [("reference",)]
        for part in ("citation_notes", "uncited_references"):
            items = study.data.get(part)
            count = len(items) if isinstance(items, list) else 0
            places += [(part, i, "reference") for i in range(count)]
        for place in places:
            key = _get(study.data, place)
            if isinstance(key, str) and key not in keys:
                line, column = study.file.position((*study.key, *place))
                yield Problem(
                    study.file.path,
                    line,
                    column,
                    f"unknown citation key '{key}' in study '{ident}'{_suggest(key, keys)}",
                )


def _get(data: Any, key: Key) -> Any:
    """The value at a key path, or None where the path does not exist."""
    for part in key:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data
