"""Work shared out over the machine's cores: forked workers, each taking every n-th item.

Forking lets a worker start from the parent's state (a parsed corpus, a configured mkdocs) without
pickling it; only each worker's result travels back.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
ITEMS_PER_WORKER = 200  # fewer items a worker than this, and a fork does not pay (see the bench)

_TASK: Callable[[int, int], Any] | None = None  # set before forking; workers inherit it


def workers_for(items: int) -> int:
    """How many workers pay for this many items: one per core, one for small jobs."""
    return min(os.cpu_count() or 1, max(1, items // ITEMS_PER_WORKER))


def shared_out(task: Callable[[int, int], T], workers: int) -> list[T]:
    """task(number, workers) in `workers` forked processes, number 0 to workers-1; the results."""
    global _TASK
    _TASK = task
    # Objects made before the fork (a corpus, a configured mkdocs) move out of the collector's
    # reach: workers' collections no longer walk them, nor copy their pages by touching them.
    gc.collect()
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return list(pool.map(_run, range(workers), [workers] * workers))
    finally:
        _TASK = None
        gc.unfreeze()


class ForkedTasks:
    """Shares run in forked workers, one per share (the render stage's `Tasks`); one share runs
    in this process. `workers`, when given, is the number of shares whatever the items."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers

    def workers_for(self, items: int) -> int:
        """`workers`, or as many as pay for this many items."""
        return self.workers if self.workers is not None else workers_for(items)

    def share(self, task: Callable[[int, int], T], workers: int) -> list[T]:
        """task(number, workers) for each number, in forked workers when there are several."""
        return shared_out(task, workers) if workers > 1 else [task(0, 1)]


def _run(number: int, workers: int) -> Any:
    assert _TASK is not None
    return _TASK(number, workers)


def in_background(task: Callable[[], T]) -> Callable[[], T]:
    """task() started now in a forked process, on another core than the caller's work; the
    function returned waits for its result (each call gives the same one) and raises what the
    task raised. The child only computes and writes its result to a pipe: if this process is
    killed, the child ends as soon as it has written (or finds no reader), never waits on."""
    reader, writer = multiprocessing.Pipe(duplex=False)
    gc.collect()
    gc.freeze()
    child = os.fork()
    if child == 0:  # the child: compute, send, leave without running the parent's cleanups
        reader.close()
        code = 0
        try:
            try:
                outcome: tuple[bool, Any] = (True, task())
            except BaseException as error:  # noqa: BLE001 (sent back, raised in the parent)
                outcome = (False, error)
            writer.send(outcome)
        except BaseException:  # noqa: BLE001 (the child never returns into the parent's code)
            code = 1
        finally:
            os._exit(code)
    gc.unfreeze()
    writer.close()
    kept: list[tuple[bool, Any]] = []

    def result() -> T:
        if not kept:
            try:
                kept.append(reader.recv())
            except EOFError:
                kept.append((False, RuntimeError("no result")))
            reader.close()
            os.waitpid(child, 0)
        done, value = kept[0]
        if not done:
            raise value
        answer: T = value
        return answer

    return result
