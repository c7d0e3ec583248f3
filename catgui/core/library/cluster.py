"""``catgui scan --cluster tcp://HOST:PORT``: the reading on a Dask distributed cluster.

Imported only for ``--cluster`` (nothing of Dask is imported otherwise; it is the
optional extra ``catgui[cluster]``). Each batch of paths is split among the workers;
a worker runs :func:`~catgui.core.library.reading.read_batch` (hash, decode, backbone)
on its share and sends back the outcomes: hashes, sizes, the float16 features and the
thumbnails. The SQLite index is written by the client alone, one transaction a batch.

The workers read the files by the paths the client found, so the folders must be at the
same paths on every worker (a shared file system). Each worker process loads the
backbone's weights once, from its own installed catgui (``backbone.weights`` is cached
per process): tasks carry paths, never weights. The hashes the index knows already are
sent to every worker once per scan (``scatter(broadcast=True)``), the few found during
the scan with each task. A worker that dies mid-batch: Dask runs its task again on
another worker, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Sequence

from catgui.core.errors import CatguiError
from catgui.core.library.reading import Outcome, read_batch
from catgui.core.library.walk import Found

CONNECT_SECONDS = 20


def _read_on_worker(founds, known, added, threads, squares=False):
    return read_batch(founds, _Either(known, added), threads, squares)


class _Either:
    """Membership in either of two sets (the scattered one is never copied)."""

    def __init__(self, first, second) -> None:
        self.first, self.second = first, second

    def __contains__(self, item) -> bool:
        return item in self.second or item in self.first


class ClusterReader:
    """Reads batches of files on a cluster's workers, for :func:`scan.scan_steps`."""

    def __init__(self, client, threads: int = 1) -> None:
        self.client = client
        self.threads = threads
        self._known = None
        self._sent: set[str] = set()
        self.workers = max(1, len(client.scheduler_info().get("workers", {})))

    def reader(self, founds: Sequence[Found], known: set, squares: bool = False) -> list[Outcome]:
        if self._known is None:
            self._sent = set(known)
            # a list of one: a bare set would be scattered item by item
            [self._known] = self.client.scatter([frozenset(self._sent)], broadcast=True, hash=False)
        added = known - self._sent
        founds = list(founds)
        parts = max(1, min(self.workers, len(founds)))
        size = -(-len(founds) // parts)
        futures = [
            self.client.submit(
                _read_on_worker,
                founds[at : at + size],
                self._known,
                added,
                self.threads,
                squares,
                pure=False,
            )
            for at in range(0, len(founds), size)
        ]
        try:
            results = self.client.gather(futures)
        except Exception as exc:  # noqa: BLE001 - a scheduler or worker failure, in words
            raise CatguiError(
                f"the cluster could not read a batch ({type(exc).__name__}: {exc})"
            ) from None
        return [outcome for part in results for outcome in part]

    def close(self) -> None:
        self.client.close()


def connect(address: str, threads: int = 1) -> ClusterReader:
    """A reader on the Dask scheduler at ``address`` (``tcp://HOST:PORT``)."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise CatguiError(
            "--cluster needs Dask's distributed scheduler: pip install 'catgui[cluster]'"
        ) from None
    try:
        client = Client(address, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError, ValueError) as exc:
        raise CatguiError(f"{address}: cannot reach the Dask scheduler ({exc})") from None
    reader = ClusterReader(client, threads)
    if not client.scheduler_info().get("workers"):
        reader.close()
        raise CatguiError(
            f"{address}: the Dask scheduler has no workers; start some with dask worker"
        )
    return reader
