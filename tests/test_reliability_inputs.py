"""Issue 5: a corpus of awkward and broken inputs, generated here, each a clear outcome."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from PIL import Image

from catgui.core import images, prediction
from catgui.core import network as nn
from catgui.core.errors import CatguiError
from catgui.core.kinds.network_kind import NetworkClassifier


@pytest.fixture
def net():
    return NetworkClassifier(nn.initialize((12288, 3, 1), seed=0))


def _gradient(size=(120, 90)):
    w, h = size
    arr = np.zeros((h, w, 3), np.uint8)
    arr[..., 0] = np.linspace(0, 255, w, dtype=np.uint8)
    arr[..., 1] = np.linspace(0, 255, h, dtype=np.uint8)[:, None]
    return Image.fromarray(arr)


def _jpeg_with_app1(path, payload: bytes):
    """A valid JPEG whose EXIF (APP1) segment holds ``payload``."""
    _gradient().save(path, quality=90)
    data = path.read_bytes()
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    path.write_bytes(data[:2] + segment + data[2:])
    return path


def test_cmyk_jpeg(tmp_path):
    path = tmp_path / "print.jpg"
    _gradient().convert("CMYK").save(path, quality=90)
    assert images.load(path).pixels.shape == (64, 64, 3)


def test_float_tiff_in_unit_range(tmp_path):
    arr = np.linspace(0, 1, 50 * 40, dtype=np.float32).reshape(40, 50)
    path = tmp_path / "float.tiff"
    Image.fromarray(arr, mode="F").save(path)
    pic = images.load(path)
    assert pic.pixels.max() > 200 and pic.pixels.min() < 30


def test_broken_exif_does_not_lose_the_picture(tmp_path):
    path = _jpeg_with_app1(
        tmp_path / "broken-exif.jpg", b"Exif\x00\x00II*\x00\xff\xff\xff\x7fgarbage"
    )
    assert images.load(path).pixels.shape == (64, 64, 3)


def test_huge_exif_block(tmp_path):
    path = _jpeg_with_app1(tmp_path / "huge-exif.jpg", b"Exif\x00\x00" + b"\x00" * 65000)
    assert images.load(path).pixels.shape == (64, 64, 3)


def test_animated_webp_first_frame(tmp_path):
    frames = [Image.new("RGB", (40, 40), c) for c in ((0, 0, 255), (255, 255, 0))]
    path = tmp_path / "anim.webp"
    frames[0].save(path, save_all=True, append_images=frames[1:], lossless=True)
    pic = images.load(path)
    assert pic.pixels[20, 20, 2] > 200 and pic.pixels[20, 20, 0] < 50


def test_palette_png_with_transparency_index(tmp_path):
    img = Image.new("P", (30, 30), 1)
    img.putpalette([0, 0, 0, 200, 10, 10] + [0, 0, 0] * 254)
    img.paste(0, (0, 0, 15, 30))
    path = tmp_path / "pal.png"
    img.save(path, transparency=0)
    pic = images.load(path)
    assert pic.pixels[32, 2].tolist() == [255, 255, 255]  # transparent half -> white
    assert pic.pixels[32, 60, 0] > 150  # opaque red half stays red


def test_a_folder_of_ten_thousand_non_images_is_one_clear_message(tmp_path, net):
    folder = tmp_path / "logs"
    folder.mkdir()
    for i in range(10_000):
        (folder / f"{i}.log").write_bytes(b"")
    results = list(prediction.classify_paths(net, [folder]))
    assert len(results) == 1
    assert "no image files" in results[0].error and "10,000 other files" in results[0].error


def test_mixed_batch_classifies_the_good_and_names_the_bad(tmp_path, net):
    good = tmp_path / "good.png"
    _gradient().save(good)
    bad = {
        "empty.jpg": b"",
        "text.jpg": b"just some text",
        "doc.png": b"%PDF-1.7\n",
        "half.png": good.read_bytes()[:200],
    }
    for name, content in bad.items():
        (tmp_path / name).write_bytes(content)
    paths = [tmp_path / n for n in bad] + [good, tmp_path / "missing.gif"]
    results = list(prediction.classify_paths(net, paths))
    assert [r.path.name for r in results] == [*bad, "good.png", "missing.gif"]
    for r in results:
        if r.path.name == "good.png":
            assert r.error is None and 0 <= r.probability <= 1 and r.label in ("cat", "non-cat")
        else:
            assert r.error and r.path.name in r.error and r.probability is None


def test_unreadable_file_permission():
    """As a user without privileges (root reads everything: see ``tests/other_user_helpers.py``)."""
    from tests.other_user_helpers import run_unprivileged, shared_folder

    def load(path):
        try:
            images.load(path)
        except CatguiError as exc:
            print(exc)
            return 0
        return 1

    with shared_folder() as folder:
        path = folder / "secret.png"
        _gradient().save(path)
        path.chmod(0)
        code, out, err = run_unprivileged(lambda: load(path), {})
    assert (code, out.strip()) == (0, f"{path}: cannot be read (Permission denied)"), err
