"""`new DIR`: a new project in a folder of the user's choosing, made from the starter
(build_scripts/starter): an invented example study that builds and passes `check` at once,
each file saying what to replace. The project uses this checkout of the generator (its theme
overrides, its configuration and its installed packages): its Makefile names it."""

from __future__ import annotations

import os
from pathlib import Path

from build_scripts.folders import PACKAGE
from build_scripts.pipeline.problems import Problem
from build_scripts.pipeline.schema_info import SCHEMA_PATH

STARTER = PACKAGE / "starter"
GENERATOR = PACKAGE.parent
# Files whose names the starter cannot hold as they are (a package keeps no dot files).
RENAMED = {"gitignore": ".gitignore"}


def new_project(folder: Path) -> list[Problem]:
    """Write a new project into folder (made if missing); a problem, and nothing written, when
    folder holds anything already or this is no checkout of the generator."""
    shown = str(folder)
    if folder.is_symlink() or (folder.exists() and (not folder.is_dir() or any(folder.iterdir()))):
        message = "exists and is not empty; name a new folder (nothing was written)"
        return [Problem(shown, 0, 0, message, origin="environment")]
    if not is_generator_checkout():
        message = f"{GENERATOR} is not a checkout of the generator (no mkdocs.yml, overrides/)"
        return [Problem(shown, 0, 0, message, origin="environment")]
    for source in sorted(STARTER.rglob("*")):
        if source.is_file():
            relative = source.relative_to(STARTER)
            target = folder / relative.parent / RENAMED.get(relative.name, relative.name)
            _write(target, starter_text(relative.as_posix()))
    _write(folder / "mkdocs.yml", generator_config())
    return []


def is_generator_checkout() -> bool:
    """Whether the generator's mkdocs.yml and theme overrides are where a project expects."""
    return (GENERATOR / "mkdocs.yml").is_file() and (GENERATOR / "overrides").is_dir()


def starter_text(name: str) -> str:
    """A file of the starter (its path there), naming this checkout of the generator and its
    content schema where the starter holds their placeholders."""
    text = (STARTER / name).read_text(encoding="utf-8")
    return text.replace("@GENERATOR@", str(GENERATOR)).replace("@SCHEMA@", str(SCHEMA_PATH))


def generator_config() -> str:
    """The generator's mkdocs.yml for a project elsewhere (project_config)."""
    config = (GENERATOR / "mkdocs.yml").read_text(encoding="utf-8")
    return project_config(config, GENERATOR / "overrides")


def project_config(text: str, overrides: Path) -> str:
    """The generator's mkdocs.yml for a project elsewhere: the theme's overrides named where
    they are (the rest of its paths are the project's own: build/docs, site)."""
    line = "  custom_dir: overrides\n"
    if line not in text:
        raise ValueError("mkdocs.yml names its theme overrides differently")  # a bug here
    head = (
        "# The generator's configuration (its mkdocs.yml), for this project: the theme's\n"
        "# overrides are the generator's own. The site's name and description come from\n"
        "# content/site.yaml.\n"
    )
    return head + text.replace(line, f"  custom_dir: {overrides}\n")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as out:  # never over a file that appeared meanwhile
        out.write(text)
    os.chmod(path, 0o644)
