"""Prose converted to HTML by the generator (a study's timeline) links as mkdocs would link it."""

from __future__ import annotations

from build_scripts.render.prose_html import prose_to_html


def test_site_links_resolve_to_directory_urls_as_mkdocs_resolves_them() -> None:
    html = prose_to_html(
        "See [a finding](../findings/a.md#q-1), [home](../index.md) and [x](https://e.org/b.md).",
        "studies/s.md",
    )
    assert 'href="../../findings/a/#q-1"' in html
    assert 'href="../../"' in html
    assert 'href="https://e.org/b.md"' in html


def test_offline_links_point_at_html_files() -> None:
    html = prose_to_html("[a finding](../findings/a.md)", "studies/s.md", file_urls=True)
    assert html == '<p><a href="../findings/a.html">a finding</a></p>'


def test_markup_and_escaped_html_convert_as_markdown_does() -> None:
    assert prose_to_html("*PDSA* &lt;b>", "index.md") == "<p><em>PDSA</em> &lt;b&gt;</p>"


def test_a_caption_is_inline_unless_it_has_paragraphs() -> None:
    assert prose_to_html("Figure 1. *Timeline*", "index.md", inline=True) == (
        "Figure 1. <em>Timeline</em>"
    )
    two = prose_to_html("One.\n\nTwo.", "index.md", inline=True)
    assert two == "<p>One.</p>\n<p>Two.</p>"
