"""Review the user's corrections: thumbnails under their class, remove any of them."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QIcon,
    QImageReader,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from catgui.core.corrections import Correction
from catgui.ui.classify.row_painting import COLOURS
from catgui.ui.common import tones
from catgui.ui.common.correction_log import CorrectionLog
from catgui.ui.common.palette_follower import keep_style_sheet

THUMB = 96
EntryRole = Qt.ItemDataRole.UserRole + 1
INTRO = (
    "Pictures you told catgui the model got wrong. Each is a copy kept in your corrections "
    "folder under its true class; your originals are not touched. Training can include "
    "them (Train tab)."
)


def thumbnail(path, size: int = THUMB) -> QPixmap:
    """A ``size`` x ``size`` preview of the picture at ``path`` (a grey square if unreadable)."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    original = reader.size()
    if original.isValid():
        reader.setScaledSize(original.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    canvas = QPixmap(size, size)
    canvas.fill(QColor(0, 0, 0, 0))
    painter = QPainter(canvas)
    if image.isNull():
        painter.fillRect(canvas.rect(), QColor(tones.hairline(role=QPalette.ColorRole.Base)))
    else:
        x, y = (size - image.width()) // 2, (size - image.height()) // 2
        painter.drawImage(x, y, image)
    painter.end()
    return canvas


class CorrectionsDialog(QDialog):
    """Lists every stored correction (cats first); Remove (or Delete) takes the chosen away.

    The dialog works on a :class:`~catgui.ui.common.correction_log.CorrectionLog`, so removals
    reach the Classify tab (its rows lose their "You said" mark) and errors are reported.
    """

    def __init__(self, log: CorrectionLog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("correctionsDialog")
        self.setWindowTitle("Your corrections")
        self.log = log
        self.summary = QLabel(objectName="correctionsSummary")
        font = self.summary.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.summary.setFont(font)
        intro = QLabel(INTRO, wordWrap=True)
        keep_style_sheet(intro, lambda: f"color: {tones.secondary()};")
        self.error_label = QLabel(objectName="correctionsError", wordWrap=True)
        keep_style_sheet(self.error_label, lambda: f"color: {tones.tone(tones.WRONG)};")
        self.error_label.hide()
        self.list = QListWidget(objectName="correctionsList")
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 44, THUMB + 52))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        # a chosen correction is framed whole, its picture too (not only its caption); the
        # caption keeps its colour on the list's ground
        keep_style_sheet(
            self.list,
            "QListWidget#correctionsList::item { border: 3px solid transparent;"
            " border-radius: 8px; padding: 2px; }"
            " QListWidget#correctionsList::item:selected { border-color: palette(highlight);"
            " background: transparent; color: palette(text); }",
        )
        self.empty_label = QLabel(
            "No corrections yet. In the Classify tab, click “It’s a cat” or “It’s not a cat” "
            "on a picture the model gets wrong.",
            objectName="correctionsEmpty",
            wordWrap=True,
            alignment=Qt.AlignmentFlag.AlignCenter,
        )
        keep_style_sheet(
            self.empty_label,
            lambda: f"color: {tones.secondary()}; font-size: 14px; padding: 30px;",
        )
        self.remove_button = QPushButton("Remove", objectName="removeCorrectionButton")
        self.remove_button.setToolTip("Delete the chosen copies from your corrections (Delete)")
        self.remove_button.clicked.connect(self.remove_selected)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list, self.remove_selected)
        folder_button = QPushButton("Show Folder", objectName="showCorrectionsFolderButton")
        folder_button.setToolTip(str(log.store.folder))
        folder_button.clicked.connect(self._show_folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.remove_button)
        row.addWidget(folder_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.addWidget(self.summary)
        layout.addWidget(intro)
        layout.addWidget(self.error_label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addLayout(row)
        self.resize(720, 520)
        log.failed.connect(self._show_error)
        self.reload()

    def reload(self) -> None:
        """Read the corrections folder again."""
        self.list.clear()
        entries = self.log.entries()
        for entry in entries:
            picture = thumbnail(entry.path)
            icon = QIcon(picture)
            icon.addPixmap(picture, QIcon.Mode.Selected)  # the frame says chosen, not a tint
            item = QListWidgetItem(icon, f"{entry.original_name}\n{entry.label}")
            item.setData(EntryRole, entry)
            item.setForeground(
                QColor(tones.tone(COLOURS[entry.label], role=QPalette.ColorRole.Base))
                if entry.label in COLOURS
                else QColor()
            )
            item.setToolTip(f"{entry.path}\nYou said: {entry.label}")
            item.setSizeHint(QSize(THUMB + 40, THUMB + 48))
            self.list.addItem(item)
        cats = sum(1 for e in entries if e.is_cat)
        n = len(entries)
        self.summary.setText(
            f"{n} correction{'s' * (n != 1)}: {cats} cat{'s' * (cats != 1)}, "
            f"{n - cats} non-cat{'s' * (n - cats != 1)}"
            if n
            else "No corrections"
        )
        self.list.setVisible(bool(n))
        self.empty_label.setVisible(not n)
        self._update_buttons()

    def entries(self) -> list[Correction]:
        """The corrections listed, in order."""
        return [self.list.item(i).data(EntryRole) for i in range(self.list.count())]

    def remove_selected(self) -> None:
        """Delete the chosen corrections (their copies; never an original)."""
        chosen = [item.data(EntryRole) for item in self.list.selectedItems()]
        self.error_label.hide()
        for entry in chosen:
            self.log.remove(entry)
        self.reload()

    def _update_buttons(self) -> None:
        n = len(self.list.selectedItems())
        self.remove_button.setEnabled(bool(n))
        self.remove_button.setText(f"Remove {n}" if n > 1 else "Remove")

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _show_folder(self) -> None:
        folder = self.log.store.folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._show_error(f"{folder}: cannot be created ({exc.strerror or exc})")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
