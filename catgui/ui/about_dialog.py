"""Help ▸ About: what catgui is, the versions it runs on and where its log is."""

from __future__ import annotations

import html
import platform

import numpy as np
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from catgui import __version__
from catgui.core import log_file

#: What catgui is, in two sentences.
SUMMARY = (
    "Cat or not cat? catgui answers for your pictures with pretrained EfficientNet-Lite0 "
    "features (run in NumPy) and a head fitted on the article's pictures, with a zero-shot "
    "model, or with the article's logistic regression and deep network, which you can "
    "retrain, watch learn and question. Any model can be exported as an ONNX file."
)


def versions_html() -> str:
    """What catgui is; catgui, Python, Qt, PySide6 and NumPy versions; the log file."""
    return (
        f"<h3>catgui {__version__}</h3><p>{html.escape(SUMMARY)}</p>"
        f"<p>Python {platform.python_version()}<br>Qt {qVersion()} · PySide6 {pyside_version}"
        f"<br>NumPy {np.__version__}</p>"
        f"<p>Log: {html.escape(str(log_file.current_file() or log_file.log_path()))}</p>"
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
