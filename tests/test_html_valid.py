"""Every page is valid HTML by the Nu HTML Checker (npm vnu-jar, run on Java): no error from our
templates; the few from the stock theme's own markup are listed here by name."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROJECT

VNU = PROJECT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Errors of Material for MkDocs' own base template and partials, which our overrides do not
# replace (doing so would mean copying those templates whole): (message start, markup start).
THEME = [
    # base.html: the drawer and search toggles are checkboxes with autocomplete="off".
    ("Attribute “autocomplete” is only allowed when the input type is", '<input class="md-toggle"'),
    # partials/toc.html: the table of contents' title is a label for the __toc toggle, which
    # the navigation draws only for pages in it.
    (
        "The value of the “for” attribute of the “label” element",
        '<label class="md-nav__title" for="__toc">',
    ),
]


def theme_error(message: dict[str, str]) -> bool:
    """Whether a checker message is one of the theme's known errors."""
    extract = message.get("extract", "")
    marked = extract[message.get("hiliteStart", 0) :].lstrip()
    return any(
        message["message"].startswith(text) and marked.startswith(markup) for text, markup in THEME
    )


@pytest.fixture(scope="session")
def checked(mini_site: Path) -> list[dict[str, str]]:
    """The Nu HTML Checker's messages on every page of the mini site."""
    java = shutil.which("java")
    assert java, "Java is missing: `make test` installs Debian's default-jre-headless"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--skip-non-html", str(mini_site)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages: list[dict[str, str]] = json.loads(result.stderr)["messages"]
    return messages


def test_every_page_is_valid_html_but_for_the_themes_known_errors(
    checked: list[dict[str, str]],
) -> None:
    ours = [
        f"{m['url'].split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in checked
        if m["type"] == "error" and not theme_error(m)
    ]
    assert ours == []


def test_the_known_errors_are_still_the_themes(checked: list[dict[str, str]]) -> None:
    # A theme upgrade that fixes one of them makes its entry here a dead letter: drop it.
    for text, markup in THEME:
        assert any(theme_error(m) and m["message"].startswith(text) for m in checked), markup
