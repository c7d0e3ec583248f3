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
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import ROOT, emit, machine, median, skip, table
from make_library import make, sources

MODEL = ROOT / "models" / "pretrained.npz"


def backbone_ms(rounds: int = 3, pictures: int = 32) -> float:
    from catgui.core import backbone

    rng = np.random.default_rng(0)
    squares = rng.integers(0, 256, (pictures, 224, 224, 3), dtype=np.uint8)
    backbone.extract(squares[:4], cached=False)  # weights loaded, caches warm
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        backbone.extract(squares, threads=2, cached=False)
        times.append((time.perf_counter() - start) / pictures)
    return median(times) * 1000


def children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def cli(*args: str, env: dict) -> tuple[float, dict | str]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "catgui.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"catgui {' '.join(args)} failed: {proc.stderr[-2000:]}")
    try:
        return wall, json.loads(proc.stdout)
    except json.JSONDecodeError:
        return wall, proc.stdout


def float16_change(files: list[Path]) -> tuple[float, float]:
    """Largest |P(cat) change| and |familiarity change| from storing features as float16."""
    from catgui.core import images, persistence
    from catgui.core.library import blobs, reading

    model = persistence.load(MODEL).classifier
    decoded = [images.load(f, sizes=(224,)) for f in files]
    crop, _ = reading.features_of(decoded)  # familiarity reads the same features
    half = lambda x: blobs.decode_many([blobs.encode(v) for v in x])  # noqa: E731
    dp = np.abs(model.from_pooled(crop) - model.from_pooled(half(crop))).max()
    df = np.abs(model.reference.score(crop) - model.reference.score(half(crop))).max()
    return float(dp), float(df)


