"""GeneratorWorker: drives any generator in a thread; throttles, fails readably, stops."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time

import pytest

from catgui.core.errors import CatguiError
from catgui.workers.base import BACKGROUND_NICENESS, running_workers
from catgui.workers.generator import GeneratorWorker

pytestmark = pytest.mark.gui


class Record:
    """What a worker emitted, in order, as ``(signal name, argument)``."""

    def __init__(self, worker: GeneratorWorker) -> None:
        self.events: list[tuple[str, object]] = []
        worker.stepped.connect(lambda step: self.events.append(("stepped", step)))
        worker.returned.connect(lambda value: self.events.append(("returned", value)))
        worker.failed.connect(lambda message: self.events.append(("failed", message)))
        worker.interrupted.connect(lambda: self.events.append(("interrupted", None)))

    def steps(self) -> list[object]:
        return [arg for name, arg in self.events if name == "stepped"]

    def ending(self) -> tuple[str, object]:
        (end,) = [(name, arg) for name, arg in self.events if name != "stepped"]
        assert self.events[-1] == end  # the last signal of a run
        return end


def run(qtbot, worker: GeneratorWorker) -> Record:
    """Start ``worker``, wait for its thread to end and for its queued signals."""
    record = Record(worker)
    with qtbot.waitSignal(worker.finished, timeout=10_000):
        worker.start()
    worker.wait()
    qtbot.waitUntil(lambda: any(name != "stepped" for name, _ in record.events))
    assert not running_workers()
    return record


def counting(n: int, result: object = "all done", pause: float = 0.0):
    for i in range(n):
        if pause:
            time.sleep(pause)
        yield i
    return result


def test_the_return_value_is_the_result_and_every_step_goes_when_unthrottled(qtbot):
    record = run(qtbot, GeneratorWorker(lambda: counting(5), max_per_second=0))
    assert record.steps() == [0, 1, 2, 3, 4]
    assert record.ending() == ("returned", "all done")


def test_the_first_and_the_last_step_always_go(qtbot):
    worker = GeneratorWorker(lambda: counting(1000), max_per_second=0.001)  # one a 1000 s
    record = run(qtbot, worker)
    assert record.steps() == [0, 999]
    assert record.ending() == ("returned", "all done")


def test_progress_is_throttled_to_the_rate(qtbot):
    worker = GeneratorWorker(lambda: counting(60, pause=0.005), max_per_second=20)
    start = time.monotonic()
    record = run(qtbot, worker)
    seconds = time.monotonic() - start
    steps = record.steps()
    assert steps[0] == 0 and steps[-1] == 59 and steps == sorted(steps)
    # at most one a 1/20 s, plus the first and the last (however slow the machine)
    assert len(steps) <= seconds * 20 + 2
    assert len(steps) < 60


def test_a_declaration_can_send_chosen_steps_at_once(qtbot):
    class EveryTenth(GeneratorWorker):
        max_per_second = 0.001

        def sends_at_once(self, step, first: bool) -> bool:
            return step % 10 == 0

    record = run(qtbot, EveryTenth(lambda: counting(25)))
    assert record.steps() == [0, 10, 20, 24]


def test_collect_sees_every_step_while_progress_is_throttled(qtbot):
    class Gathering(GeneratorWorker):
        max_per_second = 0.001

        def __init__(self) -> None:
            super().__init__(lambda: counting(30))
            self.seen: list[int] = []

        def collect(self, step) -> None:
            self.seen.append(step)

    worker = Gathering()
    record = run(qtbot, worker)
    assert worker.seen == list(range(30))
    assert record.steps() == [0, 29]


def test_a_catgui_error_is_shown_as_is_after_the_last_progress(qtbot):
    def broken():
        yield 1
        yield 2
        raise CatguiError("pictures.h5: not an HDF5 file")

    record = run(qtbot, GeneratorWorker(broken, max_per_second=0.001))
    assert record.steps() == [1, 2]  # the last step reached is sent before the failure
    assert record.ending() == ("failed", "pictures.h5: not an HDF5 file")


def test_an_unexpected_error_is_a_readable_sentence_and_its_traceback_is_logged(qtbot, caplog):
    def buggy():
        yield 1
        raise ValueError("operands could not be broadcast together")

    with caplog.at_level(logging.ERROR, logger="catgui.workers.generator"):
        record = run(qtbot, GeneratorWorker(buggy, task="the import"))
    name, message = record.ending()
    assert name == "failed"
    assert message.startswith("The import stopped because of an unexpected error")
    assert "ValueError: operands could not be broadcast together" in message
    assert "Traceback" not in message and "\n" not in message
    (logged,) = caplog.records
    assert logged.exc_info is not None and logged.exc_info[0] is ValueError
    assert "the import" in logged.getMessage()


def test_running_out_of_memory_is_a_readable_sentence(qtbot):
    def greedy():
        yield 1
        raise MemoryError()

    record = run(qtbot, GeneratorWorker(greedy, task="training"))
    assert record.ending() == ("failed", "Training ran out of memory; try with less data")


def test_an_error_before_the_first_step_fails_too(qtbot):
    def make():
        raise OSError(5, "Input/output error")

    record = run(qtbot, GeneratorWorker(make, task="the download"))
    name, message = record.ending()
    assert name == "failed" and message.startswith("The download stopped because")
    assert "Input/output error" in message and record.steps() == []


def test_an_error_in_a_declaration_s_signal_mapping_fails_too(qtbot):
    class Mistaken(GeneratorWorker):
        def send_result(self, result) -> None:
            raise KeyError(result)

    record = run(qtbot, Mistaken(lambda: counting(2), task="the test"))
    name, message = record.ending()
    assert name == "failed" and "KeyError" in message


def test_interruption_between_steps_closes_the_generator(qtbot):
    pulled: list[int] = []
    closed = threading.Event()

    def endless():
        try:
            i = 0
            while True:
                pulled.append(i)
                if i == 3:
                    worker.requestInterruption()  # as the Stop button does, between steps
                yield i
                i += 1
        finally:
            closed.set()

    worker = GeneratorWorker(endless, max_per_second=0.001)
    record = run(qtbot, worker)
    assert pulled == [0, 1, 2, 3]  # not one step more
    assert closed.is_set()  # the generator's finally ran
    assert record.steps() == [0, 3]  # the first, then the last reached
    assert record.ending() == ("interrupted", None)


def test_stop_and_wait_ends_a_running_worker(qtbot):
    started = threading.Event()
    closed = threading.Event()

    def slow():
        try:
            while True:
                started.set()
                time.sleep(0.01)
                yield None
        finally:
            closed.set()

    worker = GeneratorWorker(slow)
    record = Record(worker)
    worker.start()
    assert started.wait(10)
    assert running_workers() == [worker]
    assert worker.stop_and_wait()
    qtbot.waitUntil(lambda: ("interrupted", None) in record.events)
    assert closed.is_set() and running_workers() == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's")
def test_the_generator_runs_below_the_gui_thread(qtbot):
    gui = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    def niceness():
        yield os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        return None

    record = run(qtbot, GeneratorWorker(niceness))
    assert record.steps() == [min(19, gui + BACKGROUND_NICENESS)]
