"""An installed wheel carries the icon, the style sheet and the default model.

``catgui/resources`` and ``catgui/models`` link to the checkout's top-level folders, and
``pyproject.toml`` lists them as package data; these tests keep both halves in step.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import catgui
from catgui.core import paths, persistence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(catgui.__file__).resolve().parent


def test_every_package_data_pattern_finds_its_files_through_the_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["catgui"]
    found = {pattern: sorted(PACKAGE.glob(pattern)) for pattern in patterns}
    assert all(found.values()), {p: f for p, f in found.items() if not f}
    names = {f.name for files in found.values() for f in files}
    assert {"icon.svg", "style.qss", "default.npz"} <= names


def test_the_default_model_falls_back_to_the_packaged_copy(monkeypatch, tmp_path):
    assert paths.default_model_path() == paths.PROJECT_MODELS / "default.npz"  # a checkout
    monkeypatch.setattr(paths, "PROJECT_MODELS", tmp_path / "not a checkout")
    packaged = paths.default_model_path()
    assert packaged == paths.PACKAGED_MODELS / "default.npz"
    model = persistence.load(packaged)
    assert model.classifier.network.sizes == (12288, 20, 7, 5, 1)


def test_the_icon_and_style_sheet_fall_back_to_the_packaged_copies(monkeypatch, tmp_path):
    assert paths.resource_path("style.qss") == ROOT / "resources" / "style.qss"
    monkeypatch.setattr(paths, "PROJECT_ROOT", tmp_path / "not a checkout")
    for name in ("icon.svg", "style.qss"):
        packaged = paths.resource_path(name)
        assert packaged == PACKAGE / "resources" / name and packaged.is_file()


def test_every_sub_package_goes_into_the_wheel():
    setuptools = pytest.importorskip("setuptools")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    found = set(setuptools.find_packages(str(ROOT), include=include))
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in PACKAGE.rglob("__init__.py")}
    assert {"catgui.ui.train", "catgui.ui.classify", "catgui.ui.mistakes"} <= on_disk
    assert on_disk <= found, on_disk - found
