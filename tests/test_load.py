"""The loader: safe YAML with positions, and every way a file can be unreadable."""

from __future__ import annotations

from pathlib import Path

from build_scripts.pipeline.bibtex import load_bib_file
from build_scripts.pipeline.load import load_yaml_file
from build_scripts.pipeline.problems import Problem


def load(tmp_path: Path, data: bytes, name: str = "c.yaml"):
    path = tmp_path / name
    path.write_bytes(data)
    problems: list[Problem] = []
    loaded = load_yaml_file(path, tmp_path, problems)
    return loaded, [str(p) for p in problems]


def test_values_and_keys_keep_their_lines(tmp_path: Path) -> None:
    loaded, problems = load(tmp_path, b"findings:\n  - id: a\n    title: T\n")
    assert problems == []
    assert loaded.data == {"findings": [{"id": "a", "title": "T"}]}
    assert loaded.values[("findings", 0, "title")] == (3, 12)
    assert loaded.keys[("findings", 0, "title")] == (3, 5)


def test_duplicate_key_is_an_error_with_its_line(tmp_path: Path) -> None:
    _, problems = load(tmp_path, b"site:\n  title: A\n  title: B\n")
    assert problems == [
        "c.yaml:3:3: duplicate key 'title' (first at line 2); YAML would silently keep only the last one"
    ]


def test_duplicate_key_deep_in_a_list_is_found(tmp_path: Path) -> None:
    _, problems = load(tmp_path, b"quotes:\n  - id: a\n    text: x\n  - id: b\n    id: c\n")
    assert problems == [
        "c.yaml:5:5: duplicate key 'id' (first at line 4); YAML would silently keep only the last one"
    ]


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    _, problems = load(tmp_path, b"site:\n  title: [unclosed\n")
    assert problems == [
        (
            "c.yaml:3:1: YAML syntax error: expected ',' or ']', but got '<stream end>' "
            "(while parsing a flow sequence that starts at line 2)"
        )
    ]


def test_tab_indentation_is_a_syntax_error(tmp_path: Path) -> None:
    _, problems = load(tmp_path, b"site:\n\ttitle: x\n")
    assert problems == [
        "c.yaml:2:1: YAML syntax error: found character '\\t' that cannot start any token"
    ]


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    assert load(tmp_path, b"  \n\n")[1] == ["c.yaml:1:1: file is empty"]


def test_comment_only_file_is_empty(tmp_path: Path) -> None:
    assert load(tmp_path, b"# nothing here\n")[1] == ["c.yaml:1:1: file is empty"]


def test_invalid_utf8_names_line_and_byte_offset(tmp_path: Path) -> None:
    _, problems = load(tmp_path, b"site:\n  title: caf\xe9\n")
    assert problems == ["c.yaml:2:13: not valid UTF-8 (byte offset 18); save as UTF-8"]


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    loaded, problems = load(tmp_path, b"\xef\xbb\xbfsite:\r\n  title: A\r\n")
    assert problems == []
    assert loaded.data == {"site": {"title": "A"}}


def test_alias_bomb_is_bounded(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join(['*a' + str(i - 1)] * 10)}]" for i in range(1, 8)]
    _, problems = load(tmp_path, "\n".join(lines).encode())
    assert problems == [EXPANDS]


EXPANDS = (
    "c.yaml:1:1: YAML expands to over 1,000,000 values or 5,000,000 characters (its aliases "
    "repeat what they name); write the text out once"
)


def test_a_long_text_repeated_by_aliases_is_bounded_in_characters(tmp_path: Path) -> None:
    text = "x" * 1_000_000
    lines = [f"a: &a {text}", *(f"b{i}: *a" for i in range(60))]
    _, problems = load(tmp_path, "\n".join(lines).encode())
    assert problems == [EXPANDS]


def test_dates_stay_as_written(tmp_path: Path) -> None:
    loaded, _ = load(tmp_path, b"d: 2014-09-01\nn: 3\nb: true\nz: ~\n")
    assert loaded.data == {"d": "2014-09-01", "n": 3, "b": True, "z": None}


