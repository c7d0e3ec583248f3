"""Issue 21, items 2, 3, 5 and 6: writers never follow planted links, hostile model files
are refused in words, special files are not pictures, and usage errors exit 2.

Every case is made for real: symbolic links planted where a writer works, a FIFO and
``/dev/zero``, model archives whose metadata is nested 10,000 deep or inflates to 200 MB,
a process killed with SIGKILL in the middle of a write. The commands run as their own
processes where the exit status or a hang is what is tested.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from catgui.commands import desktop
from catgui.core import atomic, persistence
from catgui.core.errors import CatguiError
from tests.data_helpers import ROOT

DEFAULT = ROOT / "models" / "default.npz"
ENTRY = f"applications/{desktop.desktop_files.DESKTOP_ENTRY}"


def catgui(*args: str, env: dict | None = None, timeout: float = 180):
    """``catgui ARGS`` as its own process (the checkout's code), with this test's folders."""
    return subprocess.run(
        [sys.executable, "-m", "catgui.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        cwd=ROOT,
    )


# -- item 2: temporary files made fresh; links never written through ----------------------


def test_desktop_install_never_writes_through_a_planted_link(tmp_path):
    prefix, victim = tmp_path / "prefix", tmp_path / "outside.txt"
    victim.write_text("precious\n")
    applications = prefix / "share" / "applications"
    applications.mkdir(parents=True)
    planted = applications / f".{desktop.desktop_files.DESKTOP_ENTRY}.partial"
    planted.symlink_to(victim)  # the old fixed temporary name
    (prefix / "share" / ENTRY).symlink_to(victim)  # and the entry's own name
    installed = catgui("desktop", "install", "--prefix", str(prefix))
    assert installed.returncode == 0, installed.stderr
    assert victim.read_text() == "precious\n"
    entry = prefix / "share" / ENTRY
    assert entry.is_file() and not entry.is_symlink() and "catgui-window" in entry.read_text()
    assert planted.is_symlink()  # left alone: not ours to open, write or remove
    removed = catgui("desktop", "uninstall", "--prefix", str(prefix))
    assert removed.returncode == 0, removed.stderr
    assert victim.read_text() == "precious\n" and not entry.exists()


def test_an_empty_prefix_is_wrong_usage_not_the_home_folder(tmp_path):
    home = tmp_path / "xdg"
    said = catgui("desktop", "install", "--prefix", "", env={"XDG_DATA_HOME": str(home)})
    assert said.returncode == 2 and "--prefix" in said.stderr
    assert not home.exists()


def test_a_model_saved_over_a_link_replaces_the_link_not_its_target(tmp_path):
    victim = tmp_path / "outside.npz"
    victim.write_bytes(b"not a model, not ours")
    link = tmp_path / "models" / "m.npz"
    link.parent.mkdir()
    link.symlink_to(victim)
    persistence.save(persistence.load(DEFAULT), link, overwrite=True)
    assert victim.read_bytes() == b"not a model, not ours"
    assert not link.is_symlink() and persistence.load(link).kind == "dnn"


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then), follow_symlinks=False)


def test_a_write_sweeps_only_our_own_stale_temporary_files(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    stale = folder / ".old model.k3j9x_2a.partial"
    fresh = folder / ".busy.q8w7e6r5.partial"
    foreign = folder / ".notes.partial"  # not a name our writer makes
    outside = tmp_path / "outside.bin"
    outside.write_bytes(b"x")
    linked = folder / ".link.a1b2c3d4.partial"
    linked.symlink_to(outside)
    for path in (stale, fresh, foreign):
        path.write_bytes(b"\0" * 1000)
    for path in (stale, foreign, linked):
        _age(path, 2 * atomic.STALE_AFTER)
    persistence.save(persistence.load(DEFAULT), folder / "new.npz")
    assert not stale.exists()
    assert fresh.exists() and foreign.exists() and linked.is_symlink() and outside.exists()


def test_a_sigkilled_export_leaves_a_leftover_the_next_write_removes(tmp_path):
    out = tmp_path / "exports"
    out.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", (
            "import sys, time; from pathlib import Path; from catgui.core import atomic\n"
            "def fill(f):\n"
            "    f.write(b'\\0' * 1_000_000); f.flush(); print('writing', flush=True)\n"
            "    time.sleep(600)\n"
            f"atomic.write(Path({str(out / 'm.onnx')!r}), fill)\n"
        )],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        assert child.stdout.readline() == "writing\n"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(60)
    (leftover,) = out.iterdir()
    assert leftover.name.startswith(".m.") and leftover.name.endswith(".partial")
    _age(leftover, 2 * atomic.STALE_AFTER)
    exported = catgui("export", str(DEFAULT), "--out", str(out / "m.onnx"))
    assert exported.returncode == 0, exported.stderr
    assert [p.name for p in out.iterdir()] == ["m.onnx"]


# -- item 3: hostile model metadata --------------------------------------------------------


def _model_with_metadata(path: Path, text: str) -> Path:
    with np.load(DEFAULT, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    arrays["metadata"] = np.array(text)
    np.savez(path, **arrays)
    return path


def test_metadata_nested_ten_thousand_deep_is_not_a_model(tmp_path):
    path = _model_with_metadata(tmp_path / "deep.npz", "[" * 10_000 + "]" * 10_000)
    with pytest.raises(CatguiError, match="not a catgui model.*nested too deep"):
        persistence.load(path)
    said = catgui("predict", str(path), str(ROOT / "resources" / "icon.svg"))
    assert said.returncode == 1 and "Traceback" not in said.stderr
    assert f"{path}: not a catgui model" in said.stderr


def _bomb(path: Path, chars: int) -> Path:
    """A model whose metadata member inflates to ``4 * chars`` bytes (deflated zeros)."""
    header = {"descr": f"<U{chars}", "fortran_order": False, "shape": ()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("metadata.npy", "w", force_zip64=True) as member:
            np.lib.format.write_array_header_1_0(member, header)
            block = b"\0" * (1 << 20)
            for _ in range(4 * chars // len(block)):
                member.write(block)
    return path


def test_metadata_that_inflates_to_200_mb_is_refused_before_it_is_read(tmp_path):
    path = _bomb(tmp_path / "bomb.npz", 50 << 20)
    assert path.stat().st_size < 2 << 20  # small on disk
    with pytest.raises(CatguiError, match=r"bomb.npz: not a catgui model: .*'metadata' is 200"):
        persistence.load(path)


def test_an_array_header_that_lies_about_its_shape_is_refused(tmp_path):
    path = tmp_path / "liar.npz"
    with zipfile.ZipFile(path, "w") as archive:
        with archive.open("W1.npy", "w") as member:
            header = {"descr": "<f8", "fortran_order": False, "shape": (10**11,)}
            np.lib.format.write_array_header_1_0(member, header)
            member.write(b"\0" * 64)
    with pytest.raises(
        CatguiError, match=r"not a catgui model: 'W1' claims shape \(100000000000,\)"
    ):
        persistence.load(path)


def test_the_real_models_still_open_and_a_long_curve_is_thinned_to_fit(tmp_path, monkeypatch):
    assert persistence.load(DEFAULT).kind == "dnn"
    assert persistence.load(ROOT / "models" / "pretrained.npz").kind == "pretrained"
    model = persistence.load(DEFAULT)
    monkeypatch.setattr(persistence, "METADATA_LIMIT", 1 << 20)
    model.metadata["costs"] = list(np.linspace(1.0, 0.1, 100_001))
    saved = persistence.load(persistence.save(model, tmp_path / "long.npz"))
    step = saved.metadata[persistence.COSTS_STEP]
    costs = saved.metadata["costs"]
    assert step > 1 and costs[0] == 1.0 and costs[-1] == pytest.approx(0.1)
    assert costs[1] == pytest.approx(1.0 - 0.9 * step / 100_000)


def test_a_model_path_that_is_a_link_loop_says_so(tmp_path):
    loop = tmp_path / "loop.npz"
    loop.symlink_to(loop)
    with pytest.raises(CatguiError, match="Too many levels of symbolic links"):
        persistence.load(loop)


# -- items 5 and 6: special files as pictures and targets; usage errors --------------------


def test_a_fifo_dev_zero_and_a_link_to_it_are_not_regular_files(tmp_path):
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    link = tmp_path / "zero.png"
    link.symlink_to("/dev/zero")
    said = catgui("predict", str(DEFAULT), str(fifo), "/dev/zero", str(link), "--json", timeout=120)
    assert said.returncode == 1, said.stderr
    errors = [r["error"] for r in json.loads(said.stdout)]
    assert errors == [
        f"{fifo}: not a regular file (a named pipe), so not an image",
        "/dev/zero: not a regular file (a character device), so not an image",
        f"{link}: not a regular file (a character device), so not an image",
    ]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_out_dev_full_is_refused_not_written_beside(tiny_data, tmp_path):
    trained = catgui(
        "train", "--model", "logreg", "--iterations", "3", "--data", str(tiny_data),
        "--out", "/dev/full",
    )  # fmt: skip
    assert trained.returncode == 1 and "Training" not in trained.stdout
    assert "/dev/full: not a regular file (a character device)" in trained.stderr
    exported = catgui("export", str(DEFAULT), "--out", "/dev/full")
    assert exported.returncode == 1
    assert "/dev/full: not a regular file (a character device)" in exported.stderr
    assert not Path("/dev/full.npz").exists() and not Path("/dev/full.onnx").exists()


def test_out_under_a_file_is_refused_before_training(tiny_data, tmp_path):
    blocker = tmp_path / "a file"
    blocker.write_text("x")
    said = catgui("train", "--model", "logreg", "--data", str(tiny_data), "--out",
                  str(blocker / "m.npz"))  # fmt: skip
    assert said.returncode == 1 and "Training" not in said.stdout
    assert f"{blocker} is a file, not a folder" in said.stderr


@pytest.mark.parametrize("command", ["predict", "evaluate"])
@pytest.mark.parametrize("value", ["2", "0", "nan", "half"])
def test_a_threshold_outside_0_1_is_wrong_usage(command, value):
    args = [command, str(DEFAULT)] + (["x.png"] if command == "predict" else [])
    said = catgui(*args, "--threshold", value)
    assert said.returncode == 2 and "--threshold" in said.stderr


def test_explain_writes_its_heat_map_fresh_not_through_a_link(tmp_path):
    from PIL import Image

    picture = tmp_path / "p.png"
    Image.new("RGB", (80, 80), (200, 120, 40)).save(picture)
    victim = tmp_path / "outside.txt"
    victim.write_text("precious\n")
    heat = tmp_path / "heat.png"
    heat.symlink_to(victim)
    said = catgui("explain", str(DEFAULT), str(picture), "--out", str(heat))
    assert said.returncode == 0, said.stderr
    assert victim.read_text() == "precious\n"
    assert not heat.is_symlink() and Image.open(heat).format == "PNG"
    refused = catgui("explain", str(DEFAULT), str(picture), "--out", "/dev/full")
    assert refused.returncode == 1 and "not a regular file" in refused.stderr


def test_an_h5_data_set_declaring_terabytes_is_refused_before_reading(tmp_path):
    import h5py

    from catgui.core import dataset

    path = tmp_path / "train_catvnoncat.h5"
    with h5py.File(path, "w") as f:  # chunked and compressed: nothing stored, 12 GB declared
        f.create_dataset("train_set_x", shape=(10**6, 64, 64, 3), dtype="u1",
                         chunks=(1, 64, 64, 3), compression="gzip")  # fmt: skip
        f["train_set_y"] = np.zeros(10**6, dtype=np.int64)
    assert path.stat().st_size < 10 << 20
    with pytest.raises(CatguiError, match=r"'train_set_x' declares shape \(1000000, 64, 64, 3\)"):
        dataset.load_split(path, "train")
    fifo = tmp_path / "test_catvnoncat.h5"
    os.mkfifo(fifo)
    with pytest.raises(CatguiError, match="not a regular file"):
        dataset.load_split(fifo, "test")
