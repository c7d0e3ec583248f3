"""Help > About: what catgui is and the versions it runs on."""

from __future__ import annotations

import platform

import numpy as np
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from catgui import __version__


def versions_html() -> str:
    """catgui, Python, Qt, PySide6 and NumPy versions as a small HTML block."""
    return (
        f"<h3>catgui {__version__}</h3><p>Cat or not cat? A small NumPy neural network "
        "you can retrain, watch learn and question.</p>"
        f"<p>Python {platform.python_version()}<br>Qt {qVersion()} · PySide6 {pyside_version}"
        f"<br>NumPy {np.__version__}</p>"
    )


class AboutDialog(QMessageBox):
    """The About box (window-modal; :meth:`open` does not block)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About catgui")
        self.setIcon(QMessageBox.Icon.Information)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setText(versions_html())
        self.setStandardButtons(QMessageBox.StandardButton.Ok)
