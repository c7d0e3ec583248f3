"""The map of the pictures: PCA points, hover shows a thumbnail, the lasso selects."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from catgui.core import projection


def _thumbnail(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format="PNG")
    return out.getvalue()


def test_pca_finds_the_spread_and_gives_the_same_map_every_time():
    rng = np.random.default_rng(0)
    n = 400
    x = rng.standard_normal((n, 30)) * 0.1
    x[:, 4] += np.repeat([-5.0, 5.0], n // 2)  # two clusters along one feature
    x[:, 9] += np.linspace(-2, 2, n)  # and a lesser trend along another
    fitted = projection.fit(x)
    assert fitted.explained[0] > 0.9 and 0 < fitted.explained[1] < fitted.explained[0]
    assert abs(fitted.axes[4, 0]) > 0.95 and abs(fitted.axes[9, 1]) > 0.9
    points = fitted.apply(x)
    assert points.shape == (n, 2) and points.dtype == np.float32
    assert np.all(points[: n // 2, 0] < 0) and np.all(points[n // 2 :, 0] > 0)
    assert np.array_equal(projection.map_points(x), projection.map_points(x.copy()))
    assert projection.map_points(np.empty((0, 30))).shape == (0, 2)
    with pytest.raises(ValueError):
        projection.fit(np.zeros(5))


def _mouse(widget, kind, point, buttons=Qt.MouseButton.NoButton, button=Qt.MouseButton.NoButton):
    pos = QPointF(point)
    event = QMouseEvent(
        kind, pos, widget.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, event)


@pytest.fixture
def picture_map(qtbot):
    from catgui.ui.library.map_view import PictureMap

    thumbs = {0: _thumbnail((255, 0, 0)), 1: _thumbnail((0, 255, 0))}
    view = PictureMap(thumbnail=thumbs.get)
    qtbot.addWidget(view)
    view.resize(600, 450)
    view.show()
    qtbot.waitExposed(view)
    rng = np.random.default_rng(1)
    points = np.concatenate(
        [[[0.0, 0.0], [10.0, 10.0]], rng.uniform(-10, -5, (40, 2)), rng.uniform(5, 8, (40, 2))]
    )
    verdicts = ["cat", "not cat"] + ["cat"] * 40 + ["unsure"] * 40
    names = [f"/photos/p{i}.jpg" for i in range(len(points))]
    view.set_points(points, verdicts, names)
    view.draw()
    return view


def test_hovering_a_point_shows_its_thumbnail_and_leaving_hides_it(picture_map, qtbot):
    view = picture_map
    spot = view.screen_point(0)
    with qtbot.waitSignal(view.hovered) as hovered:
        _mouse(view, QMouseEvent.Type.MouseMove, spot)
    assert hovered.args == [0]
    assert view.tip.isVisible()
    assert view.tip.pixmap().size().width() == 40  # the thumbnail itself
    assert view.tip.accessibleName() == "p0.jpg: cat"
    _mouse(view, QMouseEvent.Type.MouseMove, view.screen_point(1))
    assert view.hovered_row == 1 and view.tip.toolTip() == "p1.jpg"
    far = view.screen_point(0)
    far.setX(far.x() + 40)  # open space between the clusters
    _mouse(view, QMouseEvent.Type.MouseMove, far)
    assert view.hovered_row == -1 and not view.tip.isVisible()
    _mouse(view, QMouseEvent.Type.MouseMove, view.screen_point(5))  # no thumbnail: the name
    assert view.tip.isVisible() and view.tip.text() == "p5.jpg"


def test_a_lasso_around_a_cluster_selects_exactly_its_points(picture_map, qtbot):
    view = picture_map
    corners = [(-10.5, -10.5), (-4.5, -10.5), (-4.5, -4.5), (-10.5, -4.5), (-10.5, -10.4)]
    screen = []
    for x, y in corners:
        view.points = np.concatenate([view.points, [[x, y]]]).astype(np.float32)
        screen.append(view.screen_point(len(view.points) - 1))
        view.points = view.points[:-1]
    left = Qt.MouseButton.LeftButton
    _mouse(view, QMouseEvent.Type.MouseButtonPress, screen[0], left, left)
    for spot in screen[1:]:
        _mouse(view, QMouseEvent.Type.MouseMove, spot, left)
    with qtbot.waitSignal(view.selected) as chosen:
        _mouse(view, QMouseEvent.Type.MouseButtonRelease, screen[-1], Qt.MouseButton.NoButton, left)
    assert chosen.args[0] == list(range(2, 42))
    assert view.chosen == list(range(2, 42))
    assert len(view._marked.get_offsets()) == 40  # the selection is drawn


def test_set_points_refuses_what_does_not_fit(picture_map):
    with pytest.raises(ValueError):
        picture_map.set_points(np.zeros((3, 2)), ["cat"] * 2, ["a", "b", "c"])
    with pytest.raises(ValueError):
        picture_map.set_points(np.zeros((1, 2)), ["dog"], ["a"])
    picture_map.set_points(np.zeros((0, 2)), [], [])
    assert picture_map.point_at(10, 10) == -1
