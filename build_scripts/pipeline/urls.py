"""The permalink scheme: every entity's page and fragment come from its id, never its position."""

from __future__ import annotations

import posixpath
from functools import lru_cache

from build_scripts.pipeline.entities import Corpus, Ref
from build_scripts.pipeline.kinds import KINDS

FOLDERS = {kind.name: kind.folder for kind in KINDS if kind.folder}


def source_notes_page(study_id: str) -> str:
    """The page listing where a study's text and its reference list disagree."""
    return f"studies/{study_id}/source-notes.md"


def matrix_page(study_id: str) -> str:
    """The evidence matrix of a study: findings by model stage and by speaker group."""
    return f"studies/{study_id}/matrix.md"


def location(ref: Ref, corpus: Corpus) -> tuple[str, str]:
    """(docs-relative Markdown path, fragment) of an entity, a page (("page", its path)) or a
    study's evidence matrix (("matrix", the study's id)); the fragment may be empty."""
    kind, ident = ref
    if kind == "quote":
        return f"findings/{corpus.quotes[ident].finding}.md", ident
    if kind == "reference":
        return f"bibliography/{ident}.md", ""
    if kind == "page":
        return ident, ""
    if kind == "matrix":
        return matrix_page(ident), ""
    return f"{FOLDERS[kind]}/{ident}.md", ""


def site_url(page: str, fragment: str = "") -> str:
    """The site-relative URL of a Markdown page (directory URLs), with its fragment."""
    stem = page[: -len(".md")]
    path = (
        ""
        if stem == "index"
        else (stem[: -len("index")] if stem.endswith("/index") else stem + "/")
    )
    return path + (f"#{fragment}" if fragment else "")


def page_url(page: str, fragment: str = "", file_urls: bool = False) -> str:
    """The site-relative URL of a page as the browser sees it: directory URLs online, or the
    page's own .html file in the offline build (which opens from the file system)."""
    if not file_urls:
        return site_url(page, fragment)
    return page[: -len(".md")] + ".html" + (f"#{fragment}" if fragment else "")


def root_of(page: str, file_urls: bool = False) -> str:
    """The relative URL from a page to the site's root, as the browser resolves it."""
    return "../" * page_url(page, "", file_urls).count("/")


@lru_cache(maxsize=65536)
def relative_link(from_page: str, to_page: str, fragment: str = "") -> str:
    """A Markdown link target from one page to another, as mkdocs resolves it."""
    target = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return target + (f"#{fragment}" if fragment else "")
