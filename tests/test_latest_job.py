"""LatestJob: one run at a time; requests during a run give exactly one more run after it."""

from __future__ import annotations

import threading

from catgui.workers.generator import GeneratorWorker
from catgui.workers.latest_job import LatestJob


def test_requests_during_a_run_give_one_more_run_and_shutdown_ends_it(qtbot):
    gate = threading.Event()
    runs: list[int] = []
    state = {"value": 0}

    def steps(seen: int):
        gate.wait(10)
        runs.append(seen)
        yield seen
        return seen

    def make() -> GeneratorWorker:
        seen = state["value"]  # a run reads what is there when it is made
        return GeneratorWorker(lambda: steps(seen), "a test job", 0)

    job = LatestJob(make)
    ended: list[bool] = []
    job.ended.connect(lambda: ended.append(True))
    job.request()
    assert job.is_busy() and not job.pending()
    for value in (1, 2, 3):  # three changes while it runs: one more run, on the last one
        state["value"] = value
        job.request()
    assert job.pending()  # the running one's answer is stale
    gate.set()
    qtbot.waitUntil(lambda: bool(ended), timeout=10_000)
    assert runs == [0, 3] and ended == [True] and not job.is_busy() and not job.pending()

    gate.clear()
    job.request()
    job.request()  # asked again while it runs, then closed: no run after the shutdown
    gate.set()
    job.shutdown()
    assert not job.is_busy()
    qtbot.wait(50)
    assert len(runs) <= 3 and not job.is_busy()
    job.request()
    assert not job.is_busy()  # closed: nothing runs any more


def test_nothing_to_do_starts_nothing(qtbot):
    job = LatestJob(lambda: None)
    job.request()
    assert not job.is_busy()
