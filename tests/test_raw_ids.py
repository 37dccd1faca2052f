"""The parallel build's anchor finder sees the anchors mkdocs' own HTML pass sees."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from build_scripts.build import generate
from build_scripts.engine.raw_ids import anchor_ids, mkdocs_anchor_ids
from build_scripts.tools.synth import write_corpus
from tests.conftest import MINI, PROJECT


def mkdocs_ids(source: str) -> set[str | None]:
    """What mkdocs 1.6 finds, with its HTML parser."""
    return mkdocs_anchor_ids(source)


@pytest.fixture(scope="module")
def generated_pages(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    synthetic = tmp_path_factory.mktemp("synth")
    write_corpus(synthetic, 3)
    pages = [*generate(PROJECT), *generate(MINI), *generate(synthetic)]
    return [page.text for page in pages if page.path.endswith(".md")]


def test_finds_what_mkdocs_finds_on_every_generated_page(generated_pages: list[str]) -> None:
    assert len(generated_pages) > 300
    found = 0
    for text in generated_pages:
        expected = mkdocs_ids(text)
        assert anchor_ids(text) == expected
        found += len(expected)
    assert found > 500  # quotation, reference and alias anchors among them


@pytest.mark.parametrize(
    "source",
    [
        '<figure class="evidence-quote" id="q-1"><a href="#x" title="id=fake">x</a></figure>',
        "<a name=top>x</a> <span name='not-an-anchor'></span>",
        "<P ID=\"Upper\"></P><div id='single' /><br id=bare/>",
        '<!-- <span id="in-comment"></span> --><span id="after">',
        '<script type="application/ld+json">{"@id": "x", "<b id=y>": 1}</script><i id="z">',
        '<span title="a > b" id="after-gt"></span><span id="amp&amp;ersand"></span>',
        'text id="not-a-tag" <span\nid="line-break">',
        '<span id="unclosed"',
        '`<span id="in-code">` and <a id>empty</a>',
        '<span title="İstanbul" ID="İx"></span><A NAME="upper-a">',
    ],
)
def test_finds_what_mkdocs_finds_in_awkward_html(source: str) -> None:
    assert anchor_ids(source) == mkdocs_ids(source)


NAMES = st.sampled_from(["id", "ID", "name", "title", "class", "href"])
VALUES = st.sampled_from(['"a"', "'b c'", "d", '"e id=f"', '"g > h"', '"&amp;i"', ""])
TAGS = st.builds(
    lambda tag, attrs, close: f"<{tag}{''.join(attrs)}{close}",
    st.sampled_from(["a", "span", "figure", "A", "li"]),
    st.lists(st.builds(lambda n, v: f" {n}={v}" if v else f" {n}", NAMES, VALUES), max_size=3),
    st.sampled_from([">", "/>", " >"]),
)
PIECES = st.one_of(
    TAGS,
    st.sampled_from(["text", " id=x ", "</a>", "<!-- c -->", "\n\n", "< b", "&lt;i&gt;"]),
    st.builds(lambda body: f"<script>{body}</script>", st.sampled_from(["", '<a id="s">'])),
)


@given(st.lists(PIECES, max_size=12).map("".join))
def test_finds_what_mkdocs_finds_in_html_made_of_tags_text_comments_and_scripts(
    source: str,
) -> None:
    assert anchor_ids(source) == mkdocs_ids(source)
