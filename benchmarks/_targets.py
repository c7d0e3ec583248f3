"""The targets of issue 4, as a table, and the summary that checks records against them.

Each row of ``TARGETS`` is ``(figure, what, record name, value_of, fmt, target, ok)``:
``value_of`` picks the measured value out of the benchmark's JSON record, ``fmt`` shows
it, ``target`` is the text of the goal and ``ok`` says whether the value meets it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def ms(v: float) -> str:
    return f"{v * 1000:.0f} ms"


def sec(v: float) -> str:
    return f"{v:.2f} s"


def _always(v: Any) -> bool:
    return True


def _field(key: str) -> Callable[[dict], Any]:
    return lambda r: r[key]


def _at_most(limit: float) -> Callable[[Any], bool]:
    return lambda v: v <= limit


def _at_least(limit: float) -> Callable[[Any], bool]:
    return lambda v: v >= limit


Target = tuple[
    int, str, str, Callable[[dict], Any], Callable[[Any], str], str, Callable[[Any], bool]
]

_STALLS = (
    ("stalls_training", "training"),
    ("stalls_classifying", "classifying"),
    ("stalls_pretrained", "reading pictures through the backbone"),
    ("stalls_sweep", "a 10-seed sweep runs"),
    ("stalls_library_scrolling", "scrolling a 100,000-photo library a page a frame"),
    ("stalls_library_wheel", "scrolling it with a fast mouse wheel"),
    ("stalls_library_filtering", "filtering and ordering it"),
)
_ONNX_KINDS = ("dnn", "logreg", "logreg-l2", "pretrained", "zero-shot")

#: One row per line of the summary, in the order it is printed.
# fmt: off
TARGETS: list[Target] = [
    (1, "article recipe: baseline / catgui", "training_article", _field("ratio"),
     lambda v: f"{v:.0f}x", ">= 40x (aim 100x)", _at_least(40)),
    (1, "article recipe: cost curves", "training_article", _field("max_relative_cost_difference"),
     lambda v: f"{v:.1e}", "<= 1e-9", _at_most(1e-9)),
    (1, "logistic regression: baseline / catgui", "training_logreg", _field("ratio"),
     lambda v: f"{v:.0f}x", ">= 40x (aim 100x)", _at_least(40)),
    (1, "logistic regression: cost curves", "training_logreg",
     _field("max_relative_cost_difference"), lambda v: f"{v:.1e}", "<= 1e-9", _at_most(1e-9)),
    (2, "GUI training loop vs headless", "gui_training_overhead", _field("loop_overhead"),
     lambda v: f"{v * 100:+.1f} %", "<= +10 %", _at_most(0.10)),
    *[
        row
        for name, what in _STALLS
        for row in (
            (3, f"worst stall while {what}", name, _field("worst_stall_seconds"), ms, "<= 50 ms",
             _at_most(0.050)),
            (3, f"p99 stall while {what}", name, _field("p99_stall_seconds"), ms, "<= 20 ms",
             _at_most(0.020)),
        )
    ],
    (3, "Library tab opens (grid shown; rows in its record)", "library_open", _field("seconds"),
     sec, "<= 1 s (100,000)", _at_most(1)),
    (4, "one 12 MP JPEG, file -> probability", "classify_one_12mp", _field("seconds_median"), ms,
     "<= 40 ms", _at_most(0.040)),
    (4, "200 12 MP JPEGs", "classify_many_12mp", lambda r: r["seconds"] * 200 / r["photos"], sec,
     "<= 5 s", _at_most(5)),
    (4, "200 12 MP JPEGs in the window (progress shown)", "stalls_classifying",
     lambda r: r["seconds"] * 200 / r["photos"], sec, "<= 5 s", _at_most(5)),
    (5, "launch to first painted window", "startup", _field("seconds_median"), sec, "<= 0.5 s",
     _at_most(0.5)),
    (5, "  its CPU time (steadier on a loaded machine)", "startup", _field("cpu_seconds_median"),
     sec, "(context)", _always),
    (5, "catgui --help", "startup", _field("help_seconds"), ms, "<= 150 ms", _at_most(0.15)),
    (6, "peak RSS, article's recipe", "memory_article", _field("peak_rss_mb"),
     lambda v: f"{v:.0f} MB", "<= 250 MB", _at_most(250)),
    (6, "peak RSS, largest synthetic set (auto path)", "memory_vs_size",
     lambda r: max(x["peak_rss_mb"] for x in r["rows"] if x.get("automatic")),
     lambda v: f"{v:,.0f} MB", "< 4 GB", lambda v: v < 4096),
    (7, "backbone, ms per 224 picture, 2 threads", "backbone_speed",
     lambda r: r["ms_per_picture_2_threads"] / 1000, ms, "<= 15 ms (aim 8 ms)", _at_most(0.015)),
    (7, "backbone, ms per 224 picture, 1 thread", "backbone_speed",
     lambda r: r["ms_per_picture_1_thread"] / 1000, ms, "(context)", _always),
    (7, "2,000 photos, disk -> features, first time", "backbone_photos",
     lambda r: r["seconds_first"] * 2000 / r["photos"], sec, "<= 35 s", _at_most(35)),
    (7, "2,000 photos from the feature cache", "backbone_photos",
     lambda r: r["seconds_cached"] * 2000 / r["photos"], sec, "<= 1 s", _at_most(1)),
    (7, "  of which hashing + cache reads (no decoding)", "backbone_photos",
     lambda r: r["seconds_cached_without_decoding"] * 2000 / r["photos"], sec, "<= 1 s",
     _at_most(1)),
    (7, "peak RSS, 2,000 photos to features", "backbone_photos", _field("peak_rss_mb"),
     lambda v: f"{v:.0f} MB", "<= 300 MB", _at_most(300)),
    (8, "10-seed sweep of the article's recipe", "sweep_seeds", _field("seconds_median"), sec,
     "<= 5 s", _at_most(5)),
    (8, "5-fold CV of the article's recipe", "sweep_cv", _field("seconds_median"), sec, "<= 3 s",
     _at_most(3)),
    *[
        row
        for kind in _ONNX_KINDS
        for row in (
            (9, f"{kind}: catgui / onnxruntime, ms per picture", f"onnx_{kind}",
             lambda r: (r["ratio"], r["ms_per_picture_catgui"], r["ms_per_picture_onnxruntime"]),
             lambda v: f"{v[0]:.2f}x ({v[1]:.3g} vs {v[2]:.3g} ms)", "(yardstick)", _always),
            (9, f"{kind}: exported file vs catgui, max |dp|", f"onnx_{kind}",
             _field("max_abs_difference"), lambda v: f"{v:.1e}", "<= 1e-5", _at_most(1e-5)),
        )
    ],
    (19, "live: frame to verdict, p95", "live_camera", _field("frame_to_verdict_p95_seconds"), ms,
     "<= 60 ms", _at_most(0.060)),
    (19, "live: worst stall", "live_camera", _field("worst_stall_seconds"), ms, "<= 50 ms",
     _at_most(0.050)),
    (19, "live: verdicts a second", "live_camera", _field("verdicts_per_second"),
     lambda v: f"{v:.1f}", ">= 10", _at_least(10)),
    (19, "record 2 x 30 samples, Train: new model active", "teach_2x30",
     _field("train_to_active_seconds"), sec, "<= 5 s", _at_most(5)),
    (11, "map of 20,000 pictures: features -> drawn", "map_draw", _field("seconds"), sec,
     "<= 3 s", _at_most(3)),
    (11, "100,000-photo library, new model: map recoloured (was ~2 min CPU)",
     "likeness_kept_100000", _field("model_change_seconds"), sec, "(say it)", _always),
    (11, "100,000-photo library: the tab's map and groups read", "likeness_kept_100000",
     _field("whole_read_seconds"), sec, "(say it)", _always),
    (11, "20,000-photo library, a scan adds 1,000: groups and map up to date",
     "likeness_kept_20000", _field("after_scan_seconds"), sec, "(say it)", _always),
    (10, "cold scan, photos/s (shipped pretrained)", "library_scan", _field("photos_per_second"),
     lambda v: f"{v:.1f}", ">= 60", _at_least(60)),
    (10, "cold scan: per photo / backbone per picture", "library_scan",
     lambda r: (r["ratio_to_backbone"], r["ms_per_photo"], r["backbone_ms_per_picture"]),
     lambda v: f"{v[0]:.2f}x ({v[1]:.0f} / {v[2]:.0f} ms)", "<= 1.3x", lambda v: v[0] <= 1.3),
    (10, "peak RSS of the scan", "library_scan", _field("peak_rss_mb"), lambda v: f"{v:.0f} MB",
     "<= 500 MB", _at_most(500)),
    (10, "index bytes per photo", "library_scan", _field("bytes_per_photo"), lambda v: f"{v:,.0f}",
     "(say it)", _always),
    (10, "rescan of the unchanged library", "library_rescan", _field("seconds"), sec, "<= 5 s",
     _at_most(5)),
    (10, "touch 100, scan: files read again", "library_touch_100", _field("read"), lambda v: f"{v}",
     "100", lambda v: v == 100),
    (10, "re-score the index rows with a new head", "library_rescore",
     lambda r: (r["seconds"], r["rows"]), lambda v: f"{v[0]:.2f} s ({v[1]:,} rows)",
     "<= 1 s (100,000)", lambda v: v[0] * 100_000 / v[1] <= 1),
    (10, "library list --cats (the command as typed)", "library_list_cats",
     lambda r: (r["wall_seconds"], r["rows"]), lambda v: f"{v[0]:.2f} s ({v[1]:,} rows)",
     "<= 0.5 s (100,000)", lambda v: v[0] * 100_000 / v[1] <= 0.5),
    (10, "float16 features: max |dP| vs float32", "library_float16", _field("max_p_change"),
     lambda v: f"{v:.1e}", "(say it)", _always),
    (11, "retrain from corrections + re-score (headless)", "library_retrain",
     lambda r: (r["seconds"], r["rows"]), lambda v: f"{v[0]:.2f} s ({v[1]:,} rows)",
     "<= 2 s (20,000, in the window)", lambda v: v[0] <= 2),
    (11, "Retrain in the label-next strip, click to new model active", "library_retrain_window",
     lambda r: (r["seconds"], r["rows"]), lambda v: f"{v[0]:.2f} s ({v[1]:,} rows)",
     "<= 2 s (20,000)", lambda v: v[0] <= 2),
    (11, "Retrain in the strip: worst stall", "library_retrain_window",
     _field("worst_stall_seconds"), ms, "<= 50 ms", _at_most(0.05)),
]
# fmt: on


def _get(records: list[dict], name: str) -> dict | None:
    for r in records:
        if r.get("name") == name:
            return r
    return None


def summary(records: list[dict]) -> list[list[str]]:
    """One row per target: figure, what, measured, target, met?"""
    rows = []
    for figure, what, name, value_of, fmt, target, ok in TARGETS:
        r = _get(records, name)
        if r is None:
            rows.append([str(figure), what, "not run", target, "-"])
        elif "skipped" in r:
            rows.append([str(figure), what, "skipped: " + r["skipped"], target, "-"])
        else:
            try:
                value = value_of(r)
            except (KeyError, TypeError, ValueError):
                rows.append([str(figure), what, "no value", target, "-"])
                continue
            rows.append([str(figure), what, fmt(value), target, "yes" if ok(value) else "NO"])
    return rows
