"""Model files: round trip, atomic and non-overwriting saves, validation of bad files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from catgui.core import network as nn
from catgui.core import persistence
from catgui.core.errors import CatguiError
from catgui.core.kinds.network_kind import NetworkClassifier


def _model(sizes=(12288, 3, 1), seed=0):
    return persistence.Model(
        NetworkClassifier(nn.initialize(sizes, seed=seed)),
        metadata={"kind": "dnn", "test_accuracy": 0.5},
    )


def test_round_trip(tmp_path):
    model = _model()
    path = persistence.save(model, tmp_path / "m.npz")
    loaded = persistence.load(path)
    for a, b in zip(
        model.classifier.network.weights + model.classifier.network.biases,
        loaded.classifier.network.weights + loaded.classifier.network.biases,
    ):
        np.testing.assert_array_equal(a, b)
    assert loaded.metadata["sizes"] == [12288, 3, 1] and loaded.metadata["format"] == "catgui-model"
    assert loaded.name == "m" and loaded.test_accuracy == 0.5 and loaded.path == path


def test_suffix_is_added_and_no_temporary_files_remain(tmp_path):
    path = persistence.save(_model(), tmp_path / "named")
    assert path.name == "named.npz"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["named.npz"]


def test_never_overwrites_unless_asked(tmp_path):
    path = persistence.save(_model(seed=1), tmp_path / "m.npz")
    before = path.read_bytes()
    with pytest.raises(CatguiError, match="exists already"):
        persistence.save(_model(seed=2), path)
    assert path.read_bytes() == before
    persistence.save(_model(seed=2), path, overwrite=True)
    assert path.read_bytes() != before


def test_unwritable_folder_is_a_clear_error(tmp_path):
    if os.geteuid() == 0:
        target = Path("/proc/catgui-cannot-write-here/m.npz")
    else:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o500)
        target = folder / "m.npz"
    with pytest.raises(CatguiError, match="cannot write a model here"):
        persistence.save(_model(), target)


def _write_npz(path, **arrays):
    with open(path, "wb") as f:
        np.savez(f, **arrays)
    return path


def _meta(**extra):
    meta = {"format": "catgui-model", "format_version": 1, "sizes": [12288, 1]}
    meta.update(extra)
    return np.array(json.dumps(meta))


@pytest.mark.parametrize(
    "arrays, message",
    [
        ({"W1": np.zeros((1, 12288)), "b1": np.zeros((1, 1))}, "no metadata"),
        ({"metadata": np.array("{not json"), "W1": np.zeros((1, 12288))}, "not valid JSON"),
        ({"metadata": np.array(json.dumps({"format": "other"}))}, "not a catgui model"),
        ({"metadata": _meta(format_version=99)}, "newer catgui"),
        ({"metadata": _meta(), "W1": np.zeros((1, 12288))}, "b1 is missing"),
        ({"metadata": _meta(), "W1": np.full((1, 12288), np.nan), "b1": np.zeros((1, 1))}, "NaN"),
        (
            {"metadata": _meta(), "W1": np.zeros((1, 12288), np.int64), "b1": np.zeros((1, 1))},
            "expected floats",
        ),
        (
            {"metadata": _meta(sizes=[100, 1]), "W1": np.zeros((1, 100)), "b1": np.zeros((1, 1))},
            "takes 100 inputs",
        ),
        (
            {
                "metadata": _meta(sizes=[12288, 2, 1]),
                "W1": np.zeros((2, 12288)),
                "b1": np.zeros((2, 1)),
                "W2": np.zeros((1, 3)),
                "b2": np.zeros((1, 1)),
            },
            "do not follow",
        ),
        (
            {
                "metadata": _meta(sizes=[12288, 1]),
                "W1": np.zeros((1, 12288)),
                "b1": np.zeros((3, 1)),
            },
            "bias",
        ),
    ],
)
def test_bad_model_files_are_clear_errors(tmp_path, arrays, message):
    path = _write_npz(tmp_path / "bad.npz", **arrays)
    with pytest.raises(CatguiError, match=message) as info:
        persistence.load(path)
    assert str(path) in str(info.value)


def test_object_arrays_are_never_unpickled(tmp_path):
    path = tmp_path / "evil.npz"
    with open(path, "wb") as f:
        np.savez(f, metadata=_meta(), W1=np.array([{"x": 1}], dtype=object))
    with pytest.raises(CatguiError, match="Python objects"):
        persistence.load(path)


@pytest.mark.parametrize("content", [b"", b"garbage that is not a zip", b"PK\x03\x04truncated"])
def test_foreign_and_truncated_files(tmp_path, content):
    path = tmp_path / "m.npz"
    path.write_bytes(content)
    with pytest.raises(CatguiError, match=str(path).replace("\\", "\\\\")):
        persistence.load(path)


def test_truncated_real_model(tmp_path):
    path = persistence.save(_model(), tmp_path / "m.npz")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CatguiError):
        persistence.load(path)


def test_missing_file(tmp_path):
    with pytest.raises(CatguiError, match="not found"):
        persistence.load(tmp_path / "nope.npz")


def test_list_models_newest_first_without_temporaries(tmp_path):
    a = persistence.save(_model(), tmp_path / "a.npz")
    b = persistence.save(_model(), tmp_path / "b.npz")
    os.utime(a, (1, 1))
    (tmp_path / ".b.123.partial").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("x")
    assert persistence.list_models(tmp_path) == [b, a]
    assert persistence.list_models(tmp_path / "missing") == []


_KILL_SCRIPT = """
import sys, time, numpy as np
from catgui.core import network as nn, persistence
from catgui.core.kinds.network_kind import NetworkClassifier
real_savez = np.savez
def slow_savez(f, **arrays):
    real_savez(f, **arrays)
    f.flush()
    print("writing", flush=True)
    time.sleep(60)
