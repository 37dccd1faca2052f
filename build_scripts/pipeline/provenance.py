"""Who made each judgement the site shows about the evidence: the model stage of a finding or a
quotation, the speaker group of a role. The paper may make it (basis `authors`) or the site's
editors (basis `editors`); the kinds registry says which link fields are such judgements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from build_scripts.pipeline.entities import Basis
from build_scripts.pipeline.kinds import KIND


@dataclass(frozen=True)
class Judgement:
    """One judgement placing an entity under another (a finding at a stage): who made it, and
    why, as prose (None when no reason is recorded)."""

    basis: Basis
    rationale: str | None = None

    @property
    def by_editors(self) -> bool:
        """Whether the site's editors made it, not the paper's authors."""
        return self.basis == "editors"


def judgement(entity: Any, target: str) -> Judgement | None:
    """The judgement that places an entity under the entities of kind `target` it links to (a
    finding's stages, a role's group); None when that link is no judgement or is empty."""
    kind = KIND[entity.kind]
    for name, (basis_field, rationale_field) in kind.judged.items():
        basis = getattr(entity, basis_field)
        if kind.links[name] == target and getattr(entity, name) and basis:
            return Judgement(basis, getattr(entity, rationale_field))
    return None


def by_editors(entity: Any, target: str) -> bool:
    """Whether the site's editors placed the entity under its entities of kind `target`."""
    found = judgement(entity, target)
    return found is not None and found.by_editors


def shared_basis(entities: list[Any], target: str) -> str:
    """The basis all the entities' judgements under `target` share ('editors' or 'authors'),
    or '' when they differ or there are none (each item then says its own)."""
    bases = {found.basis for e in entities if (found := judgement(e, target)) is not None}
    return next(iter(bases)) if len(bases) == 1 else ""
