"""Helpers shared by the benchmark scripts: the machine, the data, timing, output.

Every benchmark prints a human-readable table and one JSON line per figure. A JSON line
starts with ``{`` and holds at least ``figure`` (the number in issue 4), ``name`` and
either the measurements or ``"skipped": "<reason>"``.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def machine() -> dict:
    """What the numbers were measured on."""
    import numpy as np

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    blas = "unknown"
    try:
        config = np.show_config(mode="dicts")
        info = config["Build Dependencies"]["blas"]
        blas = f"{info.get('name')} {info.get('version')}"
    except (TypeError, KeyError, AttributeError):
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas,
        "load_average": [round(v, 2) for v in os.getloadavg()],
    }


def emit(record: dict) -> None:
    """Print one machine-readable line."""
    print(json.dumps(record), flush=True)


def skip(figure: int, name: str, reason: str) -> None:
    """Report a figure that could not be measured, and why."""
    print(f"figure {figure} ({name}): skipped: {reason}", flush=True)
    emit({"figure": figure, "name": name, "skipped": reason})


def data_folder() -> Path | None:
    """The article's data set: ``$CATGUI_DATA`` if set, else ``../shared/datasets``.

    ``None`` when the folder does not hold both files (set ``CATGUI_DATA`` to an empty
    folder to see the benchmarks skip what needs the data).
    """
    folder = Path(os.environ.get("CATGUI_DATA") or ROOT.parent / "shared" / "datasets")
    if (folder / "train_catvnoncat.h5").is_file() and (folder / "test_catvnoncat.h5").is_file():
        return folder
    return None


def photos_data(given: Path | None) -> Path | None:
    """The data set folder with the shared ``photos/`` (``given``, else :func:`data_folder`);
    ``None``, said on stderr, when there are none."""
    data = given or data_folder()
    if data is None or not (data / "photos").is_dir():
        print("the shared data set's photos/ are needed (--data DIR)", file=sys.stderr)
        return None
    return data


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """``(seconds, result)`` of one call."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median(values: list[float]) -> float:
    return statistics.median(values)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 if sys.platform != "darwin" else 1 / 1024
    return kib * scale / 1024


def table(headers: list[str], rows: list[list]) -> str:
    """A plain-text table, columns padded to fit."""
    cells = [headers] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def seconds(value: float) -> str:
    """``0.0123`` -> ``"12.3 ms"``; ``12.3`` -> ``"12.30 s"``."""
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"
