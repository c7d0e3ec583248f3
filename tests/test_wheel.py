"""A built wheel, installed in a fresh virtual environment with no checkout in sight, gives
working commands: the shipped models open, predict works, models are saved in the
user's data folder, and `catgui desktop install` puts the wheel's own desktop files in
the menu, starting its `catgui-window` (issue 13, item 3, the wheel part)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from catgui import __version__ as catgui_version
from tests.data_helpers import ROOT

pytestmark = pytest.mark.slow


def _run(args, env, cwd, timeout=300):
    proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout)
    assert proc.returncode == 0, f"{args}\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


def test_a_wheel_in_a_fresh_venv_works_without_the_checkout(tmp_path, tiny_data):
    wheels = tmp_path / "wheels"
    # from a copy without the build/ and *.egg-info an earlier build leaves in the checkout:
    # setuptools reuses them, and a file missing from package-data would still be shipped
    source = tmp_path / "source"
    junk = ("build", "dist", "*.egg-info", ".venv", ".git", "__pycache__", ".*_cache", "datasets")
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*junk))
    # built as pip builds it for a user: in isolation, setuptools >= 77 from the package index
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(source),
            "--no-deps",
            "--quiet",
            "-w",
            str(wheels),
        ],
        os.environ.copy(),
        tmp_path,
    )
    (wheel,) = wheels.glob("catgui-*.whl")
    fresh = tmp_path / "fresh"
    _run([sys.executable, "-m", "venv", str(fresh)], os.environ.copy(), tmp_path)
    python = fresh / "bin" / "python"
    _run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        os.environ.copy(),
        tmp_path,
    )
    assert (fresh / "bin" / "catgui").is_file() and (fresh / "bin" / "catgui-window").is_file()

    # the dependencies come from this environment; catgui only from the wheel
    env = {k: v for k, v in os.environ.items() if k not in ("CATGUI_MODELS", "PYTHONPATH")}
    env.update(PYTHONPATH=sysconfig.get_paths()["purelib"], CATGUI_HOME=str(tmp_path / "home"))
    where = tmp_path / "elsewhere"
    where.mkdir()
    out = _run(
        [
            str(python),
            "-c",
            "import catgui, json; from catgui.core import paths, "
            "persistence as p; print(json.dumps([catgui.__file__, p.load(paths."
            "default_model_path()).kind, p.load(paths.photo_model_path()).kind, "
            "str(paths.models_dir())]))",
        ],
        env,
        where,
    )
    module, default_kind, photo_kind, models = json.loads(out)
    assert Path(module).is_relative_to(fresh) and ROOT not in Path(module).parents
    assert (default_kind, photo_kind) == ("dnn", "pretrained")
    assert Path(models) == tmp_path / "home" / "models"

    photo = where / "photo.png"
    Image.fromarray(np.full((80, 100, 3), 200, dtype=np.uint8)).save(photo)
    rows = json.loads(
        _run(
            [str(fresh / "bin" / "catgui"), "predict", "default", str(photo), "--json"], env, where
        )
    )
    assert rows[0]["label"] in ("cat", "non-cat") and 0 <= rows[0]["probability"] <= 1
    exported = json.loads(
        _run(
            [str(fresh / "bin" / "catgui"), "export", "default", "--out", "m.onnx", "--json"],
            env,
            where,
        )
    )
    assert exported["path"] == "m.onnx" and (where / "m.onnx").stat().st_size == exported["bytes"]
    _run(
        [
            str(fresh / "bin" / "catgui"),
            "train",
            "--data",
            str(tiny_data),
            "--layers",
            "2",
            "--iterations",
            "5",
        ],
        env,
        where,
    )
    saved = list((tmp_path / "home" / "models").glob("*.npz"))
    assert len(saved) == 1 and saved[0].name.startswith("dnn-2 ")

    # the desktop files come out of the wheel, and the entry starts the venv's window script
    window = fresh / "bin" / "catgui-window"
    version = _run([str(window), "--version"], env, where).strip()
    assert version == f"catgui {catgui_version}"
    desktop_env = dict(env, XDG_DATA_HOME=str(tmp_path / "xdg"))
    catgui = str(fresh / "bin" / "catgui")
    said = _run([catgui, "desktop", "install"], desktop_env, where)
    assert f"The menu entry starts {window}" in said
    entry = tmp_path / "xdg" / "applications" / "io.github.catgui.catgui.desktop"
    assert f"\nExec={window} %F\n" in entry.read_text(encoding="utf-8")
    icon = "icons/hicolor/256x256/apps/io.github.catgui.catgui.png"
    assert (tmp_path / "xdg" / icon).read_bytes() == (ROOT / "resources" / icon).read_bytes()
    assert (tmp_path / "xdg" / "metainfo" / "io.github.catgui.catgui.metainfo.xml").is_file()
    _run([catgui, "desktop", "uninstall"], desktop_env, where)
    assert not entry.exists() and not (tmp_path / "xdg" / icon).exists()
