"""Download the article's data set from its pinned public copy, verified and atomic.

Each file is streamed into a hidden temporary file in the destination folder while its
SHA-256 is computed; only when the digest matches :data:`catgui.core.dataset.KNOWN_SHA256`
is it renamed to its real name (``os.replace``). A wrong, broken, cancelled or failed
download leaves nothing behind under the data set's names. Standard library only.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Generator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from catgui.core import atomic
from catgui.core import dataset as ds
from catgui.core.errors import CatguiError
from catgui.core.paths import user_data_dir
from catgui.core.steps import run_to_end

#: The pinned public copy (see ``../shared/datasets/README.md``); the file name is appended.
BASE_URL = "https://raw.githubusercontent.com/Hiren2002/Logistic-Regression/main/datasets/"
#: Sizes of the pinned files in bytes; only used to show progress before a server says.
KNOWN_SIZES = {ds.TRAIN_FILE: 2_572_022, ds.TEST_FILE: 616_958}
#: A download larger than this is refused (the real files are about 3 MB together).
MAX_BYTES = 64 * 1024 * 1024
CHUNK = 64 * 1024
TIMEOUT_S = 30.0


class DownloadProgress(NamedTuple):
    """``done`` bytes of ``total`` over both files; ``total`` is an estimate until each
    server response states its length."""

    done: int
    total: int


def default_folder() -> Path:
    """Where the app keeps the downloaded data set (looked in by ``dataset.candidate_folders``)."""
    return user_data_dir() / "datasets"


def download_steps(
    dest_folder: str | os.PathLike | None = None,
    base_url: str = BASE_URL,
    timeout: float = TIMEOUT_S,
) -> Generator[DownloadProgress, None, Path]:
    """Fetch both files of the data set into ``dest_folder``, yielding progress.

    One :class:`DownloadProgress` is yielded per chunk received and one after each file;
    the generator returns the folder. Stop iterating and close the generator to cancel:
    the temporary file of the file being fetched is removed, nothing partial is kept.

    Parameters
    ----------
    dest_folder
        Destination; default :func:`default_folder`. Created if needed.
    base_url
        Where the two files lie (their names are appended); tests point it at a local server.
    timeout
        Seconds to wait for the server on connect and on each read.

    Raises
    ------
    CatguiError
        Network or HTTP error, a file of the wrong size or SHA-256, or a folder that cannot
        be written; the message names the URL or folder. Files that already sit in the
        folder with the right SHA-256 are kept and not fetched again.
    """
    folder = Path(dest_folder) if dest_folder is not None else default_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CatguiError(f"{folder}: cannot create the folder ({exc.strerror or exc})") from None
    names = [ds.TRAIN_FILE, ds.TEST_FILE]
    sizes = {name: KNOWN_SIZES.get(name, 0) for name in names}
    done_before = 0
    for name in names:
        target = folder / name
        expected = ds.KNOWN_SHA256[name]
        if target.is_file() and ds.file_sha256(target) == expected:
            sizes[name] = target.stat().st_size
        else:
            url = base_url.rstrip("/") + "/" + name
            for received in _fetch(url, target, expected, sizes, name, timeout):
                yield DownloadProgress(done_before + received, sum(sizes.values()))
        done_before += sizes[name]
        yield DownloadProgress(done_before, sum(sizes.values()))
    return folder


def download_dataset(
    dest_folder: str | os.PathLike | None = None,
    base_url: str = BASE_URL,
    timeout: float = TIMEOUT_S,
) -> Path:
    """Run :func:`download_steps` to the end and return the folder (same parameters)."""
    return run_to_end(download_steps(dest_folder, base_url, timeout))


def _fetch(
    url: str,
    target: Path,
    expected: str,
    sizes: dict[str, int],
    name: str,
    timeout: float,
) -> Generator[int, None, None]:
    """Stream ``url`` into ``target`` atomically after checking its SHA-256.

    Yields the bytes received so far after each chunk; sets ``sizes[name]`` to the
    announced length, then to the size received.
    """
    try:
        response = urllib.request.urlopen(url, timeout=timeout)  # noqa: S310 (http/https only)
    except urllib.error.HTTPError as exc:
        raise CatguiError(f"could not download {url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise CatguiError(
            f"could not download {url}: {_reason(exc.reason)}; check the internet connection"
        ) from None
    except (TimeoutError, OSError, ValueError) as exc:
        raise CatguiError(f"could not download {url}: {_reason(exc)}") from None
    with response:
        length = _content_length(response)
        if length is not None:
            if length > MAX_BYTES:
                raise CatguiError(
                    f"could not download {url}: the server offers {length} bytes, far more "
                    f"than the data set; refused"
                )
            sizes[name] = length
        tmp, out = _temp_file(target)
        try:
            digest, received = yield from _stream(response, out, tmp, url)
            if length is not None and received != length:
                raise CatguiError(
                    f"could not download {url}: received {received} of {length} bytes "
                    f"(the connection broke off); nothing was saved"
                )
            if digest != expected:
                raise CatguiError(
                    f"{url}: the downloaded file's SHA-256 is {digest}, expected {expected}; "
                    f"this copy is not the article's file, so nothing was saved"
                )
            try:
                os.replace(tmp, target)
            except OSError as exc:
                raise CatguiError(
                    f"{target}: cannot save the file ({exc.strerror or exc})"
                ) from None
        except BaseException:  # also GeneratorExit: the download was cancelled
            _remove_quietly(tmp)
            raise
    sizes[name] = received


def _stream(response, out: BinaryIO, tmp: Path, url: str) -> Generator[int, None, tuple[str, int]]:
    """Copy the body into ``out`` (the fresh temporary file ``tmp``, open) chunk by chunk,
    yielding the bytes so far; return (sha256 hex, bytes). ``out`` is closed."""
    digest = hashlib.sha256()
    received = 0
    with out:
        while True:
            try:
                chunk = response.read1(CHUNK)
            except (TimeoutError, OSError, ValueError) as exc:
                raise CatguiError(
                    f"could not download {url}: {_reason(exc)} after {received} bytes"
                ) from None
            if not chunk:
                break
            received += len(chunk)
            if received > MAX_BYTES:
                raise CatguiError(f"could not download {url}: more than {MAX_BYTES} bytes; refused")
            digest.update(chunk)
            try:
                out.write(chunk)
            except OSError as exc:
                raise CatguiError(
                    f"{tmp.parent}: cannot write the download ({exc.strerror or exc})"
                ) from None
            yield received
        try:
            out.flush()
            os.fsync(out.fileno())
        except OSError as exc:
            raise CatguiError(
                f"{tmp.parent}: cannot write the download ({exc.strerror or exc})"
            ) from None
    return digest.hexdigest(), received


def _temp_file(target: Path) -> tuple[Path, BinaryIO]:
    """A fresh temporary file beside ``target`` (never reopened by its name), open."""
    try:
        atomic.sweep(target.parent)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    except OSError as exc:
        raise CatguiError(f"{target.parent}: cannot write here ({exc.strerror or exc})") from None
    return Path(name), os.fdopen(fd, "wb")


def _content_length(response) -> int | None:
    value = response.headers.get("Content-Length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _reason(reason: object) -> str:
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return "the server did not answer in time"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # best effort: a hidden .partial file never counts as the data set
