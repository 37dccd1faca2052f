"""The layers of build_scripts point down only (STYLE.md): pipeline <- render <- engine/state <-
publish <- build <- cli <- tools, and no modules import each other round a circle. Every import
is read, in any block (`TYPE_CHECKING` and functions included), from the source itself.
(tests/test_layout.py holds the stages pure.)"""

from __future__ import annotations

import ast
from pathlib import Path

from build_scripts.folders import PACKAGE

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
