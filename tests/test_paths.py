"""Per-user folders: $CATGUI_HOME wins, else the platform's own (platformdirs)."""

from __future__ import annotations

from pathlib import Path

from catgui.core import paths


def test_catgui_home_overrides_the_platform_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("CATGUI_HOME", str(tmp_path / "home"))
    assert paths.user_data_dir() == tmp_path / "home"


def test_without_it_the_xdg_data_folder_is_used_on_linux(monkeypatch, tmp_path):
    monkeypatch.delenv("CATGUI_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    import sys

    if sys.platform.startswith("linux"):
        assert paths.user_data_dir() == tmp_path / "data" / "catgui"
    else:  # the platform's convention, whatever it is, ends in catgui
        assert Path(paths.user_data_dir()).name == "catgui"
