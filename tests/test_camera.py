"""The Camera tab: a video of real photos through the same path as a camera's frames,
frames dropped while the model is busy, snapshots, a clear message without a camera or
without Qt Multimedia, and "teach it your cat"."""

from __future__ import annotations

import numpy as np
import pytest

from catgui.core import backbone, paths
from catgui.ui.app_state import AppState
from catgui.ui.camera import multimedia
from tests.data_helpers import ROOT

PHOTOS = ROOT.parent / "shared" / "datasets" / "photos"
needs_multimedia = pytest.mark.skipif(
    multimedia.unavailable() is not None,
    reason='Qt Multimedia is not installed (pip install "catgui[camera]")',
)
needs_backbone = pytest.mark.skipif(
    backbone.unavailable() is not None, reason="the pretrained weights are not installed"
)
needs_photos = pytest.mark.skipif(
    not (PHOTOS / "cat").is_dir(), reason="the shared photos are not at ../shared/datasets/photos"
)
CATS = [PHOTOS / "cat" / f"cat.{i}.jpg" for i in (601, 602, 603)]
DOGS = [PHOTOS / "dog" / f"dog.{i}.jpg" for i in (601, 602, 603)]
FRAMES_EACH = 6  # at 10 frames a second: cats for 1.8 s, then dogs for 1.8 s


@pytest.fixture
def first_model_state(tmp_path) -> AppState:
    state = AppState(tmp_path / "models")
    state.open_model(paths.first_model_path())
    return state


@pytest.fixture
def camera_tab(qtbot, first_model_state):
    from catgui.ui.camera.tab import CameraTab

    tab = CameraTab(first_model_state)
    qtbot.addWidget(tab)
    tab.resize(1000, 600)
    tab.show()
    yield tab
    tab.shutdown()


@needs_multimedia
@needs_backbone
@needs_photos
@pytest.mark.gui
def test_a_video_of_cats_then_dogs_turns_the_verdict_at_the_right_frames(
    qtbot, camera_tab, tmp_path
):
    from tests.video_helpers import FPS, write_video

    video = write_video(tmp_path / "cats-then-dogs.avi", CATS + DOGS, FRAMES_EACH)
    switch_ms = 1000.0 * len(CATS) * FRAMES_EACH / FPS
    assert camera_tab.play_video(str(video))
    qtbot.waitUntil(lambda: camera_tab.source.source == "", timeout=60_000)  # played out
    verdicts = camera_tab.verdicts
    print([(round(v.stamp), round(v.probability, 3), round(v.seconds * 1000)) for v in verdicts])
    cats = [v for v in verdicts if v.stamp < switch_ms]
    dogs = [v for v in verdicts if v.stamp >= switch_ms]
    assert len(cats) >= 2 and len(dogs) >= 2, [v.stamp for v in verdicts]
    assert all(v.label() == "cat" for v in cats), [(v.stamp, v.probability) for v in cats]
    assert all(v.label() == "non-cat" for v in dogs), [(v.stamp, v.probability) for v in dogs]
    stamps = [v.stamp for v in verdicts]
    assert stamps == sorted(stamps)  # verdicts of frames in the order they came, none queued


@needs_multimedia
@needs_backbone
@needs_photos
@pytest.mark.gui
def test_the_view_paints_the_verdict_and_a_snapshot_reaches_classify(qtbot, tmp_path, qapp):
    from PySide6.QtCore import QSettings

    from catgui.ui.main_window import MainWindow
    from tests.video_helpers import write_video

    state = AppState(tmp_path / "models")
    state.open_model(paths.first_model_path())
    window = MainWindow(state, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.camera_tab)
    tab = window.camera_tab
    video = write_video(tmp_path / "cat.avi", CATS[:1], 30)
    assert tab.play_video(str(video))
    qtbot.waitUntil(lambda: tab.view.verdict is not None, timeout=30_000)
    assert tab.view.verdict_text().startswith("Cat · p(cat) ")
    path = tab.snapshot()
    assert path is not None and path.endswith(".png")
    assert window.tabs.currentWidget() is tab  # the camera keeps its tab
    results = window.classify_tab.results
    qtbot.waitUntil(
        lambda: results.rowCount() == 1 and results.entry(0).probability is not None, timeout=30_000
    )
    assert results.entry(0).probability > 0.5
    window.tabs.setCurrentWidget(window.classify_tab)  # nothing runs unseen
    assert tab.source.source == "" and tab.scorer is None
    window.close()


