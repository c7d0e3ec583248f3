"""What makes catgui a desktop application on a freedesktop system, and where each file goes.

The app's id (reverse-DNS, as the desktop entry, the icons and the AppStream metainfo
name it) and the files the project ships for it in ``resources/``: the desktop entry,
the icon in the hicolor sizes (PNGs rendered from ``icon.svg`` by ``make icons``) and
the metainfo. :func:`layout` pairs each with its place under a data folder
(``~/.local/share`` for one user, ``/usr/share`` for a system), relative to it.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from catgui.core.paths import resource_path

#: The application's id: the desktop entry's and the metainfo's name, the icon's name.
APP_ID = "io.github.catgui.catgui"
#: The hicolor sizes the PNG icons are rendered in (and installed in).
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
DESKTOP_ENTRY = f"{APP_ID}.desktop"
METAINFO = f"{APP_ID}.metainfo.xml"


def icon_resource(size: int) -> str:
    """The PNG of one size, relative to ``resources/``."""
    return f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png"


def layout() -> list[tuple[str, PurePosixPath]]:
    """Each shipped file (relative to ``resources/``) and where it goes in a data folder."""
    pairs = [(DESKTOP_ENTRY, PurePosixPath("applications", DESKTOP_ENTRY))]
    pairs += [(icon_resource(size), PurePosixPath(icon_resource(size))) for size in ICON_SIZES]
    pairs.append(("icon.svg", PurePosixPath("icons/hicolor/scalable/apps", f"{APP_ID}.svg")))
    pairs.append((METAINFO, PurePosixPath("metainfo", METAINFO)))
    return pairs


def source(name: str) -> Path:
    """A shipped file, from the checkout's ``resources/`` or the installed package's."""
    return resource_path(name)


_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def exec_argument(text: str) -> str:
    """``text`` as one argument of a desktop entry's ``Exec`` key, quoted if it must be.

    The desktop entry specification: an argument holding a reserved character is put in
    double quotes, with ``"``, `````, ``$`` and ``\\`` escaped by a backslash; ``%`` is
    written ``%%``. (The key's value is then a string, so :func:`entry_value` doubles
    every backslash once more.)
    """
    text = text.replace("%", "%%")
    if not _RESERVED.intersection(text):
        return text
    for char in '\\"`$':
        text = text.replace(char, "\\" + char)
    return f'"{text}"'


def entry_value(text: str) -> str:
    """A string value of a desktop entry: backslashes, tabs and newlines escaped."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def entry_for(window_command: Path, text: str) -> str:
    """The shipped desktop entry ``text`` made to run ``window_command`` (an absolute path)."""
    lines = []
    for line in text.splitlines():
        key = line.split("=", 1)[0]
        if key == "Exec":
            line = f"Exec={entry_value(exec_argument(str(window_command)))} %F"
        elif key == "TryExec":
            line = f"TryExec={entry_value(str(window_command))}"
        lines.append(line)
    return "\n".join(lines) + "\n"
