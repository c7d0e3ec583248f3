"""Any image file -> the exact 64x64x3 uint8 model input; bad files -> clear errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from PIL import Image

from catgui.core import images
from catgui.core.errors import CatguiError


def _save(img, path, **kw):
    img.save(path, **kw)
    return path


@pytest.fixture
def photo():
    """A 90x60 RGB picture: red left half, blue right half, green strip at the top."""
    arr = np.zeros((60, 90, 3), np.uint8)
    arr[:, :45] = (255, 0, 0)
    arr[:, 45:] = (0, 0, 255)
    arr[:5] = (0, 255, 0)
    return Image.fromarray(arr)


@pytest.mark.parametrize(
    "ext, kw",
    [
        ("png", {}),
        ("jpg", {"quality": 95}),
        ("bmp", {}),
        ("gif", {}),
        ("webp", {"lossless": True}),
        ("tiff", {}),
    ],
)
def test_common_formats_give_the_model_input(tmp_path, photo, ext, kw):
    pic = images.load(_save(photo, tmp_path / f"p.{ext}", **kw))
    assert pic.pixels.shape == (64, 64, 3) and pic.pixels.dtype == np.uint8
    assert pic.original_size == (90, 60)
    # centre crop: left half red, right half blue survive; green strip at the top too
    assert pic.pixels[32, 5, 0] > 200 and pic.pixels[32, 60, 2] > 200


@pytest.mark.parametrize("mode", ["L", "P", "RGBA", "LA", "CMYK", "1", "I;16", "I", "F"])
def test_every_mode_becomes_rgb(tmp_path, photo, mode):
    img = photo.convert("L").convert(mode) if mode in ("I;16", "I", "F") else photo.convert(mode)
    path = tmp_path / ("p.tiff" if mode in ("CMYK", "I;16", "I", "F", "LA") else "p.png")
    pic = images.load(_save(img, path))
    assert pic.pixels.shape == (64, 64, 3) and pic.pixels.dtype == np.uint8


def test_sixteen_bit_keeps_its_brightness(tmp_path):
    arr = np.full((20, 20), 65535, np.uint16)
    arr[:, :10] = 0
    pic = images.load(_save(Image.fromarray(arr), tmp_path / "deep.png"))
    assert pic.pixels[10, 60].tolist() == [255, 255, 255] and pic.pixels[10, 2].tolist() == [
        0,
        0,
        0,
    ]


def test_transparency_is_flattened_on_white(tmp_path):
    img = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    pic = images.load(_save(img, tmp_path / "clear.png"))
    assert (pic.pixels == 255).all()
    pal = Image.new("P", (40, 40), 0)
    pal.putpalette([0, 0, 0] * 256)
    pic = images.load(_save(pal, tmp_path / "pal.png", transparency=0))
    assert (pic.pixels == 255).all()


def test_exif_orientation_is_applied(tmp_path):
    arr = np.zeros((40, 80, 3), np.uint8)
    arr[:, :40] = 255  # white left half, black right half (landscape)
    img = Image.fromarray(arr)
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape; display rotated 90° clockwise (portrait)
    pic = images.load(_save(img, tmp_path / "phone.jpg", exif=exif, quality=95))
    assert pic.original_size == (80, 40)
    # after rotation the white half is on top
    assert pic.pixels[5, 32].mean() > 200 and pic.pixels[60, 32].mean() < 50


def test_first_frame_of_an_animation(tmp_path):
    frames = [Image.new("RGB", (30, 30), c) for c in ((255, 0, 0), (0, 255, 0))]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    pic = images.load(path)
    assert pic.pixels[10, 10, 0] > 200 and pic.pixels[10, 10, 1] < 50


def test_large_jpeg_is_decoded_at_reduced_size_but_same_geometry(tmp_path):
    arr = np.zeros((1200, 1600, 3), np.uint8)
    arr[:, :800] = 200
    pic = images.load(_save(Image.fromarray(arr), tmp_path / "big.jpg"), thumbnail_size=96)
    assert pic.original_size == (1600, 1200)
    assert pic.pixels[30, 10].mean() > 150 and pic.pixels[30, 60].mean() < 50
    assert max(pic.thumbnail.shape[:2]) <= 96


def test_tiny_image(tmp_path):
    pic = images.load(_save(Image.new("RGB", (1, 1), (10, 20, 30)), tmp_path / "dot.png"))
    assert (pic.pixels == np.array([10, 20, 30], np.uint8)).all()


def test_path_with_spaces_and_non_ascii(tmp_path, photo):
    folder = tmp_path / "mes chats é 猫"
    folder.mkdir()
    assert images.load(_save(photo, folder / "mon chat ü.png")).pixels.shape == (64, 64, 3)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"hello, I am text", "not an image"),
        (b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "not an image"),
    ],
)
def test_non_images_are_clear_errors(tmp_path, content, message):
    path = tmp_path / "fake.jpg"
    path.write_bytes(content)
    with pytest.raises(CatguiError, match=message) as info:
        images.load(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("ext", ["jpg", "png"])
def test_truncated_files_are_clear_errors(tmp_path, photo, ext):
    full = _save(photo.resize((300, 200)), tmp_path / f"full.{ext}")
    cut = tmp_path / f"cut.{ext}"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    with pytest.raises(CatguiError, match="cut"):
        images.load(cut)


def test_decompression_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.png"
    Image.new("1", (30000, 30000)).save(path)  # a few kB on disk, 900 megapixels decoded
    with pytest.raises(CatguiError, match="too large"):
        images.load(path)


def test_folder_and_missing_paths(tmp_path):
    with pytest.raises(CatguiError, match="is a folder"):
        images.load(tmp_path)
    with pytest.raises(CatguiError, match="cannot be read"):
        images.load(tmp_path / "missing.png")


def test_walk_folders_recursively_in_order(tmp_path, photo):
    (tmp_path / "a" / "b").mkdir(parents=True)
    _save(photo, tmp_path / "a" / "b" / "2.png")
    _save(photo, tmp_path / "a" / "1.JPG")
    (tmp_path / "a" / "notes.txt").write_text("x")
    found = list(images.iter_image_files([tmp_path / "a"]))
    assert found == [(tmp_path / "a" / "1.JPG", None), (tmp_path / "a" / "b" / "2.png", None)]


def test_symlink_loop_is_walked_once(tmp_path, photo):
    (tmp_path / "d").mkdir()
    _save(photo, tmp_path / "d" / "x.png")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")
    found = [p for p, problem in images.iter_image_files([tmp_path / "d"]) if not problem]
    assert found == [tmp_path / "d" / "x.png"]


def test_folder_without_images_says_so(tmp_path):
    for i in range(25):
        (tmp_path / f"f{i}.txt").write_text("x")
    [(path, problem)] = list(
        images.iter_image_files(
            [
                tmp_path,
            ]
        )
    )
    assert path == tmp_path and "no image files" in problem and "25 other files" in problem
    [(_, problem)] = list(images.iter_image_files([tmp_path / "ghost.png"]))
    assert "no such file" in problem


_DTYPES = st.sampled_from([np.uint8, np.uint16, np.float32, np.float64])
_SHAPES = st.tuples(st.integers(1, 80), st.integers(1, 80), st.sampled_from([0, 1, 3, 4]))


@st.composite
def image_arrays(draw):
    dtype = np.dtype(draw(_DTYPES))
    shape = draw(_SHAPES)
    shape = shape[:2] if shape[2] == 0 else shape
    elements = None if dtype.kind == "u" else st.floats(width=dtype.itemsize * 8)
    return draw(arrays(dtype, shape, elements=elements))


@settings(max_examples=60, deadline=None)
@given(image_arrays())
def test_any_valid_image_array_becomes_a_64x64x3_uint8_input(arr):
    out = images.from_array(arr)
    assert out.shape == (64, 64, 3) and out.dtype == np.uint8


def test_from_array_matches_file_loading(tmp_path, photo):
    arr = np.asarray(photo)
    np.testing.assert_array_equal(
        images.from_array(arr), images.load(_save(photo, tmp_path / "p.png")).pixels
    )


def test_the_thumbnail_is_the_decoded_draft_made_small(tmp_path):
    """Made from the same decoded (drafted) image, in place: the picture Pillow's own
    draft + thumbnail gives, and the squares are those of a load without a thumbnail."""
    rng = np.random.default_rng(3)
    arr = rng.integers(0, 256, (900, 1400, 3), dtype=np.uint8)
    path = _save(Image.fromarray(arr), tmp_path / "big.jpg", quality=90)
    pic = images.load(path, thumbnail_size=96, sizes=(224,))
    with Image.open(path) as img:
        img.draft("RGB", (448, 448))
        img.load()
        expected = img.copy()
    expected.thumbnail((96, 96), Image.Resampling.BILINEAR)
    assert pic.thumbnail.shape == (62, 96, 3)
    assert np.array_equal(pic.thumbnail, np.asarray(expected))
    plain = images.load(path, sizes=(224,))
    assert np.array_equal(pic.pixels, plain.pixels)
    assert np.array_equal(pic.square(224), plain.square(224))


def test_without_the_small_square_the_other_squares_are_the_same(tmp_path, photo):
    path = _save(photo, tmp_path / "p.jpg", quality=95)
    full = images.load(path, thumbnail_size=96, sizes=(224,))
    lean = images.load(path, thumbnail_size=96, sizes=(224,), small=False)
    assert lean.pixels is None and lean.sizes() == [224]
    assert np.array_equal(lean.square(224), full.square(224))
    assert np.array_equal(lean.thumbnail, full.thumbnail)
    with pytest.raises(CatguiError, match="not decoded at 64 x 64"):
        lean.square(64)
