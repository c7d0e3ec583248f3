"""The Library tab's map and *Duplicates* filter, on an index of real photos and copies."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from catgui.core.library import index as library_index
from tests.data_helpers import ROOT
from tests.library_helpers import PHOTO_MODEL, needs_photo_model, real_photos, scan

pytestmark = needs_photo_model


def _library(root, scorer):
    """Real photos, three changed copies of one of them and a second file of another."""
    from PIL import Image, ImageOps

    cats, dogs = real_photos(root, 4, 4)
    with Image.open(cats[2]) as opened:
        img = opened.convert("RGB")
    w, h = img.size
    copies = root / "copies"
    copies.mkdir()
    ImageOps.mirror(img).save(copies / "mirrored.jpg")
    img.resize((w // 2, h // 2)).save(copies / "small.png")
    img.crop((w // 20, h // 20, w - w // 20, h - h // 20)).save(copies / "cropped.jpg")
    (copies / "same.jpg").write_bytes(dogs[3].read_bytes())
    scan(library_index.default_path(), [root], scorer)
    group = [str(root / cats[2].name)] + [str(copies / n) for n in ("mirrored.jpg", "small.png")]
    group.append(str(copies / "cropped.jpg"))
    return sorted(group), sorted([str(root / dogs[3].name), str(copies / "same.jpg")])


@pytest.fixture
def tab(qtbot, scorer, tmp_path):
    from catgui.core import paths, persistence
    from catgui.ui.app_state import AppState
    from catgui.ui.library.tab import LibraryTab

    groups = _library(tmp_path / "photos", scorer)
    state = AppState(paths.models_dir())
    state.set_model(persistence.load(PHOTO_MODEL))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    library = LibraryTab(state, settings)
    qtbot.addWidget(library)
    library.resize(1100, 650)
    library.show()
    qtbot.waitUntil(
        lambda: (
            library.likeness.data is not None
            and not library.likeness.is_busy()
            and not library.follower.is_busy()
            and not library.browser.is_busy()
            and library.browser.shown_view == library.browser.view
        ),
        timeout=30_000,
    )
    yield library, groups
    library.shutdown()


def _shown(library) -> list[str]:
    return [library.model.item(r).path for r in range(library.model.rowCount())]


def test_the_duplicates_filter_shows_each_group_together(qtbot, tab):
    library, (copies, same_bytes) = tab
    assert library.browser.counts["duplicates"] == len(copies) + len(same_bytes) == 6
    library.filters.buttons["duplicates"].click()
    qtbot.waitUntil(lambda: library.model.rowCount() == 6 and not library.browser.is_busy())
    shown = _shown(library)
    assert sorted(shown) == sorted(copies + same_bytes)
    # each group's files next to each other, whatever the order chosen
    where = [shown.index(p) for p in copies]
    assert max(where) - min(where) == len(copies) - 1
    assert library.filters.buttons["duplicates"].text().startswith("Duplicates")


def test_the_map_shows_every_picture_and_its_lasso_selects_in_the_grid(qtbot, tab):
    library, (copies, _same) = tab
    data = library.likeness.data
    assert data is not None and len(data.hashes) == 8 + 3  # same bytes: one content
    picture_map = library.likeness.map
    assert picture_map.isVisible() and len(picture_map.points) == len(data.hashes)
    assert set(picture_map.verdicts) <= {"cat", "not cat", "unsure"}  # the active model's
    rows = [i for i, p in enumerate(data.paths) if p in copies]
    picture_map.selected.emit(rows)  # what the lasso emits
    chosen = sorted(item.path for item in library.selected_items())
    assert chosen == copies  # one point per picture: all four files selected
    # hovering a point reads its thumbnail from the index
    thumb = picture_map.thumbnail(rows[0])
    assert thumb is not None and thumb.startswith(b"\xff\xd8")


def test_pictures_selected_in_the_grid_are_ringed_on_the_map(qtbot, tab):
    library, (copies, same_bytes) = tab
    data, picture_map = library.likeness.data, library.likeness.map
    library.select_paths(same_bytes)  # two files, one content: one point
    qtbot.waitUntil(lambda: len(picture_map.chosen) == 1)
    (row,) = picture_map.chosen
    assert data.hashes[row] == library.selected_items()[0].hash
    library.select_paths(copies)
    qtbot.waitUntil(lambda: len(picture_map.chosen) == 4)
    assert {data.paths[r] for r in picture_map.chosen} == set(copies)
    library.grid.clearSelection()
    qtbot.waitUntil(lambda: picture_map.chosen == [])


def test_the_map_takes_the_colours_of_a_new_active_model_once_it_has_scored(qtbot, tab):
    from catgui.core import persistence

    library, _groups = tab
    before = list(library.likeness.map.verdicts)
    zero_shot = persistence.load(ROOT / "models" / "zero-shot.npz")
    with qtbot.waitSignal(library.likeness.loaded, timeout=30_000):
        library.state.set_model(zero_shot)  # the index has no scores of it yet
    qtbot.waitUntil(lambda: not library.likeness.is_busy(), timeout=30_000)
    after = library.likeness.map.verdicts
    assert "not scored" not in after and len(after) == len(before)
    assert library.likeness.data.probabilities.tolist() != []


def test_a_new_model_recolours_the_map_without_reading_it_again(qtbot, tab, monkeypatch):
    from catgui.core import persistence
    from catgui.core.library import similar

    library, (copies, _same) = tab
    data = library.likeness.data
    rows = [i for i, p in enumerate(data.paths) if p in copies]
    library.likeness.map.select(rows)  # a lasso's selection stays through the new colours
    reads = []
    whole = similar.likeness_steps
    monkeypatch.setattr(similar, "likeness_steps", lambda *a: reads.append(a) or whole(*a))
    zero_shot = persistence.load(ROOT / "models" / "zero-shot.npz")
    with qtbot.waitSignal(library.likeness.loaded, timeout=30_000):
        library.state.set_model(zero_shot)
    qtbot.waitUntil(lambda: not library.likeness.is_busy(), timeout=30_000)
    assert reads == []  # neither the groups nor the places were read again
    now = library.likeness.data
    assert now.hashes == data.hashes and now.points is data.points
    assert not (now.probabilities == data.probabilities).all()  # the new model's scores
    assert library.likeness.map.verdicts == now.verdicts()
    assert library.likeness.map.chosen == sorted(rows)
