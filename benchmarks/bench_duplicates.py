"""Near-copies among N pictures' features: the time to group them (catgui library duplicates),
and what the index keeps makes of it (the Library tab's map and *Duplicates* filter).

Synthetic features shaped like the backbone's (non-negative, 1,280 each, in clusters),
with 1 % of the rows noisy copies of others; ``duplicates.group_steps`` over all of them
(blockwise all-pairs products). Then, on a synthetic index of ``--index-rows`` pictures
with those features (``_library_index.synthetic_index``): the first look (every pair, the
map fitted, kept in the index), a new model (the map's colours: its scores; and the whole
read the tab makes after a scan with nothing new), ``library duplicates`` from what is
kept, and ``--add`` new pictures (1 % of them copies) after a scan: compared with all.
Run: ``python benchmarks/bench_duplicates.py [--rows 20000 100000] [--index-rows 20000 100000]``
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from _common import emit, machine, peak_rss_mb, seconds, table
from _library_index import synthetic_index


def features(rows: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.gamma(0.6, 1.0, (64, 1280)).astype(np.float32)
    x = centres[rng.integers(0, 64, rows)]
    x *= rng.gamma(2.0, 0.5, x.shape).astype(np.float32)
    copies = rng.choice(rows, size=rows // 100, replace=False)
    x[copies] = x[rng.integers(0, rows, len(copies))] * rng.uniform(0.9, 1.1, (len(copies), 1280))
    return x


def main(argv: list[str] | None = None) -> int:
    from catgui.core import duplicates
    from catgui.core.steps import run_to_end

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[20000])
    parser.add_argument("--index-rows", type=int, nargs="*", default=[20000, 100000])
    parser.add_argument("--add", type=int, default=1000, help="new pictures after a scan")
    args = parser.parse_args(argv)
    out = []
    for rows in args.rows:
        x = features(rows)
        start = time.perf_counter()
        groups = run_to_end(duplicates.group_steps(x))
        took = time.perf_counter() - start
        record = {
            "name": "duplicates",
            "rows": rows,
            "seconds": took,
            "groups": len(groups),
            "peak_rss_mb": peak_rss_mb(),
            "machine": machine(),
        }
        emit(record)
        out.append(
            [f"{rows:,}", seconds(took), f"{len(groups):,}", f"{record['peak_rss_mb']:.0f} MB"]
        )
    print(table(["rows", "grouped in", "groups", "peak RSS"], out))
    if args.index_rows:
        kept_figures(args.index_rows, args.add)
    return 0


def _timed(make) -> tuple[float, float, object]:
    """Wall and CPU seconds of ``make()``, and what it returned."""
    start, cpu = time.perf_counter(), time.process_time()
    result = make()
    return time.perf_counter() - start, time.process_time() - cpu, result


def kept_figures(sizes: list[int], add: int) -> None:
    import tempfile
    from pathlib import Path

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-likeness-") as top:
        for n in sizes:
            record = kept_figure(Path(top) / f"library-{n}.sqlite", n, add)
            emit(record)
            rows.append(
                [
                    f"{n:,}",
                    seconds(record["first_look_seconds"]),
                    seconds(record["model_change_seconds"]),
                    seconds(record["whole_read_seconds"]),
                    seconds(record["duplicates_seconds"]),
                    f"+{add:,}: {seconds(record['after_scan_seconds'])}",
                ]
            )
    print(
        table(
            [
                "index rows",
                "first look (all pairs)",
                "new model: colours",
                "tab's whole read",
                "library duplicates",
                "after a scan",
            ],
            rows,
        )
    )


def kept_figure(path, n: int, add: int) -> dict:
    """The figures of one synthetic index of ``n`` pictures at ``path`` (removed after)."""
    import os

    from catgui.core.library import jobs, similar
    from catgui.core.library.index import Index
    from catgui.core.steps import run_to_end

    def look(model: str):
        return run_to_end(similar.likeness_steps(path, model))

    def listed():
        with Index(path) as index:
            return run_to_end(similar.duplicate_steps(index))

    x = features(n)
    synthetic_index(path, x)
    first, first_cpu, (data, groups) = _timed(lambda: look("a" * 64))
    recolour, _, _ = _timed(lambda: run_to_end(jobs.colours_job(path, data.hashes, "b" * 64)))
    whole, _, _ = _timed(lambda: look("b" * 64))
    listing, _, _ = _timed(listed)
    new = features(add, seed=n + 1)
    rng = np.random.default_rng(n)
    copies = rng.choice(add, size=max(1, add // 100), replace=False)
    new[copies] = x[rng.integers(0, n, len(copies))] * 1.02
    del x
    synthetic_index(path, new, first=n)
    grown, grown_cpu, (_, grown_groups) = _timed(lambda: look("a" * 64))
    size = os.stat(path).st_size
    path.unlink()
    return {
        "name": f"likeness_kept_{n}",
        "rows": n,
        "groups": len(groups),
        "first_look_seconds": first,
        "first_look_cpu_seconds": first_cpu,
        "model_change_seconds": recolour,
        "whole_read_seconds": whole,
        "duplicates_seconds": listing,
        "added": add,
        "after_scan_seconds": grown,
        "after_scan_cpu_seconds": grown_cpu,
        "groups_after_scan": len(grown_groups),
        "index_mb": size / 1e6,
        "peak_rss_mb": peak_rss_mb(),
        "machine": machine(),
    }


if __name__ == "__main__":
    sys.exit(main())
