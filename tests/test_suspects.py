"""Suspicious labels: confident learning on cross-validated P(cat), the command's JSON,
the label fixes kept beside the data, and training with them."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from catgui import cli
from catgui.core import backbone, suspects
from catgui.core.label_fixes import LabelFixes, SetFixes, picture_keys
from catgui.core.sources import DataRecipe, prepare
from catgui.core.steps import run_to_end
from tests.suspects_helpers import FLIPPED, flipped_h5_pair, misfiled_folder

needs_backbone = pytest.mark.skipif(
    backbone.unavailable() is not None, reason="the pretrained weights are missing"
)


def test_confident_learning_by_hand():
    # thresholds: mean P(not cat) of the non-cats, mean P(cat) of the cats
    p = np.array([0.1, 0.2, 0.9, 0.9, 0.8, 0.05, 0.55])
    y = np.array([0, 0, 0, 1, 1, 1, 0])
    flagged, (t0, t1) = suspects.confident_issues(p, y)
    assert t0 == pytest.approx(np.mean([0.9, 0.8, 0.1, 0.45]))  # 0.5625
    assert t1 == pytest.approx(np.mean([0.9, 0.8, 0.05]))  # 0.5833
    # #2 (non-cat, P(cat) .9 >= t1) and #5 (cat, P(not cat) .95 >= t0) are disputed;
    # #6 (.55) reaches neither threshold: unsure, not confidently mislabelled
    assert flagged.tolist() == [5, 2]  # worst first: self-confidence .05, then .1
    with pytest.raises(Exception, match="both classes"):
        suspects.confident_issues(p[:3], np.zeros(3))


@needs_backbone
def test_flipped_labels_are_flagged_worst_first(tmp_path):
    pictures = suspects.article_pictures(flipped_h5_pair(tmp_path / "data"))
    found = run_to_end(suspects.find_steps(pictures))
    assert sorted(s.position for s in found.suspects) == sorted(FLIPPED)
    confidences = [s.self_confidence for s in found.suspects]
    assert confidences == sorted(confidences) and confidences[0] < 0.5
    assert found.probabilities.shape == (40,)
    # the out-of-fold probabilities are the chosen setting's, from head.cross_validate
    assert found.chosen.held_out is not None and np.allclose(
        found.chosen.held_out, found.probabilities
    )
    others = found.least_agreed(5)
    assert len(others) == 5 and not {s.position for s in others} & set(FLIPPED)
    own = [s.self_confidence for s in others]
    assert own == sorted(own)
    for s in found.suspects:
        assert s.as_dict() == {
            "index": s.position,
            "label": "cat" if s.label else "non-cat",
            "probability": s.probability,
        }


@needs_backbone
def test_suspects_json_for_the_article_s_files_and_a_folder(tmp_path, capsys):
    data = flipped_h5_pair(tmp_path / "data")
    assert cli.main(["suspects", "--data", str(data), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert sorted(d["index"] for d in out) == sorted(FLIPPED)
    assert all(set(d) == {"index", "label", "probability"} for d in out)
    assert cli.main(["suspects", "--data", str(data), "--top", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == out[:1]
    assert cli.main(["suspects", "--data", str(data)]) == 0
    text = capsys.readouterr().out.splitlines()
    assert text[0].startswith("2 of 40 training pictures flagged (confident learning")
    assert text[1].startswith(f"article train #{out[0]['index']}\tlabelled ")

    folder, wrong = misfiled_folder(tmp_path / "photos")
    assert cli.main(["suspects", "--images", str(folder), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out[0] == {
        "path": str(wrong.resolve()),
        "label": "non-cat",
        "probability": out[0]["probability"],
    }
    assert out[0]["probability"] > 0.5
    assert cli.main(["suspects", "--images", str(tmp_path / "nowhere"), "--json"]) == 1
    assert "nowhere" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["suspects", "--data", str(data), "--images", str(folder)])
    assert cli.main(["suspects", "--data", str(data), "--model", "dnn", "--json"]) == 1
    assert "judged by the pretrained kind" in capsys.readouterr().err


def test_label_fixes_are_kept_atomically_undone_and_never_trusted(tmp_path):
    fixes = LabelFixes(tmp_path / "fixes.json")
    assert fixes.digest() == "" and len(fixes.of("article:x")) == 0
    fixes.set("article:x", "0123456789abcdef", 1)
    fixes.set("article:x", "fedcba9876543210", "exclude")
    fixes.set("folder:/p", "0123456789abcdef", 0)
    first = fixes.digest()
    assert fixes.of("article:x").relabel == {"0123456789abcdef": 1}
    assert fixes.of("article:x").exclude == {"fedcba9876543210"}
    assert fixes.of("folder:/p").state("0123456789abcdef") == 0
    fixes.set("article:x", "fedcba9876543210", None)  # undo
    assert fixes.of("article:x").state("fedcba9876543210") is None and fixes.digest() != first
    assert [p.name for p in tmp_path.iterdir()] == ["fixes.json"]  # no temporary left
    with pytest.raises(ValueError):
        fixes.set("article:x", "../../etc", 1)
    # damaged entries are dropped, a damaged file is read as no fixes
    doc = json.loads((tmp_path / "fixes.json").read_text())
    doc["sets"]["article:x"]["relabel"]["nothex!nothex!00"] = 1
    doc["sets"]["article:x"]["relabel"]["aaaaaaaaaaaaaaaa"] = 7
    doc["sets"]["article:x"]["exclude"] = "everything"
    (tmp_path / "fixes.json").write_text(json.dumps(doc))
    assert fixes.of("article:x").relabel == {"0123456789abcdef": 1}
    assert fixes.of("article:x").exclude == set()
    (tmp_path / "fixes.json").write_bytes(b"\x00garbage")
    assert fixes.digest() == "" and len(fixes.of("folder:/p")) == 0


def test_set_fixes_apply_to_pictures():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 255, size=(4, 64, 64, 3), dtype=np.uint8)
    y = np.array([0, 1, 0, 1])
    keys = picture_keys(x)
    fixes = SetFixes({keys[0]: 1, keys[1]: 1}, {keys[3]})
    fx, fy, names, relabelled, excluded = fixes.apply(x, y, ["a", "b", "c", "d"])
    assert (relabelled, excluded) == (1, 1)  # b was a cat already
    assert fy.tolist() == [1, 1, 0] and names == ["a", "b", "c"] and len(fx) == 3
    assert y.tolist() == [0, 1, 0, 1]  # the caller's labels untouched


def test_training_data_uses_the_fixes_of_its_data_set_and_the_h5_is_untouched(tmp_path):
    data = flipped_h5_pair(tmp_path / "data")
    before = (data / "train_catvnoncat.h5").read_bytes()
    plain = prepare(DataRecipe(article_folder=data))
    pictures = suspects.article_pictures(data)
    keys = pictures.keys
    store = LabelFixes()
    store.set(pictures.set_key, keys[3], int(1 - pictures.y[3]))
    store.set(pictures.set_key, keys[10], "exclude")
    store.set("article:another-data-set", keys[5], "exclude")  # not this one: ignored
    fixed = prepare(DataRecipe(article_folder=data))
    assert len(fixed.train) == 39 and len(plain.train) == 40
    assert fixed.train.y[3] == 1 - plain.train.y[3]
    assert "article train #10" not in fixed.train_names
    assert any("1 training picture(s) relabelled, 1 excluded" in n for n in fixed.notes)
    assert len(prepare(DataRecipe(article_folder=data, label_fixes=False)).train) == 40
    assert (data / "train_catvnoncat.h5").read_bytes() == before
    assert len(fixed.test) == len(plain.test) == 10  # the test pictures are never changed


@needs_backbone
def test_accuracy_before_and_after_the_fixes(tmp_path):
    data = flipped_h5_pair(tmp_path / "data", flips=(1, 3, 5, 7, 10, 12))
    pictures = suspects.article_pictures(data)
    found = run_to_end(suspects.find_steps(pictures))
    keys = pictures.keys
    fixes = SetFixes({s.key: 1 - s.label for s in found.suspects}, set())
    steps = []
    result = run_to_end(suspects.compare_steps(pictures, fixes), steps.append)
    assert result.relabelled == len(found.suspects) and result.excluded == 0
    assert result.tested == 10 and 0 <= result.before <= result.after <= 1
    assert {s[0] for s in steps} >= {"reading", "training before", "training after"}
    assert result.sentence().startswith(f"Test accuracy {100 * result.before:.1f} % before")
    assert keys == picture_keys(pictures.x)


def test_a_folder_data_set_s_fixes_follow_its_pictures(tmp_path):
    folder, _wrong = misfiled_folder(tmp_path / "photos")
    recipe = DataRecipe(images=folder, test_from="holdout", holdout=0.2, corrections=False)
    plain = prepare(recipe)
    pictures = run_to_end(suspects.folder_pictures(folder))
    name = plain.train_names[0]  # a picture of the training part
    where = pictures.names.index(name)
    LabelFixes().set(pictures.set_key, pictures.keys[where], int(1 - pictures.y[where]))
    fixed = prepare(recipe)
    assert fixed.train_names == plain.train_names
    assert (
        fixed.train.y[0] == 1 - plain.train.y[0] and (fixed.train.y[1:] == plain.train.y[1:]).all()
    )
    assert any("1 training picture(s) relabelled" in n for n in fixed.notes)
    assert list(fixed.test.y) == list(plain.test.y)  # test labels are never changed
    # another folder with the same pictures is another data set: not fixed
    other = tmp_path / "copy"
    shutil.copytree(folder, other)
    again = prepare(DataRecipe(images=other, test_from="holdout", corrections=False))
    assert not any("relabelled" in n for n in again.notes)
