"""The card under the Train button: how the last run went, and Save / Discard."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from catgui.core import kinds, leakage
from catgui.core.data_source import Source, source_of
from catgui.core.evaluation import accuracy_text
from catgui.core.persistence import Model
from catgui.ui.common import tones
from catgui.ui.common.contrast import readable_name
from catgui.ui.common.palette_follower import follow_palette

#: The card's ground (``resources/style.qss``); it also reads on the window's.
_CARD = QPalette.ColorRole.AlternateBase


def _on_card(colour: str) -> str:
    """``colour`` readable on the card's ground and on the window's."""
    return readable_name(tones.tone(colour, role=_CARD), tones.ground())


def _grey() -> str:
    return _on_card(tones.secondary(role=_CARD))


def corrections_line(metadata: dict) -> str:
    """ "Trained with 3 of your corrections (weight 1)" when they were in the training
    pictures, else ``""``."""
    for part in (metadata.get("data_source") or {}).get("train", []):
        if source_of(part) == Source.CORRECTIONS and part.get("images"):
            n = int(part["images"])
            weight = part.get("weight", 1)
            return (
                f"Trained with {n:,} of your correction{'s' * (n != 1)}"
                + (f" (each counted {weight} times)" if weight != 1 else "")
                + " besides the pictures chosen."
            )
    return ""


class RunSummary(QFrame):
    """Train and test accuracy of a model, a status line, and Save / Discard buttons.

    Signals
    -------
    saveRequested()
        The user wants to keep the run: saved in the models folder and made active.
    saveAsRequested()
        The user wants to save the run in a file of their choice (and use it).
    discardRequested()
        The user does not want it.
    """

    saveRequested = Signal()
    saveAsRequested = Signal()
    discardRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runSummary")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.headline = QLabel(objectName="runHeadline")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.details = QLabel(objectName="runDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton("Save and use", objectName="saveRunButton")
        self.save_button.setToolTip(
            "Keep what was learnt: save it in the models list and make it the active model"
        )
        self.save_as_button = QPushButton("Save as…", objectName="saveRunAsButton")
        self.save_as_button.setToolTip("Save the model in a file of your choice and use it")
        self.keep_check = QCheckBox(
            "Don't ask again: save and use every finished run", objectName="keepRunsCheck"
        )
        self.keep_check.setToolTip(
            "From now on, a run that finishes is saved and made the active model at once"
        )
        self.save_as_button.clicked.connect(self.saveAsRequested)
        self.discard_button = QPushButton("Discard", objectName="discardRunButton")
        self.discard_button.setToolTip("Forget this run; the active model stays as it is")
        self.save_button.clicked.connect(self.saveRequested)
        self.discard_button.clicked.connect(self.discardRequested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.save_as_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.headline)
        layout.addWidget(self.details)
        layout.addWidget(self.keep_check)
        layout.addLayout(buttons)
        self.offer_choice(False)
        self.show_message("No run yet", "Set the hyper-parameters and press <b>Train</b>.")
        follow_palette(self.details, self._show_again)

    def offer_choice(self, offered: bool, retry: bool = False, ask_again: bool = False) -> None:
        """Show or hide Save and use / Save as… / Discard (*Try again* after a failed save),
        and the "Don't ask again" box (for a run that finished)."""
        self.save_button.setVisible(offered)
        self.save_button.setText("Try again" if retry else "Save and use")
        self.save_as_button.setVisible(offered)
        self.discard_button.setVisible(offered)
        self.keep_check.setVisible(offered and ask_again)

    def show_message(self, headline: str, details: str = "", error: bool = False) -> None:
        """A headline (plain text) and details (rich text)."""
        self._shown = (self.show_message, (headline, details, error))
        color = f"; color:{_on_card(tones.RED)}" if error else ""
        self.headline.setText(
            f"<span style='font-size:14px; font-weight:600{color}'>{html.escape(headline)}</span>"
        )
        self.details.setText(details)
        self.details.setVisible(bool(details))

    def show_model(self, headline: str, model: Model, note: str = "", error: bool = False) -> None:
        """The model's train and test accuracy under ``headline``; ``note`` below them."""
        meta = model.metadata
        grey = _grey()
        rows = []
        for label, acc_key, n_key in (
            ("Train", "train_accuracy", "train_size"),
            ("Test", "test_accuracy", "test_size"),
        ):
            acc, n = meta.get(acc_key), meta.get(n_key)
            text = accuracy_text(acc, n) if isinstance(acc, float) and n else "not measured"
            rows.append(
                f"<tr><td style='color:{grey}; padding-right:10px'>{label}</td>"
                f"<td><b>{html.escape(text)}</b></td></tr>"
            )
        details = "<table>" + "".join(rows) + "</table>"
        warning = leakage.text_of(meta)
        if warning:
            details += f"<p><b>{html.escape(warning[:1].upper() + warning[1:])}.</b></p>"
        fixes = corrections_line(meta)
        if fixes:
            details += f"<p><b>{html.escape(fixes)}</b></p>"
        kind = kinds.get(model.kind) if model.kind in kinds.names() else None
        for line in kind.findings(meta) if kind is not None else []:
            details += f"<p style='color:{grey}'>{html.escape(line)}</p>"
        if note:
            details += f"<p style='color:{grey}'>{note}</p>"
        self.show_message(headline, details, error=error)
        self._shown = (self.show_model, (headline, model, note, error))

    def _show_again(self) -> None:
        """What is on show, in the colours of a new palette."""
        show, args = self._shown
        show(*args)
