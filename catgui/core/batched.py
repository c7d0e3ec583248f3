"""Decode ahead in threads, compute in batches: the one way pictures reach the backbone.

``catgui predict``, the Classify tab's worker and the library scan all read files the same
way: each file is decoded (Pillow releases the GIL for most of it) in a small pool of
threads while the caller's thread runs the network on the batch decoded before, and the
network takes a batch at a time (the backbone runs two pictures per thread on two threads:
:func:`catgui.core.backbone.extract_steps`). Results come back in input order.

Measured (docs/performance.md, figure 10): see :data:`BATCH`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from catgui.core.parallel import default_workers

T = TypeVar("T")
D = TypeVar("D")
R = TypeVar("R")

#: Pictures a batch takes through the backbone (measured with ``bench_library.py``
#: ``--batch``: see docs/performance.md, figure 10).
BATCH = 16


def batches_in_order(
    decode: Callable[[T], D],
    compute: Callable[[list[D]], Sequence[R]],
    items: Iterable[T],
    batch: int = BATCH,
    first: int | None = None,
    decoders: int | None = None,
) -> Iterator[list[R]]:
    """``compute`` of consecutive batches of ``decode(item)``, one list of results a batch.

    Parameters
    ----------
    decode : callable
        Runs in a pool of ``decoders`` threads (default: one per processor, at most 4),
        up to a batch and a few items ahead of the batch being computed; must not raise
        for ordinary bad input (return an error value instead).
    compute : callable
        Runs in the caller's thread on a list of decoded items; returns one result each.
    items : iterable
        Read lazily (a folder walk may still be going on).
    batch : int
        Items a batch holds; ``first`` (if given) for the first batch only, so the first
        result comes as soon as one item is decoded and computed.

    Closing the generator cancels the decoding not yet started and waits only for the
    few decodes in flight.
    """
    batch = max(1, batch)
    workers = default_workers() if decoders is None else max(1, decoders)
    sizes = _sizes(batch, first)
    todo = iter(items)
    pending: deque[Future] = deque()

    def fill(count: int) -> None:
        while len(pending) < count:
            item = next(todo, _END)
            if item is _END:
                return
            pending.append(pool.submit(decode, item))

    with ThreadPoolExecutor(workers, thread_name_prefix="catgui-decode") as pool:
        try:
            size = next(sizes)
            fill(size)
            while pending:
                decoded = [pending.popleft().result() for _ in range(min(size, len(pending)))]
                size = next(sizes)
                fill(size + workers)  # the next batch decodes while this one computes
                results = list(compute(decoded))
                if len(results) != len(decoded):
                    raise AssertionError(f"{len(decoded)} items gave {len(results)} results")
                yield results
        finally:
            for future in pending:
                future.cancel()


def batched_in_order(
    decode: Callable[[T], D],
    compute: Callable[[list[D]], Sequence[R]],
    items: Iterable[T],
    batch: int = BATCH,
    first: int | None = None,
    decoders: int | None = None,
) -> Iterator[R]:
    """:func:`batches_in_order`, one result at a time."""
    batches = batches_in_order(decode, compute, items, batch, first, decoders)
    try:
        for results in batches:
            yield from results
    finally:
        batches.close()


def _sizes(batch: int, first: int | None) -> Iterator[int]:
    if first is not None:
        yield max(1, first)
    while True:
        yield batch


_END = object()
