"""The engine's configuration file (mkdocs.yml and every file it INHERITs), read safely before an
engine loads it; it must not give what the content gives (the site's name and description). mkdocs' YAML loader builds Python objects from `!!python/...` tags, so a tag such
as `!!python/object/apply:os.system` would run code during the build: every Python tag is refused
at its place, except `!!python/name:` of the functions listed here (the theme's documented ones).
The file stays configuration that the project trusts like code (its plugins and hooks run)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from build_scripts.pipeline.problems import Problem

PYTHON_TAG = "tag:yaml.org,2002:python/"
# Settings the content gives (content/site.yaml), by the content field they come from.
FROM_CONTENT = {"site_name": "site.title", "site_description": "site.description"}
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
    for path, root in _documents(config):
        for node in _nodes(root):
            if node.tag.startswith(PYTHON_TAG) and not _allowed(node):
                tag = "!!" + node.tag.removeprefix("tag:yaml.org,2002:")
                problems.append(
                    Problem(
                        path.name,
                        node.start_mark.line + 1,
                        node.start_mark.column + 1,
                        f"the tag {tag!r} would run Python code when the engine reads this "
                        "file; remove it (allowed: !!python/name: of "
                        + ", ".join(sorted(ALLOWED_NAMES))
                        + ")",
                    )
                )
    return problems


def content_setting_problems(config: Path) -> list[Problem]:
    """A problem at each setting of config (or a file it inherits from) that the content gives
    (FROM_CONTENT): one fact has one source, and the generator hands it to the engine."""
    problems = []
    for path, root in _documents(config):
        if not isinstance(root, yaml.MappingNode):
            continue
        for key, _ in root.value:
            if isinstance(key, yaml.ScalarNode) and key.value in FROM_CONTENT:
                problems.append(
                    Problem(
                        path.name,
                        key.start_mark.line + 1,
                        key.start_mark.column + 1,
                        f"{key.value} comes from content/site.yaml ({FROM_CONTENT[key.value]}), "
                        "the one source of the site's name and description; remove it here",
                    )
                )
    return problems


def _documents(config: Path) -> Iterator[tuple[Path, yaml.Node | None]]:
    """config and each file it inherits from, composed (never constructed), until one is
    missing or does not parse (the engine reports that itself)."""
    path: Path | None = config
    seen: set[Path] = set()
    while path is not None and path.is_file() and path.resolve() not in seen:
        seen.add(path.resolve())
        try:
            root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        except (yaml.YAMLError, UnicodeDecodeError, ValueError):
            return
        yield path, root
        inherited = _inherit(root)
        path = path.parent / inherited if inherited else None


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
