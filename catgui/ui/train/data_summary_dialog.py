"""What the data set in use is made of, in full: parts, split, every skipped file and why."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from catgui.core.dataset import DataSet
from catgui.core.source_info import summary_lines


class DataSummaryDialog(QDialog):
    """The lines of :func:`~catgui.core.source_info.summary_lines`, selectable and copyable.

    Skipped files are listed one a line with their reason, so a user can find and fix them.
    """

    def __init__(self, data: DataSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataSummaryDialog")
        self.setWindowTitle("Pictures in use")
        skipped = len(getattr(data, "skipped", ()))
        intro = QLabel(
            f"{len(data.train):,} training and {len(data.test):,} test pictures"
            + (f"; {skipped:,} file(s) could not be used (listed at the end)." if skipped else ".")
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(objectName="dataSummaryText", readOnly=True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        lines = summary_lines(data)
        self.text.setPlainText("\n".join(lines))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        line = self.text.fontMetrics().lineSpacing()
        self.resize(720, min(420, 150 + line * (len(lines) + 1)))  # no empty page for a few lines