np.savez = slow_savez
persistence.np.savez = slow_savez
model = persistence.Model(NetworkClassifier(nn.initialize((12288, 3, 1), seed=9)), metadata={})
persistence.save(model, sys.argv[1], overwrite=True)
"""


def test_killed_while_saving_leaves_the_previous_model_intact(tmp_path):
    path = persistence.save(_model(seed=1), tmp_path / "m.npz")
    before = path.read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILL_SCRIPT, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "writing"  # mid-save, temporary file written
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert path.read_bytes() == before
    persistence.load(path)
    assert persistence.list_models(tmp_path) == [path]  # the partial file is hidden
    assert all(p.name.startswith(".") for p in tmp_path.iterdir() if p != path)


def test_disk_full_while_saving_is_a_clear_error_and_leaves_nothing(tmp_path, monkeypatch):
    import errno

    previous = persistence.save(_model(seed=1), tmp_path / "m.npz")
    before = previous.read_bytes()

    def full_disk(f, **arrays):
        f.write(b"PK partial bytes")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(persistence.np, "savez", full_disk)
    with pytest.raises(CatguiError, match="No space left on device") as info:
        persistence.save(_model(seed=2), tmp_path / "m.npz", overwrite=True)
    assert "could not be saved" in str(info.value) and "m.npz" in str(info.value)
    with pytest.raises(CatguiError, match="No space left"):
        persistence.save(_model(seed=3), tmp_path / "new.npz")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]  # no temporary file left
    assert previous.read_bytes() == before


def _write_format_1(path, net, metadata):
    """A model file exactly as catgui wrote it before kinds were recorded (format 1)."""
    import json

    meta = dict(metadata, format="catgui-model", format_version=1, sizes=list(net.sizes))
    arrays = {"metadata": np.array(json.dumps(meta, sort_keys=True))}
    for i, (w, b) in enumerate(zip(net.weights, net.biases), start=1):
        arrays[f"W{i}"], arrays[f"b{i}"] = w, b
    np.savez(path, **arrays)
    return path


@pytest.mark.parametrize(
    "sizes, metadata, kind",
    [
        ((12288, 3, 1), {"kind": "dnn", "hyperparameters": {"hidden": [3]}}, "dnn"),
        ((12288, 1), {"kind": "logreg-l2", "hyperparameters": {"c": 1000.0}}, "logreg-l2"),
        ((12288, 1), {}, "logreg"),  # written by hand: no kind, the depth tells
        ((12288, 2, 1), {}, "dnn"),
    ],
)
def test_format_1_files_still_open_as_their_kind(tmp_path, sizes, metadata, kind):
    net = nn.initialize(sizes, seed=3)
    path = _write_format_1(tmp_path / "old.npz", net, metadata)
    model = persistence.load(path)
    assert model.kind == kind and model.metadata["kind"] == kind
    np.testing.assert_array_equal(model.classifier.network.weights[0], net.weights[0])
    again = persistence.save(model, tmp_path / "again.npz")  # saved anew: format 2
    reread = persistence.load(again)
    assert reread.metadata["format_version"] == 2 and reread.kind == kind
    np.testing.assert_array_equal(reread.classifier.network.weights[-1], net.weights[-1])


def test_the_shipped_default_model_is_format_1_and_opens():
    from catgui.core.paths import default_model_path

    model = persistence.load(default_model_path())
    assert model.metadata["format_version"] == 1
    assert model.kind == "dnn" and model.classifier.describe() == "[12288, 20, 7, 5, 1]"


def test_a_file_records_its_kind_and_format(tmp_path):
    path = persistence.save(_model(), tmp_path / "m.npz")
    with np.load(path, allow_pickle=False) as data:
        import json

        meta = json.loads(str(data["metadata"][()]))
        assert sorted(data.files) == ["W1", "W2", "b1", "b2", "metadata"]
    assert meta["kind"] == "dnn" and meta["format_version"] == persistence.FORMAT_VERSION


def test_a_file_of_an_unknown_kind_is_refused_by_name(tmp_path):
    path = _write_format_1(tmp_path / "x.npz", nn.initialize((12288, 1)), {"kind": "svm"})
    with pytest.raises(CatguiError, match="kind 'svm', which this catgui does not know"):
        persistence.load(path)
