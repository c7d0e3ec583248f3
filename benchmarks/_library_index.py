"""Library indexes for the benchmarks (``bench_library.py``, ``bench_retrain.py``): the
shipped pretrained model, an index grown to many rows from a scanned one, a head that is
another file, the one SQLite writer's rate, and the catgui command run as a user types it."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from _common import ROOT, emit, median

MODEL = ROOT / "models" / "pretrained.npz"


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
    from catgui.core.library import blobs, natural
    from catgui.core.library.index import Index
    from catgui.core.library.reading import Outcome
    from catgui.core.library.rescore import Scorer
    from catgui.core.library.scan import Summary, _store

    rng = np.random.default_rng(1)
    scorer = Scorer.of_file(MODEL)
    thumb = bytes(3000)
    with Index(top / "writer.sqlite", writable=True) as index:
        with index.transaction() as tx:
            natural.complete(tx)  # the folder order's table, as a scan makes it first
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


def rows_figures(top: Path, index: Path, rows_wanted: int, env: dict) -> tuple:
    """The index grown to ``rows_wanted`` rows: re-scored by three new heads (the median),
    by a head with a reference of its own, and listed (``library list --cats``: the query
    here, the command in a subprocess). Returns ``(rows, re-score s, its CPU s,
    familiarity re-score s, listing figures)``."""
    from catgui.core.library import query
    from catgui.core.library.index import Index
    from catgui.core.library.rescore import Scorer, rescore_steps
    from catgui.core.steps import run_to_end

    grow(index, rows_wanted)
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

    listed = {"wall": wall, "cpu": list_cpu, "json": median(json_walls), "query": query_s}
    return rows, rescore_s, median(rescore_cpu), familiarity_s, listed


def synthetic_index(index: Path, features: np.ndarray, first: int = 0, model: str = "a" * 64):
    """Add ``features`` ``(k, 1280)`` to the index at ``index`` as ``k`` new distinct
    pictures (hashes and paths numbered from ``first``), in full chunks, each scored by
    ``model`` (a P(cat) drawn at random): what the near-copies and the map read."""
    import hashlib

    from catgui.core.library import chunks
    from catgui.core.library.index import Index

    rng = np.random.default_rng(first)
    half = np.clip(features, -65000, 65000).astype("<f2")
    with Index(index, writable=True) as opened:
        for at in range(0, len(half), chunks.ROWS):
            part = range(first + at, first + min(len(half), at + chunks.ROWS))
            names = [hashlib.sha256(f"synthetic {i}".encode()).hexdigest() for i in part]
            with opened.transaction() as tx:
                chunk = chunks.write(tx, names, half[at : at + len(names)].tobytes(), None)
                tx.executemany(
                    "INSERT INTO contents (hash, width, height, chunk, slot) "
                    "VALUES (?, 640, 480, ?, ?)",
                    [(h, chunk, slot) for slot, h in enumerate(names)],
                )
                tx.executemany(
                    "INSERT INTO files VALUES (?, 1, 1, ?, 'ok')",
                    [(f"/synthetic/{i:07d}.jpg", h) for i, h in zip(part, names)],
                )
                tx.executemany(
                    "INSERT INTO scores VALUES (?, ?, ?, NULL)",
                    [(model, h, float(p)) for h, p in zip(names, rng.random(len(names)))],
                )