def reading_rate(files: list[Path], batch: int, squares: bool = False) -> dict:
    """The scan's reading pipeline alone (``reading.read_batches``: hash, decode, thumbnail,
    the backbone; decoding overlapped, no SQLite) over ``files``, in this process."""
    from catgui.core.library import reading, walk

    founds = [walk.Found(str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files]
    start = time.perf_counter()
    done = sum(len(b) for b in reading.read_batches(founds, set(), batch, squares=squares))
    seconds = time.perf_counter() - start
    return {"photos": done, "seconds": seconds, "ms_per_photo": seconds / done * 1000}


def reading_figures(library: Path, photos: int, batches: list[int]) -> None:
    """Photos/s of the reading pipeline for each batch size, one pass against two (the
    64x64 square too), each beside the backbone's own time measured around it."""
    files = sorted(library.rglob("photo-*.jpg"))
    for k, batch in enumerate(batches):
        for squares in (False, True) if k == 0 else (False,):
            part = files[:photos] if not squares else files[photos : 2 * photos]
            before = backbone_ms()
            rate = reading_rate(part, batch, squares)
            own = (before + backbone_ms()) / 2
            emit(
                {
                    "figure": 10,
                    "name": "library_reading",
                    "batch": batch,
                    "passes": 2 if squares else 1,
                    **rate,
                    "photos_per_second": rate["photos"] / rate["seconds"],
                    "backbone_ms_per_picture": own,
                    "ratio_to_backbone": rate["ms_per_photo"] / own,
                }
            )


def grow(index: Path, rows: int) -> None:
    """Copy the index's pictures (features, sizes and scores) under new hashes until it
    holds ``rows`` files, in full chunks as a finished scan leaves them."""
    from catgui.core.library import chunks
    from catgui.core.library.index import Index

    with Index(index, writable=True) as opened:
        conn = opened.conn
        have = conn.execute("SELECT hash, width, height FROM contents ORDER BY hash").fetchall()
        hashes = [h for h, _, _ in have]
        features = chunks.features_of(conn, hashes)[0].astype(np.float16)
        familiar = chunks.features_of(conn, hashes, familiar=True)[0].astype(np.float16)
        # a scan of one backbone pass a photo keeps no 64x64 squares' features
        squares = len(familiar) == len(hashes)
        scores: dict[str, list] = {}
        for model, h, p, fam in conn.execute("SELECT model, hash, p_cat, familiarity FROM scores"):
            scores.setdefault(h, []).append((model, p, fam))
        count = conn.execute("SELECT count(*) FROM files").fetchone()[0]
        n = 0
        while count < rows:
            take = [(n + i) % len(have) for i in range(min(chunks.ROWS, rows - count))]
            new = [f"{n + i:08x}" + hashes[j][8:] for i, j in enumerate(take)]
            with opened.transaction() as tx:
                chunk = chunks.write(
                    tx,
                    new,
                    features[take].tobytes(),
                    familiar[take].tobytes() if squares else None,
                )
                tx.executemany(
                    "INSERT INTO contents (hash, width, height, chunk, slot) VALUES (?, ?, ?, ?, ?)",
                    [(h, *have[j][1:], chunk, slot) for slot, (h, j) in enumerate(zip(new, take))],
                )
                tx.executemany(
                    "INSERT INTO files VALUES (?, 1, 1, ?, 'ok')",
                    [(f"/synthetic/{n + i:07d}.jpg", h) for i, h in enumerate(new)],
                )
                tx.executemany(
                    "INSERT INTO scores VALUES (?, ?, ?, ?)",
                    [
                        (m, h, p, f)
                        for h, j in zip(new, take)
                        for m, p, f in scores.get(hashes[j], [])
                    ],
                )
            n += len(take)
            count += len(take)


def new_head(folder: Path, factor: float = 1.01, reference: bool = False) -> Path:
    """The shipped model with its head scaled by ``factor``: another file, another SHA-256
    (``reference``: its familiarity reference's points nudged too, so nothing of its
    familiarity is known to the index)."""
    from dataclasses import replace

    from catgui.core import persistence

    model = persistence.load(MODEL)
    model.classifier.head.weights[:] = model.classifier.head.weights * factor
    if reference:
        ref = model.classifier.reference
        model.classifier.reference = replace(ref, points=ref.points * 1.001)
    return persistence.save(model, folder / f"retrained-{factor}.npz")


def writer_rows_per_second(top: Path, rows: int = 4096, batch: int = 32) -> dict:
    """What the one SQLite writer takes: batches of new rows (random features) stored
    as a scan stores them, no reading and no network."""
    from catgui.core.library import blobs
    from catgui.core.library.index import Index
    from catgui.core.library.reading import Outcome
    from catgui.core.library.rescore import Scorer
    from catgui.core.library.scan import Summary, _store

    rng = np.random.default_rng(1)
    scorer = Scorer.of_file(MODEL)
    thumb = bytes(3000)
    with Index(top / "writer.sqlite", writable=True) as index:
        start = time.perf_counter()
        for at in range(0, rows, batch):
            outcomes = []
            for i in range(at, at + batch):
                f = rng.normal(size=(2, 1280)).astype(np.float32)
                outcomes.append(
                    Outcome(
                        f"/w/{i}.jpg",
                        1000,
                        1,
                        f"{i:064x}",
                        None,
                        300,
                        200,
                        thumb,
                        blobs.encode(f[0]),
                        blobs.encode(f[1]),
                    )
                )
            _store(index, scorer, outcomes, Summary())
        seconds = time.perf_counter() - start
    return {"rows": rows, "seconds": seconds, "rows_per_second": rows / seconds}


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
    from catgui.core.library import query
    from catgui.core.library.index import Index
    from catgui.core.library.rescore import Scorer, rescore_steps
    from catgui.core.steps import run_to_end

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
            "bytes_float16": 2 * 1280 * 2,
            "bytes_float32": 2 * 1280 * 4,
        }
    )

    grow(index, args.rows)
    rescore_runs, rescore_cpu = [], []  # wall and CPU (both threads) seconds
    for factor in (1.01, 1.02, 1.03):  # a new head each time (the same reference)
        scorer = Scorer.of_file(new_head(top, factor))
        with Index(index, writable=True) as opened:
            rows = opened.conn.execute("SELECT count(*) FROM files").fetchone()[0]
            start, cpu = time.perf_counter(), time.process_time()
            scored = run_to_end(rescore_steps(opened, scorer))
            rescore_runs.append(time.perf_counter() - start)
            rescore_cpu.append(time.process_time() - cpu)
    rescore_s = median(rescore_runs)
    emit(
        {
            "figure": 10,
            "name": "library_rescore",
            "rows": rows,
            "scored": scored,
            "seconds": rescore_s,
            "runs": rescore_runs,
            "cpu_seconds": median(rescore_cpu),
        }
    )
    # a head with a reference of its own: its familiarity computed from the features too
    scorer = Scorer.of_file(new_head(top, 1.04, reference=True))
    with Index(index, writable=True) as opened:
        start = time.perf_counter()
        scored = run_to_end(rescore_steps(opened, scorer))
        familiarity_s = time.perf_counter() - start
    emit(
        {
            "figure": 10,
            "name": "library_rescore_familiarity",
            "rows": rows,
            "scored": scored,
            "seconds": familiarity_s,
        }
    )
    with Index(index) as opened:
        start = time.perf_counter()
        cats = query.listing(opened, Scorer.of_file(MODEL).sha256, "cats")
        query_s = time.perf_counter() - start
    listing = ["library", "list", "--cats", "--index", str(index), "--model", str(MODEL)]
    cpu = children_cpu()
    walls = [cli(*listing, env=env)[0] for _ in range(3)]
    list_cpu = (children_cpu() - cpu) / 3
    json_walls = [cli(*listing, "--json", env=env)[0] for _ in range(3)]
    wall = median(walls)
    emit(
        {
            "figure": 10,
            "name": "library_list_cats",
            "rows": rows,
            "cats": len(cats),
            "query_seconds": query_s,
            "wall_seconds": wall,
            "wall_runs": walls,
            "cpu_seconds": list_cpu,
            "json_wall_seconds": median(json_walls),
        }
    )

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
                    f"{rows} rows in {rescore_s:.2f} s (CPU {median(rescore_cpu):.2f} s)",
                    "<= 1 s",
                ],
                ["re-score, familiarity computed", f"{familiarity_s:.2f} s", "-"],
                [
                    "list --cats",
                    f"command {wall:.2f} s (CPU {list_cpu:.2f} s; --json "
                    f"{median(json_walls):.2f} s; the query {query_s:.2f} s)",
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
