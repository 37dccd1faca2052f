"""`make bench`: what citations cost per page, ours beside mkdocs-bibtex on the same pages.

Speed is measured here and printed, never asserted in a test. Every figure is CPU seconds of this
one process (steadier than wall time on a shared machine), the best of a few runs, on this machine.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from resource import RUSAGE_CHILDREN, RUSAGE_SELF, getrusage

from build_scripts.build import GenerateOptions
from build_scripts.build import generate as generate_serially
from build_scripts.engine.executor import ForkedTasks, workers_for
from build_scripts.engine.speedups import memoise_citeproc_style_lookups
from build_scripts.folders import PACKAGE
from build_scripts.publish import write_docs
from build_scripts.render.pages import Page
from build_scripts.state.build_state import BuildState
from build_scripts.tools import lighthouse, search_bench
from build_scripts.tools.stock import BENCH_SITE, mkdocs_build
from build_scripts.tools.synth import write_corpus

PROJECT = PACKAGE.parent
# Pandoc citations as the synthetic corpus writes them: bracketed clusters and "As @key shows".
_BRACKETED = re.compile(r" \[(?:[^\[\]]*?@[A-Za-z0-9_]+[^\[\]]*?)\]")
_NARRATIVE = re.compile(r" @s[0-9]{3}[a-z0-9]+")


def best_of(
    runs: int, work: Callable[[], object], before: Callable[[], object] | None = None
) -> float:
    """The least CPU time of `runs` runs of work (before() runs untimed each time)."""
    times = []
    for _ in range(runs):
        if before:
            before()
        gc.collect()
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def interleaved(rounds: int, variants: list[Callable[[], object]]) -> list[float]:
    """Best time of each variant, run in turn round after round so drift hits all alike."""
    best = [float("inf")] * len(variants)
    for _ in range(rounds):
        for number, work in enumerate(variants):
            best[number] = min(best[number], best_of(1, work))
    return best


# The name the benchmarked builds are given (the generator gives a site its name from its content).


def markdown_converter(config: Path, docs: Path) -> Callable[[], None]:
    """Python-Markdown alone converting every page of docs, with the site's extensions."""
    import markdown
    from mkdocs.config import load_config

    cfg = load_config(config_file=str(config), docs_dir=str(docs), site_name=BENCH_SITE)
    texts = [p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*.md"))]
    converter = markdown.Markdown(
        extensions=cfg["markdown_extensions"], extension_configs=cfg["mdx_configs"]
    )

    def convert_all() -> None:
        for text in texts:
            converter.reset().convert(text)

    return convert_all


def generate(root: Path, pandoc: bool = False) -> list[Page]:
    """The pages as `make site` generates them (on every core that pays)."""
    return generate_serially(root, GenerateOptions(pandoc=pandoc, tasks=ForkedTasks()))


def bibtex_config(work: Path, bib: Path) -> Path:
    """mkdocs.yml plus the mkdocs-bibtex plugin (footnotes), for the comparison.

    Edited as text: the file holds a !!python/name tag that a safe YAML round trip cannot keep."""
    text = (PROJECT / "mkdocs.yml").read_text(encoding="utf-8")
    edits = {
        "\nplugins:\n  - search\n": f"\nplugins:\n  - search\n  - bibtex:\n      bib_file: {bib}\n",
        "\nmarkdown_extensions:\n": "\nmarkdown_extensions:\n  - footnotes\n",
        "custom_dir: overrides": f"custom_dir: {PROJECT / 'overrides'}",
    }
    for old, new in edits.items():
        if old not in text:
            raise ValueError(f"mkdocs.yml has no {old.strip()!r} to edit for mkdocs-bibtex")
        text = text.replace(old, new, 1)
    path = work / "mkdocs-bibtex.yml"
    path.write_text(text, encoding="utf-8")
    return path


def strip_citations(docs: Path, out: Path) -> int:
    """Copy docs with every pandoc citation removed; returns how many were removed."""
    removed = 0
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(docs.rglob("*")):
        target = out / path.relative_to(docs)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        text = path.read_text(encoding="utf-8") if path.suffix == ".md" else None
        if text is None:
            shutil.copyfile(path, target)
            continue
        text, bracketed = _BRACKETED.subn("", text)
        text, narrative = _NARRATIVE.subn("", text)
        removed += bracketed + narrative
        target.write_text(text, encoding="utf-8")
    return removed


def citation_bench(studies: int, runs: int) -> None:
    """Citation cost per page: generation and mkdocs, ours cold and warm, and mkdocs-bibtex."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        write_corpus(corpus, studies)
        clear = BuildState.of(corpus).forget_citations
        t_plain, t_warm = interleaved(
            runs, [lambda: generate(corpus, pandoc=True), lambda: generate(corpus)]
        )
        t_cold = best_of(runs, lambda: generate(corpus), before=clear)
        generate(corpus)

        docs = {name: work / name for name in ("ours", "pandoc", "bare")}
        write_docs(generate(corpus), docs["ours"])
        write_docs(generate(corpus, pandoc=True), docs["pandoc"])
        citations = strip_citations(docs["pandoc"], docs["bare"])
        pages = sum(1 for _ in docs["bare"].rglob("*.md"))

        config = PROJECT / "mkdocs.yml"
        bib_config = bibtex_config(work, corpus / "bib" / "synthetic.bib")
        m_bare, m_ours, m_bibtex = interleaved(
            runs,
            [
                lambda: mkdocs_build(config, docs["bare"], work / "site-bare"),
                lambda: mkdocs_build(config, docs["ours"], work / "site-ours"),
                lambda: mkdocs_build(bib_config, docs["pandoc"], work / "site-bib"),
            ],
        )

        md_bare, md_ours = interleaved(
            runs,
            [markdown_converter(config, docs["bare"]), markdown_converter(config, docs["ours"])],
        )

    def per_page(seconds: float) -> str:
        return f"{seconds / pages * 1000:8.2f}"

    def per_8(seconds: float) -> str:
        return f"{seconds / citations * 8 * 1000:9.2f}"

    print(
        f"\nCitation cost: {studies} synthetic studies, {pages} pages, {citations} citations "
        f"({citations / pages:.1f} a page; 8 on each finding page); best of {runs}"
    )
    print(f"{'':34} {'seconds':>8} {'ms/page':>8}")
    print(f"{'bare mkdocs, citations stripped':34} {m_bare:8.2f} {per_page(m_bare)}")
    print(f"{'our generation, no citation work':34} {t_plain:8.2f} {per_page(t_plain)}")
    rows = [
        ("ours, cold (empty cache)", t_cold - t_plain + m_ours - m_bare),
        ("ours, rebuild (cache warm)", t_warm - t_plain + m_ours - m_bare),
        ("  of which generation, cold", t_cold - t_plain),
        ("  of which generation, rebuild", t_warm - t_plain),
        ("  of which mkdocs (link markup)", m_ours - m_bare),
        ("  the same, Markdown alone", md_ours - md_bare),
        ("mkdocs-bibtex 4.4.0", m_bibtex - m_bare),
    ]
    print(f"{'citation cost':34} {'seconds':>8} {'ms/page':>8} {'ms/8 cit.':>9} {'vs bibtex':>9}")
    for label, seconds in rows:
        ratio = seconds / (m_bibtex - m_bare) if m_bibtex > m_bare else float("nan")
        print(f"{label:34} {seconds:8.2f} {per_page(seconds)} {per_8(seconds)} {ratio:9.2f}")
    print("ms/8 cit.: the cost of one page that carries 8 citations (cost per citation x 8).")


# The review across all studies that each synthetic corpus of the scale bench carries.
REVIEW_FINDINGS = 30


def one_size(studies: int, folder: Path) -> dict[str, float]:
    """Build a synthetic corpus of this many studies once, cold, in this (fresh) process; then,
    on the same generated pages, bare mkdocs (citations stripped) and mkdocs-bibtex."""
    write_corpus(folder, studies, review_findings=REVIEW_FINDINGS)
    start = time.perf_counter()
    pages = generate(folder)
    docs = folder / "build" / "docs"
    write_docs(pages, docs)
    generation = time.perf_counter() - start
    start = time.perf_counter()
    mkdocs_build(PROJECT / "mkdocs.yml", docs, folder / "site", workers_for(len(pages)))
    build = time.perf_counter() - start
    peak = max(getrusage(who).ru_maxrss for who in (RUSAGE_SELF, RUSAGE_CHILDREN)) / 1024
    html = [p.stat().st_size for p in (folder / "site").rglob("*.html")]
    total = sum(p.stat().st_size for p in (folder / "site").rglob("*") if p.is_file())
    shutil.rmtree(folder / "site")
    pandoc, bare = folder / "build" / "docs-pandoc", folder / "build" / "docs-bare"
    write_docs(generate(folder, pandoc=True), pandoc)
    strip_citations(pandoc, bare)
    start = time.perf_counter()
    mkdocs_build(PROJECT / "mkdocs.yml", bare, folder / "site-bare")
    bare_mkdocs = time.perf_counter() - start
    shutil.rmtree(folder / "site-bare")
    config = bibtex_config(folder, folder / "bib" / "synthetic.bib")
    start = time.perf_counter()
    mkdocs_build(config, pandoc, folder / "site-bibtex")
    bibtex = time.perf_counter() - start
    loop = edit_loop(folder)
    return {
        **loop,
        "studies": studies,
        "pages": len(html),
        "generation": generation,
        "mkdocs": build,
        "largest_kb": max(html) / 1024,
        "site_mb": total / 2**20,
        "peak_mb": peak,
        "bare_mkdocs": bare_mkdocs,
        "mkdocs_bibtex": bibtex,
    }


def edit_loop(folder: Path) -> dict[str, float]:
    """On a built synthetic corpus: stock `mkdocs build` (one process) of our generated pages;
    our cold `build`; our `build` again after a one-word edit of one finding; and, with `serve`
    running, the seconds from that edit saved until the served page shows it."""
    from build_scripts.cli import main as cli

    docs = folder / "build" / "docs"
    start = time.perf_counter()
    mkdocs_build(PROJECT / "mkdocs.yml", docs, folder / "site-stock")
    stock = time.perf_counter() - start
    shutil.rmtree(folder / "site-stock")
    command = ["build", "--root", str(folder), "--config", str(PROJECT / "mkdocs.yml")]
    start = time.perf_counter()
    assert cli(command) == 0
    cold = time.perf_counter() - start
    target = folder / "content" / "studies" / "s001.yaml"
    original = target.read_text(encoding="utf-8")
    first = next(line for line in original.splitlines() if line.startswith("  statement: "))
    finding = original.split(first)[0].rsplit("- id: ", 1)[1].split("\n", 1)[0].strip()
    target.write_text(original.replace(first, first + " rebuildedit", 1), encoding="utf-8")
    start = time.perf_counter()
    assert cli(command) == 0
    rebuild = time.perf_counter() - start
    target.write_text(original, encoding="utf-8")
    serve = _serve_edit(folder, target, first, f"findings/{finding}/")
    return {"stock_mkdocs": stock, "cold": cold, "rebuild": rebuild, "serve_edit": serve}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_serve(root: Path, port: int, config: Path | None = None) -> subprocess.Popen[bytes]:
    """`serve` of the project at root (with config, else root's own mkdocs.yml) on port, in a
    session of its own (stop it with os.killpg), its output discarded."""
    command = [sys.executable, "-m", "build_scripts", "serve", "--root", str(root)]
    command += ["--config", str(config)] if config else []
    return subprocess.Popen(
        [*command, "--addr", f"127.0.0.1:{port}"],
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _serve_edit(folder: Path, target: Path, line: str, page: str) -> float:
    """`serve` on folder; once the page is served, the seconds from an edit of line in target
    until the page shows it."""
    port = free_port()
    server = start_serve(folder, port, PROJECT / "mkdocs.yml")
    url = f"http://127.0.0.1:{port}/{page}"
    original = target.read_text(encoding="utf-8")
    try:
        wait_for(url, lambda text: "<h1" in text, 900)
        target.write_text(original.replace(line, line + " serveedit", 1), encoding="utf-8")
        return wait_for(url, lambda text: "serveedit" in text, 300)
    finally:
        target.write_text(original, encoding="utf-8")
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()


def size_bench(sizes: tuple[int, ...]) -> None:
    """Whole builds at several corpus sizes, each in a fresh process (for its peak memory)."""
    print(
        f"\nScale: synthetic corpora (each with a review of {REVIEW_FINDINGS} findings across all "
        "its studies), one cold build each (wall seconds); then, on the same generated pages, "
        "bare mkdocs (citations stripped) and mkdocs-bibtex 4.4.0"
    )
    print(
        f"{'studies':>7} {'pages':>6} {'generate':>9} {'mkdocs':>8} {'total':>8} "
        f"{'largest KB':>10} {'site MB':>8} {'peak MB':>8} {'per page':>9} "
        f"{'bare':>7} {'bibtex':>7} {'gen/bare':>8} {'total/bare':>10} {'bibtex/bare':>11}"
    )
    rows = []
    for studies in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-size-") as tmp:
            command = [
                sys.executable,
                "-m",
                "build_scripts.tools.bench",
                "--one-size",
                str(studies),
                tmp,
            ]
            out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=PROJECT)
        row = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(row)
        total, bare = row["generation"] + row["mkdocs"], row["bare_mkdocs"]
        print(
            f"{row['studies']:7d} {row['pages']:6d} {row['generation']:9.1f} {row['mkdocs']:8.1f} "
            f"{total:8.1f} {row['largest_kb']:10.0f} {row['site_mb']:8.1f} {row['peak_mb']:8.0f} "
            f"{total / row['pages'] * 1000:7.1f}ms {bare:7.1f} {row['mkdocs_bibtex']:7.1f} "
            f"{row['generation'] / bare * 100:7.0f}% {total / bare:10.2f} "
            f"{row['mkdocs_bibtex'] / bare:11.2f}"
        )
    print(
        "\nEdit loop, same corpora: stock `mkdocs build` (one process) of our generated pages; "
        "our cold build; our build again after a one-word edit of one finding; with `serve` "
        "running, from that edit saved to the served page showing it (wall seconds, and ratios "
        "to stock)"
    )
    print(
        f"{'studies':>7} {'pages':>6} {'stock':>7} {'cold':>7} {'rebuild':>8} {'serve':>7} "
        f"{'cold/stock':>10} {'rebuild/stock':>13} {'serve/stock':>11}"
    )
    for row in rows:
        stock = row["stock_mkdocs"]
        print(
            f"{row['studies']:7d} {row['pages']:6d} {stock:7.1f} {row['cold']:7.1f} "
            f"{row['rebuild']:8.1f} {row['serve_edit']:7.1f} {row['cold'] / stock:10.2f} "
            f"{row['rebuild'] / stock:13.2f} {row['serve_edit'] / stock:11.2f}"
        )
    first, last = rows[0], rows[-1]
    growth = last["studies"] / first["studies"]
    slower = (last["generation"] + last["mkdocs"]) / (first["generation"] + first["mkdocs"])
    print(
        f"{growth:.0f}x the corpus took {slower:.1f}x the time; our generation was "
        f"{last['generation'] / last['bare_mkdocs'] * 100:.0f}% of the bare mkdocs time at "
        f"{last['studies']} studies. gen/bare: our generation (citations included) over bare "
        "mkdocs; total/bare: our whole build over bare mkdocs; bibtex/bare: mkdocs with "
        "mkdocs-bibtex over bare mkdocs."
    )


def fetch(url: str) -> str:
    """A page's text, or '' when it cannot be fetched (yet)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def wait_for(url: str, wanted: Callable[[str], bool], timeout: float) -> float:
    """Poll url every 20 ms until its text satisfies wanted; the seconds it took."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if wanted(fetch(url)):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise TimeoutError(f"{url} did not change within {timeout} s")


def serve_bench(rounds: int = 5) -> None:
    """Edit a YAML file while `serve` runs on the paper's site: wall seconds until the served
    page shows the edit (what a reader of `make serve` waits for before the page reloads)."""
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        root = Path(tmp)
        for part in ("content", "bib", "sources", "overrides"):
            shutil.copytree(PROJECT / part, root / part)
        for name in ("mkdocs.yml", "anchors.lock"):
            shutil.copyfile(PROJECT / name, root / name)
        port = free_port()
        server = start_serve(root, port)
        url = f"http://127.0.0.1:{port}/findings/whisper-campaign/"
        target = root / "content" / "findings" / "mobilising.yaml"
        original = target.read_text(encoding="utf-8")
        times = []
        try:
            wait_for(url, lambda text: "whisper" in text, 180)
            for number in range(rounds):
                marker = f"benchmark{number}"
                edited = original.replace("novel, more oblique", f"novel {marker}, more oblique")
                target.write_text(edited, encoding="utf-8")
                times.append(wait_for(url, lambda text, m=marker: m in text, 60))  # type: ignore[misc]
                target.write_text(original, encoding="utf-8")
                wait_for(url, lambda text, m=marker: "whisper" in text and m not in text, 60)  # type: ignore[misc]
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()
    times.sort()
    print(
        f"\nServe: edit a finding's YAML while `serve` runs on the paper's site, {rounds} edits; "
        f"seconds until the served page shows it: median {times[len(times) // 2]:.2f}, "
        f"fastest {times[0]:.2f}, slowest {times[-1]:.2f}"
    )


def main() -> None:
    """Run the benchmarks and print their tables (with the speed-ups a build switches on)."""
    memoise_citeproc_style_lookups()
    if len(sys.argv) == 4 and sys.argv[1] == "--one-size":
        print(json.dumps(one_size(int(sys.argv[2]), Path(sys.argv[3]))))
        return
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"Python {platform.python_version()}, {platform.system()}"
    )
    if sys.argv[1:] == ["--serve"]:
        serve_bench()
        return
    if sys.argv[1:2] == ["--lighthouse-only"]:
        lighthouse.main(sys.argv[2:])
        return
    serve_bench()
    size_bench((6, 25, 100))
    search_bench.main()
    citation_bench(studies=6, runs=7)
    lighthouse.main([])


if __name__ == "__main__":
    main()
