"""The Zensical engine: Material for MkDocs' successor, building the same generated Markdown with
the same mkdocs.yml (`zensical build --strict --clean`), run as its own program from its own
virtual environment. `make zensical` builds with it and compares the site with mkdocs'."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from build_scripts.engine import EngineOptions, Preview, source_date_epoch
from build_scripts.engine.config_file import content_setting_problems, unsafe_tag_problems
from build_scripts.pipeline.problems import Problem

# The last lines of Zensical's output on a failed build: its message, not a whole traceback.
OUTPUT_LINES = 12


class ZensicalEngine:
    """Zensical, at `executable` (see the module's docstring)."""

    def __init__(self, executable: Path) -> None:
        self.executable = executable

    def serve(self, options: EngineOptions, docs: Path, addr: str) -> Preview:
        """`zensical serve` of the docs folder given, through a configuration beside the one
        given (Zensical resolves its paths from there) that names that folder; it stays while
        the server runs."""
        config = options.config
        served = config.parent / f".{config.stem}.serve.yml"
        settings = {"INHERIT": config.name, "docs_dir": os.path.relpath(docs, config.parent)}
        settings.update(options.from_content())
        served.write_text(
            "".join(f"{key}: {json.dumps(value)}\n" for key, value in settings.items()),
            encoding="utf-8",
        )
        command = [str(self.executable), "serve", "-f", served.name, "--dev-addr", addr]
        return Preview(subprocess.Popen(command, cwd=config.parent))

    def build(self, docs: Path, site: Path, options: EngineOptions) -> list[Problem]:
        """Build docs into site (which must lie inside the configuration's folder, as Zensical
        requires); on failure, the end of what Zensical printed is the problem."""
        if not self.executable.is_file():
            message = "missing; run `make zensical` (it installs Zensical in .venv-zensical)"
            return [Problem(str(self.executable), 0, 0, message, origin="environment")]
        unsafe_tags = unsafe_tag_problems(options.config)
        unsafe_tags += content_setting_problems(options.config)
        if unsafe_tags:
            return unsafe_tags
        base = options.config.parent
        settings = {
            "INHERIT": options.config.name,
            "docs_dir": os.path.relpath(docs, base),
            "site_dir": os.path.relpath(site, base),
        }
        settings.update(options.from_content())
        config = base / f".{options.config.stem}.engine.yml"
        config.write_text(
            "".join(f"{key}: {json.dumps(value)}\n" for key, value in settings.items()),
            encoding="utf-8",
        )
        command = [str(self.executable), "build", "--strict", "--clean", "-f", config.name]
        try:
            done = subprocess.run(
                command,
                cwd=base,
                capture_output=True,
                text=True,
                env=_environment(options),
                check=False,
            )
        finally:
            config.unlink()
        if done.returncode == 0:
            return []
        lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        return [
            Problem(options.config.name, 1, 1, f"zensical: {line}", origin="engine")
            for line in lines[-OUTPUT_LINES:]
        ]


def _environment(options: EngineOptions) -> dict[str, str]:
    """This process's environment, dated by the release (SOURCE_DATE_EPOCH) when there is one."""
    environment = dict(os.environ)
    if options.release_date:
        environment["SOURCE_DATE_EPOCH"] = source_date_epoch(options.release_date)
    return environment
