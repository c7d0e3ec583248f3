"""The Camera tab: a camera (or a video file) through the active model, live.

Its own tab rather than a panel of Classify: a camera holds a device and a core of the
machine while it runs, so it runs only while this tab is shown (switching away stops it
and the camera's light goes off); Classify is a list of files and keeps its room; and
"teach it your cat" needs the space beside the picture. A snapshot reaches the Classify
list through the main window (:attr:`CameraTab.snapshotTaken`): tabs never import each
other.
"""

from __future__ import annotations

import collections
import time

from PySide6.QtCore import QSettings, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QHideEvent, QImage, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from catgui.core import live, snapshots
from catgui.core.errors import CatguiError
from catgui.ui import settings as remembered
from catgui.ui.app_state import AppState
from catgui.ui.camera import multimedia
from catgui.ui.camera.live_view import LiveView
from catgui.ui.camera.samples_panel import SamplesPanel
from catgui.workers.frame_scorer import FrameScorer, rgb_pixels

VIDEO_FILTER = "Videos (*.mp4 *.m4v *.mov *.avi *.mkv *.webm *.ogv *.wmv);;All files (*)"


class CameraTab(QWidget):
    """The live view, its controls and the samples panel.

    Signals
    -------
    snapshotTaken(str)
        A snapshot was saved at this path; the window classifies it in the Classify list.
    """

    NAME = "camera"
    snapshotTaken = Signal(str)

    def __init__(
        self, state: AppState, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cameraTab")
        self.state = state
        self.settings = settings
        self.reason = multimedia.unavailable()
        self.source = None
        self.scorer: FrameScorer | None = None
        self.last_image = QImage()
        self.verdicts: list[live.Verdict] = []  # every verdict of this run, in order
        self.lags: list[float] = []  # each one's seconds from frame handed over to shown
        self.offered_frames = self.dropped_frames = 0  # of this run: to the model / dropped
        self._recent: collections.deque[tuple[float, float]] = collections.deque(maxlen=64)
        layout = QVBoxLayout(self)
        if self.reason is not None:
            self.notice = QLabel(self.reason, objectName="cameraUnavailable")
            self.notice.setWordWrap(True)
            self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(self.notice)
            return
        self.chooser = QComboBox(objectName="cameraChooser")
        self.chooser.setAccessibleName("Camera")
        self.chooser.activated.connect(self._remember_choice)
        self.start_button = QPushButton("Start", objectName="startCamera")
        self.start_button.setCheckable(True)
        self.start_button.clicked.connect(self._start_clicked)
        self.play_button = QPushButton("Play a video file…", objectName="playVideo")
        self.play_button.clicked.connect(self.choose_video)
        self.why_button = QPushButton("Why?", objectName="liveWhy")
        self.why_button.setCheckable(True)
        self.why_button.toggled.connect(self._why_toggled)
        self.snapshot_button = QPushButton("Snapshot", objectName="snapshot")
        self.snapshot_button.setToolTip("Save this frame as a picture and classify it in Classify")
        self.snapshot_button.clicked.connect(self.snapshot)
        self.view = LiveView(self)
        self.rate = QLabel(objectName="liveRate")
        self.panel = SamplesPanel(state, parent=self)
        self.panel.failed.connect(self.rate.setText)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Camera:"))
        bar.addWidget(self.chooser, 1)
        for widget in (self.start_button, self.play_button, self.why_button, self.snapshot_button):
            bar.addWidget(widget)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.view, 1)
        column.addWidget(self.rate)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.panel)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout.addLayout(bar)
        layout.addWidget(split, 1)

        state.modelChanged.connect(self._model_changed)
        self._running(False)
        self._model_changed(state.model)

    def media(self):
        """The :class:`~catgui.ui.camera.frame_source.FrameSource`, made when first needed
        (the tab first shown, or a video played): Qt Multimedia's start-up (about 80 ms,
        its FFmpeg loaded) stays out of the window's."""
        if self.source is None:
            from catgui.ui.camera.frame_source import FrameSource

            self.source = FrameSource(self)
            self.source.frameArrived.connect(self._frame)
            self.source.problem.connect(self._problem)
            self.source.running.connect(self._running)
            self.source.ended.connect(
                lambda: self.rate.setText(self.rate.text() + " · video ended")
            )
            self.source.camerasChanged.connect(self.list_cameras)
            self.list_cameras()
        return self.source

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt name)
        if self.reason is None:
            self.media()
        super().showEvent(event)

    # -- the Tab protocol ------------------------------------------------------------------
    def load_settings(self) -> None:
        """The camera chosen last time is chosen again when it is listed (the camera never
        starts by itself)."""
        if self.reason is None and self.source is not None:
            self._choose_remembered()

    def save_settings(self) -> None:
        """Remember the camera chosen (also remembered as soon as it is chosen)."""
        self._remember_choice()

    def _remembered_camera(self) -> bytes | None:
        if self.settings is None:
            return None
        text = str(remembered.value(self.settings, remembered.CAMERA) or "")
        try:
            return bytes.fromhex(text) if text else None
        except ValueError:  # a hand-edited settings file: the system's default then
            return None

    def _choose_remembered(self) -> None:
        wanted = self._remembered_camera()
        for row in range(self.chooser.count()):
            choice = self.chooser.itemData(row)
            if wanted is not None and choice is not None and choice.id == wanted:
                self.chooser.setCurrentIndex(row)
                return

    def _remember_choice(self) -> None:
        if self.settings is None or self.reason is not None:
            return
        choice = self.chooser.currentData()
        if choice is not None:  # "No camera found" keeps what was chosen for its return
            remembered.remember(self.settings, remembered.CAMERA, choice.id.hex())

    def shutdown(self) -> None:
        if self.source is not None:
            self.source.stop()
        if self.reason is None:
            self.panel.shutdown()
        self._stop_scorer()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt name)
        """Another tab is shown (or the window minimised): the camera stops (its light goes
        off), and so does a video; nothing runs unseen."""
        if self.source is not None and self.source.source:
            self.source.stop()
        super().hideEvent(event)

    # -- controls --------------------------------------------------------------------------
    def list_cameras(self) -> None:
        from catgui.ui.camera.frame_source import NO_CAMERA, cameras

        self.media()
        with QSignalBlocker(self.chooser):  # a camera unplugged is not a choice made
            self.chooser.clear()
            for choice in cameras():
                self.chooser.addItem(choice.description, choice)
            self._choose_remembered()
        found = self.chooser.count() > 0
        if not found:
            self.chooser.addItem("No camera found", None)
        self.chooser.setEnabled(found)
        self.start_button.setEnabled(found)
        self.start_button.setToolTip("" if found else NO_CAMERA)
        if self.source.source == "":  # nothing shown: say what can be done
            self.view.show_message(
                "Press Start to see the camera, or play a video file." if found else NO_CAMERA
            )

    def start_camera(self) -> bool:
        return self.media().start_camera(self.chooser.currentData())

    def play_video(self, path: str) -> bool:
        """Play ``path``'s frames through the model, as a camera's."""
        return self.media().play_file(path)

    def choose_video(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Play a video file", "", VIDEO_FILTER)
        if path:
            self.play_video(path)

    def stop(self) -> None:
        if self.source is not None:
            self.source.stop()

    def snapshot(self) -> str | None:
        """Save the frame shown as a picture; the window classifies it. Returns its path."""
        if self.last_image.isNull():
            self._problem("No frame to save yet: start the camera or play a video first.")
            return None
        try:
            path = snapshots.save(rgb_pixels(self.last_image))
        except CatguiError as exc:
            self._problem(str(exc))
            return None
        self.snapshotTaken.emit(str(path))
        return str(path)

    def _start_clicked(self, checked: bool) -> None:
        if checked:
            if not self.start_camera():
                self.start_button.setChecked(False)
        else:
            self.stop()

    # -- the live path ---------------------------------------------------------------------
    def _running(self, running: bool) -> None:
        camera = self.source is not None and self.source.source == "camera"
        self.start_button.setChecked(running and camera)
        self.start_button.setText("Stop" if self.start_button.isChecked() else "Start")
        self.snapshot_button.setEnabled(running or not self.last_image.isNull())
        if running:
            self.verdicts, self.lags = [], []
            self.offered_frames = self.dropped_frames = 0
            self._recent.clear()
            self._start_scorer()
        else:
            self._stop_scorer()

    def _start_scorer(self) -> None:
        if self.scorer is not None:
            return
        self.scorer = FrameScorer(self)
        model = self.state.model
        self.scorer.set_classifier(model.classifier if model is not None else None)
        self.scorer.set_why(self.why_button.isChecked() and self.why_button.isEnabled())
        self.scorer.scored.connect(self._scored)
        self.scorer.failed.connect(lambda message: self.rate.setText(message))
        self.scorer.start()
        if model is None:
            self.rate.setText("No model is open: open or train one to see verdicts.")

    def _stop_scorer(self) -> None:
        scorer, self.scorer = self.scorer, None
        if scorer is not None:
            self.offered_frames += scorer.offered
            self.dropped_frames += scorer.dropped
            scorer.stop_and_wait()
            scorer.deleteLater()

    def _frame(self, image: QImage, stamp: float) -> None:
        self.last_image = image
        self.view.show_frame(image)
        if self.scorer is not None:
            self.scorer.offer(image, stamp)
        self.panel.frame_available(image)

    def _scored(self, verdict: live.Verdict) -> None:
        now = time.perf_counter()
        self.verdicts.append(verdict)
        self.lags.append(now - verdict.offered)
        self._recent.append((now, now - verdict.offered))
        self.view.show_verdict(verdict)
        window = [t for t, _ in self._recent if now - t <= 2.0]
        per_second = (len(window) - 1) / (window[-1] - window[0]) if len(window) > 2 else 0.0
        latency = 1000 * max(lag for _, lag in list(self._recent)[-len(window) :])
        self.rate.setText(
            f"{per_second:.1f} verdicts a second · frame to verdict at most {latency:.0f} ms "
            "(frames that come while the model is busy are skipped)"
        )

    def _model_changed(self, model) -> None:
        classifier = model.classifier if model is not None else None
        reason = live.why_unavailable(classifier)
        self.why_button.setEnabled(reason is None)
        self.why_button.setToolTip(
            reason or "Show where the evidence for cat (red) and against (blue) lies, live"
        )
        if self.scorer is not None:
            self.scorer.set_classifier(classifier)
            self.scorer.set_why(self.why_button.isChecked() and reason is None)
        self.view.show_verdict(None)

    def _why_toggled(self, on: bool) -> None:
        self.view.show_why = on
        if self.scorer is not None:
            self.scorer.set_why(on and self.why_button.isEnabled())

    def _problem(self, message: str) -> None:
        self.view.show_message(message)
        self.rate.setText("")
