"""Near-copies among N pictures' features: the time to group them (catgui library duplicates).

Synthetic features shaped like the backbone's (non-negative, 1,280 each, in clusters),
with 1 % of the rows noisy copies of others; ``duplicates.group_steps`` over all of them
(blockwise all-pairs products). Run: ``python benchmarks/bench_duplicates.py [--rows 20000 100000]``
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from _common import emit, machine, peak_rss_mb, seconds, table


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
    return 0


if __name__ == "__main__":
    sys.exit(main())
