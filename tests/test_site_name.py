"""One source for the site's name and description (issue 30): content/site.yaml. mkdocs.yml names
neither; the generator hands them to the engine, and every page's header, <title> and head
metadata follow an edit of site.title, as text."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from tests.conftest import CONFIG, MINI, PROJECT, build, copy_corpus

NAME = 'Q&A on "evidence" <b>not bold</b>'
DESCRIPTION = "Every <i>finding</i> & its quotations."


def test_the_engine_configuration_names_no_site_title_or_description() -> None:
    for config in ("mkdocs.yml", "mkdocs.offline.yml", "mkdocs.zensical.yml"):
        settings = yaml.load((PROJECT / config).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        assert "site_name" not in settings and "site_description" not in settings, config
    site = yaml.safe_load((PROJECT / "content" / "site.yaml").read_text(encoding="utf-8"))["site"]
    assert site["title"] and site["description"]
    assert CONFIG == PROJECT / "mkdocs.yml"


def test_every_page_takes_the_site_title_and_description_from_the_content(
    tmp_path: Path,
) -> None:
    root = copy_corpus(MINI, tmp_path / "p")
    site_yaml = root / "content" / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8").replace(
        "  title: Mini evidence site\n",
        f"  title: {json.dumps(NAME)}\n  description: {json.dumps(DESCRIPTION)}\n",
    )
    site_yaml.write_text(text, encoding="utf-8")
    assert build(root) == 0
    pages = sorted((root / "site").rglob("index.html"))
    assert len(pages) > 20
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        where = path.relative_to(root / "site").as_posix()
        if page.find("meta", attrs={"http-equiv": "refresh"}):
            continue  # an earlier address's redirect page
        header = page.select_one(".md-header__topic .md-ellipsis")
        assert header is not None and header.get_text(strip=True) == NAME, where
        assert page.select_one("a.md-header__button.md-logo")["aria-label"] == NAME, where
        assert page.select_one("label.md-nav__title").get_text(" ", strip=True).endswith(NAME)
        title = page.title.get_text() if page.title else ""
        assert title == NAME or title.endswith(f" - {NAME}"), where
        assert not page.find("b", string="not bold"), where
        descriptions = [m["content"] for m in page.find_all("meta", attrs={"name": "description"})]
        assert len(descriptions) == 1, where
        site_names = [m["content"] for m in page.find_all("meta", property="og:site_name")]
        assert site_names in ([], [NAME]), where
    # Pages describe themselves; a page with no description of its own (404) has the site's.
    missing = BeautifulSoup((root / "site" / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert missing.find("meta", attrs={"name": "description"})["content"] == DESCRIPTION
