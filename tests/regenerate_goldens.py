"""Rewrite tests/fixtures/*/expected/ from the generator (`make golden`); review the diff after."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from build_scripts.build import generate
from build_scripts.publish import ASSETS, write_docs

FIXTURES = Path(__file__).parent / "fixtures"
# "two" is the mini corpus with tests/fixtures/two (a second, fictional study) laid over it.
GOLDEN_CORPORA = ["mini", "two"]


@contextmanager
def corpus_root(name: str) -> Iterator[Path]:
    """The folder a golden corpus is generated from (a copy, for one laid over mini)."""
    if name == "mini":
        yield FIXTURES / "mini"
        return
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / name
        for part in ("content", "bib", "sources"):
            shutil.copytree(FIXTURES / "mini" / part, root / part)
            if (FIXTURES / name / part).is_dir():
                shutil.copytree(FIXTURES / name / part, root / part, dirs_exist_ok=True)
        yield root


def main() -> None:
    for name in GOLDEN_CORPORA:
        expected = FIXTURES / name / "expected"
        shutil.rmtree(expected, ignore_errors=True)
        with corpus_root(name) as root:
            write_docs(generate(root), expected)
        for asset in ASSETS.iterdir():  # copied verbatim, so not golden
            shutil.rmtree(expected / asset.name)
        print(f"rewrote {expected}")


if __name__ == "__main__":
    main()
