"""The hyper-parameter fields of the Train tab, each checked as the user types."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QWidget,
)

from catgui.core import kinds
from catgui.core.errors import CatguiError
from catgui.core.kinds.base import ModelKind
from catgui.core.persistence import Model
from catgui.ui import settings as remembered
from catgui.ui.common import tones
from catgui.ui.common.contrast import LARGE
from catgui.ui.common.narrow_combo import NarrowComboBox
from catgui.ui.common.palette_follower import keep_style_sheet


def describe(config) -> str:
    """A short name for a run: ``"20,7,5 · lr 0.0075 · seed 1"``, ``"logistic · lr 0.005"``."""
    return kinds.of_config(config).describe(config)


def stored_recipe(model: Model) -> tuple[ModelKind, Any | None] | None:
    """``(kind, configuration)`` ``model`` was trained with, read from its metadata.

    The configuration is ``None`` when the stored one cannot be read back (a file of an
    older recipe); ``None`` altogether when the model's kind is not in the table.
    """
    if model.kind not in kinds.names():
        return None
    kind = kinds.get(model.kind)
    if not isinstance(model.metadata.get("hyperparameters"), dict):
        return kind, None  # a model made in memory, not by a run
    stored = dict(model.metadata["hyperparameters"])
    stored.pop("kind", None)
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in stored.items()}
    try:
        return kind, kind.make_config(**values)
    except (CatguiError, TypeError, ValueError):
        return kind, None


class HyperparameterForm(QWidget):
    """Model kind and its hyper-parameters, generated from the kinds table.

    Every field any kind reads has one row; the fields the selected kind does not read are
    emptied, disabled and say why. Every field is checked on each edit with the engine's
    own rules (the kind's :meth:`~catgui.core.kinds.base.ModelKind.check_text`); a bad
    field turns red and its reason is shown right under it. :meth:`config` returns the
    run's configuration.

    Signals
    -------
    validityChanged(bool)
        ``True`` when every field holds a value that can train.
    """

    validityChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hyperparameterForm")
        self._kinds = {kind.name: kind for kind in kinds.all_kinds()}
        self._fields = [f for f in kinds.form_fields() if f.in_form]
        self._values = {name: kind.texts() for name, kind in self._kinds.items()}
        self._valid = True
        # full width under its caption, a label that still does not fit ends in "…"
        self.kind = NarrowComboBox(objectName="modelKind")
        for name, kind in self._kinds.items():
            self.kind.addItem(kind.label, name)
            self.kind.setItemData(
                self.kind.count() - 1,
                f"{kind.label}: {kind.description}",
                Qt.ItemDataRole.ToolTipRole,
            )
            reason = kind.unavailable()
            if reason:  # listed, but cannot be chosen: say why
                index = self.kind.count() - 1
                self.kind.model().item(index).setEnabled(False)
                self.kind.setItemData(index, reason, Qt.ItemDataRole.ToolTipRole)
        self.kind.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.kind.setMinimumContentsLength(12)
        self.kind.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.kind.setToolTip("\n".join(kind.description for kind in self._kinds.values()))
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        caption = QLabel("Model type:")
        caption.setBuddy(self.kind)
        layout.addRow(caption)
        layout.addRow(self.kind)
        for field in self._fields:
            edit = QLineEdit(objectName=f"{field.name}Edit")
            edit.setToolTip(field.tip)
            edit.setPlaceholderText(field.hint())
            edit.textChanged.connect(self._check)
            error = QLabel(objectName=f"{field.name}Error")
            error.setWordWrap(True)
            keep_style_sheet(error, lambda: f"color: {tones.tone(tones.RED)}; font-size: 11px;")
            error.hide()
            layout.addRow(field.label, edit)
            layout.addRow("", error)
            self.edits[field.name], self.errors[field.name] = edit, error
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._current_kind = self.current_kind()
        self._show_values()

    # -- public -------------------------------------------------------------------------------
    def current_kind(self) -> str:
        return self.kind.currentData()

    def is_valid(self) -> bool:
        return self._valid

    def config(self):
        """The configuration the fields describe; :class:`CatguiError` if one is bad."""
        kind = self._kinds[self.current_kind()]
        texts = {f.name: self.edits[f.name].text() for f in kind.fields if f.name in self.edits}
        return kind.config_from_texts(texts)

    def set_field(self, name: str, text: str) -> None:
        """Set a field's text as if typed (tests and settings use it)."""
        self.edits[name].setText(text)
        self._check()

    def focus_first_error(self) -> None:
        for name, error in self.errors.items():
            if not error.isHidden():
                self.edits[name].setFocus()
                self.edits[name].selectAll()
                return

    def show_recipe(self, model: Model) -> bool:
        """Select ``model``'s kind and show the recipe it was trained with (the other
        kinds keep their values); ``False``, changing nothing, when its kind cannot be
        chosen here. A recipe that cannot be read back leaves the kind's fields as they
        were."""
        found = stored_recipe(model)
        index = self.kind.findData(found[0].name) if found else -1
        if index < 0 or not self.kind.model().item(index).isEnabled():
            return False
        kind, config = found
        self._remember()
        if config is not None:
            self._values[kind.name] = kind.texts(config)
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(index)
        self.kind.blockSignals(False)
        self._current_kind = self.current_kind()
        self._show_values()
        return True

    def restore_defaults(self) -> None:
        self._values[self.current_kind()] = self._kinds[self.current_kind()].texts()
        self._show_values()

    def setEnabled(self, enabled: bool) -> None:  # noqa: N802 (Qt name)
        super().setEnabled(enabled)
        self._apply_kind_rules()

    # -- settings -------------------------------------------------------------------------------
    def save_settings(self, settings: QSettings) -> None:
        self._remember()
        settings.setValue(remembered.TRAIN_KIND, self.current_kind())
        for kind, values in self._values.items():
            for name, text in values.items():
                settings.setValue(remembered.train_field(kind, name), text)

    def load_settings(self, settings: QSettings) -> None:
        for kind, values in self._values.items():
            for name in values:
                value = settings.value(remembered.train_field(kind, name))
                if value is not None:
                    values[name] = str(value)
        index = self.kind.findData(remembered.value(settings, remembered.TRAIN_KIND))
        if index >= 0 and not self.kind.model().item(index).isEnabled():
            index = self.kind.findData(kinds.default().name)
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(max(0, index))
        self.kind.blockSignals(False)
        self._current_kind = self.current_kind()
        self._show_values()

    # -- internals ------------------------------------------------------------------------------
    def _remember(self) -> None:
        kind = self._kinds[self._current_kind]
        self._values[self._current_kind] = {
            f.name: self.edits[f.name].text() for f in kind.fields if f.name in self.edits
        }

    def _kind_changed(self) -> None:
        self._remember()
        self._current_kind = self.current_kind()
        self._show_values()

    def _show_values(self) -> None:
        for name, text in self._values[self.current_kind()].items():
            if name in self.edits:
                self.edits[name].setText(text)
        self._apply_kind_rules()
        self._check()

    def _apply_kind_rules(self) -> None:
        """Fields that do not apply to the kind are emptied, disabled and say why."""
        kind = self._kinds[self.current_kind()]
        fields = {f.name: f for f in self._fields}
        for name, edit in self.edits.items():
            why = kind.why_unused(fields[name])
            edit.setEnabled(self.isEnabled() and why is None)
            if why is None:
                field = kind.field(name)
                edit.setToolTip(field.tip)
                edit.setPlaceholderText(field.hint())
                continue
            edit.setToolTip(why)
            edit.setPlaceholderText(fields[name].unused_hint)
            if edit.text():
                edit.setText("")

    def _check(self) -> None:
        valid = True
        kind = self._kinds[self.current_kind()]
        for name, edit in self.edits.items():
            error = self.errors[name]
            try:
                if kind.field(name) is not None:
                    kind.check_text(name, edit.text())
                reason = ""
            except CatguiError as exc:
                reason = str(exc)
            bad = bool(reason)
            valid = valid and not bad
            error.setText(reason[:1].upper() + reason[1:] + ("." if bad else ""))
            error.setVisible(bad)
            red = tones.tone(tones.RED, role=QPalette.ColorRole.Base, ratio=LARGE)
            edit.setStyleSheet(f"border: 1.5px solid {red}; border-radius: 4px;" if bad else "")
        if valid != self._valid:
            self._valid = valid
            self.validityChanged.emit(valid)
        self._valid = valid
