"""Where live frames come from: a camera, or a video file played through the same path.

Both end in one ``QVideoSink``; each valid frame is sent on as a ``QImage`` with its time
in milliseconds. Qt Multimedia is imported by this module only: build a
:class:`FrameSource` only when :func:`catgui.ui.camera.multimedia.unavailable` is ``None``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import (
    QCamera,
    QCameraDevice,
    QMediaCaptureSession,
    QMediaDevices,
    QMediaPlayer,
    QVideoFrame,
    QVideoSink,
)

NO_CAMERA = "No camera found. Connect one, or play a video file (Play a video file…)."
REFUSED = (
    "Access to the camera was refused. Allow catgui to use the camera in your system's "
    "privacy settings (Settings ▸ Privacy ▸ Camera), then press Start again."
)


@dataclass(frozen=True)
class CameraChoice:
    """A camera the chooser lists."""

    id: bytes
    description: str
    default: bool


def cameras() -> list[CameraChoice]:
    """The cameras Qt sees now, the system's default first."""
    found = [
        CameraChoice(bytes(d.id().data()), d.description(), d.isDefault())
        for d in QMediaDevices.videoInputs()
    ]
    return sorted(found, key=lambda c: not c.default)


class FrameSource(QObject):
    """A camera or a video file, one at a time.

    Signals
    -------
    frameArrived(QImage, float)
        A frame and its time in ms (a video's position; a camera's frame time).
    problem(str)
        Something the user must know: no camera, access refused, the camera failed, a
        file that cannot be played (named).
    running(bool)
        Frames started or stopped coming.
    ended()
        The video file played to its end.
    camerasChanged()
        A camera was plugged in or out.
    """

    frameArrived = Signal(QImage, float)
    problem = Signal(str)
    running = Signal(bool)
    ended = Signal()
    camerasChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sink = QVideoSink(self)
        self.sink.videoFrameChanged.connect(self._frame)
        self.session = QMediaCaptureSession(self)
        self.session.setVideoSink(self.sink)
        self.camera: QCamera | None = None
        self.player: QMediaPlayer | None = None
        self.source = ""  # "camera", "video" or "" (nothing)
        self._clock = time.perf_counter()
        self._devices = QMediaDevices(self)
        self._devices.videoInputsChanged.connect(self.camerasChanged)

    # -- camera ----------------------------------------------------------------------------
    def start_camera(self, choice: CameraChoice | None = None) -> bool:
        """Start ``choice`` (default: the system's default camera); ``False`` and a
        :attr:`problem` when there is none or access is refused."""
        self.stop()
        listed = cameras()
        if not listed:
            self.problem.emit(NO_CAMERA)
            return False
        status = _camera_permission()
        if status == "denied":
            self.problem.emit(REFUSED)
            return False
        if status == "undetermined":
            _request_camera_permission(self, lambda: self.start_camera(choice))
            return False
        wanted = choice or listed[0]
        device = next(
            (d for d in QMediaDevices.videoInputs() if bytes(d.id().data()) == wanted.id),
            QCameraDevice(),
        )
        if device.isNull():
            self.problem.emit(f"The camera {wanted.description!r} is no longer connected.")
            return False
        self.camera = QCamera(device, self)
        self.camera.errorOccurred.connect(self._camera_error)
        self.session.setCamera(self.camera)
        self.source = "camera"
        self._clock = time.perf_counter()
        self.camera.start()
        self.running.emit(True)
        return True

    # -- video file ------------------------------------------------------------------------
    def play_file(self, path: str | Path) -> bool:
        """Play a video file's frames through the same path as a camera's."""
        self.stop()
        path = Path(path)
        if not path.is_file():
            self.problem.emit(f"{path}: no such video file")
            return False
        self.player = QMediaPlayer(self)
        self.player.setVideoSink(self.sink)
        self.player.errorOccurred.connect(lambda _error, text, p=path: self._video_error(p, text))
        self.player.mediaStatusChanged.connect(self._media_status)
        self.player.setSource(QUrl.fromLocalFile(str(path.resolve())))
        self.source = "video"
        self.player.play()
        self.running.emit(True)
        return True

    def stop(self) -> None:
        """Stop whatever runs (the camera's light goes off)."""
        was = bool(self.source)
        if self.camera is not None:
            self.camera.stop()
            self.session.setCamera(None)
            self.camera.deleteLater()
            self.camera = None
        if self.player is not None:
            self.player.stop()
            self.player.setVideoSink(None)
            self.player.deleteLater()
            self.player = None
        self.source = ""
        if was:
            self.running.emit(False)

    # -- internals -------------------------------------------------------------------------
    def _frame(self, frame: QVideoFrame) -> None:
        if not self.source or not frame.isValid():
            return
        image = frame.toImage()
        if image.isNull():
            return
        start = frame.startTime()
        stamp = start / 1000.0 if start >= 0 else 1000.0 * (time.perf_counter() - self._clock)
        self.frameArrived.emit(image, stamp)

    def _camera_error(self, _error, text: str) -> None:
        self.problem.emit(f"The camera stopped: {text or 'an unknown error'}.")
        self.stop()

    def _video_error(self, path: Path, text: str) -> None:
        self.problem.emit(f"{path}: cannot be played ({text or 'not a video Qt can read'}).")
        self.stop()

    def _media_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            self.stop()
            self.ended.emit()
        elif status == QMediaPlayer.MediaStatus.InvalidMedia and self.player is not None:
            self._video_error(Path(self.player.source().toLocalFile()), "not a video Qt can read")


def _camera_permission() -> str:
    """``"granted"``, ``"denied"`` or ``"undetermined"`` (platforms without the notion:
    granted)."""
    try:
        from PySide6.QtCore import QCameraPermission
    except ImportError:
        return "granted"
    app = QCoreApplication.instance()
    if app is None:
        return "granted"
    status = app.checkPermission(QCameraPermission())
    if status == Qt.PermissionStatus.Denied:
        return "denied"
    if status == Qt.PermissionStatus.Undetermined:
        return "undetermined"
    return "granted"


def _request_camera_permission(context: QObject, then) -> None:
    from PySide6.QtCore import QCameraPermission

    def answered(permission) -> None:
        if permission.status() == Qt.PermissionStatus.Granted:
            then()
        else:
            context.problem.emit(REFUSED)

    QCoreApplication.instance().requestPermission(QCameraPermission(), context, answered)
