"""Short test videos written from real photos with Qt Multimedia's own recorder
(``QMediaRecorder`` fed by ``QVideoFrameInput``: Motion JPEG in AVI, through the FFmpeg
that PySide6-Addons ships). No other encoder is needed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

FPS = 10
SIZE = (320, 240)


def write_video(
    path: Path,
    photos: list[Path],
    frames_each: int,
    fps: int = FPS,
    size: tuple[int, int] = SIZE,
    timeout_ms: int = 120_000,
) -> Path:
    """Each photo (centre-cropped to 4:3, ``size``) held for ``frames_each`` frames at
    ``fps``; returns ``path`` (an .avi)."""
    from PySide6.QtCore import QEventLoop, QTimer, QUrl
    from PySide6.QtGui import QImage
    from PySide6.QtMultimedia import (
        QMediaCaptureSession,
        QMediaFormat,
        QMediaRecorder,
        QVideoFrame,
        QVideoFrameInput,
    )

    frames = []
    for photo in photos:
        img = Image.open(photo).convert("RGB")
        w, h = img.size
        side_w, side_h = min(w, h * size[0] // size[1]), min(h, w * size[1] // size[0])
        box = ((w - side_w) // 2, (h - side_h) // 2, (w + side_w) // 2, (h + side_h) // 2)
        pixels = np.ascontiguousarray(img.resize(size, Image.Resampling.LANCZOS, box=box))
        image = QImage(pixels.data, size[0], size[1], 3 * size[0], QImage.Format.Format_RGB888)
        frames += [image.convertToFormat(QImage.Format.Format_RGB32)] * frames_each
    frame_input = QVideoFrameInput()
    session = QMediaCaptureSession()
    session.setVideoFrameInput(frame_input)
    recorder = QMediaRecorder()
    session.setRecorder(recorder)
    media = QMediaFormat(QMediaFormat.FileFormat.AVI)
    media.setVideoCodec(QMediaFormat.VideoCodec.MotionJPEG)
    recorder.setMediaFormat(media)
    recorder.setQuality(QMediaRecorder.Quality.VeryHighQuality)
    recorder.setOutputLocation(QUrl.fromLocalFile(str(path)))
    errors: list[str] = []
    recorder.errorOccurred.connect(lambda _e, text: errors.append(text))
    sent = [0]
    step = 1_000_000 // fps  # microseconds

    def send() -> None:
        while sent[0] < len(frames):
            frame = QVideoFrame(frames[sent[0]])
            frame.setStartTime(sent[0] * step)
            frame.setEndTime((sent[0] + 1) * step)
            if not frame_input.sendVideoFrame(frame):
                return  # not ready: the timer comes back
            sent[0] += 1
        timer.stop()
        recorder.stop()

    loop = QEventLoop()
    recorder.recorderStateChanged.connect(
        lambda s: loop.quit() if s == QMediaRecorder.RecorderState.StoppedState else None
    )
    recorder.errorOccurred.connect(lambda *_: loop.quit())
    timer = QTimer()
    timer.timeout.connect(send)
    recorder.record()
    timer.start(5)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    timer.stop()
    if errors or sent[0] < len(frames) or not path.is_file():
        raise RuntimeError(f"the test video was not written: {errors}, {sent[0]} frames sent")
    return path
