"""Links from prose to any unit of the site by its kind and id: `[the whisper
campaign](finding:whisper-campaign)`, `quote:`, `stage:`, `concept:`, `ref:` (a BibTeX key) and
the other kinds' names. pipeline.prose_checks checks them (an unknown id is an error at the link,
with the closest id; a relative link into the generated pages, which breaks wherever the text is
shown away from its own page, is an error that says what to write instead); the render writes
each one as a link to the unit's page (render.context: `prose`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from build_scripts.pipeline.kinds import KINDS

# A link's scheme -> the kind it names: each kind by its name (a review finding as
# `review-finding:`), and `ref:` for a reference.
SCHEMES: dict[str, str] = {kind.name.replace("_", "-"): kind.name for kind in KINDS}
SCHEMES["ref"] = "reference"
# A folder of the site's pages -> the scheme of the units it holds (for a relative link's fix).
FOLDER_SCHEMES = {kind.folder: kind.name.replace("_", "-") for kind in KINDS if kind.folder}
FOLDER_SCHEMES["bibliography"] = "ref"
# A unit link's target (`finding:id`), the longest scheme first; as a whole target, inline in
# prose (`](finding:id)`) and as a reference definition (`[r]: finding:id`).
_UNIT = "(?P<scheme>" + "|".join(sorted(SCHEMES, key=len, reverse=True)) + r"):(?P<id>[^\s#)>]+)"
UNIT_TARGET = re.compile(f"^{_UNIT}$")
_INLINE = re.compile(r"(?P<head>\]\s*\(\s*<?)" + _UNIT + r"(?P<tail>>?\s*(?:\s\"[^\"]*\")?\s*\))")
_DEFINED = re.compile(r"^(?P<head>[ \t]*\[[^\]\n]+\]:[ \t]*<?)" + _UNIT, re.MULTILINE)


def unit_of(target: str) -> tuple[str, str] | None:
    """(kind, id) of a unit link's target ('finding:x' -> ('finding', 'x')), else None."""
    found = UNIT_TARGET.match(target)
    return (SCHEMES[found["scheme"]], found["id"]) if found else None


def with_unit_links(text: str, href: Callable[[tuple[str, str]], str]) -> str:
    """Prose with each unit link's target replaced by href((kind, id)) (a link to its page)."""

    def inline(match: re.Match[str]) -> str:
        target = href((SCHEMES[match["scheme"]], match["id"]))
        return f"{match['head']}{target}{match['tail']}"

    def defined(match: re.Match[str]) -> str:
        target = href((SCHEMES[match["scheme"]], match["id"]))
        return f"{match['head']}{target}"

    return _DEFINED.sub(defined, _INLINE.sub(inline, text))
