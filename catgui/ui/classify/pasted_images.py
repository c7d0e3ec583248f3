"""Pictures pasted from the clipboard, kept as PNG files in a temporary folder (no widget).

The files live until :meth:`PastedImages.remove_all` (the Classify tab calls it when it
shuts down), so a pasted picture can still be corrected, which copies it into the
user's corrections, while its row is shown.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6.QtGui import QImage

from catgui.ui.classify.drop_area import local_paths

NOTHING_TO_PASTE = (
    "The clipboard holds no picture to classify. Copy an image, or picture files in your "
    "file manager, then paste again (Ctrl+V)."
)
NOT_STORED = "The pasted image could not be stored for classifying."


def remove_folder(folder: Path, *_args) -> None:
    shutil.rmtree(folder, ignore_errors=True)


class PastedImages:
    """Saves clipboard images as ``pasted-N.png`` and names them "Pasted image N"."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.count = 0

    def save(self, image: QImage | None) -> tuple[Path, str] | None:
        """Write ``image``; returns its path and display name, or None if nothing was saved."""
        if image is None or image.isNull():
            return None
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="catgui-pasted-"))
        self.count += 1
        path = self.folder / f"pasted-{self.count}.png"
        if not image.save(str(path), "PNG"):
            return None
        return path, f"Pasted image {self.count}"

    def paths_from(self, mime, image: QImage | None, names: dict) -> tuple[list[str], str]:
        """What a paste of ``mime`` classifies: file URLs, ``image`` (saved; its display name
        goes into ``names``), or file paths as text; ``([], why)`` when nothing."""
        paths = local_paths(mime)
        if not paths and mime is not None and mime.hasImage():
            saved = self.save(image)
            if saved is None:
                return [], NOT_STORED
            names[saved[0]] = saved[1]
            paths = [str(saved[0])]
        if not paths and mime is not None and mime.hasText():
            lines = [line.strip() for line in mime.text().splitlines() if line.strip()]
            if lines and all(Path(line).exists() for line in lines):
                paths = lines
        return paths, "" if paths else NOTHING_TO_PASTE

    def remove_all(self, *_args) -> None:
        """Delete the temporary folder and every pasted picture in it."""
        if self.folder is not None:
            remove_folder(self.folder)
