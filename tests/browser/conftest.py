"""A built site served on localhost and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from build_scripts.cli import main
from build_scripts.pipeline.urls import page_url
from build_scripts.tools.local_server import served
from tests.conftest import MINI, PROJECT, add_cerqual_assessment, build, copy_corpus

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = PROJECT / "test-output" / "screenshots"


@pytest.fixture(scope="session")
def paper_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The paper's site, built from the project's content and served over HTTP."""
    root = copy_corpus(PROJECT, tmp_path_factory.mktemp("browser") / "paper")
    assert build(root) == 0
    with served(root / "site") as url:
        yield url


@pytest.fixture(scope="session")
def assessed_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The mini corpus with a GRADE-CERQual assessment, so its site has a Summary of
    Qualitative Findings (the paper records none)."""
    root = copy_corpus(MINI, tmp_path_factory.mktemp("assessed") / "mini")
    add_cerqual_assessment(root)
    assert build(root) == 0
    with served(root / "site") as url:
        yield url


@dataclass(frozen=True)
class Site:
    """A built site as the browser reaches it: over HTTP, or from the file system (offline)."""

    base: str
    offline: bool

    def url(self, page: str, fragment: str = "") -> str:
        """The address of a generated Markdown page ('findings/x.md'), as this site serves it."""
        return self.base + page_url(page, fragment, file_urls=self.offline)


@pytest.fixture(scope="session")
def offline_root(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The paper's offline copy (`make offline`), opened with file:// URLs."""
    root = copy_corpus(PROJECT, tmp_path_factory.mktemp("offline") / "paper")
    config = PROJECT / "mkdocs.offline.yml"
    assert main(["build", "--offline", "--root", str(root), "--config", str(config)]) == 0
    return (root / "site-offline").as_uri() + "/"


@pytest.fixture(params=["served", "offline"])
def site(request: pytest.FixtureRequest) -> Site:
    """The paper's site served over HTTP, then its offline copy from the file system."""
    if request.param == "served":
        return Site(request.getfixturevalue("paper_url"), offline=False)
    return Site(request.getfixturevalue("offline_root"), offline=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(page: Page, name: str) -> None:
    """Keep a picture of what the reader saw, for people to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


# Material draws Mermaid diagrams into a closed shadow root; opening it lets the tests (and axe)
# reach the diagram's links and text alternative as a reader's browser exposes them.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (options) {
  return attach.call(this, Object.assign({}, options, { mode: "open" }));
};
"""
