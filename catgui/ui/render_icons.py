"""Render ``resources/icon.svg`` into the hicolor PNG sizes the desktop needs (``make icons``).

The PNGs are committed (the project's own art), so installing catgui never needs Qt to
draw them: run this again after changing the SVG.
``python -m catgui.ui.render_icons [RESOURCES_DIR]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from catgui.core import atomic
from catgui.core.desktop_files import ICON_SIZES, icon_resource
from catgui.core.paths import PROJECT_ROOT


def render(svg: Path, size: int) -> QImage:
    """The SVG drawn into a transparent ``size`` x ``size`` ARGB image."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image


def render_all(resources: Path) -> list[Path]:
    """Write every size of ``resources/icon.svg`` under ``resources/icons/hicolor``."""
    written = []
    for size in ICON_SIZES:
        out = resources / icon_resource(size)
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not render(resources / "icon.svg", size).save(buffer, "PNG"):
            raise OSError(f"{out}: could not be drawn")
        png = bytes(data.data())
        atomic.write(out, lambda f, png=png: f.write(png), overwrite=True, what="icon")
        written.append(out)
    return written


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    resources = Path(argv[0]) if argv else PROJECT_ROOT / "resources"
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # fonts for the text
    for path in render_all(resources):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
