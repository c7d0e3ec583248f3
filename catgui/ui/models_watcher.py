"""Notices model files added, removed or renamed in the models folder while the app runs."""

from __future__ import annotations

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer

from catgui.ui.app_state import AppState

#: Changes closer together than this (a save writes a temporary file, then renames it)
#: are reported once.
SETTLE_MS = 300


class ModelsWatcher(QObject):
    """Watches ``state.models_folder`` and the active model's file.

    Any change there (a model copied in, deleted or renamed in a file manager, a save
    from another catgui window) makes ``state`` emit ``modelsListChanged`` once things
    have settled, so the model list and the "(file missing)" mark are right without a
    restart. A folder that does not exist yet is picked up the next time the list
    changes (the first save creates it).
    """

    def __init__(self, state: AppState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self._watcher = QFileSystemWatcher(self)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._report)
        self._watcher.directoryChanged.connect(self._changed)
        self._watcher.fileChanged.connect(self._changed)
        state.modelChanged.connect(self._rewatch)
        state.modelsListChanged.connect(self._rewatch)
        self._rewatch()

    def watched(self) -> list[str]:
        """The paths being watched (for tests and diagnostics)."""
        return sorted(self._watcher.directories() + self._watcher.files())

    def _wanted(self) -> set[str]:
        wanted = set()
        if self.state.models_folder.is_dir():
            wanted.add(str(self.state.models_folder))
        model = self.state.model
        if model is not None and model.path is not None and model.path.is_file():
            wanted.add(str(model.path))
            wanted.add(str(model.path.parent))  # a model opened from elsewhere
        return wanted

    def _rewatch(self, *_args) -> None:
        current = set(self._watcher.directories() + self._watcher.files())
        wanted = self._wanted()
        gone, new = sorted(current - wanted), sorted(wanted - current)
        if gone:
            self._watcher.removePaths(gone)
        if new:
            self._watcher.addPaths(new)  # paths it cannot watch are skipped, not fatal

    def _changed(self, _path: str) -> None:
        self._settle.start()

    def _report(self) -> None:
        self.state.notify_models_list_changed()  # which also re-arms the watcher
