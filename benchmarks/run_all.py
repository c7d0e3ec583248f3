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
from _targets import summary

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
    ("bench_live.py", [], ["--seconds", "4"]),
    ("bench_library.py", [], ["--photos", "300", "--rows", "20000"]),
    ("bench_retrain.py", ["--window"], ["--rows", "20000", "--window"]),
    ("bench_duplicates.py", [], ["--rows", "5000", "--index-rows", "5000", "--add", "100"]),
    ("bench_map.py", [], ["--repeats", "2"]),
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
