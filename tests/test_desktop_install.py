"""``catgui desktop install | uninstall``: per user, no root, exactly its own files."""

from __future__ import annotations

import os
import subprocess
import sysconfig
import time
from pathlib import Path

import pytest

from catgui import cli
from catgui.commands import desktop
from catgui.core import desktop_files
from catgui.core.errors import CatguiError
from tests.data_helpers import ROOT
from tests.desktop_helpers import desktop_file_problems, entry_keys, tool, tree_problems

APP = "io.github.catgui.catgui"
EXPECTED = sorted(
    [f"applications/{APP}.desktop", f"metainfo/{APP}.metainfo.xml"]
    + [f"icons/hicolor/{n}x{n}/apps/{APP}.png" for n in (16, 24, 32, 48, 64, 128, 256, 512)]
    + [f"icons/hicolor/scalable/apps/{APP}.svg"]
)


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def window(tmp_path) -> Path:
    """A stand-in ``catgui-window`` in a folder whose name needs quoting: records its argv."""
    script = tmp_path / "my $apps" / "bin" / "catgui-window"
    script.parent.mkdir(parents=True)
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$0" "$@" > "{tmp_path}/argv.txt"\n')
    script.chmod(0o755)
    return script


@pytest.fixture
def no_cache_tools(monkeypatch):
    monkeypatch.setattr(desktop, "which", lambda name: None)


def test_install_lays_out_exactly_its_files_and_the_entry_runs_this_window(
    tmp_path, window, no_cache_tools
):
    data = tmp_path / "share"
    written, unchanged = desktop.install(data, window)
    assert files_under(data) == EXPECTED and len(written) == len(EXPECTED) and unchanged == []
    entry = data / "applications" / f"{APP}.desktop"
    keys = entry_keys(entry.read_text(encoding="utf-8"))
    # quoted for the space and the $, which is escaped (and its backslash doubled as a string)
    assert keys["Exec"] == f'"{tmp_path}/my \\\\$apps/bin/catgui-window" %F'
    assert keys["TryExec"] == str(window) and keys["Icon"] == APP
    assert desktop_file_problems(entry) == ""
    png = f"icons/hicolor/48x48/apps/{APP}.png"
    assert (data / png).read_bytes() == (ROOT / "resources" / png).read_bytes()


def test_the_installed_entry_starts_the_window_with_the_files_opened(tmp_path, window):
    """GLib's own launcher reads the Exec line back: the path and the files arrive whole."""
    data = tmp_path / "share"
    desktop.install(data, window)
    picture = tmp_path / "a cat.png"
    picture.write_bytes(b"")
    entry = data / "applications" / f"{APP}.desktop"
    subprocess.run([tool("gio"), "launch", str(entry), str(picture)], check=True, timeout=60)
    argv = tmp_path / "argv.txt"
    for _ in range(200):
        if argv.is_file() and argv.read_text().count("\n") == 2:
            break
        time.sleep(0.05)
    assert argv.read_text().splitlines() == [str(window), str(picture)]


def test_twice_changes_nothing_and_uninstall_removes_only_its_own_files(
    tmp_path, window, no_cache_tools
):
    data = tmp_path / "share"
    desktop.install(data, window)
    others = ["applications/other.desktop", "icons/hicolor/48x48/apps/other.png", "metainfo/o.xml"]
    for name in others:
        (data / name).write_text("someone else's")
    written, unchanged = desktop.install(data, window)
    assert written == [] and len(unchanged) == len(EXPECTED)

    (data / "applications" / f"{APP}.desktop").write_text("[Desktop Entry]\nedited\n")
    written, _ = desktop.install(data, window)
    assert written == [data / "applications" / f"{APP}.desktop"]  # put back, the rest kept

    removed = desktop.uninstall(data)
    assert sorted(p.relative_to(data).as_posix() for p in removed) == EXPECTED
    assert files_under(data) == sorted(others)
    assert desktop.uninstall(data) == []


def test_the_cli_says_what_it_did_each_time(tmp_path, window, monkeypatch, capsys):
    data = tmp_path / "data home"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setattr(desktop, "window_script", lambda: window)
    monkeypatch.setattr(desktop, "which", lambda name: None)

    assert cli.main(["desktop", "install"]) == 0
    out = capsys.readouterr().out
    assert f"Installed catgui's desktop files in {data}:" in out
    assert f"  icons/hicolor/512x512/apps/{APP}.png\n" in out
    assert f"The menu entry starts {window}" in out
    assert cli.main(["desktop", "install"]) == 0
    assert "already installed" in capsys.readouterr().out
    assert cli.main(["desktop", "uninstall"]) == 0
    out = capsys.readouterr().out
    assert f"Removed catgui's desktop files from {data}:" in out
    assert out.count(APP) == len(EXPECTED)
    assert cli.main(["desktop", "uninstall"]) == 0
    assert "nothing to remove" in capsys.readouterr().out
    assert files_under(data) == []


def test_the_menu_cache_is_refreshed_both_ways_where_the_tool_exists(tmp_path, window):
    tool("update-desktop-database")
    data = tmp_path / "share"
    desktop.install(data, window)
    assert any("update-desktop-database" in line for line in desktop.refresh_caches(data))
    cache = (data / "applications" / "mimeinfo.cache").read_text()
    assert f"image/png={APP}.desktop;" in cache
    desktop.uninstall(data)
    desktop.refresh_caches(data)
    assert APP not in (data / "applications" / "mimeinfo.cache").read_text()


