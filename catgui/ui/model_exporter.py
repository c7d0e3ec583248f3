"""File ▸ Export Model…: the active model as an ONNX file, written off the GUI thread.

The save dialog offers two filters, one per input type (uint8 or float32 pixels); the
export itself (building the graph, checking it, writing 1-19 MB atomically) runs in a
:class:`~catgui.workers.generator.GeneratorWorker`. The outcome is one sentence:
``exported(str)`` or ``failed(str)``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from catgui.core import export
from catgui.core.persistence import Model
from catgui.ui import settings as remembered
from catgui.workers.generator import GeneratorWorker

#: The dialog's filters and the input type each one exports.
FILTERS = {
    "ONNX model, uint8 pixels (*.onnx)": "uint8",
    "ONNX model, float32 pixels (*.onnx)": "float32",
}


def _steps(model: Model, path: Path, input_type: str, overwrite: bool):
    yield f"exporting {model.name}"
    return export.to_onnx(model, path, input_type=input_type, overwrite=overwrite)


class ModelExporter(QObject):
    """Asks where, then exports; one export at a time."""

    started = Signal(str)
    exported = Signal(str)
    failed = Signal(str)

    def __init__(self, settings: QSettings, parent: QWidget) -> None:
        super().__init__(parent)
        self.settings = settings
        self.worker: GeneratorWorker | None = None

    @property
    def busy(self) -> bool:
        return self.worker is not None

    def ask(self, model: Model | None) -> None:
        """The save dialog for ``model``; exports where the person says."""
        if model is None:
            self.failed.emit("There is no active model: train or open one first.")
            return
        folder = remembered.folder(self.settings, remembered.EXPORT_FOLDER, Path.home())
        start = Path(folder) / f"{model.name}{export.SUFFIX}"
        path, chosen = QFileDialog.getSaveFileName(
            self.parent(), "Export Model", str(start), ";;".join(FILTERS)
        )
        if path:
            # the dialog has asked before replacing the file it names; a name without the
            # suffix gets it added, and that file is never replaced unasked
            named = Path(path).suffix.lower() == export.SUFFIX
            self.export(model, path, FILTERS.get(chosen, "uint8"), overwrite=named)

    def export(
        self, model: Model, path: str | Path, input_type: str = "uint8", overwrite: bool = True
    ) -> None:
        if self.worker is not None:
            self.failed.emit("An export is already running; wait for it to finish.")
            return
        path = Path(path)
        worker = GeneratorWorker(
            lambda: _steps(model, path, input_type, overwrite), task="the export", parent=self
        )
        worker.returned.connect(lambda done: self._done(model, done))
        worker.failed.connect(self.failed)
        worker.finished.connect(self._finished)
        self.worker = worker
        self.started.emit(f"Exporting {model.name} to {path.name}…")
        worker.start()

    def _done(self, model: Model, done: export.Exported) -> None:
        remembered.remember(self.settings, remembered.EXPORT_FOLDER, str(done.path.parent))
        side = done.input_shape[1]
        self.exported.emit(
            f"Exported {model.name} to {done.path} ({export.size_text(done.size)}, ONNX opset "
            f"{done.opset}; input {side}x{side} {done.input_type} RGB, output p_cat)"
        )

    def _finished(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.deleteLater()

    def shutdown(self) -> None:
        """The window closes: let a running export finish (it takes a fraction of a second;
        stopping it before its one step would lose the file)."""
        if self.worker is not None:
            self.worker.wait()