@needs_multimedia
@pytest.mark.gui
def test_frames_that_come_while_the_model_is_busy_are_dropped(qtbot):
    """The scorer takes one frame; the others offered meanwhile are refused, not queued."""
    import threading

    from PySide6.QtGui import QImage

    from catgui.core.classifier import Classifier
    from catgui.workers.frame_scorer import FrameScorer

    release = threading.Event()

    class Slow(Classifier):
        kind = "slow"

        def probabilities(self, squares):
            release.wait(10)
            return np.full(len(squares), 0.9)

    scorer = FrameScorer()
    scorer.set_classifier(Slow())
    scorer.start()
    image = QImage(80, 60, QImage.Format.Format_RGB32)
    image.fill(0x808080)
    try:
        assert scorer.offer(image, 0.0)
        qtbot.waitUntil(lambda: scorer._busy, timeout=5000)
        assert [scorer.offer(image, t) for t in (1.0, 2.0, 3.0)] == [False, False, False]
        with qtbot.waitSignal(scorer.scored, timeout=10_000) as got:
            release.set()
        assert got.args[0].stamp == 0.0 and got.args[0].probability == pytest.approx(0.9)
        qtbot.waitUntil(lambda: not scorer.is_busy(), timeout=5000)
        assert scorer.offer(image, 4.0)  # free again: the next frame is taken
        assert scorer.dropped == 3
    finally:
        release.set()
        scorer.stop_and_wait()


@needs_multimedia
@pytest.mark.gui
def test_without_a_camera_the_view_says_so(qtbot, camera_tab, monkeypatch):
    from catgui.ui.camera import frame_source

    monkeypatch.setattr(frame_source, "cameras", lambda: [])
    camera_tab.list_cameras()
    assert camera_tab.chooser.currentText() == "No camera found"
    assert "No camera found" in camera_tab.view.message  # said before anything is pressed
    assert not camera_tab.start_button.isEnabled()
    assert "No camera found" in camera_tab.start_button.toolTip()
    camera_tab.view.show_message("")
    assert not camera_tab.start_camera()  # asked anyway (the camera went away meanwhile)
    assert "No camera found" in camera_tab.view.message
    assert not camera_tab.start_button.isChecked() and camera_tab.scorer is None


@needs_multimedia
@pytest.mark.gui
def test_refused_camera_access_is_said_in_words(qtbot, camera_tab, monkeypatch):
    from catgui.ui.camera import frame_source

    choice = frame_source.CameraChoice(b"cam0", "Test camera", True)
    monkeypatch.setattr(frame_source, "cameras", lambda: [choice])
    monkeypatch.setattr(frame_source, "_camera_permission", lambda: "denied")
    camera_tab.list_cameras()
    assert camera_tab.chooser.currentText() == "Test camera"
    assert not camera_tab.start_camera()
    assert "refused" in camera_tab.view.message and "Privacy" in camera_tab.view.message


@needs_multimedia
@pytest.mark.gui
def test_a_file_that_is_not_a_video_is_named(qtbot, camera_tab, tmp_path):
    bad = tmp_path / "notes.avi"
    bad.write_text("not a video")
    camera_tab.play_video(str(bad))
    qtbot.waitUntil(lambda: "notes.avi" in camera_tab.view.message, timeout=20_000)
    assert "cannot be played" in camera_tab.view.message
    assert camera_tab.source.source == ""


@pytest.mark.gui
def test_without_qt_multimedia_the_tab_says_how_to_install_it(qtbot, monkeypatch, tmp_path):
    from catgui.ui.camera.tab import CameraTab

    monkeypatch.setattr(multimedia, "unavailable", lambda: "needs it:\n  " + multimedia.INSTALL)
    tab = CameraTab(AppState(tmp_path / "models"))
    qtbot.addWidget(tab)
    assert 'pip install "catgui[camera]"' in tab.notice.text()
    tab.shutdown()


