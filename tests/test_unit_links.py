"""Links from prose to units by kind and id (pipeline/unit_links.py): rendered as links to the
unit's page wherever the prose is shown; an unknown id, a mistyped kind and a relative link into
the generated pages are errors at the link's own line and column, with what to write instead."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from tests.conftest import MINI, build, copy_corpus
from tests.test_bad_input import run

FINDINGS = "content/findings.yaml"
# The second finding's statement, a line of its own in the mini corpus.
STATEMENT = "    statement: Adopting a movement approach created a receptive context"


def with_statement(root: Path, words: str) -> None:
    """The mini corpus with words put before the second finding's statement."""
    path = root / FINDINGS
    text = path.read_text(encoding="utf-8")
    assert STATEMENT in text
    path.write_text(
        text.replace(
            STATEMENT,
            f"    statement: {words} Adopting a movement approach created a receptive context",
        ),
        "utf-8",
    )


def test_unit_links_lead_to_each_units_page(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "mini")
    with_statement(
        root,
        "After [the quick choice](finding:qi-methods-chosen-quickly), [PDSA](quote:q-pdsa-push)"
        " at [framing](stage:framing), see [Crossley](ref:crossley2002) and [the"
        " term](concept:social-movement).",
    )
    assert build(root) == 0
    page = root / "site" / "findings" / "receptive-context" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    base = "http://site/findings/receptive-context/"
    targets = {
        a.get_text(): urljoin(base, str(a["href"]))
        for a in soup.select("article a[href]")
        if a.get_text() in {"the quick choice", "PDSA", "framing", "Crossley", "the term"}
    }
    assert targets == {
        "the quick choice": "http://site/findings/qi-methods-chosen-quickly/",
        "PDSA": "http://site/findings/qi-methods-chosen-quickly/#q-pdsa-push",
        "framing": "http://site/stages/framing/",
        "Crossley": "http://site/bibliography/crossley2002/",
        "the term": "http://site/concepts/social-movement/",
    }
    # Every target exists in the built site, anchor included.
    quote_page = root / "site" / "findings" / "qi-methods-chosen-quickly" / "index.html"
    assert 'id="q-pdsa-push"' in quote_page.read_text(encoding="utf-8")


def test_wrong_unit_links_are_errors_at_their_own_line_and_column(tmp_path: Path) -> None:
    root = copy_corpus(MINI, tmp_path / "mini")
    with_statement(
        root,
        "See [a](finding:qi-methods-chosen) [b](ref:crossley2020) [c](../qi-methods-chosen-quickly/)"
        " [d](findng:qi-methods-chosen-quickly).",
    )
    lines = (root / FINDINGS).read_text(encoding="utf-8").splitlines()
    line, text = next((n, t) for n, t in enumerate(lines, start=1) if "See [a]" in t)

    def at(target: str) -> str:
        return f"{FINDINGS}:{line}:{text.index(target) + 1}"

    done = run(root, "check")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        (
            f"{at('finding:qi-methods-chosen)')}: link to an unknown finding 'qi-methods-chosen' in field "
            "'statement'; did you mean 'finding:qi-methods-chosen-quickly'?"
        ),
        (
            f"{at('ref:crossley2020')}: link to an unknown reference 'crossley2020' in field 'statement'; "
            "did you mean 'ref:crossley2002'?"
        ),
        (
            f"{at('../qi-methods')}: relative link '../qi-methods-chosen-quickly/' in field "
            "'statement': the site's pages are generated, so write a link to a unit by its kind "
            "and id, e.g. [text](finding:qi-methods-chosen-quickly) (or quote:, stage:, concept:, "
            "study:, role:, group:, model:, review:, review-finding:, ref:)"
        ),
        (
            f"{at('findng:')}: link with the 'findng:' scheme in field 'statement': only "
            "http(s), mailto and links to the site's units by kind and id (finding:, quote:, "
            "stage:, concept:, ref:, …) are allowed; did you mean 'finding'?"
        ),
        "4 problem(s); nothing was written.",
    ]
