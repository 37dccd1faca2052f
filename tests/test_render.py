"""Rendering helpers: Markdown escaping of plain text, and prose with citations as links."""

from __future__ import annotations

import pytest

from build_scripts.pipeline.csl import Citer
from build_scripts.pipeline.load import load_project
from build_scripts.pipeline.model import build_corpus, build_index
from build_scripts.render.context import PageContext, md_escape, mermaid_text
from tests.conftest import PROJECT


@pytest.fixture(scope="module")
def ctx() -> PageContext:
    corpus = build_corpus(load_project(PROJECT))
    citer = Citer(corpus.references, "sociology-of-health-and-illness", "en-GB")
    return PageContext("findings/whisper-campaign.md", corpus, build_index(corpus), citer)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("*not emphasis* and _this_", r"\*not emphasis\* and \_this\_"),
        ("[T]hese techniques", r"\[T\]hese techniques"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("a | b & c", "a &#124; b &amp; c"),
        ("1. not a list", r"1\. not a list"),
        ("- not a list", r"\- not a list"),
        ("# not a heading", r"\# not a heading"),
        ("line\nbreaks   collapse", "line breaks collapse"),
    ],
)
def test_plain_text_is_escaped_for_markdown(text: str, expected: str) -> None:
    assert md_escape(text) == expected


def test_parenthetical_cluster_follows_the_style(ctx: PageContext) -> None:
    assert ctx.prose("As argued [@benford2000; @crossley2002].") == (
        "As argued ([Benford and Snow 2000](<../bibliography/benford2000.md> "
        '"Benford, R. and Snow, D. (2000) Framing processes and social movements: an overview '
        'and assessment, Annual review of sociology, 26, 1, 611–39."), '
        "[Crossley 2002](<../bibliography/crossley2002.md> "
        '"Crossley, N. (2002) Making Sense of Social Movements. London: McGraw-Hill.")).'
    )


def test_narrative_citation_with_locator(ctx: PageContext) -> None:
    rendered = ctx.prose("@bate2004 [p. 64] and [@bate2004, p. 64]")
    assert rendered.startswith("[Bate <i>et al.</i> (2004: 64)](<../bibliography/bate2004.md> ")
    assert "([Bate <i>et al.</i> 2004: 64](<../bibliography/bate2004.md> " in rendered


def test_narrative_citation_without_locator(ctx: PageContext) -> None:
    assert ctx.prose("For @bate2004, framing").startswith("For [Bate <i>et al.</i> (2004)](")


def test_raw_html_in_prose_is_shown_as_text(ctx: PageContext) -> None:
    assert ctx.prose("a <b>bold</b> claim") == "a &lt;b>bold&lt;/b> claim"


def test_entities_and_attribute_lists_in_prose_are_shown_as_text(ctx: PageContext) -> None:
    from bs4 import BeautifulSoup
    from markdown import Markdown

    written = 'Q&A: *in*{ onclick="x" } &#60;b&#62;\n{: onmouseover="y" }'
    page = Markdown(extensions=["attr_list", "tables", "def_list", "admonition", "toc"])
    html = BeautifulSoup(page.convert(ctx.prose(written)), "html.parser")
    assert [(tag.name, tag.attrs) for tag in html.find_all(True)] == [("p", {}), ("em", {})]
    assert html.get_text() == 'Q&A: in{ onclick="x" } &#60;b&#62;\n{: onmouseover="y" }'


def test_link_to_a_quotation_previews_its_words(ctx: PageContext) -> None:
    link = ctx.a(("quote", "q-whisper-nursing-director"))
    assert link.startswith("[“We called it a whisper campaign.")
    assert (
        '(<whisper-campaign.md#q-whisper-nursing-director> "Waring and Crompton 2017: We called '
        "it a whisper campaign." in link
    )


def test_preview_titles_escape_quote_marks(ctx: PageContext) -> None:
    link = ctx.a(("finding", "scepticism-elsewhere"))
    title = link.split(' "', 1)[1]
    assert '"' not in title[:-2]


def test_mermaid_labels_carry_markup_characters_as_mermaid_entities() -> None:
    text = 'Framing <b>"bold"</b> & #1\n  next line: 50% %%{init}%%'
    assert mermaid_text(text) == (
        "Framing #lt;b#gt;#quot;bold#quot;#lt;/b#gt; #amp; #35;1 next line#58; 50#37; "
        "#37;#37;{init}#37;#37;"
    )
