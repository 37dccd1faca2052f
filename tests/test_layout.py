"""The package's layout holds.

- The pipeline and render stages stay pure: no processes, no collector tricks, no private names
  of their dependencies (all of that is behind engine/); the tests use public names only.
- The layers point down only (STYLE.md): pipeline <- render <- engine/state <- publish <- build
  <- cli <- tools, and no modules import each other round a circle. Every import is read, in any
  block (`TYPE_CHECKING` and functions included), from the source itself.
- Only the state package names the files a build keeps for the next, or pickles.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from build_scripts.folders import PACKAGE
from tests.conftest import PROJECT

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


def imported(tree: ast.AST) -> Iterator[tuple[int, str, list[str]]]:
    """(line, module, names) of each absolute import: `import a.b` gives ('a.b', []), `from a
    import b, c` gives ('a', ['b', 'c'])."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module, [alias.name for alias in node.names]


def plumbing(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for line, module, names in imported(tree):
        for name in [module, *(f"{module}.{n}" for n in names)]:
            if name.split(".")[0] in PLUMBING or name == "os.fork":
                yield f"{path.name}:{line}: imports {name}"
    for node in ast.walk(tree):
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


# Each part of the package and its layer: a module may import its own layer and those below.
LAYERS = {
    "folders": 0,
    "pipeline": 1,
    "render": 2,
    "engine": 3,
    "state": 3,
    "site_links": 3,
    "publish": 4,
    "build": 5,
    "new_project": 5,
    # The REFI-QDA import writes a project as `new` does; only the CLI runs it.
    "qdpx": 5,
    "cli": 6,
    "__main__": 7,
    "tools": 7,
    # The synthetic corpus writer imports nothing of the package: the CLI's `synth` runs it.
    "tools.synth": 0,
}


def part_of(module: str) -> str:
    """The layer name of a dotted module of the package ('build_scripts.render.pages' ->
    'render'; a module named in LAYERS on its own, by its own name)."""
    parts = module.split(".")
    if ".".join(parts[1:3]) in LAYERS:
        return ".".join(parts[1:3])
    return parts[1] if len(parts) > 1 else ""


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of the package in a source file, wherever it stands."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            found += [(node.lineno, n) for n in names if n.startswith("build_scripts.")][:1]
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, a.name) for a in node.names if a.name.startswith("build_scripts.")
            ]
    return found


def upward_imports(package: Path) -> list[str]:
    """Every import that points up a layer, as 'file:line: imports module'."""
    problems = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package.parent)
        here = part_of(".".join(relative.with_suffix("").parts))
        for line, module in imports_of(path):
            there = part_of(module)
            if here in LAYERS and there in LAYERS and LAYERS[there] > LAYERS[here]:
                problems.append(f"{relative}:{line}: imports {module}")
    return problems


def import_graph(package: Path) -> dict[str, set[str]]:
    """Each module of the package and the modules of the package it imports (any block)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        module = ".".join(path.relative_to(package.parent).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        graph[module] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    named = package.parent.joinpath(*full.split(".")).with_suffix(".py")
                    graph[module].add(full if named.is_file() else node.module)
    return {m: {d for d in deps if d.startswith(package.name + ".")} for m, deps in graph.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other round a circle (Tarjan's strongly
    connected components of more than one module, or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph.get(module, ())):
            if other not in graph:
                continue
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                group.append(other)
                if other == module:
                    break
            if len(group) > 1 or module in graph.get(module, ()):
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_modules_import_each_other_round_a_circle() -> None:
    assert circles(import_graph(PACKAGE)) == []


def test_a_circle_is_found(tmp_path: Path) -> None:
    package = tmp_path / "build_scripts"
    (package / "pipeline").mkdir(parents=True)
    (package / "pipeline" / "model.py").write_text(
        "from build_scripts.pipeline.reading import order\n", encoding="utf-8"
    )
    (package / "pipeline" / "reading.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from build_scripts.pipeline.model import Study\n",
        encoding="utf-8",
    )
    assert circles(import_graph(package)) == [
        ["build_scripts.pipeline.model", "build_scripts.pipeline.reading"]
    ]


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()}
    parts -= {"__init__", "__pycache__", "assets", "templates", "schema", "styles", "starter"}
    assert parts <= set(LAYERS), sorted(parts - set(LAYERS))


def test_no_import_points_up_a_layer() -> None:
    assert upward_imports(PACKAGE) == []


def test_an_import_that_points_up_is_found(tmp_path: Path) -> None:
    package = tmp_path / "build_scripts"
    (package / "pipeline").mkdir(parents=True)
    (package / "pipeline" / "model.py").write_text(
        "from __future__ import annotations\nfrom typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from build_scripts.render.pages import Page\n",
        encoding="utf-8",
    )
    assert upward_imports(package) == [
        "build_scripts/pipeline/model.py:4: imports build_scripts.render.pages"
    ]


# What names a file a build keeps for the next: the modules that pickle, and the names of
# build/cache and of its files.
KEEPING_MODULES = {"pickle", "shelve", "marshal", "dbm"}
CACHE_NAMES = re.compile(r"(^|/)cache($|/)|\.pickle\b|citations\.json")


def keeps_state(path: Path) -> Iterator[str]:
    """Each place a module pickles or names a file of build/cache, as 'file:line: what'."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for line, module, _ in imported(tree):
        if module.split(".")[0] in KEEPING_MODULES:
            yield f"{path.name}:{line}: imports {module}"
    for node in ast.walk(tree):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and CACHE_NAMES.search(text):
            yield f"{path.name}:{node.lineno}: names {text!r}"


def test_only_the_state_package_keeps_what_a_build_leaves() -> None:
    outside = [p for p in sorted(PACKAGE.rglob("*.py")) if "state" not in p.parts]
    assert [found for path in outside for found in keeps_state(path)] == []


def test_a_module_that_keeps_state_is_found(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        'import pickle\nfrom pathlib import Path\nCACHE = Path("build") / "cache"\n'
        'STATE = "pages-docs.pickle"\n',
        encoding="utf-8",
    )
    assert sorted(keeps_state(module)) == [
        "m.py:1: imports pickle",
        "m.py:3: names 'cache'",
        "m.py:4: names 'pages-docs.pickle'",
    ]


# The longest function the stages that change most may hold (issue 34): longer ones hide
# decisions that belong to a function of their own.
LONGEST_FUNCTION = 50


def long_functions(path: Path) -> Iterator[str]:
    """Each function of a module over LONGEST_FUNCTION lines, as 'file:line: name (n lines)'."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            if lines > LONGEST_FUNCTION:
                yield f"{path.name}:{node.lineno}: {node.name} ({lines} lines)"


@pytest.mark.parametrize("part", ["render", "engine"])
def test_no_function_of_render_or_engine_is_over_50_lines(part: str) -> None:
    paths = sorted((PACKAGE / part).rglob("*.py"))
    assert [found for path in paths for found in long_functions(path)] == []


def test_a_long_function_is_found(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    body = "".join(f"    x{n} = {n}\n" for n in range(50))
    module.write_text(f"def short():\n    pass\n\n\ndef long():\n{body}", encoding="utf-8")
    assert list(long_functions(module)) == ["m.py:5: long (51 lines)"]
