"""Run a function over many items in a few threads, results in input order.

Decoding pictures is the slow part of importing folders and classifying drops, and
Pillow releases the GIL while it decodes, so a small thread pool scales it across cores.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_workers(limit: int = 4) -> int:
    """One thread per processor, at most ``limit``."""
    return max(1, min(limit, os.cpu_count() or 1))


def map_in_order(
    fn: Callable[[T], R], items: Iterable[T], workers: int | None = None
) -> Iterator[R]:
    """``fn(item)`` for each item, in order, computed up to ``4 * workers`` items ahead.

    Closing the generator early (a user pressed Cancel) cancels the calls that have not
    started and waits only for the few in flight. ``workers=1`` runs in the caller's thread.
    ``fn`` must not raise for ordinary bad input (return an error value instead).
    """
    workers = default_workers() if workers is None else max(1, workers)
    if workers == 1:
        yield from (fn(item) for item in items)
        return
    window = 4 * workers
    with ThreadPoolExecutor(workers, thread_name_prefix="catgui-decode") as pool:
        pending: deque[Future] = deque()
        todo = iter(items)
        try:
            while True:
                while len(pending) < window:
                    item = next(todo, _END)
                    if item is _END:
                        break
                    pending.append(pool.submit(fn, item))
                if not pending:
                    return
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


_END = object()
