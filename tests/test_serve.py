"""`serve` previews the root it is given, and shows an edit of its YAML."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from build_scripts.tools.bench import fetch, wait_for
from tests.conftest import CONFIG, PROJECT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_shows_the_roots_own_pages_and_their_edits(mini: Path) -> None:
    """The project's mkdocs.yml names the project's docs folder; served with another root, the
    preview is still that root's site."""
    port = free_port()
    command = [sys.executable, "-m", "build_scripts", "serve", "--root", str(mini)]
    command += ["--config", str(CONFIG), "--addr", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        command,
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
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
