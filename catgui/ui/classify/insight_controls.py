"""Wires the Classify header's "Why?" and "Compare with" to :class:`RowInsights` (a QObject).

"Why?" is enabled when the active model can explain (else its tooltip says why);
the comparison model is loaded when chosen, remembered in the settings, and listed
again when the saved models change.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings

from catgui.core.errors import CatguiError
from catgui.ui import settings as remembered
from catgui.ui.classify.header import ClassifyHeader
from catgui.ui.classify.insights import RowInsights


class InsightControls(QObject):
    """The header's controls of ``insights``; problems go to ``notify`` (the tab's notice)."""

    def __init__(
        self,
        header: ClassifyHeader,
        insights: RowInsights,
        state,
        settings: QSettings,
        notify: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.header, self.insights, self.state, self.settings = header, insights, state, settings
        self._notify = notify
        insights.failed.connect(notify)
        header.whyToggled.connect(insights.set_why)
        header.compare_combo.chosen.connect(self.set_comparison)

    def follow_model(self, model) -> None:
        """The active model changed: its heat maps, and "Why?" enabled only if it can explain."""
        self.insights.follow_model(None if model is None else model.classifier)
        reason = "no model is active" if model is None else model.classifier.cannot_explain
        self.header.set_why_reason(reason)
        self.list_comparable()  # the active model is not offered to compare with itself

    def set_comparison(self, path: str | Path | None) -> None:
        """Compare with the model saved at ``path`` (""/None: off); remembered."""
        try:
            self.insights.compare_with(path)
        except CatguiError as exc:
            self._notify(f"Cannot compare with that model: {exc}")
            path = ""
        remembered.remember_compare_with(self.settings, path)
        self.list_comparable()

    def list_comparable(self) -> None:
        """List the saved models in the chooser, the comparison model selected."""
        second = self.insights.second_model
        current = second.path if second is not None else ""
        active = self.state.model.path if self.state.model is not None else None
        self.header.compare_combo.set_models(self.state.model_paths(), current, active)
