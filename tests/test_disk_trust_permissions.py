"""Issue 21, items 4 and 6: folders and files this user cannot read, and a folder it
cannot write, each named with the reason, as a user without privileges meets them.

The suite runs as root, which reads and writes everything: these tests run the command in
a forked child that drops to ``nobody`` (``tests/other_user_helpers.py``); as an ordinary user
the child keeps that user. Everything else in the folder is still classified, and the
exit status is 1 because something was skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from catgui import cli
from catgui.core import paths
from tests.data_helpers import ROOT, write_h5_pair
from tests.other_user_helpers import run_unprivileged, shared_folder, warm_up

DEFAULT = str(ROOT / "models" / "default.npz")


def _picture(path: Path, seed: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    Image.fromarray(rng.integers(0, 256, (80, 90, 3), dtype=np.uint8)).save(path)
    return path


@pytest.fixture
def shared():
    with shared_folder() as folder:
        (folder / "home").mkdir(mode=0o777)
        (folder / "home").chmod(0o777)
        yield folder


def _env(shared: Path) -> dict[str, str]:
    home = shared / "home"
    return {"CATGUI_HOME": str(home), "CATGUI_MODELS": str(home / "models")}


def _predict_as_other_user(shared: Path, *inputs: Path) -> tuple[int, list[dict], str]:
    warm_up(cli.main, ["predict", DEFAULT, str(_picture(shared / "warm.png"))])
    argv = ["predict", DEFAULT, *map(str, inputs), "--json"]
    code, out, err = run_unprivileged(lambda: cli.main(argv), _env(shared))
    assert "Traceback" not in err, err
    return code, json.loads(out) if out.strip() else [], err


def test_an_unreadable_subfolder_is_named_and_the_rest_classified(shared):
    folder = shared / "pets"
    good = _picture(folder / "a.png")
    locked = folder / "locked"
    _picture(locked / "b.png", 1)
    locked.chmod(0)
    code, results, _ = _predict_as_other_user(shared, folder)
    assert code == 1  # something was skipped
    by_path = {r["path"]: r for r in results}
    assert by_path[str(good)]["label"] in ("cat", "non-cat")
    assert by_path[str(locked)]["error"] == f"{locked}: cannot be read (Permission denied)"


def test_an_unreadable_folder_is_not_called_empty(shared):
    folder = shared / "locked"
    _picture(folder / "a.png")
    folder.chmod(0)
    code, results, _ = _predict_as_other_user(shared, folder)
    assert code == 1
    assert [r["error"] for r in results] == [f"{folder}: cannot be read (Permission denied)"]


def test_a_picture_in_a_folder_that_cannot_be_entered(shared):
    picture = _picture(shared / "closed" / "a.png")
    (shared / "closed").chmod(0o600)  # listable by root only; not enterable by others
    code, results, _ = _predict_as_other_user(shared, picture)
    assert code == 1
    assert results[0]["error"] == f"{picture}: cannot be read (Permission denied)"


def test_an_unreadable_picture(shared):
    picture = _picture(shared / "secret.png")
    picture.chmod(0)
    code, results, _ = _predict_as_other_user(shared, picture)
    assert code == 1
    assert results[0]["error"] == f"{picture}: cannot be read (Permission denied)"


def test_train_refuses_an_unwritable_out_before_training(shared):
    data = write_h5_pair(shared / "data")
    for path in (data, *data.iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    closed = shared / "closed"
    closed.mkdir()
    closed.chmod(0o555)
    argv = ["train", "--model", "logreg", "--iterations", "5", "--data", str(data)]
    warm_up(cli.main, [*argv, "--out", str(shared / "warm.npz")])
    code, out, err = run_unprivileged(
        lambda: cli.main([*argv, "--out", str(closed / "m.npz")]), _env(shared)
    )
    assert code == 1 and "Training" not in out  # refused before a single iteration
    assert f"{closed}: cannot write a model here (Permission denied)" in err
    assert list(closed.iterdir()) == []


def test_the_profile_check_names_an_unwritable_catgui_home(shared):
    home = shared / "home"
    home.chmod(0o555)
    code, out, _ = run_unprivileged(lambda: print(paths.storage_problem()) or 0, _env(shared))
    assert code == 0
    assert f"{home} cannot be written (Permission denied) ($CATGUI_HOME)" in out
