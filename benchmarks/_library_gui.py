"""The Library tab's figures for ``bench_responsiveness.py`` (figure 3): a synthetic library of
``rows`` files in the window's own index, the tab opened on it, then scrolled and filtered
while a :class:`~_gui.StallProbe` watches the event loop.

The synthetic index holds what the tab reads: ``files`` (nested folder paths, sizes, dates,
about 1 in 200 an unreadable file), ``scores`` of the model whose verdicts the tab shows
(P(cat) spread over 0-1, familiarity low for about 1 in 10), ``thumbnails`` (real JPEGs,
64 distinct ones, each stored under every content hash as a scan stores them) and the
``models`` row. ``contents`` (the features) stays empty: the tab never reads it, and a
model change would then find nothing to re-score (the re-scoring figure is figure 10's).
"""

from __future__ import annotations

import time

import numpy as np
from _gui import StallProbe, wait_until


def build_index(path, model_sha: str, model_path: str, rows: int) -> float:
    """Write the synthetic index at ``path``; seconds taken."""
    from catgui.core.library import blobs
    from catgui.core.library.index import Index

    start = time.perf_counter()
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:72, 0:96]
    jpegs = []
    for i in range(64):
        colour = rng.uniform(40, 220, 3)
        picture = colour * (0.6 + 0.4 * np.sin(x[..., None] / (5 + i % 7) + y[..., None] / 9))
        jpegs.append(blobs.thumbnail_jpeg(np.clip(picture, 0, 255).astype(np.uint8)))
    p = rng.beta(0.6, 0.6, rows)
    familiarity = np.where(rng.random(rows) < 0.1, 0.01, 0.5)
    with Index(path, writable=True) as index, index.transaction() as tx:
        tx.execute(
            "INSERT INTO models (sha256, path, kind, scored_at) VALUES (?, ?, 'pretrained', 0)",
            (model_sha, model_path),
        )
        files, scores, thumbs = [], [], []
        for i in range(rows):
            digest = f"{i:064x}"
            folder = f"/photos/{2000 + i % 20}/{i % 240:03d}"
            if i % 200 == 199:
                files.append((f"{folder}/broken{i:06d}.jpg", 0, i, None, "not an image file"))
                continue
            files.append((f"{folder}/IMG_{i:06d}.jpg", 2_000_000, 10**18 + i * 10**9, digest, "ok"))
            scores.append((model_sha, digest, float(p[i]), float(familiarity[i])))
            thumbs.append((digest, jpegs[i % len(jpegs)]))
        tx.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?)", files)
        tx.executemany("INSERT INTO scores VALUES (?, ?, ?, ?)", scores)
        tx.executemany("INSERT INTO thumbnails VALUES (?, ?)", thumbs)
    return time.perf_counter() - start


def probe_library(window, rows: int) -> list[dict]:
    """Open the Library tab on ``rows`` files, scroll it, filter it; three records."""
    from catgui.core.library import index as library_index
    from catgui.core.library.rescore import Scorer
    from catgui.ui.library.model_follower import scoring_model

    model_path, _note = scoring_model(window.state.model)
    scorer = Scorer.of_file(model_path)
    built = build_index(library_index.default_path(), scorer.sha256, str(model_path), rows)
    names = window.pages.names
    probe = StallProbe()
    probe.start()
    start = time.perf_counter()
    window.tabs.setCurrentIndex(names.index("library"))
    tab = window.library_tab

    def settled() -> bool:
        return (
            not tab.browser.is_busy()
            and not tab.follower.is_busy()
            and tab.browser.shown_view == tab.browser.view
            and tab.browser.view.model == scorer.sha256
        )

    wait_until(lambda: settled() and tab.model.rowCount() == rows, timeout=60)
    shown = time.perf_counter() - start
    wait_until(lambda: _thumbnails_ready(tab), timeout=60)
    thumbnails = time.perf_counter() - start
    opening = {**probe.stop(), "seconds": shown, "thumbnails_seconds": thumbnails}
    opening.update(rows=tab.model.rowCount(), index_build_seconds=built)

    # scrolling: a page down every frame (16 ms) for 2 s, then jumps across the library
    probe.start()
    start = time.perf_counter()
    bar = tab.grid.verticalScrollBar()
    for _ in range(120):
        bar.setValue(bar.value() + bar.pageStep())
        wait_until(lambda: False, timeout=0.016)
    for fraction in (1.0, 0.5, 0.25, 0.75, 0.0):
        bar.setValue(int(bar.maximum() * fraction))
        wait_until(lambda: _thumbnails_ready(tab), timeout=10)
    scrolling = {**probe.stop(), "seconds": time.perf_counter() - start}

    # filtering: each filter, each order, a path typed key by key
    probe.start()
    start = time.perf_counter()
    counts = []
    for name in ("cats", "non-cats", "unsure", "unfamiliar", "errors", ""):
        tab.filters.buttons[name].click()
        wait_until(settled, timeout=60)
        counts.append(tab.model.rowCount())
    for order in ("probability", "date", "folder"):
        tab.filters.choose_sort(order)
        wait_until(settled, timeout=60)
    for text in ("2", "20", "200", "2005", "2005/1", "2005/12"):
        tab.filters.text.setText(text)
        wait_until(lambda: False, timeout=0.08)  # typing speed
    wait_until(settled, timeout=60)
    typed = tab.model.rowCount()
    tab.filters.text.clear()
    wait_until(settled, timeout=60)
    filtering = {**probe.stop(), "seconds": time.perf_counter() - start}
    filtering.update(filter_rows=counts, typed_rows=typed)
    return [
        {"figure": 3, "name": "library_open", **opening},
        {"figure": 3, "name": "stalls_library_scrolling", **scrolling},
        {"figure": 3, "name": "stalls_library_filtering", **filtering},
    ]


def _thumbnails_ready(tab) -> bool:
    """Every tile on screen has its thumbnail."""
    from catgui.ui.library.grid_model import THUMBNAIL_ROLE

    rows = tab.grid.visible_rows()
    if not len(rows):
        return False
    model = tab.model
    return all(model.data(model.index(r), THUMBNAIL_ROLE) is not None for r in rows)
