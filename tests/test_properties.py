"""Property-based tests: for any input, a valid model or clean problems; never an escaping
exception, never a hang. Fixed seed and bounded examples, so `make test` is repeatable."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_scripts.pipeline.bibtex import load_bib_file
from build_scripts.pipeline.citations import parse_citations
from build_scripts.pipeline.load import load_project, load_yaml_file
from build_scripts.pipeline.problems import Problem
from build_scripts.pipeline.schema_info import CONTENT_SCHEMA
from build_scripts.pipeline.validate import validate_project
from tests.conftest import MINI

PROPERTY = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
ID_PATTERN = re.compile(CONTENT_SCHEMA.data["$defs"]["id"]["pattern"])
YAML_ATOMS = st.sampled_from(
    [
        "site:",
        "findings:",
        "  - id: a",
        "    title: x",
        "  id: b",
        "&a [1, 2]",
        "*a",
        "'",
        '"',
        "{",
        "}",
        "[",
        "]",
        "- ",
        ":",
        "\t",
        "---",
        "...",
        "!!python/object:os.system",
        "key: value",
        "  - *a",
        "# comment",
        "? x",
        "%YAML 1.1",
        "\u00e9",
        "\ufeff",
        "\r",
    ]
)


def is_problem_list(problems: list[Problem]) -> bool:
    return all(isinstance(p, Problem) and p.line >= 1 and p.message for p in problems)


@PROPERTY
@given(st.lists(YAML_ATOMS, max_size=12).map("\n".join) | st.text(max_size=200))
def test_loader_turns_any_text_into_data_or_problems(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        problems: list[Problem] = []
        loaded = load_yaml_file(path, Path(tmp), problems)
        assert loaded is not None or problems
        assert is_problem_list(problems)


@PROPERTY
@given(st.binary(max_size=300))
def test_loader_survives_any_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "c.yaml"
        path.write_bytes(data)
        problems: list[Problem] = []
        load_yaml_file(path, Path(tmp), problems)
        assert is_problem_list(problems)


@PROPERTY
@given(st.text(alphabet=st.sampled_from(list("@[];,-. abc12p:{}\\")), max_size=60))
def test_citation_parser_never_raises_and_spans_are_in_order(text: str) -> None:
    clusters, errors = parse_citations(text)
    ends = [0]
    for cluster in clusters:
        assert cluster.start >= ends[-1] or cluster.narrative
        assert text[cluster.start : cluster.end]
        assert all(item.key for item in cluster.items)
        ends.append(cluster.end)
    assert all(0 <= e.offset <= len(text) for e in errors)


@PROPERTY
@given(st.text(max_size=30))
def test_an_id_is_valid_exactly_when_it_is_a_slug(ident: str) -> None:
    valid = bool(ID_PATTERN.fullmatch(ident))
    assert valid == bool(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", ident))
    if valid:
        assert "/" not in ident and ".." not in ident and not ident.startswith("-")


@PROPERTY
@given(st.text(alphabet=st.sampled_from(list('@{}=,\\ab1 \n%"')), max_size=120))
def test_bibtex_loader_reports_instead_of_raising(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.bib"
        path.write_text(text, encoding="utf-8")
        problems: list[Problem] = []
        load_bib_file(path, Path(tmp), problems)
        assert is_problem_list(problems)


@settings(
    max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    st.sampled_from(["title", "statement", "id", "study", "stages", "text", "role", "speaker"]),
    st.sampled_from([None, 3, [], {}, "", "Bad Id", "x" * 5, ["framing", "framing"], True]),
)
def test_any_field_value_in_a_real_corpus_gives_a_model_or_problems(
    field: str, value: object
) -> None:
    import yaml

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(MINI / "content", root / "content")
        shutil.copytree(MINI / "bib", root / "bib")
        path = root / "content" / "findings.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        target = data["quotes"][0] if field in ("text", "role", "speaker") else data["findings"][0]
        target[field] = value
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        problems = validate_project(load_project(root))
        assert is_problem_list(problems)
