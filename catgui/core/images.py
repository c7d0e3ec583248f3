"""Any image file a user may have -> the exact 64x64x3 uint8 input the model sees.

Geometry and colour, the same for the CLI, the GUI and folder data sets:

1. The first frame is used (animated GIF/WebP); EXIF orientation is applied, so a phone
   photo is seen upright.
2. Colour: palette, grayscale, CMYK, YCbCr, 16-bit and float images become 8-bit RGB
   (16-bit values are divided by 257; float images in [0, 1] are scaled by 255, others
   clipped to [0, 255]). Transparency is flattened onto white.
3. The largest centred square is cropped (the article's pictures are square), then
   resized to 64x64 with a Lanczos filter. Large JPEGs are decoded at reduced size first
   (Pillow ``draft``), at least twice the target size, which is much faster and
   indistinguishable after the resize.
"""

from __future__ import annotations

import os
import stat
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

from catgui.core.errors import CatguiError
from catgui.core.regular_files import open_regular

SIZE = 64
#: File endings the folder walk picks up; files given one by one are tried whatever their name.
IMAGE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".jpe", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff"}
)
#: Stored with every model, so a model says how its inputs were made.
PREPROCESSING = {
    "size": [SIZE, SIZE, 3],
    "crop": "centre-square",
    "resample": "lanczos",
    "alpha": "flatten-on-white",
    "orientation": "exif",
    "scale": "pixel/255",
    "layout": "row-major (row, column, channel), features x examples",
}
#: Large JPEGs are decoded at reduced size (Pillow's ``draft``), still at least this many
#: times the largest square's side.
DRAFT_FACTOR = 2
#: Images above this many pixels are refused as possible decompression bombs.
MAX_PIXELS = 20_000 * 20_000


@dataclass(frozen=True)
class Picture:
    """A decoded picture: ``pixels`` is the (64, 64, 3) uint8 model input (``None`` when
    it was not asked for: ``load(..., small=False)``)."""

    path: Path
    pixels: np.ndarray | None
    original_size: tuple[int, int]
    thumbnail: np.ndarray | None = None  # (h, w, 3) uint8, longest side <= thumbnail_size
    #: Centre squares at other sides than 64, made from the original file for model kinds
    #: that see more than 64x64 (``load(..., sizes=...)``): side -> (s, s, 3) uint8.
    squares: dict[int, np.ndarray] = field(default_factory=dict, compare=False, repr=False)

    def square(self, size: int = SIZE) -> np.ndarray:
        """The centred ``size`` x ``size`` square this picture was decoded to."""
        if size == SIZE and self.pixels is not None:
            return self.pixels
        try:
            return self.squares[size]
        except KeyError:
            raise CatguiError(
                f"{self.path}: was not decoded at {size} x {size} (only {self.sizes()})"
            ) from None

    def sizes(self) -> list[int]:
        return sorted({*([SIZE] if self.pixels is not None else []), *self.squares})


def load(
    path: str | os.PathLike,
    thumbnail_size: int | None = None,
    sizes: tuple[int, ...] = (SIZE,),
    small: bool = True,
) -> Picture:
    """Decode ``path`` into the model input (and optionally a display thumbnail).

    ``sizes`` lists the sides of the centred squares to make from the original image
    (the 64x64 one too unless ``small`` is false: the library scan, which only reads the
    224 crop, spares its Lanczos resize); a model kind that sees more than 64 pixels asks
    for its own side, so it gets the detail of the file rather than an upscaled 64x64.
    The thumbnail is made from the same decoded (drafted) image, last, in place.

    Raises :class:`CatguiError` naming the file and the problem for anything that is not
    a readable image.
    """
    from PIL import Image

    path = Path(path)
    with open_regular(path, "an image") as (f, size):
        if size == 0:
            raise CatguiError(f"{path}: the file is empty (0 bytes)")
        rgb, width, height = _decode(path, f, sizes)
    pixels = np.asarray(_square_resize(rgb, SIZE), dtype=np.uint8) if small else None
    squares = {s: np.asarray(_square_resize(rgb, s), dtype=np.uint8) for s in set(sizes) - {SIZE}}
    thumb = None
    if thumbnail_size:  # the squares are made: the decoded image itself becomes the thumbnail
        rgb.thumbnail((thumbnail_size, thumbnail_size), Image.Resampling.BILINEAR)
        thumb = np.asarray(rgb, dtype=np.uint8)
    return Picture(
        path=path,
        pixels=pixels,
        original_size=(width, height),
        thumbnail=thumb,
        squares=squares,
    )


def _decode(path: Path, f: BinaryIO, sizes: tuple[int, ...]):
    """The RGB image in the open file ``f`` and its original width and height."""
    from PIL import Image, ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")  # bad EXIF
            with Image.open(f) as img:
                width, height = img.size
                if width * height > MAX_PIXELS:
                    raise CatguiError(
                        f"{path}: the image is too large ({width} x {height} pixels); "
                        f"at most {MAX_PIXELS:,} pixels are accepted"
                    )
                if img.format == "JPEG":
                    side = DRAFT_FACTOR * max((SIZE, *sizes))
                    img.draft("RGB", (side, side))
                img.load()
                rgb = _to_rgb(ImageOps.exif_transpose(img) if _has_orientation(img) else img)
    except CatguiError:
        raise
    except Image.UnidentifiedImageError:
        raise CatguiError(f"{path}: not an image file (or a format catgui cannot read)") from None
    except Image.DecompressionBombError:
        raise CatguiError(f"{path}: the image is too large to decode safely") from None
    except MemoryError:
        raise CatguiError(f"{path}: not enough memory to decode this image") from None
    except Exception as exc:  # noqa: BLE001 - Pillow's decoders raise many types on bad data
        raise CatguiError(f"{path}: the image could not be decoded ({_describe(exc)})") from None
    return rgb, width, height


