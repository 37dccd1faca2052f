"""Publish: pages -> a temporary docs folder -> the engine's build -> swapped into place on
success; one build at a time per project."""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import posixpath
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path

from build_scripts.engine import Engine, EngineOptions
from build_scripts.folders import ASSETS, NODE_MODULES
from build_scripts.pipeline.problems import Problem, ProblemsFound
from build_scripts.render.pages import Page
from build_scripts.site_links import unsafe_links
from build_scripts.state.files import atomic_write, link_or_copy

# Front-end files served from the site itself (installed by `npm ci` from package-lock.json), so
# that no page needs a CDN: Mermaid for diagrams, iframe-worker for search from file://.
VENDORED = {
    "javascripts/vendor/mermaid.min.js": "mermaid/dist/mermaid.min.js",
    "javascripts/vendor/iframe-worker-shim.js": "iframe-worker/shim/index.js",
}


def vendored_files() -> dict[str, bytes]:
    """The vendored front-end files by their place in the site; missing ones are problems."""
    found, problems = {}, []
    for target, source in VENDORED.items():
        path = NODE_MODULES / source
        if path.is_file():
            found[target] = path.read_bytes()
        else:
            message = "missing; run `make site` (it installs package.json's packages with npm ci)"
            problems.append(Problem(f"node_modules/{source}", 0, 0, message, origin="environment"))
    if problems:
        raise ProblemsFound(problems)
    return found


def write_docs(pages: list[Page], docs: Path, same: Collection[str] = frozenset()) -> int:
    """Write pages and assets under docs, touching only files whose bytes changed; prune the
    rest. Pages whose path is in `same` are known to be under docs as they are (this process
    wrote them there, and nothing else writes there): left alone, not read again."""
    wanted: dict[Path, Callable[[], bytes]] = {
        _inside(docs, page.path): partial(str.encode, page.text) for page in pages
    }
    for asset in sorted(ASSETS.rglob("*")):
        if asset.is_file():
            wanted[docs / asset.relative_to(ASSETS)] = asset.read_bytes
    for target, data in vendored_files().items():
        wanted[docs / target] = partial(bytes, data)
    known = {_inside(docs, path) for path in same}
    changed = 0
    for path, made in wanted.items():
        if path in known and path.is_file():
            continue
        data = made()
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
        changed += 1
    for path in sorted(docs.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed


def _inside(folder: Path, relative: str) -> Path:
    """folder/relative, which validation keeps inside folder (ids and keys are slugs); a path
    that would leave it is a bug, never written. Read as text: the build makes no links there."""
    normal = posixpath.normpath(relative)
    if normal == ".." or normal.startswith(("../", "/")):
        raise ValueError(f"page path {relative!r} leaves {folder}")
    return folder / normal


@contextmanager
def _exclusive(folder: Path) -> Iterator[None]:
    """One build at a time per project: a second build waits for the first to finish."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".build.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_site(
    pages: list[Page],
    out_docs: Path,
    out_site: Path,
    engine: Engine,
    options: EngineOptions,
    data: Callable[[], Mapping[str, str]] = dict,
) -> list[Problem]:
    """Write the pages and build them with the engine in a temporary folder; check every link
    of the new site (site_links); add the data files (`data()`: text by site-relative path,
    files no page links to, such as the search index); replace out_docs and out_site only if all
    succeeded. Each is swapped in at once: at every instant, even if the process is killed,
    out_site is the last good site or the new one."""
    out_site.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(out_docs.parent):
        for stale in out_docs.parent.glob(".build-*"):  # left by a build that was killed
            shutil.rmtree(stale, ignore_errors=True)
        work = Path(tempfile.mkdtemp(prefix=".build-", dir=out_docs.parent))
        try:
            docs, site = work / "docs", work / "site"
            if out_docs.is_dir():
                shutil.copytree(out_docs, docs, copy_function=link_or_copy)
            write_docs(pages, docs)
            earlier = out_site if out_site.is_dir() else None
            problems = engine.build(docs, site, replace(options, earlier_site=earlier))
            if problems:
                return problems
            problems = unsafe_links(site, options.sources, earlier)
            if problems:
                return problems
            for path, text in data().items():
                target = _inside(site, path)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            _swap(docs, out_docs)
            _swap(site, out_site)
            return []
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _swap(new: Path, target: Path) -> None:
    """Put the folder new in target's place, so that target is never half-written: the two are
    exchanged in one step where the system can (Linux's renameat2), and new then holds the old
    one; elsewhere target is renamed away first (an instant with no target)."""
    if not target.exists():
        os.replace(new, target)
    elif not _exchange(new, target):
        trash = new.with_name(f"{new.name}.old")
        os.replace(target, trash)
        os.replace(new, target)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Exchange two paths atomically; False where the system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    names = (os.fsencode(first), os.fsencode(second))
    if renameat2(_AT_FDCWD, names[0], _AT_FDCWD, names[1], _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))
