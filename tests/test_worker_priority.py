"""Worker threads run nicer than the GUI thread, and so do the decoding threads they start."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from catgui.core.parallel import map_in_order
from catgui.workers.base import BACKGROUND_NICENESS, Worker, lower_this_thread

pytestmark = [
    pytest.mark.gui,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's"),
]


def _niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


class _Probe(Worker):
    """Records its own niceness and that of the pool threads it starts."""

    def run(self) -> None:
        self.own = _niceness()
        self.pool = sorted(set(map_in_order(lambda _i: _niceness(), range(16), workers=2)))


def test_a_worker_and_its_decoding_threads_run_below_the_gui(qtbot):
    gui = _niceness()
    probe = _Probe()
    with qtbot.waitSignal(probe.finished, timeout=10_000):
        probe.start()
    expected = min(19, gui + BACKGROUND_NICENESS)
    assert probe.own == expected
    assert probe.pool == [expected]  # pool threads inherit it
    assert _niceness() == gui  # the GUI thread itself is untouched


def test_lowering_a_plain_thread_leaves_the_others_alone():
    seen = {}

    def body():
        seen["ok"] = lower_this_thread(3)
        seen["value"] = _niceness()

    before = _niceness()
    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    assert seen == {"ok": True, "value": min(19, before + 3)}
    assert _niceness() == before
