"""Figure 10: the library index (``catgui scan``, ``catgui library``) on a synthetic library.

* A library of ``--photos`` distinct photos made from the 2,000 (``make_library.py``) in a
  temporary folder; a fresh ``CATGUI_HOME``.
* The backbone's own time per 224 picture (2 threads, feature cache off), measured in
  this run just before and just after the cold scan (the mean of both).
* Cold scan with the shipped pretrained model (``catgui scan`` in a subprocess): photos/s,
  time per photo against the backbone's per picture (a new photo takes its 224 crop
  through it, and its 64x64 square too only where the index's schema requires those
  features: ``reading.keeps_squares``), peak RSS of the scan process (``ru_maxrss`` of
  the child), index bytes per photo.
* ``--reading-only``: the scan's reading pipeline alone (hash, decode, thumbnail, the
  backbone; no SQLite) for each of ``--batches``, one pass against two.
* Rescan of the unchanged library; then 100 files touched and scanned again (how many
  were read, and the time).
* float16 against float32 features: the largest change of P(cat) and of familiarity
  over 200 photos.
* ``--rows`` index rows (the scanned features repeated under new hashes, in full chunks):
  re-scoring them all with a new head (in this process; the median of three heads, their
  familiarity known from the same reference), once more with a head whose reference is
  its own (familiarity computed too), and ``catgui library list --cats`` on them (in a
  subprocess, the median wall time of three, with and without ``--json``; the query alone
  in this process).
* The one SQLite writer alone: rows/s as a scan stores them (for the scale-out on paper).

Run: ``python benchmarks/bench_library.py [--photos 20000] [--rows 100000] [--dask-photos 0]``
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _common import emit, machine, skip, table
from _library_index import MODEL, cli, rows_figures, writer_rows_per_second
from _library_reading import backbone_ms, float16_change, reading_figures
from make_library import make, sources


def dask_scan(top: Path, library: Path, photos: int) -> dict:
    """A scan of ``photos`` of the library on a LocalCluster of 2 worker processes."""
    try:
        from dask import distributed
    except ImportError:
        return {"skipped": "Dask is not installed (pip install catgui[cluster])"}
    from catgui.core.library.cluster import ClusterReader
    from catgui.core.library.index import Index
    from catgui.core.library.rescore import Scorer
    from catgui.core.library.scan import scan_steps
    from catgui.core.steps import run_to_end

    part = top / "dask-part"
    part.mkdir()
    for i, f in enumerate(sorted(library.rglob("photo-*.jpg"))[:photos]):
        os.symlink(f, part / f"{i:05d}.jpg")
    scorer = Scorer.of_file(MODEL)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        reader = ClusterReader(client)
        client.run(lambda: __import__("catgui.core.backbone", fromlist=["_"]).weights())
        with Index(top / "dask.sqlite", writable=True) as index:
            summary = run_to_end(
                scan_steps(index, [str(part)], scorer, batch=64, reader=reader.reader)
            )
    return {
        "photos": summary.found,
        "seconds": summary.seconds,
        "photos_per_second": summary.found / summary.seconds,
        "workers": 2,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--dask-photos", type=int, default=400, help="photos scanned on a 2-worker LocalCluster"
    )
    parser.add_argument(
        "--reading-only",
        action="store_true",
        help="only the reading pipeline's figures (no index): batch sizes, one vs two passes",
    )
    parser.add_argument("--batches", default="4,8,16,32", help="batch sizes for --reading-only")
    args = parser.parse_args(argv)
    print("machine:", machine())
    if not sources():
        skip(10, "library_scan", "no photos in ../shared/datasets/photos")
        return 0
    if not MODEL.is_file():
        skip(10, "library_scan", f"{MODEL} is missing")
        return 0
    top = Path(tempfile.mkdtemp(prefix="catgui-bench-library-"))
    try:
        return run(args, top)
    finally:
        shutil.rmtree(top, ignore_errors=True)


def run(args, top: Path) -> int:
    from catgui.core.library.index import Index

    library = top / "photos"
    start = time.perf_counter()
    made = make(library, args.photos)
    print(f"library: {made} in {time.perf_counter() - start:.0f} s", flush=True)
    if args.reading_only:
        os.environ["CATGUI_HOME"] = str(top / "home")
        batches = [int(b) for b in args.batches.split(",")]
        reading_figures(library, args.photos // 2, batches)
        return 0
    env = {**os.environ, "CATGUI_HOME": str(top / "home")}
    index = top / "library.sqlite"
    base = ["--index", str(index), "--model", str(MODEL), "--json"]

    before = backbone_ms()
    wall, cold = cli("scan", str(library), *base, env=env)
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    after = backbone_ms()
    own = (before + after) / 2
    per_photo = cold["seconds"] / cold["found"] * 1000
    index_bytes = cold["index_bytes"]
    with Index(index) as opened:
        distinct = opened.conn.execute("SELECT count(*) FROM contents").fetchone()[0]
    record = {
        "figure": 10,
        "name": "library_scan",
        "photos": cold["found"],
        "seconds": cold["seconds"],
        "wall_seconds": wall,
        "photos_per_second": cold["found"] / cold["seconds"],
        "ms_per_photo": per_photo,
        "backbone_ms_per_picture": own,
        "backbone_ms_before_after": [before, after],
        "ratio_to_backbone": per_photo / own,
        "computed": cold["computed"],
        "errors": cold["errors"],
        "peak_rss_mb": rss_mb,
        "index_bytes": index_bytes,
        "bytes_per_photo": index_bytes / max(1, distinct),
    }
    emit(record)

    again_wall, again = cli("scan", str(library), *base, env=env)
    emit(
        {
            "figure": 10,
            "name": "library_rescan",
            "seconds": again["seconds"],
            "wall_seconds": again_wall,
            "read": again["read"],
            "unchanged": again["unchanged"],
        }
    )
    files = sorted(library.rglob("photo-*.jpg"))[:100]
    for f in files:
        os.utime(f, ns=(time.time_ns(), time.time_ns()))
    wall, touched = cli("scan", str(library), *base, env=env)
    emit(
        {
            "figure": 10,
            "name": "library_touch_100",
            "seconds": touched["seconds"],
            "wall_seconds": wall,
            "read": touched["read"],
            "computed": touched["computed"],
        }
    )

    dp, df = float16_change(sorted(library.rglob("photo-*.jpg"))[:200])
    emit(
        {
            "figure": 10,
            "name": "library_float16",
            "max_p_change": dp,
            "max_familiarity_change": df,
            "bytes_float16": 1280 * 2,  # a picture's pooled features (one pass)
            "bytes_float32": 1280 * 4,
        }
    )

    rows, rescore_s, rescore_cpu_s, familiarity_s, listed = rows_figures(top, index, args.rows, env)

    writer = writer_rows_per_second(top)
    emit({"figure": 10, "name": "library_writer", **writer})
    dask_record = (
        dask_scan(top, library, args.dask_photos)
        if args.dask_photos
        else {"skipped": "--dask-photos 0"}
    )
    emit({"figure": 10, "name": "library_dask", **dask_record})
    dask_text = dask_record.get("skipped") or (
        f"{dask_record['photos_per_second']:.1f} photos/s "
        f"(local: {record['photos_per_second']:.1f})"
    )

    print(
        table(
            ["what", "measured", "target"],
            [
                ["cold scan", f"{record['photos_per_second']:.1f} photos/s", ">= 60 photos/s"],
                [
                    "per photo / backbone per picture",
                    f"{per_photo:.1f} / {own:.1f} ms = {record['ratio_to_backbone']:.2f}x",
                    "<= 1.3x",
                ],
                [
                    "rescan unchanged",
                    f"{again['seconds']:.2f} s (command {again_wall:.2f} s)",
                    "<= 5 s",
                ],
                ["touch 100", f"{touched['read']} read, {touched['seconds']:.2f} s", "100 read"],
                [
                    "re-score",
                    f"{rows} rows in {rescore_s:.2f} s (CPU {rescore_cpu_s:.2f} s)",
                    "<= 1 s",
                ],
                ["re-score, familiarity computed", f"{familiarity_s:.2f} s", "-"],
                [
                    "list --cats",
                    f"command {listed['wall']:.2f} s (CPU {listed['cpu']:.2f} s; --json "
                    f"{listed['json']:.2f} s; the query {listed['query']:.2f} s)",
                    "<= 0.5 s",
                ],
                ["peak RSS of the scan", f"{rss_mb:.0f} MB", "<= 500 MB"],
                ["index per photo", f"{record['bytes_per_photo']:.0f} bytes", "-"],
                ["float16 vs float32", f"|dP| <= {dp:.1e}, |d familiarity| <= {df:.1e}", "-"],
                ["the SQLite writer", f"{writer['rows_per_second']:.0f} rows/s", "-"],
                ["Dask, 2 local workers", dask_text, "(beside the local scan)"],
            ],
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
