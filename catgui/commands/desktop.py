"""``catgui desktop install | uninstall``: catgui in this user's applications menu, no root.

``install`` writes the desktop entry (its ``Exec`` the absolute path of the
``catgui-window`` installed beside this Python), the icons and the AppStream metainfo
into ``$XDG_DATA_HOME`` (``~/.local/share``) or ``PREFIX/share``; ``uninstall`` removes
exactly those files. Both say what they did, and doing either twice changes nothing
more. The menu's caches are refreshed with ``update-desktop-database`` (and
``gtk-update-icon-cache`` where an icon cache already exists) when those are installed.
"""

from __future__ import annotations

import argparse
import os
import stat
import subprocess
import sys
import sysconfig
from pathlib import Path
from shutil import which

from catgui.commands import EXIT_OK
from catgui.core import atomic, desktop_files
from catgui.core.errors import CatguiError

WINDOW_SCRIPT = "catgui-window"
#: The only programs catgui ever starts, here and only when asked (tests/test_security.py).
CACHE_TOOLS = ("update-desktop-database", "gtk-update-icon-cache")


def data_folder(prefix: str | None, env: dict | None = None) -> Path:
    """``PREFIX/share``; else ``$XDG_DATA_HOME`` (if absolute, as the spec asks), else
    ``~/.local/share``."""
    env = os.environ if env is None else env
    if prefix is not None:
        if not prefix.strip():
            raise CatguiError("--prefix needs a folder (it was given an empty one)")
        return Path(prefix).expanduser().absolute() / "share"
    if sys.platform in ("darwin", "win32"):
        raise CatguiError(
            "desktop entries are for Linux (and other freedesktop) desktops; here, start "
            "catgui with `catgui` (or give --prefix DIR to write the files anyway)"
        )
    xdg = env.get("XDG_DATA_HOME", "")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg)
    return Path.home() / ".local" / "share"


def window_script() -> Path:
    """The ``catgui-window`` of this installation: beside this Python's scripts (a venv,
    pipx), in the user's scripts (``pip install --user``), else the one on ``PATH``."""
    folders = [sysconfig.get_path("scripts")]
    user = sysconfig.get_path("scripts", sysconfig.get_preferred_scheme("user"))
    folders += [user] if user not in folders else []
    for folder in folders:
        candidate = Path(folder) / WINDOW_SCRIPT
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate.absolute()
    found = which(WINDOW_SCRIPT)
    if found:
        return Path(found).absolute()
    raise CatguiError(
        f"{WINDOW_SCRIPT} is not installed beside this Python ({', '.join(folders)}) nor on "
        "PATH, so a desktop entry would have nothing to start. Install catgui first "
        "(`pipx install .`, or `pip install .` in a virtual environment), then run "
        "`catgui desktop install` from that installation"
    )


def _contents(name: str, window: Path) -> bytes:
    source = desktop_files.source(name)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise CatguiError(
            f"{source}: this installation of catgui lacks the file ({exc.strerror or exc}); "
            "reinstall catgui"
        ) from None
    if name == desktop_files.DESKTOP_ENTRY:
        return desktop_files.entry_for(window, data.decode("utf-8")).encode("utf-8")
    return data


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a fresh hidden file in its folder, renamed into place
    (a symbolic link planted at either name is replaced or never opened: never written
    through)."""
    atomic.write(path, lambda f: f.write(data), overwrite=True, what="file", durable=False)


def _holds(path: Path, contents: bytes) -> bool:
    """Whether ``path`` is already a plain file (not a link) holding exactly ``contents``."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(st.st_mode) or st.st_size != len(contents):
        return False
    return path.read_bytes() == contents


def install(data: Path, window: Path) -> tuple[list[Path], list[Path]]:
    """Lay the files out under ``data``; return (written, already there unchanged)."""
    written, unchanged = [], []
    for name, relative in desktop_files.layout():
        path = data / relative
        contents = _contents(name, window)
        done = f" ({len(written)} written before it: `catgui desktop uninstall` removes them)"
        try:
            if _holds(path, contents):
                unchanged.append(path)
                continue
            _write(path, contents)
        except OSError as exc:
            raise CatguiError(
                f"{path}: cannot write it ({exc.strerror or exc}){done if written else ''}"
            ) from None
        except CatguiError as exc:
            raise CatguiError(f"{exc}{done if written else ''}") from None
        written.append(path)
    return written, unchanged


def uninstall(data: Path) -> list[Path]:
    """Remove the files :func:`install` writes under ``data`` (nothing else); return them.

    The folders stay (``applications/``, ``icons/hicolor/48x48/apps/`` ... are shared with
    every other application), and so do the caches the desktop's tools keep there.
    """
    removed = []
    for _, relative in desktop_files.layout():
        path = data / relative
        if not (path.is_file() or path.is_symlink()):
            continue
        try:
            path.unlink()
        except OSError as exc:
            raise CatguiError(f"{path}: cannot remove it ({exc.strerror or exc})") from None
        removed.append(path)
    return removed


def refresh_caches(data: Path) -> list[str]:
    """Run the desktop's cache tools that are installed; one line for each that ran."""
    menu, icons = CACHE_TOOLS
    runs = []
    applications = data / "applications"
    if applications.is_dir():  # "Open with" lists the app from mimeinfo.cache
        runs.append((menu, ["-q", str(applications)]))
    hicolor = data / "icons" / "hicolor"
    if (hicolor / "icon-theme.cache").is_file():  # never create one: a stale cache hides icons
        runs.append((icons, ["-q", "-t", "-f", str(hicolor)]))
    said = []
    for tool, args in runs:
        found = which(tool)
        if found is None:
            continue
        try:
            proc = subprocess.run([found, *args], capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.SubprocessError) as exc:
            said.append(f"{tool} could not run ({exc}); the desktop will catch up at next login")
            continue
        if proc.returncode == 0:
            said.append(f"Refreshed the desktop's cache ({tool}).")
        else:
            why = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no message"]
            said.append(f"{tool} failed ({why[0]}); the desktop will catch up at next login")
    return said


def run(args: argparse.Namespace) -> int:
    data = data_folder(args.prefix)
    if args.action == "install":
        window = window_script()
        written, unchanged = install(data, window)
        if not written:
            print(f"catgui's desktop files are already installed in {data}: nothing changed.")
            print(f"The menu entry starts {window}")
            return EXIT_OK
        print(f"Installed catgui's desktop files in {data}:")
        for path in written:
            print(f"  {path.relative_to(data)}")
        if unchanged:
            print(f"  ({len(unchanged)} more were already there, unchanged)")
        print(f"The menu entry starts {window}")
    else:
        removed = uninstall(data)
        if not removed:
            print(f"catgui's desktop files are not installed in {data}: nothing to remove.")
            return EXIT_OK
        print(f"Removed catgui's desktop files from {data}:")
        for path in removed:
            print(f"  {path.relative_to(data)}")
    for line in refresh_caches(data):
        print(line)
    return EXIT_OK
