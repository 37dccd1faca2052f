"""Checks of what belongs to which study, across files: a quotation's role is a role of its
study, and a stage's accounts name studies that use its model, one account each. Called by
validation with its entities by collection and id (each with its file, key and data)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from build_scripts.pipeline.problems import Problem
from build_scripts.pipeline.schema_info import suggest

Entities = Mapping[str, Mapping[str, Any]]


def check_roles_of_studies(entities: Entities) -> Iterator[Problem]:
    """A quotation's role is a role of the quotation's study (its finding's): a role names the
    speakers of one study, and its page gives that study's account of them."""
    for quote_id, quote in entities["quotes"].items():
        role = entities["roles"].get(str(quote.data.get("role")))
        finding = entities["findings"].get(str(quote.data.get("finding")))
        if role is None or finding is None:
            continue  # an unknown id is check_links' to report
        of_role, of_quote = role.data.get("study"), finding.data.get("study")
        if isinstance(of_role, str) and of_role != of_quote:
            line, column = quote.file.position((*quote.key, "role"))
            yield Problem(
                quote.file.path,
                line,
                column,
                f"role '{role.data['id']}' is a role of study '{of_role}', but quote "
                f"'{quote_id}' is of study '{of_quote}' (its finding's); give the quotation a "
                "role of its own study",
            )


def check_stage_cases(entities: Entities) -> Iterator[Problem]:
    """A stage's `cases` name studies that use the stage's model, each once; its `case` (one
    account, no study named) is for a model that one study uses."""
    for stage_id, stage in entities["stages"].items():
        model = stage.data.get("model")
        using = sorted(i for i, s in entities["studies"].items() if s.data.get("model") == model)
        if "case" in stage.data and stage.data.get("cases"):
            line, column = stage.file.key_position((*stage.key, "case"))
            message = f"stage '{stage_id}' gives both 'case' and 'cases': give each account in "
            yield Problem(stage.file.path, line, column, message + "'cases' only")
        elif "case" in stage.data and len(using) > 1:
            line, column = stage.file.key_position((*stage.key, "case"))
            yield Problem(
                stage.file.path,
                line,
                column,
                f"stage '{stage_id}' has one 'case', but {len(using)} studies use model "
                f"'{model}' ({', '.join(using)}): give each study's account in 'cases' "
                "(study, account)",
            )
        cases = stage.data.get("cases")
        seen: set[str] = set()
        for number, case in enumerate(cases if isinstance(cases, list) else []):
            study = case.get("study") if isinstance(case, dict) else None
            if not isinstance(study, str):
                continue
            line, column = stage.file.position((*stage.key, "cases", number, "study"))
            message = ""
            if study not in entities["studies"]:
                message = f"unknown study id '{study}' in stage '{stage_id}'" + suggest(
                    study, list(entities["studies"])
                )
            elif study not in using:
                message = f"study '{study}' does not use model '{model}' of stage '{stage_id}'"
            elif study in seen:
                message = f"study '{study}' has a second account of stage '{stage_id}'"
            seen.add(study)
            if message:
                yield Problem(stage.file.path, line, column, message)
