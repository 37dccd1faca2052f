"""The package's layout holds: the pipeline and render stages stay pure (no processes, no
collector tricks, no private names of their dependencies; all of that is behind engine/), and
the tests use public names only."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PROJECT

PACKAGE = PROJECT / "build_scripts"
STAGES = sorted([*(PACKAGE / "pipeline").glob("*.py"), *(PACKAGE / "render").glob("*.py")])
TESTS = sorted((PROJECT / "tests").rglob("*.py"))
# Modules whose use in a stage would be speed plumbing: processes, forks, the collector.
PLUMBING = {"multiprocessing", "concurrent", "gc", "subprocess", "threading"}


def private_uses(path: Path, own: bool) -> Iterator[str]:
    """Private names a module takes from its dependencies (`own`: from build_scripts too):
    imported by name, or read as an attribute of something other than self or cls."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            ours = node.module.startswith(("build_scripts", "tests"))
            for alias in node.names:
                if alias.name.startswith("_") and (own or not ours):
                    yield f"{path.name}:{node.lineno}: from {node.module} import {alias.name}"
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            base = node.value
            if node.attr.startswith("__") or (
                isinstance(base, ast.Name) and base.id in ("self", "cls")
            ):
                continue
            yield f"{path.name}:{node.lineno}: {ast.unparse(node)}"


def plumbing(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        for name in names:
            if name.split(".")[0] in PLUMBING or name == "os.fork":
                yield f"{path.name}:{node.lineno}: imports {name}"
        if isinstance(node, ast.Attribute) and ast.unparse(node) == "os.fork":
            yield f"{path.name}:{node.lineno}: os.fork"


@pytest.mark.parametrize("path", STAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_stage_has_no_speed_plumbing_and_no_private_names(path: Path) -> None:
    assert [*plumbing(path), *private_uses(path, own=False)] == []


def test_tests_use_public_names_only() -> None:
    assert [use for path in TESTS for use in private_uses(path, own=True)] == []


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "import gc\nfrom mkdocs.commands.build import _build_page\nimport os\n"
        "os.fork()\nx = thing._private\n",
        encoding="utf-8",
    )
    assert list(plumbing(module)) == ["m.py:1: imports gc", "m.py:4: os.fork"]
    assert list(private_uses(module, own=False)) == [
        "m.py:2: from mkdocs.commands.build import _build_page",
        "m.py:5: thing._private",
    ]
