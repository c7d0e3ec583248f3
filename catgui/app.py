"""Entry point of the window (imports Qt lazily so the CLI starts fast).

``catgui`` (:func:`catgui.cli.main`) opens the window through :func:`run_gui` when it is
given no command; ``catgui-window [FILES...]`` (:func:`window_main`, what the desktop
entry launches with the files a file manager hands it) calls :func:`run_gui` directly.

Before Qt starts, :func:`desktop_problem` checks what Qt's own abort would otherwise say
unreadably ("could not load the Qt platform plugin xcb", exit 134): on Linux, that there
is a display, and that the system libraries Qt's X11 plugin loads are installed. The
answer is one message with the line that installs what is missing.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import sys
from collections.abc import Callable

#: The system libraries Qt's X11 (xcb) plugin loads that a minimal Linux often lacks:
#: soname -> (Debian/Ubuntu package, Fedora package).
XCB_LIBRARIES = {
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
}


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_libraries(loads: Callable[[str], bool] = _loads) -> list[str]:
    """The sonames of :data:`XCB_LIBRARIES` that cannot be loaded."""
    return [soname for soname in XCB_LIBRARIES if not loads(soname)]


def desktop_problem(
    env: dict | None = None, platform: str = sys.platform, loads: Callable[[str], bool] = _loads
) -> str | None:
    """Why the window cannot open here (with what to do), or ``None`` when it can."""
    env = os.environ if env is None else env
    if not platform.startswith("linux"):
        return None
    qpa = env.get("QT_QPA_PLATFORM", "")
    if qpa and not qpa.startswith("xcb"):
        return None  # offscreen, wayland, ...: Qt's X11 plugin is not used
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        return (
            "catgui: no display to open the window on (DISPLAY is not set).\n"
            "  On a desktop, start catgui from its session. Without one:\n"
            "    xvfb-run -a catgui                     (a virtual display)\n"
            "    QT_QPA_PLATFORM=offscreen catgui ...   (no window at all)\n"
            "  The command line works without a display: catgui --help"
        )
    missing = missing_libraries(loads)
    if not missing:
        return None
    apt = " ".join(XCB_LIBRARIES[s][0] for s in missing)
    dnf = " ".join(sorted({XCB_LIBRARIES[s][1] for s in missing}))
    return (
        f"catgui: the window needs system libraries that are not installed: "
        f"{', '.join(missing)}.\n"
        f"  Debian/Ubuntu:  sudo apt-get install {apt}\n"
        f"  Fedora:         sudo dnf install {dnf}\n"
        "  The command line works without them: catgui --help"
    )


def run_gui(files: list[str] | None = None) -> int:
    """Open the main window; return the exit status (1, with a message, if it cannot)."""
    problem = desktop_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 1
    from catgui.ui.application import run

    return run(files or [])


def window_main(argv: list[str] | None = None) -> int:
    """``catgui-window [FILES...]``: open the window, classifying the pictures and folders given."""
    from catgui import __version__

    parser = argparse.ArgumentParser(
        prog="catgui-window",
        description="Open the catgui window; pictures and folders given are classified at once.",
    )
    parser.add_argument("--version", action="version", version=f"catgui {__version__}")
    parser.add_argument("files", nargs="*", metavar="FILE_OR_DIR")
    args = parser.parse_args(sys.argv[1:] if argv is None else list(argv))
    return run_gui(args.files)
