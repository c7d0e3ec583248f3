"""ClassifyWorker: walks folders, classifies off the GUI thread, batches, stops when asked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt

from catgui.core import network, prediction
from catgui.core.kinds.network_kind import NetworkClassifier
from catgui.workers.classify import ClassifyBatch, ClassifyWorker

pytestmark = pytest.mark.gui


def write_pictures(folder: Path, count: int, seed: int = 0, suffix: str = ".png") -> list[Path]:
    """``count`` small random pictures of varied sizes in ``folder``."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        h, w = int(rng.integers(40, 120)), int(rng.integers(40, 120))
        path = folder / f"picture-{i:04d}{suffix}"
        Image.fromarray(rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)).save(path)
        paths.append(path)
    return paths


@pytest.fixture
def net() -> NetworkClassifier:
    return NetworkClassifier(network.initialize((12288, 4, 1), seed=0))


def run_worker(qtbot, worker: ClassifyWorker) -> tuple[list[ClassifyBatch], bool]:
    batches: list[ClassifyBatch] = []
    worker.batchReady.connect(batches.append)
    with qtbot.waitSignal(worker.ended, timeout=30_000) as ended:
        worker.start()
    worker.wait()
    qtbot.wait(0)  # deliver queued batches
    return batches, ended.args[1]


def test_classifies_files_and_folders_with_errors_in_order(qtbot, tmp_path, net):
    top = write_pictures(tmp_path / "album", 2)
    nested = write_pictures(tmp_path / "album" / "deeper" / "still", 2, seed=1, suffix=".jpg")
    broken = tmp_path / "broken.jpg"
    broken.write_text("this is text, not a JPEG")
    empty = tmp_path / "no-pictures"
    empty.mkdir()
    (empty / "notes.txt").write_text("hello")

    worker = ClassifyWorker([tmp_path / "album", broken, empty], net, job=7)
    batches, interrupted = run_worker(qtbot, worker)

    assert not interrupted
    assert all(b.job == 7 for b in batches)
    results = [r for b in batches for r in b.results]
    assert [r.path for r in results] == [*top, *nested, broken, empty]
    assert batches[-1].done == batches[-1].total == 6
    for r in results[:4]:
        expected = prediction.classify_file(net, r.path)
        assert r.error is None
        assert r.probability == expected.probability
        assert r.picture.pixels.shape == (64, 64, 3)
        assert max(r.picture.thumbnail.shape[:2]) <= worker.thumbnail_size
    assert "broken.jpg" in results[4].error and "not an image" in results[4].error
    assert "no image files" in results[5].error and "1 other files skipped" in results[5].error


def test_results_come_in_batches_not_one_signal_per_file(qtbot, tmp_path, net):
    write_pictures(tmp_path / "many", 60)
    worker = ClassifyWorker([tmp_path / "many"], net, batch_interval=3600.0)
    batches, _ = run_worker(qtbot, worker)
    # the first result alone, at once (a verdict to show), then the rest together
    assert [len(b.results) for b in batches] == [1, 59]
    assert [b.done for b in batches] == [1, 60]


def test_interruption_stops_between_files(qtbot, tmp_path, net):
    write_pictures(tmp_path / "many", 40)
    worker = ClassifyWorker([tmp_path / "many"], net, batch_interval=0.0)

    def stop_after_first_result(batch: ClassifyBatch) -> None:
        if batch.results:
            worker.requestInterruption()  # runs in the worker thread: stops before the next file

    worker.batchReady.connect(stop_after_first_result, Qt.ConnectionType.DirectConnection)
    batches, interrupted = run_worker(qtbot, worker)
    assert interrupted
    assert sum(len(b.results) for b in batches) == 1
    assert batches[-1].total == 40


def test_progress_counts_up_to_the_total(qtbot, tmp_path, net):
    write_pictures(tmp_path / "some", 12)
    worker = ClassifyWorker([tmp_path / "some"], net, batch_interval=0.0)
    batches, _ = run_worker(qtbot, worker)
    done = [b.done for b in batches if b.total]
    assert done == sorted(done) and done[-1] == 12
    assert sum(len(b.results) for b in batches) == 12


def test_missing_path_is_an_error_result(qtbot, tmp_path, net):
    ghost = tmp_path / "gone.png"
    batches, _ = run_worker(qtbot, ClassifyWorker([ghost], net))
    (result,) = [r for b in batches for r in b.results]
    assert result.path == ghost and "no such file" in result.error
