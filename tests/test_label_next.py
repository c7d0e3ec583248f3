"""Teach from the library: which pictures to label next, and Retrain from the corrections."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from catgui import cli
from catgui.core.corrections import Corrections
from catgui.core.errors import CatguiError
from catgui.core.library import label_next
from catgui.core.library.index import Index
from catgui.core.library.retrain import retrain_steps
from catgui.core.sources import DataRecipe
from catgui.core.steps import run_to_end
from tests.label_next_helpers import LEAST_SURE_ORDER, known_library
from tests.library_helpers import needs_photo_model, scan

pytestmark = needs_photo_model


@pytest.fixture
def library(tmp_path, scorer) -> Path:
    return known_library(tmp_path, scorer)


def names(chosen) -> list[str]:
    return [Path(c.path).name for c in chosen]


def test_least_sure_first_unfamiliar_unsure_ones_before_the_rest(library, scorer):
    with Index(library) as index:
        chosen = label_next.least_sure(index, scorer.sha256, count=5)
    # photo5 is unfamiliar and inside the unsure band; photo7 is unfamiliar but sure
    assert names(chosen) == LEAST_SURE_ORDER[:5]
    assert chosen[0].unfamiliar and chosen[0].probability == pytest.approx(0.45)
    with Index(library) as index:  # another threshold moves the middle
        assert names(label_next.least_sure(index, scorer.sha256, 2, threshold=0.7)) == [
            "photo4.jpg",
            "photo1.jpg",
        ]


def test_corrected_pictures_and_repeated_contents_are_left_out(library, scorer, tmp_path):
    photos = tmp_path / "photos"
    (photos / "copy-of-1.jpg").write_bytes((photos / "photo1.jpg").read_bytes())
    scan(library, [photos], scorer)
    store = Corrections()
    store.add(photos / "photo5.jpg", is_cat=True)
    skip = label_next.corrected_prefixes(store)
    assert len(skip) == 1
    with Index(library) as index:
        chosen = label_next.least_sure(index, scorer.sha256, count=3, skip=skip)
    assert "photo5.jpg" not in names(chosen)
    assert [n for n in names(chosen) if n in ("photo1.jpg", "copy-of-1.jpg")] == ["copy-of-1.jpg"]
    assert len({c.hash for c in chosen}) == 3
    with Index(library) as index:
        assert label_next.least_sure(index, scorer.sha256, count=0) == []
        assert len(label_next.least_sure(index, scorer.sha256, count=100)) == 8


def test_library_next_json(library, scorer, capsys, tmp_path):
    Corrections().add(tmp_path / "photos" / "photo5.jpg", is_cat=False)
    args = ["library", "next", "--index", str(library), "--model", str(scorer.path)]
    assert cli.main([*args, "--count", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [Path(d["path"]).name for d in out] == ["photo1.jpg", "photo6.jpg", "photo2.jpg"]
    assert all(set(d) == {"path", "probability"} and Path(d["path"]).is_absolute() for d in out)
    assert out[0]["probability"] == pytest.approx(0.52)
    assert cli.main([*args, "--count", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].endswith("\t0.520")
    with pytest.raises(SystemExit) as bad:
        cli.main([*args, "--count", "zero"])
    assert bad.value.code == 2
    assert "whole number" in capsys.readouterr().err
    missing = ["library", "next", "--index", str(tmp_path / "none.sqlite"), "--json"]
    assert cli.main(missing) == 1
    assert "no library index here" in capsys.readouterr().err


def test_retrain_fits_on_the_corrections_and_says_what_changed(library, scorer, tiny_data):
    photos = library.parent / "photos"
    store = Corrections()
    recipe = DataRecipe(article_folder=tiny_data)
    save_in = library.parent / "models"
    with pytest.raises(CatguiError, match="label some pictures first"):
        run_to_end(retrain_steps(library, scorer, save_in, recipe))
    for i in range(8):  # label every photo: half cats, half not
        store.add(photos / ("nested/deeper" if i % 3 == 0 else "") / f"photo{i}.jpg", i % 2 == 0)
    stages = []
    done = run_to_end(retrain_steps(library, scorer, save_in, recipe), stages.append)
    assert {s.stage for s in stages} >= {"importing", "training", "re-scoring"}
    assert done.saved.is_file() and done.saved.parent == save_in
    assert done.corrections == 8 and done.outcome.model.classifier.kind == "pretrained"
    # the figures in the sentence are the index's own: compare the two models' verdicts
    conn = sqlite3.connect(library)
    verdicts = {}
    for model in (scorer.sha256, done.scorer.sha256):
        verdicts[model] = dict(
            conn.execute(
                "SELECT f.path, s.p_cat > 0.5 FROM files f JOIN scores s ON s.hash = f.hash "
                "WHERE s.model = ?",
                (model,),
            ).fetchall()
        )
    conn.close()
    assert len(verdicts[done.scorer.sha256]) == 8
    flipped = [
        p for p, v in verdicts[scorer.sha256].items() if verdicts[done.scorer.sha256][p] != v
    ]
    assert done.changed == len(flipped)
    assert done.now_cat == sum(verdicts[done.scorer.sha256][p] for p in flipped)
    assert done.now_cat + done.now_not_cat == done.changed
    # trained on the labels, the new model agrees with most of them
    agree = sum(
        verdicts[done.scorer.sha256][p] == (int(Path(p).stem[-1]) % 2 == 0)
        for p in verdicts[done.scorer.sha256]
    )
    assert agree >= 6
    sentence = done.sentence()
    assert (
        sentence.startswith(f"{done.changed} photo") or sentence == "No photo changed its verdict"
    )


def test_retrain_sentence_in_words():
    from catgui.core.library.retrain import Retrained

    def said(changed, cat):
        return Retrained(None, None, changed, cat, changed - cat, 1).sentence()

    assert said(37, 30) == "37 photos changed: 30 now cat, 7 now not cat"
    assert said(1, 0) == "1 photo changed: 1 now not cat"
    assert said(2, 2) == "2 photos changed: 2 now cat"
    assert said(0, 0) == "No photo changed its verdict"


def test_retrain_on_a_busy_index_says_so(library, scorer, tiny_data):
    Corrections().add(library.parent / "photos" / "photo1.jpg", True)
    with Index(library, writable=True):  # a scan holds it
        with pytest.raises(CatguiError, match="busy"):
            run_to_end(
                retrain_steps(
                    library, scorer, library.parent / "m", DataRecipe(article_folder=tiny_data)
                )
            )
