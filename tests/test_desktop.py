"""catgui installs like a desktop application (issue 13, item 3): ``catgui-window FILES``
opens them, the desktop entry and the AppStream metainfo validate, the icons come in the
hicolor sizes (``catgui desktop install``: tests/test_desktop_install.py)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from xml.etree import ElementTree

import numpy as np
import pytest
from PIL import Image

import catgui
from catgui.core import desktop_files, images
from tests.data_helpers import ROOT
from tests.desktop_helpers import desktop_file_problems, entry_keys, metainfo_problems

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")

_OPEN_FILES_SCRIPT = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])
from catgui.app import window_main

tries = [0]

def look():
    tries[0] += 1
    wins = [w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow"]
    rows = wins[0].classify_tab.results.rowCount() if wins else 0
    if rows < 2 and tries[0] < 3000:
        QTimer.singleShot(10, look)
        return
    win = wins[0]
    shown = win.tabs.currentWidget() is win.classify_tab
    print("CLASSIFY", shown, "ROWS", rows, "ID", app.desktopFileName(), flush=True)
    win.close()
    QTimer.singleShot(0, app.quit)

QTimer.singleShot(0, look)
sys.exit(window_main(sys.argv[1:]))
"""


@pytest.mark.gui
def test_catgui_window_classifies_the_files_it_is_given(tmp_path):
    """What a file manager does with the entry's ``Exec=catgui-window %F``."""
    pictures = []
    for i, shade in enumerate((40, 220)):
        pictures.append(tmp_path / f"picture {i}.png")
        Image.fromarray(np.full((70, 90, 3), shade, dtype=np.uint8)).save(pictures[-1])
    proc = subprocess.run(
        [sys.executable, "-c", _OPEN_FILES_SCRIPT, *map(str, pictures)],
        capture_output=True,
        text=True,
        timeout=180,
        env=dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen"),
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "CLASSIFY True ROWS 2 ID io.github.catgui.catgui" in proc.stdout, output


def test_catgui_window_refuses_an_unknown_option(capsys):
    from catgui.app import window_main

    with pytest.raises(SystemExit) as exit_info:
        window_main(["--no-such-option"])
    assert exit_info.value.code == 2
    assert "catgui-window" in capsys.readouterr().err


# -- the shipped files -----------------------------------------------------------------------------
RESOURCES = ROOT / "resources"
#: The MIME type of each picture suffix catgui reads (catgui.core.images.IMAGE_SUFFIXES).
MIME_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".jpe": "image/jpeg",
    ".png": "image/png",
    ".bmp": "image/bmp",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}


def test_the_desktop_entry_validates():
    assert desktop_file_problems(RESOURCES / desktop_files.DESKTOP_ENTRY) == ""


def test_a_broken_desktop_entry_is_caught(tmp_path):
    """The check above can fail: an entry with no Name and a made-up category does."""
    broken = tmp_path / desktop_files.DESKTOP_ENTRY
    text = (RESOURCES / desktop_files.DESKTOP_ENTRY).read_text(encoding="utf-8")
    broken.write_text(text.replace("Name=catgui\n", "").replace("Science;", "Sciencey;"))
    assert "Name" in desktop_file_problems(broken)


def test_the_metainfo_validates():
    assert metainfo_problems(RESOURCES / desktop_files.METAINFO) == ""


def test_a_broken_metainfo_is_caught(tmp_path):
    broken = tmp_path / desktop_files.METAINFO
    text = (RESOURCES / desktop_files.METAINFO).read_text(encoding="utf-8")
    broken.write_text(text.replace("<summary>", "<summary>.").replace("CC0-1.0", "Mine"))
    assert "metadata-license" in metainfo_problems(broken)


def test_the_entry_opens_every_picture_type_catgui_reads():
    keys = entry_keys((RESOURCES / desktop_files.DESKTOP_ENTRY).read_text(encoding="utf-8"))
    assert keys["Icon"] == desktop_files.APP_ID
    assert keys["Exec"] == "catgui-window %F" and keys["TryExec"] == "catgui-window"
    assert set(keys["MimeType"].rstrip(";").split(";")) == {
        MIME_TYPES[suffix] for suffix in images.IMAGE_SUFFIXES
    }


def test_the_metainfo_names_the_app_its_entry_commands_release_and_real_screenshots():
    root = ElementTree.parse(RESOURCES / desktop_files.METAINFO).getroot()
    assert root.findtext("id") == desktop_files.APP_ID
    assert root.findtext("launchable") == desktop_files.DESKTOP_ENTRY
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    commands = {*config["scripts"], *config["gui-scripts"]}
    assert {b.text for b in root.iter("binary")} == commands == {"catgui", "catgui-window"}
    release = root.find("releases/release")
    assert (release.get("version"), release.get("date")) == (catgui.__version__, "2026-12-01")
    shots = list(root.iter("screenshot"))
    assert len(shots) >= 3 and all(shot.findtext("caption") for shot in shots)
    prefix = "https://github.com/catgui/catgui/raw/main/"
    for shot in shots:
        url = shot.findtext("image")
        assert url.startswith(prefix) and (ROOT / url.removeprefix(prefix)).is_file(), url


def test_every_shipped_file_exists_and_each_icon_has_its_size():
    for name, _ in desktop_files.layout():
        assert desktop_files.source(name).is_file(), name
    for size in desktop_files.ICON_SIZES:
        with Image.open(RESOURCES / desktop_files.icon_resource(size)) as icon:
            assert (icon.format, icon.size, icon.mode) == ("PNG", (size, size), "RGBA")
            pixels = np.asarray(icon)
        assert pixels[0, 0, 3] < 128 and pixels[size // 2, size // 2, 3] == 255  # rounded corner


@pytest.mark.gui
@pytest.mark.parametrize("size", [16, 128])
def test_the_committed_icons_are_the_svg_rendered_now(qapp, size):
    """Changing icon.svg without ``make icons`` fails here (fonts may differ a little)."""
    from catgui.ui import render_icons

    image = render_icons.render(RESOURCES / "icon.svg", size)
    fresh = np.asarray(Image.open(io.BytesIO(_png_bytes(image))).convert("RGBA"), dtype=float)
    committed = np.asarray(Image.open(RESOURCES / desktop_files.icon_resource(size)), dtype=float)
    assert np.abs(fresh - committed).mean() < 2.0


def _png_bytes(image) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    return bytes(data.data())
