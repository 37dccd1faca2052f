"""The engine's configuration file (mkdocs.yml and every file it INHERITs), read safely before an
engine loads it. mkdocs' YAML loader builds Python objects from `!!python/...` tags, so a tag such
as `!!python/object/apply:os.system` would run code during the build: every Python tag is refused
at its place, except `!!python/name:` of the functions listed here (the theme's documented ones).
The file stays configuration that the project trusts like code (its plugins and hooks run)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from build_scripts.pipeline.problems import Problem

PYTHON_TAG = "tag:yaml.org,2002:python/"
# `!!python/name:` values that Material's documentation puts in mkdocs.yml (icons, emoji,
# code fences); any other Python tag is refused.
ALLOWED_NAMES = frozenset(
    {
        "material.extensions.emoji.twemoji",
        "material.extensions.emoji.to_svg",
        "pymdownx.superfences.fence_code_format",
    }
)


def unsafe_tag_problems(config: Path) -> list[Problem]:
    """A problem at each Python tag of config and of the files it inherits from (by name,
    relative to config's folder) that the engine's loader would turn into running code."""
    problems: list[Problem] = []
    path: Path | None = config
    seen: set[Path] = set()
    while path is not None and path.is_file() and path.resolve() not in seen:
        seen.add(path.resolve())
        shown = path.name
        try:
            root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        except (yaml.YAMLError, UnicodeDecodeError, ValueError):
            return problems  # the engine reports the syntax itself, before constructing anything
        for node in _nodes(root):
            if node.tag.startswith(PYTHON_TAG) and not _allowed(node):
                tag = "!!" + node.tag.removeprefix("tag:yaml.org,2002:")
                problems.append(
                    Problem(
                        shown,
                        node.start_mark.line + 1,
                        node.start_mark.column + 1,
                        f"the tag {tag!r} would run Python code when the engine reads this "
                        "file; remove it (allowed: !!python/name: of "
                        + ", ".join(sorted(ALLOWED_NAMES))
                        + ")",
                    )
                )
        inherited = _inherit(root)
        path = path.parent / inherited if inherited else None
    return problems


def _allowed(node: yaml.Node) -> bool:
    name = node.tag.removeprefix(PYTHON_TAG + "name:")
    return name != node.tag and name in ALLOWED_NAMES and not str(node.value or "").strip()


def _inherit(root: yaml.Node | None) -> str | None:
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "INHERIT":
            return str(value.value) if isinstance(value, yaml.ScalarNode) else None
    return None


def _nodes(root: yaml.Node | None) -> Iterator[yaml.Node]:
    """Every node of a composed document, keys included (no recursion: any depth)."""
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += [key, value]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
