"""The data-set download: served from a local HTTP server on 127.0.0.1, never the internet."""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from catgui.core import dataset as ds
from catgui.core import download
from catgui.core.errors import CatguiError
from catgui.core.steps import run_to_end
from tests.data_helpers import write_h5_pair


class _Handler(BaseHTTPRequestHandler):
    """Serves ``server.files`` (name -> bytes) under ``/data/``; see :class:`LocalServer`."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        server: LocalServer = self.server  # type: ignore[assignment]
        server.requests.append(self.path)
        name = self.path.rsplit("/", 1)[-1]
        body = server.files.get(name) if self.path.startswith("/data/") else None
        if body is None:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body) + server.extra_length))
        self.end_headers()
        if server.pause_after is None:
            self.wfile.write(body)
            return
        self.wfile.write(body[: server.pause_after])
        self.wfile.flush()
        server.release.wait(10)
        self.wfile.write(body[server.pause_after :])

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - quiet test output
        pass


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.files: dict[str, bytes] = {}
        self.requests: list[str] = []
        self.extra_length = 0  # claim more bytes than are sent (a broken-off transfer)
        self.pause_after: int | None = None  # send this many bytes, then wait for `release`
        self.release = threading.Event()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/data/"


@pytest.fixture
def server():
    """A local HTTP server in a thread, shut down at the end of the test."""
    srv = LocalServer()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.release.set()
        srv.shutdown()
        srv.server_close()
        thread.join(10)
        assert not thread.is_alive()


@pytest.fixture
def fake_files(monkeypatch) -> dict[str, bytes]:
    """Two valid little h5 files (300 KB and 90 KB) whose hashes become the expected ones."""
    rng = np.random.default_rng(3)
    files = {ds.TRAIN_FILE: rng.bytes(300_000), ds.TEST_FILE: rng.bytes(90_000)}
    monkeypatch.setattr(
        ds, "KNOWN_SHA256", {name: hashlib.sha256(body).hexdigest() for name, body in files.items()}
    )
    return files


def _drive(steps, on_progress):
    """Run a generator to its end, passing each item it yields on; return its value."""
    return run_to_end(steps, on_progress)


def _visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_download_success_with_progress(server, fake_files, tmp_path):
    server.files = fake_files
    seen: list[tuple[int, int]] = []
    folder = _drive(
        download.download_steps(tmp_path / "dest", base_url=server.base_url),
        lambda p: seen.append((p.done, p.total)),
    )
    assert folder == tmp_path / "dest"
    for name, body in fake_files.items():
        assert (folder / name).read_bytes() == body
    assert _visible(folder) == sorted(fake_files)  # no temporary file left
    total = sum(len(b) for b in fake_files.values())
    assert seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert len(seen) > 2


def test_download_real_files_then_load(server, real_data, tmp_path):
    server.files = {name: (real_data / name).read_bytes() for name in (ds.TRAIN_FILE, ds.TEST_FILE)}
    folder = download.download_dataset(tmp_path / "dest", base_url=server.base_url)
    data = ds.load(folder)
    assert data.test.x.shape == (50, 64, 64, 3) and len(data.train) == 209


def test_default_folder_is_where_the_app_looks(server, fake_files):
    server.files = fake_files
    folder = download.download_dataset(base_url=server.base_url)
    assert folder == download.default_folder()
    assert folder in ds.candidate_folders()


def test_valid_files_already_present_are_not_fetched_again(server, fake_files, tmp_path):
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / ds.TRAIN_FILE).write_bytes(fake_files[ds.TRAIN_FILE])
    server.files = fake_files
    download.download_dataset(dest, base_url=server.base_url)
    assert server.requests == [f"/data/{ds.TEST_FILE}"]


def test_wrong_hash_is_rejected_and_nothing_left(server, fake_files, tmp_path):
    server.files = dict(fake_files)
    server.files[ds.TEST_FILE] = b"not the article's file" * 1000
    dest = tmp_path / "dest"
    with pytest.raises(CatguiError, match=r"test_catvnoncat\.h5.*SHA-256"):
        download.download_dataset(dest, base_url=server.base_url)
    assert ds.TEST_FILE not in _visible(dest)
    assert not [n for n in _visible(dest) if n.endswith(".partial")]


def test_cancel_midway_leaves_nothing(server, fake_files, tmp_path):
    server.files = fake_files
    chunks = []
    dest = tmp_path / "dest"
    steps = download.download_steps(dest, base_url=server.base_url)
    for progress in steps:  # cancelling = no longer iterating, then closing
        chunks.append(progress.done)
        if len(chunks) >= 2:
            break
    steps.close()
    assert 0 < chunks[-1] < len(fake_files[ds.TRAIN_FILE])  # it really stopped mid-file
    assert _visible(dest) == []


def test_http_404_is_a_clear_error(server, tmp_path):
    with pytest.raises(
        CatguiError,
        match=r"could not download http://127\.0\.0\.1:\d+/data/train_catvnoncat\.h5: HTTP 404",
    ):
        download.download_dataset(tmp_path / "dest", base_url=server.base_url)
    assert _visible(tmp_path / "dest") == []


def test_broken_off_transfer_is_rejected(server, fake_files, tmp_path):
    server.files = fake_files
    server.extra_length = 1000
    with pytest.raises(CatguiError, match="broke off"):
        download.download_dataset(tmp_path / "dest", base_url=server.base_url, timeout=5)
    assert _visible(tmp_path / "dest") == []


def test_unreachable_server_is_a_clear_error(tmp_path):
    srv = LocalServer()  # bound but never serving, then closed: nothing listens there
    url = srv.base_url
    srv.server_close()
    with pytest.raises(CatguiError, match="could not download .*connection"):
        download.download_dataset(tmp_path / "dest", base_url=url, timeout=5)


def test_unwritable_destination_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    with pytest.raises(CatguiError, match=str(blocker)):
        download.download_dataset(blocker / "datasets", base_url="http://127.0.0.1:9/")


# -- the worker and the panel, through the real thread -----------------------------------


@pytest.fixture
def served_pair(server, tmp_path, monkeypatch):
    """The server holds a tiny valid h5 pair whose hashes are the expected ones."""
    folder = write_h5_pair(tmp_path / "source")
    server.files = {name: (folder / name).read_bytes() for name in (ds.TRAIN_FILE, ds.TEST_FILE)}
    monkeypatch.setattr(
        ds, "KNOWN_SHA256", {n: hashlib.sha256(b).hexdigest() for n, b in server.files.items()}
    )
    return server


def _panel(qtbot, base_url: str):
    from catgui.ui.app_state import AppState
    from catgui.ui.train.data_setup import DataSetupPanel

    state = AppState(Path("models"))
    panel = DataSetupPanel(state)
    panel.base_url = base_url
    qtbot.addWidget(panel)
    panel.show()
    return state, panel


def test_panel_download_sets_the_dataset(qtbot, served_pair):
    from PySide6.QtCore import Qt

    state, panel = _panel(qtbot, served_pair.base_url)
    with qtbot.waitSignal(state.datasetChanged, timeout=15000):
        qtbot.mouseClick(panel.download_button, Qt.MouseButton.LeftButton)
    assert state.dataset is not None
    assert state.dataset.folder == download.default_folder()
    assert len(state.dataset.test) == 6
    qtbot.waitUntil(lambda: panel.worker is None)
    assert panel.download_button.isEnabled()


def test_panel_cancel_leaves_nothing(qtbot, served_pair):
    from PySide6.QtCore import Qt

    served_pair.pause_after = download.CHUNK
    state, panel = _panel(qtbot, served_pair.base_url)
    with qtbot.waitSignal(panel.progress_bar.valueChanged, timeout=15000):
        qtbot.mouseClick(panel.download_button, Qt.MouseButton.LeftButton)
    assert panel.cancel_button.isVisible()
    worker = panel.worker
    with qtbot.waitSignal(worker.interrupted, timeout=15000):
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
        served_pair.release.set()
    qtbot.waitUntil(lambda: panel.worker is None)
    assert state.dataset is None
    assert _visible(download.default_folder()) == []
    assert "cancelled" in panel.message_label.text().lower()


def test_panel_shows_download_error(qtbot, server):
    state, panel = _panel(qtbot, server.base_url)  # serves nothing: 404
    panel.start_download()
    qtbot.waitUntil(lambda: panel.worker is None, timeout=15000)
    assert state.dataset is None
    assert "HTTP 404" in panel.message_label.text()
    assert panel.message_label.isVisible()


def test_panel_locate_bad_folder_then_good(qtbot, tmp_path, tiny_data):
    state, panel = _panel(qtbot, "http://127.0.0.1:9/")
    empty = tmp_path / "empty"
    empty.mkdir()
    panel.locate(empty)
    assert state.dataset is None
    assert str(empty) in panel.message_label.text()
    panel.locate(tiny_data)
    assert state.dataset is not None and state.dataset.folder == tiny_data
