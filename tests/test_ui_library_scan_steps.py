"""The scan's worker shows every phase of a scan, however quickly the phases pass."""

from __future__ import annotations

import pytest

from catgui.core.library.scan import ScanStep
from catgui.ui.library.scanner import ScanWorker

pytestmark = pytest.mark.gui


def quick_scan():
    yield ScanStep("walking", 0, 0)
    yield ScanStep("walking", 1000, 0)
    yield ScanStep("reading", 0, 3)
    yield ScanStep("reading", 1, 3)
    yield ScanStep("reading", 2, 3)
    yield ScanStep("reading", 3, 3)
    yield ScanStep("compacting", 0, 0)
    yield ScanStep("scoring", 0, 0)
    yield ScanStep("scoring", 3, 0)
    return "summary"


def test_each_phase_s_first_step_and_the_last_photo_read_go_whatever_the_throttle(qtbot):
    worker = ScanWorker(quick_scan, "the scan", max_per_second=0.001)  # one a 1000 s
    sent, ends = [], []
    worker.stepped.connect(lambda s: sent.append((s.phase, s.done, s.total)))
    worker.returned.connect(ends.append)
    with qtbot.waitSignal(worker.returned, timeout=10_000):
        worker.start()
    worker.wait()
    assert sent == [
        ("walking", 0, 0),
        ("reading", 0, 3),
        ("reading", 3, 3),
        ("compacting", 0, 0),
        ("scoring", 0, 0),
        ("scoring", 3, 0),  # the last step, as always
    ]
    assert ends == ["summary"]