def test_an_icon_cache_is_refreshed_only_where_one_exists(tmp_path, window, monkeypatch):
    ran = []
    monkeypatch.setattr(desktop, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(
        desktop.subprocess, "run", lambda args, **kw: ran.append(args) or _Done(returncode=0)
    )
    data = tmp_path / "share"
    desktop.install(data, window)
    desktop.refresh_caches(data)
    assert [Path(args[0]).name for args in ran] == ["update-desktop-database"]
    (data / "icons" / "hicolor" / "icon-theme.cache").write_bytes(b"")
    ran.clear()
    said = desktop.refresh_caches(data)
    assert [Path(args[0]).name for args in ran] == [
        "update-desktop-database",
        "gtk-update-icon-cache",
    ]
    assert len(said) == 2


class _Done:
    def __init__(self, returncode):
        self.returncode, self.stdout, self.stderr = returncode, "", ""


def test_a_failing_cache_tool_is_reported_not_fatal(tmp_path, window, monkeypatch):
    monkeypatch.setattr(desktop, "which", lambda name: f"/usr/bin/{name}")

    def fails(args, **kw):
        done = _Done(returncode=1)
        done.stderr = "cannot open directory\n"
        return done

    monkeypatch.setattr(desktop.subprocess, "run", fails)
    data = tmp_path / "share"
    desktop.install(data, window)
    (said,) = desktop.refresh_caches(data)
    assert "update-desktop-database failed (cannot open directory)" in said


def test_an_unwritable_folder_is_one_clear_message(tmp_path, window, monkeypatch, capsys):
    blocker = tmp_path / "not a folder"
    blocker.write_text("")
    monkeypatch.setattr(desktop, "window_script", lambda: window)
    assert cli.main(["desktop", "install", "--prefix", str(blocker)]) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        f"catgui: error: {blocker}/share/applications/{APP}.desktop: cannot write it "
        "(Not a directory)\n"
    )
    assert captured.out == ""


def test_a_file_missing_from_the_installation_is_named(tmp_path, window, monkeypatch):
    monkeypatch.setattr(desktop.desktop_files, "source", lambda name: tmp_path / "gone" / name)
    with pytest.raises(CatguiError, match=f"gone/{APP}.desktop: this installation .* lacks"):
        desktop.install(tmp_path / "share", window)
    assert not (tmp_path / "share").exists()


def test_the_data_folder_follows_xdg_data_home_or_the_prefix(monkeypatch, tmp_path):
    assert desktop.data_folder(None, {"XDG_DATA_HOME": "/data/me"}) == Path("/data/me")
    home = Path.home() / ".local" / "share"
    assert desktop.data_folder(None, {"XDG_DATA_HOME": "relative/ignored"}) == home
    assert desktop.data_folder(None, {}) == home
    assert desktop.data_folder(str(tmp_path), {"XDG_DATA_HOME": "/x"}) == tmp_path / "share"
    monkeypatch.setattr(desktop.sys, "platform", "darwin")
    with pytest.raises(CatguiError, match="Linux"):
        desktop.data_folder(None, {})
    assert desktop.data_folder(str(tmp_path)) == tmp_path / "share"


def test_a_missing_catgui_window_is_said_with_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(desktop.sysconfig, "get_path", lambda *args: str(tmp_path / "empty"))
    monkeypatch.setattr(desktop, "which", lambda name: None)
    with pytest.raises(CatguiError, match="catgui-window is not installed.*pipx install"):
        desktop.window_script()


def test_the_window_script_beside_this_python_comes_first(monkeypatch, window):
    monkeypatch.setattr(desktop.sysconfig, "get_path", lambda *args: str(window.parent))
    monkeypatch.setattr(desktop, "which", lambda name: "/usr/bin/catgui-window")
    assert desktop.window_script() == window


def test_a_prefix_install_passes_appstreams_tree_check(tmp_path, window, no_cache_tools):
    """``appstreamcli validate-tree`` reads the metainfo and finds its desktop entry."""
    desktop.install(tmp_path / "root" / "usr" / "share", window)
    assert tree_problems(tmp_path / "root") == ""
    (tmp_path / "root" / "usr" / "share" / "applications" / f"{APP}.desktop").unlink()
    assert "desktop-file-not-found" in tree_problems(tmp_path / "root")


def test_the_real_command_installs_and_uninstalls(tmp_path):
    """``catgui desktop install`` as a user runs it: the script beside this Python."""
    scripts = Path(sysconfig.get_path("scripts"))
    if not (scripts / "catgui").is_file() or not (scripts / "catgui-window").is_file():
        pytest.skip(f"catgui is not installed in {scripts} (make test installs it)")
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "share"), PYTHONPATH=str(ROOT))

    def catgui(*args):
        proc = subprocess.run(
            [str(scripts / "catgui"), *args], capture_output=True, text=True, env=env, timeout=120
        )
        assert proc.returncode == 0 and proc.stderr == "", proc.stdout + proc.stderr
        return proc.stdout

    assert f"The menu entry starts {scripts / 'catgui-window'}" in catgui("desktop", "install")
    entry = tmp_path / "share" / "applications" / f"{APP}.desktop"
    quoted = desktop_files.entry_value(desktop_files.exec_argument(str(scripts / "catgui-window")))
    assert entry_keys(entry.read_text())["Exec"] == f"{quoted} %F"
    assert desktop_file_problems(entry) == ""
    assert set(EXPECTED) <= set(files_under(tmp_path / "share"))
    assert "Removed" in catgui("desktop", "uninstall")
    assert not set(EXPECTED) & set(files_under(tmp_path / "share"))
