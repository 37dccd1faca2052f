"""`serve` previews the root it is given, and shows an edit of its YAML."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from build_scripts.tools.bench import fetch, free_port, start_serve, wait_for
from tests.conftest import CONFIG


def test_serve_shows_the_roots_own_pages_and_their_edits(mini: Path) -> None:
    """The project's mkdocs.yml names the project's docs folder; served with another root, the
    preview is still that root's site."""
    port = free_port()
    server = start_serve(mini, port, CONFIG)
    page = f"http://127.0.0.1:{port}/findings/qi-methods-chosen-quickly/"
    try:
        wait_for(page, lambda text: "Managers chose the QI methods quickly" in text, 120)
        assert "Mini evidence site" in fetch(page)
        findings = mini / "content" / "findings.yaml"
        original = findings.read_text(encoding="utf-8")
        edited = original.replace("within 2-3 months", "within 2-3 months servedit", 1)
        assert edited != original
        findings.write_text(edited, encoding="utf-8")
        wait_for(page, lambda text: "servedit" in text, 60)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
