"""File ▸ Export Model… in the window (issue 13, item 1): the active model as ONNX, off
the GUI thread, with the input type the dialog's filter names; failures are a message."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from catgui.core import export, persistence
from catgui.ui import model_exporter
from tests.data_helpers import ROOT

pytestmark = pytest.mark.gui
ort = pytest.importorskip("onnxruntime")


def _errors(window) -> list[str]:
    return [b.text() for b in window.findChildren(QMessageBox, "errorDialog") if b.isVisible()]


def test_file_export_writes_the_active_model_as_onnx(window, qtbot, tmp_path, monkeypatch):
    model = persistence.load(ROOT / "models" / "default.npz")
    window.state.set_model(model)
    window.show()
    target = tmp_path / "out" / "my cat model.onnx"
    float_filter = next(f for f, t in model_exporter.FILTERS.items() if t == "float32")
    asked = {}

    def dialog(parent, caption, start, filters):
        asked.update(caption=caption, start=start, filters=filters.split(";;"))
        return str(target), float_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    assert window.export_action in window.menuBar().actions()[0].menu().actions()
    with qtbot.waitSignal(window.exporter.exported, timeout=30_000) as done:
        window.export_action.trigger()
    assert asked["start"].endswith(f"{model.name}.onnx") and len(asked["filters"]) == 2
    assert str(target) in done.args[0] and "float32" in done.args[0]
    qtbot.waitUntil(lambda: str(target) in window.statusBar().currentMessage())
    # the message is seen: the model's line gives way to it (it used to fill the bar)
    assert not window.statusBar().model_label.isVisible()
    meta = export.read_metadata(target)
    assert meta["kind"] == "dnn" and "float32" in meta["input"]
    # the file answers as the model does
    x = np.random.default_rng(0).integers(0, 256, (3, 64, 64, 3)).astype(np.uint8)
    session = ort.InferenceSession(str(target), providers=["CPUExecutionProvider"])
    (p,) = session.run(["p_cat"], {"pixels": x.astype(np.float32)})
    np.testing.assert_allclose(p, model.classifier.probabilities(x), atol=1e-5)
    qtbot.waitUntil(lambda: not window.exporter.busy)
    window.statusBar().clearMessage()
    assert window.statusBar().model_label.isVisible()
    # the next export starts where this one went
    window.exporter.ask(model)
    assert asked["start"] == str(target.parent / f"{model.name}.onnx")
    qtbot.waitUntil(lambda: not window.exporter.busy)


def test_an_export_that_cannot_be_written_says_why_and_the_window_goes_on(window, qtbot, tmp_path):
    window.state.set_model(persistence.load(ROOT / "models" / "default.npz"))
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    with qtbot.waitSignal(window.exporter.failed, timeout=30_000) as failed:
        window.exporter.export(window.state.model, blocker / "m.onnx")
    assert "a file" in failed.args[0]
    qtbot.waitUntil(lambda: any("a file" in t for t in _errors(window)))
    qtbot.waitUntil(lambda: not window.exporter.busy)
    assert not (tmp_path / "m.onnx").exists()


def test_export_with_no_model_asks_for_one(window, qtbot, monkeypatch):
    window.state.set_model(None)
    called = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: called.append(a) or ("", ""))
    window.export_action.trigger()
    assert not called
    qtbot.waitUntil(lambda: any("no active model" in t for t in _errors(window)))


def test_a_name_typed_without_the_suffix_never_replaces_a_file_unasked(
    window, qtbot, tmp_path, monkeypatch
):
    """The dialog asked about "existing", not "existing.onnx": that file is kept."""
    window.state.set_model(persistence.load(ROOT / "models" / "default.npz"))
    kept = tmp_path / "existing.onnx"
    kept.write_bytes(b"mine")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(tmp_path / "existing"), ""))
    with qtbot.waitSignal(window.exporter.failed, timeout=30_000) as failed:
        window.export_action.trigger()
    assert "exists already" in failed.args[0] and kept.read_bytes() == b"mine"
    qtbot.waitUntil(lambda: not window.exporter.busy)


def test_closing_the_window_lets_a_started_export_finish(window, qtbot, tmp_path):
    window.state.set_model(persistence.load(ROOT / "models" / "default.npz"))
    target = tmp_path / "late.onnx"
    window.exporter.export(window.state.model, target)
    window.close()  # at once: the export must not be dropped
    assert target.is_file() and target.stat().st_size > 900_000