def test_bibtex_failed_and_duplicate_blocks_become_problems(tmp_path: Path) -> None:
    path = tmp_path / "r.bib"
    path.write_text(
        "@book{a, title={A}, year={2000}, author={X, Y}}\n\n"
        "@book{a, title={B}, year={2001}, author={X, Y}}\n\n"
        "@article{b,\n  title = {unbalanced,\n  year = {1}\n}\n\n"
        "@book{c, title={C}, year={2002}, author={Z, Q}}\n",
        encoding="utf-8",
    )
    problems: list[Problem] = []
    entries = load_bib_file(path, tmp_path, problems)
    assert [e.key for e in entries] == ["a", "c"]
    assert [str(p)[:40] for p in problems] == [
        "r.bib:3:1: duplicate BibTeX key 'a'",
        "r.bib:5:1: BibTeX entry does not parse: ",
    ]


def test_bibtex_latex_is_decoded_to_unicode(tmp_path: Path) -> None:
    path = tmp_path / "r.bib"
    path.write_text(
        "@article{o, author={{\\O}vretveit, J.}, title={Q}, year={2002}}\n", encoding="utf-8"
    )
    entries = load_bib_file(path, tmp_path, [])
    assert entries[0].fields["author"][0].last == ["Øvretveit"]


def test_a_very_large_file_is_refused_with_the_limit(tmp_path: Path) -> None:
    _, problems = load(tmp_path, b"# " + b"x" * 5_000_000 + b"\n")
    assert problems == ["c.yaml:1:1: file is 5,000,003 bytes; the limit is 5,000,000"]


def test_deep_nesting_is_an_error_at_its_place_never_a_recursion_error(tmp_path: Path) -> None:
    deep = b"findings: " + b"[" * 20_000 + b"]" * 20_000 + b"\n"
    _, problems = load(tmp_path, deep)
    assert problems == [
        "c.yaml:1:74: YAML nested over 64 levels deep here; content needs no more than a few"
    ]


def test_deep_nesting_is_found_without_libyaml_too(tmp_path: Path, monkeypatch) -> None:
    import yaml

    monkeypatch.delattr(yaml, "CSafeLoader")
    deep = b"findings: " + b"[" * 20_000 + b"]" * 20_000 + b"\n"
    _, problems = load(tmp_path, deep)
    assert problems == [
        "c.yaml:1:74: YAML nested over 64 levels deep here; content needs no more than a few"
    ]


def test_nesting_up_to_the_bound_is_data(tmp_path: Path) -> None:
    block = "".join(f"{'  ' * i}k{i}:\n" for i in range(63)) + "  " * 63 + "v: 1\n"
    _, problems = load(tmp_path, block.encode())
    assert problems == []
    deeper = "".join(f"{'  ' * i}k{i}:\n" for i in range(64)) + "  " * 64 + "v: 1\n"
    _, problems = load(tmp_path, deeper.encode())
    assert problems == [
        "c.yaml:65:129: YAML nested over 64 levels deep here; content needs no more than a few"
    ]


def test_deeply_nested_bibtex_braces_are_an_error_at_their_place(tmp_path: Path) -> None:
    path = tmp_path / "deep.bib"
    braces = "{" * 20_000 + "x" + "}" * 20_000
    path.write_text(f"@misc{{a,\n  title = {{\\{{ {braces}}}\n}}\n", encoding="utf-8")
    problems: list[Problem] = []
    assert load_bib_file(path, tmp_path, problems) == []
    assert [str(p) for p in problems] == [
        "deep.bib:2:45: braces nested over 32 levels deep here; BibTeX needs a few"
    ]


def test_a_value_places_its_text_on_its_own_line_in_a_block(tmp_path: Path) -> None:
    text = "a:\n  b: >-\n    first line\n    second @key here\n  c: |\n    x\n    y @key\n  d: plain @key\n"
    loaded, _ = load(tmp_path, text.encode())
    assert loaded.place_of(("a", "b"), "@key") == (4, 12)
    assert loaded.place_of(("a", "c"), "@key") == (7, 7)
    assert loaded.place_of(("a", "d"), "@key") == (8, 12)
    assert loaded.place_of(("a", "b"), "absent") == (2, 6)
