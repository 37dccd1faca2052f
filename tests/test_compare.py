"""The engine comparison (`make zensical`): what counts as a difference and what does not."""

from __future__ import annotations

from pathlib import Path

from build_scripts.tools.compare import compare_sites

PAGE = """<html><head>{head}<script src="../../javascripts/evidence.js"></script></head>
<body><a id="__skip" href="#x">Skip</a><article>
<h1 id="_finding">The whisper campaign<a class="headerlink" href="#_finding">¶</a></h1>
<p>Rests on <a href="{link}" title="Waring and Crompton 2017">Waring and Crompton 2017</a>.</p>
<figure id="q-whisper"><blockquote>We called it a whisper campaign.</blockquote></figure>
</article></body></html>"""
JSONLD = '<script type="application/ld+json">{json}</script>'


def write(site: Path, page: str, **parts: str) -> None:
    values = {"head": JSONLD.format(json='{"@type": "Claim", "name": "x"}')}
    values["link"] = "../../bibliography/waring2017/"
    values.update(parts)
    path = site / page
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE.format(**values), encoding="utf-8")


def test_the_same_page_written_differently_is_no_difference(tmp_path: Path) -> None:
    write(tmp_path / "a", "findings/whisper/index.html")
    write(
        tmp_path / "b",
        "findings/whisper/index.html",
        head=JSONLD.format(json='{"name":"x","@type":"Claim"}'),
        link="../../findings/../bibliography/waring2017/",
    )
    assert compare_sites(tmp_path / "a", tmp_path / "b") == []


def test_a_lost_anchor_a_changed_link_and_other_data_are_differences(tmp_path: Path) -> None:
    write(tmp_path / "a", "findings/whisper/index.html")
    write(tmp_path / "a", "about/index.html")
    write(
        tmp_path / "b",
        "findings/whisper/index.html",
        head=JSONLD.format(json='{"@type": "Claim", "name": "y"}'),
        link="../../bibliography/waring2016/",
    )
    text = (tmp_path / "b" / "findings/whisper/index.html").read_text(encoding="utf-8")
    (tmp_path / "b" / "findings/whisper/index.html").write_text(
        text.replace('id="q-whisper"', 'id="q-whisper-2"'), encoding="utf-8"
    )
    found = compare_sites(tmp_path / "a", tmp_path / "b")
    assert found == [
        "about/index.html: only in A",
        "findings/whisper/index.html: anchors only in A ['q-whisper'], only in B ['q-whisper-2']",
        (
            "findings/whisper/index.html: links differ (1 vs 1), first: "
            "(('http://site/bibliography/waring2017/', 'Waring and Crompton 2017'), "
            "('http://site/bibliography/waring2016/', 'Waring and Crompton 2017'))"
        ),
        "findings/whisper/index.html: JSON-LD differs",
    ]


def test_a_left_column_drawn_differently_is_a_difference(tmp_path: Path) -> None:
    column = '<nav class="study-nav"><a href="../x/" aria-current="page">X</a></nav>'
    write(tmp_path / "a", "findings/whisper/index.html", head=column)
    write(
        tmp_path / "b",
        "findings/whisper/index.html",
        head=column.replace(' aria-current="page"', ""),
    )
    assert compare_sites(tmp_path / "a", tmp_path / "b") == [
        "findings/whisper/index.html: left column differs (1 vs 1 links)"
    ]
