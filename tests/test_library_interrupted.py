"""A killed or interrupted scan is continued by the next one (real processes)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys

from tests.library_helpers import (
    PHOTO_MODEL,
    ROOT,
    needs_photo_model,
    photo_folder,
    run_cli,
)

pytestmark = needs_photo_model


_SLOW_SCAN = """
import sys, time
from catgui.core.library import reading
real = reading.network_batch
count = [0]
def slow(*args, **kwargs):
    out = real(*args, **kwargs)
    count[0] += 1
    print(f"batch {count[0]}", flush=True)
    if count[0] == int(sys.argv[2]):  # this batch is read, not yet stored: wait there
        time.sleep(float(sys.argv[1]))
    return out
reading.network_batch = slow
from catgui import cli
sys.exit(cli.main(sys.argv[3:]))
"""


def _slow_scan(seconds: float, at: int, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", _SLOW_SCAN, str(seconds), str(at), "scan", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def test_killed_scan_continues_where_it_stopped(tmp_path):
    photos = photo_folder(tmp_path / "photos", n=12)
    index = tmp_path / "lib.sqlite"
    proc = _slow_scan(
        60, 3, str(photos), "--index", str(index), "--batch", "2", "--model", str(PHOTO_MODEL)
    )
    try:
        for expected in ("batch 1", "batch 2", "batch 3"):
            assert proc.stdout.readline().strip() == expected
        proc.send_signal(signal.SIGKILL)  # batches 1 and 2 committed, 3 in flight
        proc.wait(30)
    finally:
        proc.kill()
        proc.communicate()
    conn = sqlite3.connect(index)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM files").fetchone()[0] == 4
    conn.close()
    result = run_cli("scan", str(photos), "--index", str(index), "--json", "--batch", "2")
    assert result.returncode == 0, result.stderr
    import json

    summary = json.loads(result.stdout)
    assert (summary["unchanged"], summary["read"], summary["computed"]) == (4, 8, 8)


def test_ctrl_c_stops_at_a_batch_boundary_and_says_how_far(tmp_path):
    photos = photo_folder(tmp_path / "photos", n=12)
    index = tmp_path / "lib.sqlite"
    proc = _slow_scan(1.0, 2, str(photos), "--index", str(index), "--batch", "2")
    try:
        assert proc.stdout.readline().strip() == "batch 1"
        assert proc.stdout.readline().strip() == "batch 2"
        proc.send_signal(signal.SIGINT)  # during batch 2: it is stored, then the scan stops
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert "4 of 12 done; run it again to continue" in err
    assert "Traceback" not in err
    result = run_cli("scan", str(photos), "--index", str(index), "--json")
    import json

    summary = json.loads(result.stdout)
    assert (summary["unchanged"], summary["read"]) == (4, 8)