def test_the_reason_names_the_extra_when_qt_multimedia_is_missing(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda n, *a: None if "QtMultimedia" in n else real(n, *a)
    )
    multimedia.unavailable.cache_clear()
    try:
        assert 'pip install "catgui[camera]"' in multimedia.unavailable()
    finally:
        multimedia.unavailable.cache_clear()


def test_the_test_install_pulls_the_camera_extra():
    tomllib = pytest.importorskip("tomllib", reason="tomllib comes with Python 3.11")

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    assert any(d.startswith("PySide6-Addons") and "<6.12" in d for d in extras["camera"])
    assert "catgui[camera]" in extras["test"]
    essentials = next(d for d in project["dependencies"] if d.startswith("PySide6-Essentials"))
    assert essentials.split("PySide6-Essentials")[1] in extras["camera"][0]


@needs_multimedia
@needs_backbone
@needs_photos
@pytest.mark.gui
def test_live_why_lays_the_evidence_over_the_picture(qtbot, camera_tab, tmp_path):
    from tests.video_helpers import write_video

    assert camera_tab.why_button.isEnabled()
    camera_tab.why_button.setChecked(True)
    video = write_video(tmp_path / "cat.avi", CATS[:1], 20)
    assert camera_tab.play_video(str(video))
    qtbot.waitUntil(lambda: any(v.heat is not None for v in camera_tab.verdicts), timeout=30_000)
    verdict = next(v for v in camera_tab.verdicts if v.heat is not None)
    assert verdict.heat.shape == (112, 112, 4) and verdict.heat[..., 3].max() > 100
    red = verdict.heat[..., 0].astype(int) > verdict.heat[..., 2]
    assert red.mean() > 0.5  # a cat's picture: mostly evidence for cat
    shot = camera_tab.view.grab().toImage()
    assert not shot.isNull()
    camera_tab.stop()
    # the article's network cannot explain a live frame: the button says why
    camera_tab.state.open_model(paths.default_model_path())
    assert not camera_tab.why_button.isEnabled()
    assert "pretrained model" in camera_tab.why_button.toolTip()


@needs_multimedia
@pytest.mark.gui
def test_a_new_model_takes_over_the_live_view(qtbot, camera_tab):
    camera_tab._start_scorer()
    camera_tab.state.open_model(paths.default_model_path())
    assert camera_tab.scorer._classifier is camera_tab.state.model.classifier
    camera_tab._stop_scorer()


@needs_multimedia
def test_the_chosen_camera_is_chosen_again_at_the_next_start(
    qtbot, first_model_state, tmp_path, monkeypatch
):
    from PySide6.QtCore import QSettings

    from catgui.ui.camera import frame_source
    from catgui.ui.camera.tab import CameraTab

    builtin = frame_source.CameraChoice(b"cam0", "Built-in camera", True)
    usb = frame_source.CameraChoice(b"usb\xff1", "USB camera", False)
    plugged = [builtin, usb]
    monkeypatch.setattr(frame_source, "cameras", lambda: list(plugged))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)

    def started() -> CameraTab:
        tab = CameraTab(first_model_state, settings)
        qtbot.addWidget(tab)
        tab.show()  # the tab's first showing lists the cameras
        tab.load_settings()
        return tab

    first = started()
    assert first.chooser.currentText() == "Built-in camera"  # nothing remembered: the default
    first.chooser.setCurrentIndex(1)
    first.chooser.activated.emit(1)  # as a user's choice in the list
    first.shutdown()

    second = started()
    assert second.chooser.currentText() == "USB camera"
    plugged.remove(usb)  # unplugged: the default, and the choice is kept for its return
    second.list_cameras()
    assert second.chooser.currentText() == "Built-in camera"
    plugged.append(usb)
    second.list_cameras()
    assert second.chooser.currentText() == "USB camera"
    second.save_settings()
    assert settings.value("camera/device") == usb.id.hex()
    second.shutdown()
