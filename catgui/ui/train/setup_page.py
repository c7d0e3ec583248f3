"""The Train tab's first-start page: get the article's data set, or use own pictures."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from catgui.ui.app_state import AppState
from catgui.ui.common import tones
from catgui.ui.common.palette_follower import keep_style_sheet
from catgui.ui.train.data_setup import DataSetupPanel


class SetupPage(QWidget):
    """The data set panel (download / locate) and a link to train on own pictures instead.

    Signals
    -------
    ownPicturesChosen()
        The user wants to train on a folder of their own pictures.
    """

    ownPicturesChosen = Signal()

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setupPage")
        own = QPushButton("Or train on a folder of your own pictures…", objectName="ownPictures")
        own.setFlat(True)
        keep_style_sheet(own, lambda: f"color: {tones.tone(tones.ACCENT)};")
        own.clicked.connect(self.ownPicturesChosen)
        panel = DataSetupPanel(state, self)
        panel.add_below_card(own)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(panel)
