"""The README for users: short, its links and the docs' links lead somewhere, and its worked
example is content that checks clean in a new project."""

from __future__ import annotations

import re
from pathlib import Path

from build_scripts.cli import main
from tests.conftest import PROJECT

README = PROJECT / "README.md"
DOCS = sorted((PROJECT / "docs").glob("*.md"))
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def slug(heading: str) -> str:
    """A heading's anchor as GitHub and mkdocs' toc make it (lower case, hyphens)."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return re.sub(r" ", "-", text)


def test_the_readme_is_short() -> None:
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 250


def test_every_link_between_the_readme_and_the_docs_leads_somewhere() -> None:
    checked = 0
    for page in [README, *DOCS]:
        for target in _LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve()
            assert linked.is_file(), f"{page.name}: {target}"
            if anchor:
                headings = re.findall(
                    r"^#+ (.*)$", linked.read_text(encoding="utf-8"), re.MULTILINE
                )
                assert anchor in {slug(h) for h in headings}, f"{page.name}: {target}"
            checked += 1
    assert checked >= 10
    readme = README.read_text(encoding="utf-8")
    assert [p.name for p in DOCS if f"](docs/{p.name}" not in readme] == []  # each one linked


def test_the_worked_example_checks_clean_in_a_new_project(tmp_path: Path) -> None:
    text = README.read_text(encoding="utf-8")
    content = next(b for b in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL) if "studies:" in b)
    bib = re.findall(r"```bibtex\n(.*?)```", text, re.DOTALL)[0]
    folder = tmp_path / "project"
    assert main(["new", str(folder)]) == 0
    (folder / "content" / "study.yaml").unlink()
    site = folder / "content" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("example2024", "smith2024"), "utf-8")
    (folder / "content" / "example.yaml").write_text(content, encoding="utf-8")
    (folder / "bib" / "references.bib").write_text(bib, encoding="utf-8")
    (folder / "sources" / "smith-2024.txt").write_text(
        "Owning a change on Ward A\n\nFindings\n\nA nurse said: ‘It was our idea, so we kept at it.’\n",
        encoding="utf-8",
    )
    assert main(["check", "--root", str(folder), "--config", str(folder / "mkdocs.yml")]) == 0
