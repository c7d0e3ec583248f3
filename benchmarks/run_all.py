"""``make bench``: run every benchmark, one process each, then compare with the targets.

Each script's own table and JSON lines are passed through as they come; at the end a
summary shows each figure of issue 4 beside its target. A figure that cannot be
measured here (no data set, no GUI) is reported as skipped with the reason, and the run
still succeeds; only a benchmark that crashes makes the exit status non-zero.

Run: ``python benchmarks/run_all.py [--quick] [--json-out FILE] [--only NAME ...]``
(``--quick`` runs fewer repetitions, for a smoke test).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from _common import machine, table

HERE = Path(__file__).resolve().parent

#: (script, normal arguments, quick arguments), in the order of issue 4's figures.
SCRIPTS = [
    ("bench_training.py", [], ["--runs", "3", "--baseline-runs-logreg", "1", "--no-plain"]),
    ("bench_gui_overhead.py", [], ["--runs", "1"]),
    ("bench_responsiveness.py", [], ["--photos", "40"]),
    ("bench_classify.py", [], ["--photos", "40", "--runs", "5"]),
    ("bench_startup.py", [], ["--runs", "2"]),
    ("bench_memory.py", [], ["--sizes", "209,2000"]),
    ("bench_backbone.py", [], ["--photos", "200", "--rounds", "2"]),
    ("bench_sweeps.py", [], ["--runs", "1"]),
    ("bench_onnx.py", [], ["--rounds", "2", "--photos", "8"]),
    ("bench_library.py", [], ["--photos", "300", "--rows", "20000"]),
]


def run_script(name: str, args: list[str]) -> tuple[list[dict], str | None]:
    """Run one benchmark, echoing its output; return its JSON records and any crash."""
    print(f"\n=== {name} {' '.join(args)}", flush=True)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(HERE / name), *args],
        cwd=HERE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    records = []
    for line in proc.stdout:
        print(line, end="", flush=True)
        if line.startswith("{"):
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                pass
    stderr = proc.stderr.read()
    proc.wait()
    print(f"--- {name}: {time.perf_counter() - start:.1f} s", flush=True)
    if proc.returncode != 0:
        tail = "\n".join(stderr.strip().splitlines()[-5:])
        print(f"--- {name} FAILED (exit {proc.returncode}):\n{tail}", flush=True)
        return records, tail or f"exit status {proc.returncode}"
    return records, None


def _get(records: list[dict], name: str) -> dict | None:
    for r in records:
        if r.get("name") == name:
            return r
    return None


def summary(records: list[dict]) -> list[list[str]]:
    """One row per target: figure, what, measured, target, met?"""
    rows = []

    def add(figure, what, name, value_of, fmt, target, ok):
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
                return
            rows.append([str(figure), what, fmt(value), target, "yes" if ok(value) else "NO"])

    ms = lambda v: f"{v * 1000:.0f} ms"  # noqa: E731
    sec = lambda v: f"{v:.2f} s"  # noqa: E731
    add(
        1,
        "article recipe: baseline / catgui",
        "training_article",
        lambda r: r["ratio"],
        lambda v: f"{v:.0f}x",
        ">= 40x (aim 100x)",
        lambda v: v >= 40,
    )
    add(
        1,
        "article recipe: cost curves",
        "training_article",
        lambda r: r["max_relative_cost_difference"],
        lambda v: f"{v:.1e}",
        "<= 1e-9",
        lambda v: v <= 1e-9,
    )
    add(
        1,
        "logistic regression: baseline / catgui",
        "training_logreg",
        lambda r: r["ratio"],
        lambda v: f"{v:.0f}x",
        ">= 40x (aim 100x)",
        lambda v: v >= 40,
    )
    add(
        1,
        "logistic regression: cost curves",
        "training_logreg",
        lambda r: r["max_relative_cost_difference"],
        lambda v: f"{v:.1e}",
        "<= 1e-9",
        lambda v: v <= 1e-9,
    )
    add(
        2,
        "GUI training loop vs headless",
        "gui_training_overhead",
        lambda r: r["loop_overhead"],
        lambda v: f"{v * 100:+.1f} %",
        "<= +10 %",
        lambda v: v <= 0.10,
    )
    for name, what in (
        ("stalls_training", "training"),
        ("stalls_classifying", "classifying"),
        ("stalls_pretrained", "reading pictures through the backbone"),
        ("stalls_sweep", "a 10-seed sweep runs"),
    ):
        add(
            3,
            f"worst stall while {what}",
            name,
            lambda r: r["worst_stall_seconds"],
            ms,
            "<= 50 ms",
            lambda v: v <= 0.050,
        )
        add(
            3,
            f"p99 stall while {what}",
            name,
            lambda r: r["p99_stall_seconds"],
            ms,
            "<= 20 ms",
            lambda v: v <= 0.020,
        )
    add(
        4,
        "one 12 MP JPEG, file -> probability",
        "classify_one_12mp",
        lambda r: r["seconds_median"],
        ms,
        "<= 40 ms",
        lambda v: v <= 0.040,
    )
    add(
        4,
        "200 12 MP JPEGs",
        "classify_many_12mp",
        lambda r: r["seconds"] * 200 / r["photos"],
        sec,
        "<= 5 s",
        lambda v: v <= 5,
    )
    add(
        4,
        "200 12 MP JPEGs in the window (progress shown)",
        "stalls_classifying",
        lambda r: r["seconds"] * 200 / r["photos"],
        sec,
        "<= 5 s",
        lambda v: v <= 5,
    )
    add(
        5,
        "launch to first painted window",
        "startup",
        lambda r: r["seconds_median"],
        sec,
        "<= 0.5 s",
        lambda v: v <= 0.5,
    )
    add(
        5,
        "  its CPU time (steadier on a loaded machine)",
        "startup",
        lambda r: r["cpu_seconds_median"],
        sec,
        "(context)",
        lambda v: True,
    )
    add(
        5,
        "catgui --help",
        "startup",
        lambda r: r["help_seconds"],
        ms,
        "<= 150 ms",
        lambda v: v <= 0.15,
    )
    add(
        6,
        "peak RSS, article's recipe",
        "memory_article",
        lambda r: r["peak_rss_mb"],
        lambda v: f"{v:.0f} MB",
        "<= 250 MB",
        lambda v: v <= 250,
    )
    add(
        6,
        "peak RSS, largest synthetic set (auto path)",
        "memory_vs_size",
        lambda r: max(x["peak_rss_mb"] for x in r["rows"] if x.get("automatic")),
        lambda v: f"{v:,.0f} MB",
        "< 4 GB",
        lambda v: v < 4096,
    )
    add(
        7,
        "backbone, ms per 224 picture, 2 threads",
        "backbone_speed",
        lambda r: r["ms_per_picture_2_threads"] / 1000,
        ms,
        "<= 15 ms (aim 8 ms)",
        lambda v: v <= 0.015,
    )
    add(
        7,
        "backbone, ms per 224 picture, 1 thread",
        "backbone_speed",
        lambda r: r["ms_per_picture_1_thread"] / 1000,
        ms,
        "(context)",
        lambda v: True,
    )
    add(
        7,
        "2,000 photos, disk -> features, first time",
        "backbone_photos",
        lambda r: r["seconds_first"] * 2000 / r["photos"],
        sec,
        "<= 35 s",
        lambda v: v <= 35,
    )
    add(
        7,
        "2,000 photos from the feature cache",
        "backbone_photos",
        lambda r: r["seconds_cached"] * 2000 / r["photos"],
        sec,
        "<= 1 s",
        lambda v: v <= 1,
    )
    add(
        7,
        "  of which hashing + cache reads (no decoding)",
        "backbone_photos",
        lambda r: r["seconds_cached_without_decoding"] * 2000 / r["photos"],
        sec,
        "<= 1 s",
        lambda v: v <= 1,
    )
    add(
        7,
        "peak RSS, 2,000 photos to features",
        "backbone_photos",
        lambda r: r["peak_rss_mb"],
        lambda v: f"{v:.0f} MB",
        "<= 300 MB",
        lambda v: v <= 300,
    )
    add(
        8,
        "10-seed sweep of the article's recipe",
        "sweep_seeds",
        lambda r: r["seconds_median"],
        sec,
        "<= 5 s",
        lambda v: v <= 5,
    )
    add(
        8,
        "5-fold CV of the article's recipe",
        "sweep_cv",
        lambda r: r["seconds_median"],
        sec,
        "<= 3 s",
        lambda v: v <= 3,
    )
    for kind in ("dnn", "logreg", "logreg-l2", "pretrained", "zero-shot"):
        add(
            9,
            f"{kind}: catgui / onnxruntime, ms per picture",
            f"onnx_{kind}",
            lambda r: (r["ratio"], r["ms_per_picture_catgui"], r["ms_per_picture_onnxruntime"]),
            lambda v: f"{v[0]:.2f}x ({v[1]:.3g} vs {v[2]:.3g} ms)",
            "(yardstick)",
            lambda v: True,
        )
        add(
            9,
            f"{kind}: exported file vs catgui, max |dp|",
            f"onnx_{kind}",
            lambda r: r["max_abs_difference"],
            lambda v: f"{v:.1e}",
            "<= 1e-5",
            lambda v: v <= 1e-5,
        )
    library_rows = [
        (
            "cold scan, photos/s (shipped pretrained)",
            "library_scan",
            lambda r: r["photos_per_second"],
            lambda v: f"{v:.1f}",
            ">= 60",
            lambda v: v >= 60,
        ),
        (
            "cold scan: per photo / backbone per picture",
            "library_scan",
            lambda r: (r["ratio_to_backbone"], r["ms_per_photo"], r["backbone_ms_per_picture"]),
            lambda v: f"{v[0]:.2f}x ({v[1]:.0f} / {v[2]:.0f} ms)",
            "<= 1.3x",
            lambda v: v[0] <= 1.3,
        ),
        (
            "peak RSS of the scan",
            "library_scan",
            lambda r: r["peak_rss_mb"],
            lambda v: f"{v:.0f} MB",
            "<= 500 MB",
            lambda v: v <= 500,
        ),
        (
            "index bytes per photo",
            "library_scan",
            lambda r: r["bytes_per_photo"],
            lambda v: f"{v:,.0f}",
            "(say it)",
            lambda v: True,
        ),
        (
            "rescan of the unchanged library",
            "library_rescan",
            lambda r: r["seconds"],
            sec,
            "<= 5 s",
            lambda v: v <= 5,
        ),
        (
            "touch 100, scan: files read again",
            "library_touch_100",
            lambda r: r["read"],
            lambda v: f"{v}",
            "100",
            lambda v: v == 100,
        ),
        (
            "re-score the index rows with a new head",
            "library_rescore",
            lambda r: (r["seconds"], r["rows"]),
            lambda v: f"{v[0]:.2f} s ({v[1]:,} rows)",
            "<= 1 s (100,000)",
            lambda v: v[0] * 100_000 / v[1] <= 1,
        ),
        (
            "library list --cats (the query)",
            "library_list_cats",
            lambda r: (r["query_seconds"], r["rows"]),
            lambda v: f"{v[0]:.2f} s ({v[1]:,} rows)",
            "<= 0.5 s (100,000)",
            lambda v: v[0] * 100_000 / v[1] <= 0.5,
        ),
        (
            "float16 features: max |dP| vs float32",
            "library_float16",
            lambda r: r["max_p_change"],
            lambda v: f"{v:.1e}",
            "(say it)",
            lambda v: True,
        ),
    ]
    for what, name, value_of, fmt, target, ok in library_rows:
        add(10, what, name, value_of, fmt, target, ok)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--json-out", help="also write every JSON record to this file")
    parser.add_argument("--only", nargs="+", help="run only these scripts (e.g. bench_memory)")
    args = parser.parse_args(argv)
    print("machine:", json.dumps(machine()), flush=True)
    records, crashed = [], []
    start = time.perf_counter()
    for name, normal, quick in SCRIPTS:
        if args.only and name.removesuffix(".py") not in args.only and name not in args.only:
            continue
        got, crash = run_script(name, quick if args.quick else normal)
        records.extend(got)
        if crash:
            crashed.append(name)
            records.append({"script": name, "error": crash})
    print(f"\n=== summary ({time.perf_counter() - start:.0f} s in all)")
    print(table(["fig.", "measure", "measured", "target", "met"], summary(records)))
    if args.json_out:
        Path(args.json_out).write_text("".join(json.dumps(r) + "\n" for r in records))
    if crashed:
        print(f"crashed: {', '.join(crashed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
