"""Issue 19's live figures: the Camera tab on a video, and "teach it your cat".

In catgui's real main window (offscreen), the Camera tab plays a 640x480, 30 frames a
second video of real photos (cats, then dogs; written with Qt's own recorder, as the
tests do) through the first-start model (ImageNet zero-shot: EfficientNet-Lite0 in
NumPy, like every pretrained kind). Measured while it plays: frame to verdict (from the
frame handed to the scorer to its verdict shown, GUI thread to GUI thread), verdicts a
second, and the worst stall of the event loop (a 5 ms timer, as in
``bench_responsiveness.py``). Then 2 x 30 samples are recorded from photos through the
samples panel and *Train* is pressed: the time until the new model is active.

Run: ``python benchmarks/bench_live.py [--seconds 10]``; needs Qt Multimedia
(``pip install "catgui[camera]"``), the pretrained weights and ``../shared/datasets``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import ROOT, data_folder, emit, machine, skip, table
from _gui import StallProbe, gui_missing, isolate_user_folders, main_window, wait_until

sys.path.insert(0, str(ROOT / "tests"))  # the test video writer (Qt's recorder)

FPS = 30


def _reason(photos: Path) -> str | None:
    reason = gui_missing()
    if reason:
        return reason
    from catgui.core import backbone
    from catgui.ui.camera import multimedia

    reason = multimedia.unavailable() or backbone.unavailable()
    if reason:
        return reason.splitlines()[0]
    if not (photos / "cat").is_dir():
        return f"no photos at {photos}"
    return None


def probe_live(window, video: Path) -> dict:
    tab = window.camera_tab
    window.tabs.setCurrentWidget(tab)
    probe = StallProbe()
    probe.start()
    start = time.perf_counter()
    if not tab.play_video(str(video)):
        raise RuntimeError("the video did not play")
    # woken by the source stopping (a 2 ms poll would take the GIL from the scorer)
    wait_until(lambda: tab.source.source == "", timeout=600, wake=tab.source.running)
    took = time.perf_counter() - start
    stalls = probe.stop()
    lags = np.asarray(tab.lags[1:])  # the first waits for the weights to load
    shown = len(tab.verdicts) - 1
    span = (tab.verdicts[-1].offered - tab.verdicts[1].offered) if shown > 1 else float("nan")
    return {
        **stalls,
        "seconds": took,
        "verdicts": len(tab.verdicts),
        "verdicts_per_second": (shown - 1) / span if shown > 1 else 0.0,
        "frame_to_verdict_p50_seconds": float(np.percentile(lags, 50)),
        "frame_to_verdict_p95_seconds": float(np.percentile(lags, 95)),
        "model_seconds_median": float(np.median([v.seconds for v in tab.verdicts[1:]])),
        "model_seconds_p95": float(np.percentile([v.seconds for v in tab.verdicts[1:]], 95)),
        "frames_offered": tab.offered_frames,
        "frames_dropped": tab.dropped_frames,
    }


def probe_teach(window, photos: Path) -> dict:
    from PIL import Image

    from catgui.ui.camera import samples_panel
    from catgui.ui.common.qimages import to_qimage

    panel = window.camera_tab.panel
    samples_panel.RECORD_PER_SECOND = 1e9  # a held button keeps every frame offered
    frames = {
        kind: [
            to_qimage(
                np.asarray(
                    Image.open(photos / kind / f"{kind}.{i}.jpg").convert("RGB").resize((640, 480))
                )
            )
            for i in range(800, 830)
        ]
        for kind in ("cat", "dog")
    }
    start = time.perf_counter()  # the panel's own work: each frame kept as a sample
    for is_cat, kind in ((True, "cat"), (False, "dog")):
        panel.start_recording(is_cat)
        for image in frames[kind]:
            panel.frame_available(image)
        panel.stop_recording()
    recorded = time.perf_counter() - start
    before = window.state.model
    start = time.perf_counter()
    panel.train()
    wait_until(
        lambda: window.state.model is not before or not panel.is_training(),
        timeout=600,
        wake=window.state.modelChanged,
    )
    took = time.perf_counter() - start
    if window.state.model is before:
        raise RuntimeError(f"training on the samples failed: {panel.status.text()}")
    return {
        "samples": panel.store.count()["total"],
        "record_seconds": recorded,
        "train_to_active_seconds": took,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    data = data_folder()
    photos = (data or ROOT.parent / "shared" / "datasets") / "photos"
    reason = _reason(photos)
    if reason:
        for name in ("live_camera", "teach_2x30"):
            skip(19, name, reason)
        return 0
    home = isolate_user_folders()
    from video_helpers import write_video

    from catgui.core import paths

    window = main_window(data, home)
    window.state.open_model(paths.first_model_path())
    wait_until(lambda: window.train_tab.plot_slot.is_built(), timeout=30)
    wait_until(lambda: False, timeout=0.5)
    frames_each = max(1, int(args.seconds * FPS / 10))
    cats = [photos / "cat" / f"cat.{i}.jpg" for i in range(900, 905)]
    dogs = [photos / "dog" / f"dog.{i}.jpg" for i in range(900, 905)]
    with tempfile.TemporaryDirectory(prefix="catgui-bench-video-") as tmp:
        video = write_video(
            Path(tmp) / "live.avi", cats + dogs, frames_each, fps=FPS, size=(640, 480)
        )
        live = {"figure": 19, "name": "live_camera", **probe_live(window, video)}
    teach = {"figure": 19, "name": "teach_2x30", **probe_teach(window, photos)}
    window.close()
    print(
        table(
            ["figure", "measured", "target"],
            [
                [
                    "frame to verdict, p95",
                    f"{1000 * live['frame_to_verdict_p95_seconds']:.0f} ms",
                    "<= 60 ms",
                ],
                [
                    "frame to verdict, median",
                    f"{1000 * live['frame_to_verdict_p50_seconds']:.0f} ms",
                    "",
                ],
                ["verdicts a second", f"{live['verdicts_per_second']:.1f}", ">= 10"],
                [
                    "worst stall while live",
                    f"{1000 * live['worst_stall_seconds']:.0f} ms",
                    "<= 50 ms",
                ],
                [
                    "model alone, median / p95",
                    f"{1000 * live['model_seconds_median']:.0f} / {1000 * live['model_seconds_p95']:.0f} ms",
                    "",
                ],
                [
                    "frames shown / scored",
                    f"{live['frames_offered']} / {live['frames_offered'] - live['frames_dropped']}",
                    "",
                ],
                ["keep 2 x 30 samples (GUI thread)", f"{teach['record_seconds']:.2f} s", ""],
                [
                    "Train to new model active",
                    f"{teach['train_to_active_seconds']:.2f} s",
                    "<= 5 s",
                ],
            ],
        )
    )
    for record in (live, teach):
        emit({**record, "machine": machine()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
