"""The window follows the system palette: every tab, rendered dark and light, stays readable.

Each tab of the real window (a model trained through the Train tab, pictures listed in
Classify, the model's mistakes) is grabbed under a dark palette (Fusion, as a dark desktop
gives it) and under the light one, with the application's style sheet. In the grab, every
visible label, button, group title, tab, field, the progress bar's text and the painted
rows' words must reach the WCAG contrast ratio with the ground actually rendered behind
them (4.5, or 3 for large or bold-and-big text), and no panel may paint a light ground
under the dark palette. A last test starts the window at ``QT_SCALE_FACTOR=2``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QRect
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QStyle,
    QStyleOptionButton,
    QStyleOptionGroupBox,
    QWidget,
)

from catgui.ui import application
from catgui.ui.classify.result_delegate import ResultDelegate
from catgui.ui.common.contrast import BODY, LARGE
from catgui.ui.common.dark_palette import use_dark_palette
from catgui.ui.common.palette_follower import follow_palette
from catgui.ui.main_window import MainWindow
from catgui.ui.mistakes import delegate as mistake_card
from tests.contrast_helpers import ground as ground_of
from tests.contrast_helpers import ground_luminance, pixels, worst_text
from tests.data_helpers import ROOT

pytestmark = pytest.mark.gui
#: Under a dark palette no panel's ground may be lighter than this (WCAG luminance).
LIGHT_GROUND = 0.6


@pytest.fixture(params=["dark", "light", "switched"])
def look(request, qtbot):
    """The palette (and the app's own style sheet, kept in step with it as the app does)
    for one test; the old ones are put back.

    ``switched``: the window is built and filled in the light palette, then the palette
    turns dark (as when the desktop switches while catgui runs).
    """
    app = QApplication.instance()
    palette, style, sheet = app.palette(), app.style().name(), app.styleSheet()
    font = app.font()
    crisp = QFont(font)  # every pixel of a letter in the text's own colour: measurable
    crisp.setStyleStrategy(QFont.StyleStrategy.NoAntialias)
    app.setFont(crisp)
    if request.param == "dark":
        use_dark_palette(app)
    follower = follow_palette(app, lambda: application.apply_style_sheet(app))
    yield request.param
    follower.setParent(None)
    follower.deleteLater()
    app.setStyle(style)
    app.setPalette(palette)
    app.setStyleSheet(sheet)
    app.setFont(font)


def _pictures(folder: Path, count: int) -> list[str]:
    rng = np.random.default_rng(3)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"photo {i}.png"
        Image.fromarray(rng.integers(0, 256, (80, 90, 3), dtype=np.uint8)).save(path)
        paths.append(str(path))
    return paths


@pytest.fixture
def filled(qtbot, look, window, tmp_path) -> MainWindow:
    """The window after a short run, with pictures classified and the mistakes listed."""
    window.resize(1100, 720)
    window.show()
    qtbot.waitUntil(lambda: window.train_tab.plot_slot.is_built())
    tab = window.train_tab
    tab.form.set_field("hidden", "3")
    tab.form.set_field("iterations", "40")
    with qtbot.waitSignal(tab.runningChanged, timeout=30_000, check_params_cb=lambda r: not r):
        tab.start()
    window.add_paths(_pictures(tmp_path / "photos", 3))
    classify = window.classify_tab
    qtbot.waitUntil(
        lambda: not classify.is_busy() and classify.results.rowCount() == 3, timeout=30_000
    )
    window.tabs.setCurrentWidget(window.mistakes_tab)
    qtbot.waitUntil(lambda: window.mistakes_tab.view.model().rowCount() > 0, timeout=30_000)
    if look == "switched":
        use_dark_palette(QApplication.instance())
        qtbot.wait(50)
    return window


# -- what to look at -------------------------------------------------------------------------
def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) and widget.width() > 4 and widget.height() > 4


def _in_window(widget: QWidget, window: QWidget, rect: QRect | None = None) -> QRect:
    rect = widget.rect() if rect is None else rect
    return QRect(widget.mapTo(window, rect.topLeft()), rect.size())


def _needed(widget: QWidget) -> float:
    """4.5 for body text; 3 for large text (18 pt, or 14 pt bold)."""
    font = widget.font()
    size = font.pointSizeF()
    large = size >= 18 or (size >= 14 and font.bold())
    return LARGE if large else BODY


def _texts(page: QWidget, window: QWidget) -> list[tuple[str, QRect, float]]:
    """``(what, rect in the window, ratio needed)`` of every piece of text on ``page``."""
    found = []
    style = QApplication.style()
    for label in page.findChildren(QLabel):
        if _shown(label, window) and label.text().strip() and label.pixmap().isNull():
            rect = label.contentsRect()
            if "background" in label.styleSheet():  # a filled, rounded cell: not its corners
                rect = rect.adjusted(3, 3, -3, -3)
            found.append((f"label {label.objectName() or label.text()[:30]!r}", rect, label))
    for button in page.findChildren(QAbstractButton):
        if not _shown(button, window) or not button.text().strip() or not button.isEnabled():
            continue  # WCAG leaves disabled controls out
        if isinstance(button, QCheckBox):
            option = QStyleOptionButton()
            option.initFrom(button)
            rect = style.subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, button)
        else:
            rect = button.rect().adjusted(5, 5, -5, -5)
        found.append((f"button {button.text()!r}", rect, button))
    for box in page.findChildren(QGroupBox):
        if _shown(box, window) and box.title():
            option = QStyleOptionGroupBox()
            box.initStyleOption(option)
            rect = style.subControlRect(
                QStyle.ComplexControl.CC_GroupBox, option, QStyle.SubControl.SC_GroupBoxLabel, box
            )
            found.append((f"group {box.title()!r}", rect, box))
    for field in page.findChildren(QLineEdit):
        if _shown(field, window) and field.isEnabled() and field.text():
            found.append(
                (f"field {field.objectName()!r}", field.rect().adjusted(4, 4, -4, -4), field)
            )
    for combo in page.findChildren(QComboBox):
        if _shown(combo, window) and combo.isEnabled() and combo.currentText():
            found.append(
                (f"combo {combo.objectName()!r}", combo.rect().adjusted(4, 4, -24, -4), combo)
            )
    for bar in page.findChildren(QProgressBar):
        if _shown(bar, window) and bar.isTextVisible() and bar.text():
            found.append((f"progress {bar.objectName()!r}", bar.rect().adjusted(4, 3, -4, -3), bar))
    return [(what, _in_window(w, window, rect), _needed(w)) for what, rect, w in found]


def _panels(window: MainWindow) -> list[tuple[str, QWidget]]:
    names = (
        "runSummary", "trainProgress", "costPlot", "costPlotSlot", "classifyResults",
        "dropArea", "mistakesView", "mistakesSummary", "stopButton", "openFolderButton",
        "modelStatus",
    )  # fmt: skip
    return [(name, w) for name in names for w in window.findChildren(QWidget, name)]


def _row_words(window: MainWindow) -> list[tuple[str, QRect, float]]:
    """The painted words of the first Classify row and of the first mistake card."""
    found = []
    view = window.classify_tab.results_view
    if window.tabs.currentWidget() is window.classify_tab and view.model().rowCount():
        row = view.visualRect(view.model().index(0, 0))
        text = ResultDelegate.rects(row)["text"]
        font = view.font()
        bold = QFontMetrics(font).height() + 4  # name, folder, chip line: above the bar
        text.setHeight(3 * bold + 10)
        found.append(("classify row words", _in_window(view.viewport(), window, text), BODY))
    grid = window.mistakes_tab.view
    if window.tabs.currentWidget() is window.mistakes_tab and grid.model().rowCount():
        card = grid.visualRect(grid.model().index(0, 0))
        top = card.top() + mistake_card.PAD + mistake_card.IMAGE + 9
        words = QRect(
            card.left() + mistake_card.PAD, top, mistake_card.IMAGE, 3 * mistake_card.LINE
        )
        found.append(("mistake card words", _in_window(grid.viewport(), window, words), BODY))
    return found


def _measure(window: MainWindow, page: QWidget) -> tuple[list[str], float]:
    """What is unreadable on ``page`` (the current tab), and the worst ratio met."""
    grab = window.grab().toImage()
    scale = grab.devicePixelRatio()
    worst, problems = 21.0, []
    for what, rect, needed in _texts(page, window) + _row_words(window):
        scaled = QRect(
            *(round(v * scale) for v in (rect.x(), rect.y(), rect.width(), rect.height()))
        )
        region = pixels(grab, scaled)
        if region.size == 0:
            continue
        found = worst_text(region)
        worst = min(worst, found)
        if found < needed:
            problems.append(f"{what}: contrast {found:.2f} < {needed}")
            if os.environ.get("PALETTE_DUMP"):
                name = "".join(c for c in what if c.isalnum())[:40]
                Image.fromarray(np.repeat(np.repeat(region, 4, 0), 4, 1)).save(
                    Path(os.environ["PALETTE_DUMP"]) / f"{name}.png"
                )
    return problems, worst


def _light_panels(window: MainWindow, page: QWidget) -> list[str]:
    grab = window.grab().toImage()
    problems = []
    for name, widget in _panels(window):
        if widget is page or page.isAncestorOf(widget) or name == "modelStatus":
            if not _shown(widget, window):
                continue
            rect = _in_window(widget, window).adjusted(3, 3, -3, -3)
            lum = ground_luminance(pixels(grab, rect))
            if lum > LIGHT_GROUND:
                problems.append(f"{name}: a light ground (luminance {lum:.2f}) in the dark")
    return problems


@pytest.mark.parametrize("tab_name", ["train", "classify", "mistakes"])
def test_every_tab_is_readable_in_the_palette_it_is_given(qtbot, filled, look, tab_name):
    window = filled
    page = {t.NAME: t for t in window.all_tabs}[tab_name]
    window.tabs.setCurrentWidget(page)
    qtbot.wait(50)
    problems, worst = _measure(window, page)
    if look != "light":
        problems += _light_panels(window, page)
    print(f"{look} {tab_name}: worst text contrast {worst:.2f}")
    assert not problems, "\n".join(problems)


def test_the_window_scales_at_twice_the_pixels(tmp_path, tiny_data):
    """At ``QT_SCALE_FACTOR=2`` the window's grab has twice the pixels and no text is cut."""
    script = textwrap.dedent(
        """
        import json, sys
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication, QLabel, QPushButton
        from catgui.ui import application, style_sheet
        from catgui.ui.app_state import AppState
        from catgui.ui.common.elided_label import ElidedLabel
        from catgui.ui.main_window import MainWindow
        app = QApplication(sys.argv[:1])
        application.configure(app)
        state = AppState(sys.argv[1])
        state.open_dataset(sys.argv[3])
        window = MainWindow(state, QSettings(sys.argv[2], QSettings.Format.IniFormat))
        window.resize(1100, 720)
        window.show()
        for _ in range(20):
            app.processEvents()
        grab = window.grab()
        cut = []
        for tab in window.all_tabs:
            window.tabs.setCurrentWidget(tab)
            app.processEvents()
            for w in tab.findChildren(QPushButton):
                if w.isVisible() and w.text() and w.width() < w.minimumSizeHint().width():
                    cut.append(w.text())
            for w in tab.findChildren(QLabel):
                plain = w.text() and "<" not in w.text() and "\\n" not in w.text()
                if w.isVisible() and plain and not w.wordWrap() and not isinstance(w, ElidedLabel):
                    shown = w.text().replace("&", "") if w.buddy() else w.text()  # mnemonic
                    if w.fontMetrics().horizontalAdvance(shown) > w.contentsRect().width():
                        cut.append(w.text())
        print(json.dumps({
            "ratio": grab.devicePixelRatio(),
            "pixels": [grab.width(), grab.height()],
            "size": [window.width(), window.height()],
            "cut": cut,
        }))
        window.close()
        """
    )
    env = dict(os.environ, QT_SCALE_FACTOR="2", QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            str(tmp_path / "models"),
            str(tmp_path / "s.ini"),
            str(tiny_data),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=str(ROOT),
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["ratio"] == 2
    assert seen["pixels"] == [2 * seen["size"][0], 2 * seen["size"][1]]
    assert seen["cut"] == []


@pytest.mark.parametrize("look", ["light", "dark"], indirect=True)
def test_a_selected_row_and_its_correction_are_readable(qtbot, filled, look):
    """The blue selected row: its words, the correction note and *Undo* meet 4.5:1."""
    window = filled
    classify = window.classify_tab
    window.tabs.setCurrentWidget(classify)
    classify.corrections.correct_rows([0], True)
    view = classify.results_view
    view.setFocus()
    view.setCurrentIndex(classify.results.index(0))
    assert view.selectionModel().isSelected(classify.results.index(0))
    qtbot.wait(50)
    grab = window.grab().toImage()
    scale = grab.devicePixelRatio()
    row = view.visualRect(classify.results.index(0))
    parts = ResultDelegate.rects(row)
    words = QRect(parts["text"])
    words.setHeight(3 * (QFontMetrics(view.font()).height() + 4) + 10)
    problems = []
    for what, rect in (("row words", words), ("correction", parts["corrections"])):
        inside = _in_window(view.viewport(), window, rect)
        region = pixels(
            grab,
            QRect(
                *(
                    round(v * scale)
                    for v in (inside.x(), inside.y(), inside.width(), inside.height())
                )
            ),
        )
        base = view.palette().base().color()
        unselected = np.array([base.red(), base.green(), base.blue()])
        assert np.abs(ground_of(region).astype(int) - unselected).max() > 40, what  # selected
        found = worst_text(region)
        print(f"{look} selected {what}: worst contrast {found:.2f}")
        if os.environ.get("PALETTE_DUMP"):
            Image.fromarray(np.repeat(np.repeat(region, 2, 0), 2, 1)).save(
                Path(os.environ["PALETTE_DUMP"]) / f"selected-{look}-{what.replace(' ', '')}.png"
            )
        if found < BODY:
            problems.append(f"{what}: contrast {found:.2f} < {BODY}")
    assert not problems, "\n".join(problems)
