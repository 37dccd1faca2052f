"""Rewrite tests/fixtures/*/expected/ from the generator (`make golden`); review the diff after."""

from __future__ import annotations

import shutil
from pathlib import Path

from build_scripts.build import generate
from build_scripts.publish import ASSETS, write_docs

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN_CORPORA = ["mini"]


def main() -> None:
    for name in GOLDEN_CORPORA:
        expected = FIXTURES / name / "expected"
        shutil.rmtree(expected, ignore_errors=True)
        write_docs(generate(FIXTURES / name), expected)
        for asset in ASSETS.iterdir():  # copied verbatim, so not golden
            shutil.rmtree(expected / asset.name)
        print(f"rewrote {expected}")


if __name__ == "__main__":
    main()
