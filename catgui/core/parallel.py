"""Run a function over many items in a few threads, results in input order.

Decoding pictures is the slow part of importing folders and classifying drops, and
Pillow releases the GIL while it decodes, so a small thread pool scales it across cores.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """BLAS (OpenBLAS) on one thread while any thread is inside such a block.

    The limit is the process's own (OpenBLAS has one thread count), so blocks that
    overlap in several threads (the Classify tab's worker and a Library scan both running
    the backbone) share it: the first in sets it, the last out restores it. With
    threadpoolctl's own ``threadpool_limits`` in each, a block ending in one thread gave
    the other's products two BLAS threads again in the middle of its run (oversubscribed,
    and features different in their last bits). The BLAS libraries are looked
    up once a process (threadpoolctl reads the memory map each time: ~0.7 ms and more on
    a busy machine, holding the GIL; a scan asked three times a batch of 32 photos).
    """
    global _inside, _limiter
    with _blas_lock:
        if _inside == 0:
            _limiter = _as_owner(lambda: _controller().limit(limits=1, user_api="blas"))
        _inside += 1
    try:
        yield
    finally:
        with _blas_lock:
            _inside -= 1
            if _inside == 0 and _limiter is not None:
                _as_owner(_limiter.restore_original_limits)
                _limiter = None


def _as_owner(change: Callable[[], R]) -> R:
    """``change()`` of OpenBLAS's thread count from whichever thread comes last.

    threadpoolctl (3.6 and later) lets only one thread, the first to change a limit,
    change OpenBLAS's (silently ignoring the others) until a ``with`` block of it ends in
    that thread. The blocks here begin and end in different threads, under one lock: so
    the claim is cleared before and after each change.
    """
    import threadpoolctl

    owned = getattr(threadpoolctl, "OpenBLASController", None)
    clear = getattr(owned, "clear_controlling_thread", None)
    if clear is not None:
        clear(force=True)
    try:
        return change()
    finally:
        if clear is not None:
            clear(force=True)


_blas_lock = threading.Lock()
_inside = 0  # threads inside one_blas_thread()
_limiter = None


@functools.lru_cache(maxsize=1)
def _controller():
    import numpy  # noqa: F401 - its BLAS is loaded before the libraries are looked up
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


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
