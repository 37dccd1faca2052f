"""A plain mkdocs build of generated pages, as the benches compare against (and ours on several
cores): the site named BENCH_SITE, mkdocs' log captured."""

from __future__ import annotations

from pathlib import Path

from build_scripts.engine.mkdocs_engine import captured_mkdocs_log
from build_scripts.engine.mkdocs_parallel import build_in_parallel

BENCH_SITE = "Benchmark"


def mkdocs_build(config: Path, docs: Path, site: Path, workers: int = 1) -> list[str]:
    """One mkdocs build with its log captured: mkdocs' own (workers=1), or ours on several cores."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    with captured_mkdocs_log() as log:
        cfg = load_config(
            config_file=str(config),
            docs_dir=str(docs),
            site_dir=str(site),
            strict=False,
            site_name=BENCH_SITE,
        )
        if workers > 1:
            build_in_parallel(cfg, workers)
        else:
            build(cfg)
    return list(log.messages)
