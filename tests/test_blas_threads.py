"""One BLAS thread while any thread needs it (``parallel.one_blas_thread``): two workers
may run the backbone at once (the Classify tab's, a Library scan's); a block ending in
one must not give the other's products two BLAS threads again (the backbone's features
then change in their last bits)."""

from __future__ import annotations

import threading

import numpy as np  # noqa: F401 - its BLAS is loaded
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from catgui.core.parallel import one_blas_thread


def _blas_threads() -> list[int]:
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


@pytest.fixture
def two_blas_threads():
    if not _blas_threads():
        pytest.skip("no BLAS library with a thread pool is loaded")
    with threadpool_limits(limits=2, user_api="blas"):
        yield


def _in_thread(function) -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            function()
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not thread.is_alive()
    if errors:
        raise errors[0]


def test_blocks_overlapping_in_two_threads_keep_one_blas_thread_until_the_last_ends(
    two_blas_threads,
):
    started, release, ended = threading.Event(), threading.Event(), threading.Event()
    seen: list[list[int]] = []

    def backbone() -> None:  # the first in, the first out
        with one_blas_thread():
            seen.append(_blas_threads())
            started.set()
            assert release.wait(30)
        ended.set()

    worker = threading.Thread(target=backbone)
    worker.start()
    assert started.wait(30)
    with one_blas_thread():  # the scan's thread, storing meanwhile
        release.set()
        assert ended.wait(30)
        seen.append(_blas_threads())  # the other block ended: still one
    worker.join(30)
    seen.append(_blas_threads())  # both ended: as before
    assert seen[0] and all(n == 1 for n in seen[0])
    assert all(n == 1 for n in seen[1])
    assert all(n == 2 for n in seen[2])


def test_a_block_in_another_thread_after_one_here_still_limits(two_blas_threads):
    with one_blas_thread():
        assert set(_blas_threads()) == {1}
    assert set(_blas_threads()) == {2}

    def elsewhere() -> None:
        with one_blas_thread():
            assert set(_blas_threads()) == {1}
        assert set(_blas_threads()) == {2}

    _in_thread(elsewhere)
    _in_thread(elsewhere)