def from_array(array: np.ndarray) -> np.ndarray:
    """Any ``(h, w)``, ``(h, w, 1|3|4)`` image array (uint8, uint16 or float) -> model input."""
    from PIL import Image

    arr = np.asarray(array)
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (3, 4)):
        raise CatguiError(f"an image array must be (h, w) or (h, w, 3|4), got {arr.shape}")
    if arr.shape[0] < 1 or arr.shape[1] < 1:
        raise CatguiError(f"an image needs at least one pixel, got {arr.shape}")
    arr = _to_uint8(arr)
    img = Image.fromarray(arr)
    return np.asarray(_square_resize(_to_rgb(img), SIZE), dtype=np.uint8)


def _has_orientation(img) -> bool:
    try:
        return img.getexif().get(0x0112, 1) not in (1, None)
    except Exception:  # noqa: BLE001 - a broken EXIF block must not lose the picture
        return False


def _to_uint8(arr: np.ndarray) -> np.ndarray:
    if arr.dtype == np.uint8:
        return np.ascontiguousarray(arr)
    values = arr.astype(np.float64)
    values = np.nan_to_num(values, nan=0.0, posinf=255.0, neginf=0.0)
    if np.issubdtype(arr.dtype, np.floating):
        if values.size and values.max() <= 1.0:
            values = values * 255.0
    elif arr.dtype.itemsize >= 2 and values.size and values.max() > 255:
        values = values / 257.0
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)


def _to_rgb(img):
    from PIL import Image

    mode = img.mode
    if mode in ("I", "F") or mode.startswith("I;"):
        return _to_rgb(Image.fromarray(_to_uint8(np.asarray(img))))
    if mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    elif mode in ("LA", "PA", "La", "RGBa"):
        img = img.convert("RGBA")
    elif mode == "L" and "transparency" in img.info:
        img = img.convert("RGBA")
    if img.mode == "RGBA":
        background = Image.new("RGB", img.size, (255, 255, 255))
        background.paste(img, mask=img.getchannel("A"))
        return background
    return img.convert("RGB") if img.mode != "RGB" else img


def _square_resize(img, size: int):
    from PIL import Image

    width, height = img.size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    return img.resize(
        (size, size), Image.Resampling.LANCZOS, box=(left, top, left + side, top + side)
    )


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return text if text else type(exc).__name__


def iter_image_files(paths: Iterable[str | os.PathLike]) -> Iterator[tuple[Path, str | None]]:
    """Expand files and folders (recursively) into ``(path, problem)`` pairs, in order.

    ``problem`` is ``None`` for a file to decode, else a message naming the path.

    Inside folders only files with an image ending are taken; symbolic-link loops are
    followed once. A folder with no images yields a problem saying so, and a folder (or
    subfolder) that cannot be read yields one saying why ("cannot be read (Permission
    denied)"), instead of silently nothing.
    """
    # Files named directly are tried whatever their ending (the decoder decides).
    for raw in paths:
        path = Path(raw)
        try:
            is_dir = stat.S_ISDIR(os.stat(path).st_mode)
        except FileNotFoundError:
            yield path, f"{path}: no such file or folder"
            continue
        except OSError as exc:
            yield path, f"{path}: cannot be read ({exc.strerror or exc})"
            continue
        if not is_dir:
            yield path, None
            continue
        found, skipped, unreadable = 0, 0, 0
        for item, problem in _walk(path):
            if problem:
                unreadable += 1
                yield item, problem
            elif item.suffix.lower() in IMAGE_SUFFIXES:
                found += 1
                yield item, None
            else:
                skipped += 1
        if not found and not unreadable:
            detail = f" ({skipped:,} other files skipped)" if skipped else ""
            yield path, f"{path}: no image files in this folder{detail}"


def _walk(root: Path) -> Iterator[tuple[Path, str | None]]:
    """Every file below ``root`` (``(path, None)``) in natural order (cat.2 before
    cat.10), and ``(folder, problem)`` for each folder that cannot be read, in walk order."""
    from natsort import natsorted, ns  # 14 ms: not at start-up

    seen: set[str] = set()
    errors: list[OSError] = []
    for folder, dirs, files in os.walk(root, followlinks=True, onerror=errors.append):
        yield from _unreadable(errors)
        real = os.path.realpath(folder)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = natsorted(dirs, alg=ns.IGNORECASE)
        for name in natsorted(files, alg=ns.IGNORECASE):
            yield Path(folder) / name, None
    yield from _unreadable(errors)


def _unreadable(errors: list[OSError]) -> Iterator[tuple[Path, str]]:
    while errors:
        exc = errors.pop(0)
        where = Path(exc.filename) if exc.filename else Path("?")
        yield where, f"{where}: cannot be read ({exc.strerror or exc})"
