"""``catgui scan --cluster``: the reading on a Dask cluster gives the rows a local scan gives."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from catgui.core.errors import CatguiError
from catgui.core.library import chunks
from catgui.core.library.index import Index
from catgui.core.library.rescore import Scorer
from catgui.core.library.scan import scan_steps
from catgui.core.steps import run_to_end
from tests.library_helpers import PHOTO_MODEL, ROOT, needs_photo_model, photo_folder

pytestmark = needs_photo_model


def _rows(path):
    conn = sqlite3.connect(path)
    files = conn.execute(
        "SELECT path, size, mtime_ns, hash, status FROM files ORDER BY path"
    ).fetchall()
    sizes = conn.execute("SELECT hash, width, height FROM contents ORDER BY hash").fetchall()
    hashes = [h for h, _, _ in sizes]
    features, found = chunks.features_of(conn, hashes)
    familiar, squared = chunks.features_of(conn, hashes, familiar=True)
    assert found.all() and not squared.any()  # one backbone pass a photo: no 64x64 squares'
    contents = {h: (w, ht, f) for (h, w, ht), f in zip(sizes, features, strict=True)}
    scores = dict(
        ((h, (p, fam)) for h, p, fam in conn.execute("SELECT hash, p_cat, familiarity FROM scores"))
    )
    conn.close()
    return files, contents, scores


def test_a_local_cluster_of_two_workers_gives_the_local_rows(tmp_path):
    distributed = pytest.importorskip(
        "dask.distributed", reason="Dask is not installed (catgui[cluster])"
    )
    from catgui.core.library.cluster import ClusterReader

    photos = photo_folder(tmp_path / "photos", n=7)
    (photos / "copy.jpg").write_bytes((photos / "photo1.jpg").read_bytes())
    (photos / "bad.jpg").write_text("no picture")
    scorer = Scorer.of_file(PHOTO_MODEL)
    with Index(tmp_path / "local.sqlite", writable=True) as index:
        run_to_end(scan_steps(index, [str(photos)], scorer, batch=4))
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        reader = ClusterReader(client)
        assert reader.workers == 2
        with Index(tmp_path / "cluster.sqlite", writable=True) as index:
            summary = run_to_end(
                scan_steps(index, [str(photos)], scorer, batch=4, reader=reader.reader)
            )
        # the command line's way in: the scheduler's address
        from catgui import cli

        address = cluster.scheduler_address
        args = ["scan", str(photos), "--index", str(tmp_path / "cli.sqlite"), "--cluster", address]
        assert cli.main(args) == 1  # bad.jpg
        # each worker loaded the weights, once, however many batches it read
        loads = client.run(
            lambda: __import__("catgui.core.backbone", fromlist=["_"]).weights.cache_info().misses
        )
    assert (summary.found, summary.computed, summary.errors) == (9, 7, 1)
    assert sorted(loads.values()) == [1, 1]
    local, remote = _rows(tmp_path / "local.sqlite"), _rows(tmp_path / "cluster.sqlite")
    assert local[0] == remote[0]  # the same files, sizes, times, hashes and statuses
    assert _rows(tmp_path / "cli.sqlite")[0] == local[0]
    assert local[1].keys() == remote[1].keys()
    for h, (w, ht, f) in local[1].items():
        rw, rht, rf = remote[1][h]
        assert (w, ht) == (rw, rht)
        np.testing.assert_allclose(rf, f, atol=1e-5)
    for h, (p, fam) in local[2].items():
        assert remote[2][h][0] == pytest.approx(p, abs=1e-5)
        assert remote[2][h][1] == pytest.approx(fam, abs=1e-5)


def test_scan_without_cluster_imports_nothing_of_dask(tmp_path):
    photos = photo_folder(tmp_path / "photos", n=1)
    code = (
        "import sys; from catgui import cli; "
        f"code = cli.main(['scan', {str(photos)!r}, '--index', {str(tmp_path / 'i.sqlite')!r}]); "
        "assert not [m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')]; "
        "sys.exit(code)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_an_unreachable_scheduler_is_an_error_in_words():
    pytest.importorskip("dask.distributed", reason="Dask is not installed (catgui[cluster])")
    from catgui.core.library import cluster

    cluster.CONNECT_SECONDS = 2
    with pytest.raises(CatguiError, match="cannot reach the Dask scheduler"):
        cluster.connect("tcp://127.0.0.1:9")


def test_a_worker_killed_mid_batch_loses_nothing(tmp_path):
    """The first batch a worker takes, it announces (its pid in a file) and then waits;
    the test kills that worker's process with SIGKILL: Dask runs the task again on a
    worker, and the index has every row."""
    distributed = pytest.importorskip(
        "dask.distributed", reason="Dask is not installed (catgui[cluster])"
    )
    import os
    import signal
    import threading
    import time

    from catgui.core.library.cluster import ClusterReader

    photos = photo_folder(tmp_path / "photos", n=6)
    marker = str(tmp_path / "first-task-pid")

    def stall_first_task():
        import os as _os
        import time as _time

        from catgui.core.library import cluster as module

        real = module.read_batch

        def stalled(founds, known, threads, squares=False):
            try:
                fd = _os.open(marker, _os.O_CREAT | _os.O_EXCL | _os.O_WRONLY)
            except FileExistsError:
                return real(founds, known, threads, squares)
            _os.write(fd, str(_os.getpid()).encode())
            _os.close(fd)
            _time.sleep(600)

        module.read_batch = stalled

    killed = []

    def kill_when_announced():
        for _ in range(1200):
            if os.path.exists(marker) and os.path.getsize(marker):
                pid = int(open(marker).read())
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
            time.sleep(0.05)

    scorer = Scorer.of_file(PHOTO_MODEL)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        client.run(stall_first_task)
        killer = threading.Thread(target=kill_when_announced, daemon=True)
        killer.start()
        with Index(tmp_path / "cluster.sqlite", writable=True) as index:
            summary = run_to_end(
                scan_steps(
                    index, [str(photos)], scorer, batch=6, reader=ClusterReader(client).reader
                )
            )
        killer.join(5)
    assert killed, "no worker took a batch"
    assert (summary.found, summary.computed, summary.errors) == (6, 6, 0)
    with Index(tmp_path / "cluster.sqlite") as index:
        assert (
            index.conn.execute("SELECT count(*) FROM files WHERE status = 'ok'").fetchone()[0] == 6
        )
