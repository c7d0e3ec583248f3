"""The Train tab's data sources: own folders imported in a thread, then trained on."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from catgui.core import evaluation, persistence
from catgui.ui import model_files
from catgui.workers.base import running_workers
from tests.folder_helpers import make_folder

pytestmark = pytest.mark.gui

# ``state`` and ``window`` come from conftest.py.


@pytest.fixture
def pictures(tmp_path) -> Path:
    """20 cats and 20 non-cats, and one file that only pretends to be a picture."""
    folder = make_folder(tmp_path / "my pictures", cats=20, non_cats=20)
    (folder / "cat" / "broken.jpg").write_bytes(b"this is not a JPEG")
    return folder


def _choose(qtbot, window, monkeypatch, folder: Path) -> None:
    """Choose ``folder`` with Choose folder… and wait for the import thread to end."""
    box = window.train_tab.data_box
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    with qtbot.waitSignal(box.preparingChanged, timeout=30_000, check_params_cb=lambda b: not b):
        qtbot.mouseClick(box.sources.images_button, Qt.MouseButton.LeftButton)
        assert box.is_preparing()
    assert not box.is_preparing() and not running_workers()


def test_folder_import_reports_skips_activates_and_trains(
    qtbot, window, state, pictures, monkeypatch
):
    box = window.train_tab.data_box
    _choose(qtbot, window, monkeypatch, pictures)
    data = state.dataset
    assert getattr(data, "source", None) is not None
    assert len(data.train) + len(data.test) == 40 and len(data.test) == 8  # 20 % held out
    assert [s.path for s in data.skipped] == ["cat/broken.jpg"]
    # what was used is shown: class folders, split, and the skipped file behind a link
    lines = box.bar.lines.text()
    assert "cat/ -&gt; cat (20)" in lines and "non-cat/ -&gt; non-cat (20)" in lines
    assert "32 training / 8 test" in lines
    assert "1 file skipped" in box.bar.label.text()
    dialog = box.show_details()
    assert "broken.jpg" in dialog.text.toPlainText()
    dialog.close()
    assert "Ready: 32 training and 8 test pictures" in box.status.text()
    assert not box.status.apply_button.isVisibleTo(box)
    # the Mistakes tab and the status bar follow
    assert "my pictures (32 train / 8 test)" in window.data_status.text()
    # train on it through the real thread
    tab = window.train_tab
    tab.form.set_field("hidden", "4")
    tab.form.set_field("learning_rate", "0.01")
    tab.form.set_field("iterations", "300")
    with qtbot.waitSignal(tab.runningChanged, timeout=60_000, check_params_cb=lambda r: not r):
        tab.start()
    model = state.model
    assert model is not None and model.path is not None
    saved = persistence.load(model.path).metadata
    source = saved["data_source"]
    assert source["train"][0]["source"] == "folder"
    assert source["train"][0]["path"] == str(pictures.absolute())
    assert source["test"]["source"] == "holdout" and saved["test_size"] == 8
    assert source["skipped_count"] == 1
    text = window.model_status.text()
    assert evaluation.accuracy_text(model.test_accuracy, 8) in text
    assert "data: my pictures (32 train / 8 test)" in text
    assert evaluation.accuracy_text(model.test_accuracy, 8) in window.model_selector.toolTip()
    assert model.test_accuracy >= 0.75  # the two synthetic classes are easy to tell apart
    # the Mistakes tab judges the model on the 8 held-out pictures, not the article's 50
    count = window.mistakes_tab.summary.count_label
    qtbot.waitUntil(lambda: count.text().endswith("of 8"), timeout=10_000)


def test_second_import_of_the_same_folder_comes_from_the_cache(
    qtbot, window, state, pictures, monkeypatch, tiny_data
):
    _choose(qtbot, window, monkeypatch, pictures)
    first = state.dataset
    state.open_dataset(tiny_data)
    assert getattr(state.dataset, "source", None) is None  # back to the article's
    box = window.train_tab.data_box
    assert box.status.apply_button.isVisibleTo(box)  # the folder choice is not in use now
    with qtbot.waitSignal(box.preparingChanged, timeout=30_000, check_params_cb=lambda b: not b):
        box.prepare()
    assert state.dataset is not first
    assert state.dataset.source["train"][0]["from_cache"] is True


def test_cancelled_import_leaves_the_previous_data_set(qtbot, window, state, tmp_path, monkeypatch):
    before = state.dataset
    big = make_folder(tmp_path / "big", cats=250, non_cats=250, nested=False)
    box = window.train_tab.data_box
    box.sources.set_images_folder(str(big), "folder")
    box.prepare()
    with qtbot.waitSignal(box.worker.progressed, timeout=10_000):
        pass
    with qtbot.waitSignal(box.preparingChanged, timeout=10_000):
        window.stop_action.trigger()  # Esc cancels the import
    assert state.dataset is before
    assert "cancelled" in box.status.text().lower()
    assert not running_workers()


@pytest.mark.parametrize(
    ("layout", "reason"),
    [("no cat folder", "cat"), ("empty", "cat")],
)
def test_bad_folders_are_explained(qtbot, window, state, tmp_path, monkeypatch, layout, reason):
    folder = tmp_path / "bad"
    if layout == "no cat folder":
        make_folder(folder, cats=0, non_cats=3)
    else:
        folder.mkdir()
    before = state.dataset
    _choose(qtbot, window, monkeypatch, folder)
    assert state.dataset is before
    message = window.train_tab.data_box.status.text()
    assert message.startswith("Pictures not imported") and str(folder) in message
    assert reason in message


def test_train_imports_first_when_the_choice_is_not_in_use(qtbot, window, state, pictures):
    tab = window.train_tab
    tab.data_box.sources.set_images_folder(str(pictures), "folder")
    tab.form.set_field("hidden", "3")
    tab.form.set_field("iterations", "20")
    with qtbot.waitSignal(tab.runningChanged, timeout=60_000, check_params_cb=lambda r: not r):
        qtbot.mouseClick(tab.buttons.train_button, Qt.MouseButton.LeftButton)
    assert state.model.metadata["data_source"]["train"][0]["source"] == "folder"
    assert len(state.dataset.test) == 8


def test_l2_logistic_regression_trains_through_the_worker(qtbot, window, state):
    tab = window.train_tab
    form = tab.form
    form.kind.setCurrentIndex(form.kind.findData("logreg-l2"))
    for name in ("hidden", "learning_rate", "seed"):
        assert not form.edits[name].isEnabled()
        assert "no" in form.edits[name].toolTip().lower()
    assert form.edits["iterations"].isEnabled() and tab.buttons.train_button.isEnabled()
    with qtbot.waitSignal(tab.runningChanged, timeout=60_000, check_params_cb=lambda r: not r):
        tab.start()
    model = state.model
    assert model.kind == "logreg-l2" and model.classifier.network.depth == 1
    assert model.metadata["training_path"] == "kernel-newton"
    assert "Done" in tab.progress.format()
    assert form.edits["c"].text() == "1000" and model.metadata["hyperparameters"]["c"] == 1000


def test_the_l2_penalty_c_is_a_field_of_its_own(qtbot, window, state):
    form = window.train_tab.form
    assert not form.edits["c"].isEnabled()  # the deep network has no penalty
    assert "no l2 penalty" in form.edits["c"].toolTip().lower()
    form.kind.setCurrentIndex(form.kind.findData("logreg-l2"))
    assert form.edits["c"].isEnabled() and form.edits["c"].text() == "1000"
    for text, reason in (("0", "above 0"), ("-3", "above 0"), ("lots", "a number like 1000")):
        form.set_field("c", text)
        assert not form.is_valid() and reason in form.errors["c"].text()
    form.set_field("c", "0.01")
    assert form.is_valid() and form.config().c == 0.01
    with qtbot.waitSignal(
        window.train_tab.runningChanged, timeout=60_000, check_params_cb=lambda r: not r
    ):
        window.train_tab.start()
    assert state.model.metadata["hyperparameters"]["c"] == 0.01
    form.kind.setCurrentIndex(form.kind.findData("logreg"))  # switching away and back
    assert form.edits["c"].text() == "" and not form.edits["c"].isEnabled()
    form.kind.setCurrentIndex(form.kind.findData("logreg-l2"))
    assert form.edits["c"].text() == "0.01"  # each kind keeps its own values


def test_save_failure_offers_save_as_and_keeps_the_model(
    qtbot, window, state, tmp_path, monkeypatch
):
    blocker = tmp_path / "file.txt"
    blocker.write_text("a file, so no folder can be made under it")
    state.models_folder = blocker / "models"
    tab = window.train_tab
    tab.form.set_field("iterations", "15")
    with qtbot.waitSignal(tab.runningChanged, timeout=30_000, check_params_cb=lambda r: not r):
        tab.start()
    assert tab.pending is not None and state.model is None
    summary = tab.summary
    assert "could not save" in summary.headline.text().lower()
    assert str(blocker) in summary.details.text()
    assert summary.save_as_button.isVisibleTo(tab) and summary.discard_button.isVisibleTo(tab)
    target = tmp_path / "elsewhere" / "mine.npz"
    monkeypatch.setattr(model_files, "choose_save_path", lambda *a, **k: str(target))
    qtbot.mouseClick(summary.save_as_button, Qt.MouseButton.LeftButton)
    assert target.is_file() and tab.pending is None
    assert state.model is not None and state.model.path == target
    assert persistence.load(target).metadata["iterations_done"] == 15
