"""The Classify tab's file dialogs: pictures or a folder to classify, from the last folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

from catgui.core import images
from catgui.ui import settings as remembered

IMAGE_FILTER = (
    "Images (" + " ".join(f"*{s}" for s in sorted(images.IMAGE_SUFFIXES)) + ");;All files (*)"
)


def ask_for_images(parent: QWidget, settings: QSettings) -> list[str]:
    """The picture files the user picks (several at once; none if cancelled)."""
    files, _ = QFileDialog.getOpenFileNames(
        parent, "Open images to classify", remembered.last_folder(settings), IMAGE_FILTER
    )
    if files:
        remembered.remember_folder(settings, str(Path(files[0]).parent))
    return files


def ask_for_folder(parent: QWidget, settings: QSettings) -> str:
    """The folder of pictures the user picks ("" if cancelled)."""
    folder = QFileDialog.getExistingDirectory(
        parent, "Open a folder of pictures", remembered.last_folder(settings)
    )
    if folder:
        remembered.remember_folder(settings, folder)
    return folder
