"""What the Library tab reads from the index, headless (``core/library/browse.py``) and its
jobs (``core/library/jobs.py``): filters, counts, orders, pages, thumbnails, a paused and
stopped scan, re-scoring with the index busy."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from catgui.core.errors import CatguiError
from catgui.core.library import browse, jobs
from catgui.core.library.index import Index
from catgui.core.steps import run_to_end
from tests.library_helpers import (
    PHOTO_MODEL,
    index_rows,
    needs_photo_model,
    photo_folder,
    synthetic_index,
)

pytestmark = needs_photo_model

PROBABILITIES = [0.97, 0.91, 0.83, 0.55, 0.45, 0.2, 0.1, 0.02]


@pytest.fixture
def library(tmp_path, scorer):
    path = tmp_path / "library.sqlite"
    paths = synthetic_index(path, scorer, PROBABILITIES, errors=2)
    with Index(path) as index:
        yield index, paths


def listed(index, view) -> list[str]:
    ids = browse.matching(index, view)
    found = browse.page(index, ids, view.model, view.threshold)
    return [found[i].path for i in ids.tolist()]


def test_the_filters_match_library_list(library, scorer, tmp_path):
    index, _paths = library
    for which in (None, *browse.FILTERS):
        view = browse.View(scorer.sha256, which)
        expected = sorted(r.path for r in index_rows(index.path, scorer, which))
        assert sorted(listed(index, view)) == expected, which
    counts = browse.counts(index, browse.View(scorer.sha256))
    assert counts == {
        "all": 10,
        "cats": 4,
        "non-cats": 4,
        "unsure": 2,
        "unfamiliar": 2,
        "errors": 2,
    }


def test_another_model_has_no_verdicts_yet(library):
    index, _paths = library
    counts = browse.counts(index, browse.View("0" * 64))
    assert counts["all"] == 10 and counts["cats"] == counts["non-cats"] == 0
    items = browse.page(index, browse.matching(index, browse.View("0" * 64)), None, 0.5)
    assert all(i.probability is None for i in items.values())


def test_orders_and_the_text_filter(library, scorer):
    index, paths = library
    by_p = listed(index, browse.View(scorer.sha256, sort="probability"))
    assert by_p[:8] == [paths[i] for i in np.argsort(PROBABILITIES)[::-1]]
    by_date = listed(index, browse.View(scorer.sha256, sort="date"))
    assert by_date[:2] == [paths[7], paths[6]]
    assert listed(index, browse.View(scorer.sha256)) == sorted(paths)
    assert listed(index, browse.View(scorer.sha256, text="CATS/photo1")) == [paths[1]]
    assert listed(index, browse.View(scorer.sha256, text="%")) == []  # not a wildcard
    assert listed(index, browse.View(scorer.sha256, text="_")) == []
    with pytest.raises(ValueError, match="unknown order"):
        browse.matching(index, browse.View(sort="size"))
    with pytest.raises(ValueError, match="unknown filter"):
        browse.matching(index, browse.View(which="dogs"))


def test_pages_thumbnails_and_rowids(library, scorer):
    index, paths = library
    ids = browse.matching(index, browse.View(scorer.sha256))
    items = browse.page(index, ids[:3].tolist() + [999_999], scorer.sha256, 0.5)
    assert len(items) == 3  # a rowid gone is simply absent
    broken = next(i for i in items.values() if i.error)
    assert broken.hash is None and broken.label is None
    thumbs = browse.thumbnails(index, [f"{0:064x}", f"{1:064x}", "missing"])
    assert set(thumbs) == {f"{0:064x}", f"{1:064x}"} and thumbs[f"{0:064x}"][:2] == b"\xff\xd8"
    rowids = browse.rowids_of(index, paths=[paths[2]], hashes=[f"{4:064x}"])
    found = browse.page(index, rowids, scorer.sha256, 0.5)
    assert sorted(i.path for i in found.values()) == sorted([paths[2], paths[4]])
    assert browse.scored(index, scorer.sha256) and not browse.scored(index, "0" * 64)


def test_a_registered_filter_is_listed_and_counted(library, scorer):
    index, paths = library
    firsts = (browse.Filter("firsts", "f.path LIKE ?", ("%photo1.jpg",)),)
    assert listed(index, browse.View(scorer.sha256, "firsts", extra=firsts)) == [paths[1]]
    assert browse.counts(index, browse.View(scorer.sha256, extra=firsts))["firsts"] == 1
    assert "firsts" not in browse.counts(index, browse.View(scorer.sha256))


def test_a_paused_scan_waits_and_a_stop_ends_it_at_a_batch(tmp_path):
    folder = photo_folder(tmp_path / "photos", n=3)
    path = tmp_path / "library.sqlite"
    paused, stop = threading.Event(), threading.Event()
    paused.set()
    steps = jobs.scan_job(path, [folder], PHOTO_MODEL, paused, stop.is_set)
    first = next(steps)  # then held: the index stays locked meanwhile
    assert first.phase in ("scoring", "walking")
    from catgui.core.library.index import IndexBusy

    with pytest.raises(IndexBusy):
        Index(path, writable=True)
    stop.set()
    summary = run_to_end(steps)
    assert summary.interrupted
    Index(path, writable=True).close()  # released
    done = run_to_end(jobs.scan_job(path, [folder], PHOTO_MODEL))
    assert not done.interrupted and done.found == 3


def test_rescore_job_says_a_busy_index_and_refuses_pixel_models(tmp_path, scorer):
    from tests.data_helpers import ROOT

    path = tmp_path / "library.sqlite"
    synthetic_index(path, scorer, [0.5])
    zero_shot = ROOT / "models" / "zero-shot.npz"
    with Index(path, writable=True):
        steps = list(_steps(jobs.rescore_job(path, zero_shot)))
    assert steps[0][0] == "model" and steps[1][0] == "busy" and "busy" in steps[1][1]
    sha, scored = run_to_end(jobs.rescore_job(path, zero_shot))
    assert scored == 1
    with pytest.raises(CatguiError, match="reads the pictures' pixels"):
        run_to_end(jobs.rescore_job(path, ROOT / "models" / "default.npz"))
    sha_none, nothing = run_to_end(jobs.rescore_job(tmp_path / "none.sqlite", zero_shot))
    assert nothing == 0 and sha_none == sha and not (tmp_path / "none.sqlite").exists()


def _steps(generator):
    while True:
        try:
            yield next(generator)
        except StopIteration:
            return


def test_picture_job_and_a_bad_file(tmp_path):
    folder = photo_folder(tmp_path / "photos", n=1)
    picture = next(folder.rglob("*.jpg"))
    steps = list(_steps(jobs.picture_job(picture, 64, PHOTO_MODEL)))
    assert steps[0][0] == "picture" and max(steps[0][1].shape[:2]) == 64
    assert steps[1][0] == "why" and steps[1][1].overlay is not None
    bad = tmp_path / "bad.jpg"
    bad.write_text("no")
    with pytest.raises(CatguiError, match=str(bad)):
        run_to_end(jobs.picture_job(bad, 64))
