"""The contrast arithmetic behind the palette: the WCAG formula, the helpers that measure a
grab, named colours made readable on any ground, the chips' ink and the style sheet's colours
in the light and the dark palette.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from catgui.ui import style_sheet
from catgui.ui.common import tones
from catgui.ui.common.contrast import BODY, contrast_ratio, is_dark, luminance, readable
from catgui.ui.common.dark_palette import dark_palette
from tests.contrast_helpers import ground_luminance, pixels, worst_text
from tests.data_helpers import ROOT

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _application(qapp):
    """A QApplication for ``QApplication.style()``, whatever ran (or did not run) before."""
    return qapp


def test_qimage_helpers_read_what_was_painted():
    """The measuring helpers: black text on white is 21:1, a mid grey on white about 3.5."""
    image = QImage(40, 20, QImage.Format.Format_RGB888)
    image.fill(Qt.GlobalColor.white)
    image.setPixelColor(QPoint(5, 5), Qt.GlobalColor.black)
    region = pixels(image)
    region[8:14, 10:16] = 0x8E
    assert ground_luminance(region) == pytest.approx(1.0)
    assert worst_text(region) == pytest.approx(3.29, abs=0.05)
    region[:] = 0xFF
    region[8:14, 10:16] = 0xF8  # text the colour of the ground does not pass for no text
    assert worst_text(region) < 1.1


def test_contrast_helpers_follow_the_wcag_formula():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert luminance("#ffffff") == pytest.approx(1.0)
    assert is_dark(dark_palette()) and not is_dark(QApplication.style().standardPalette())


@pytest.mark.parametrize("colour", [tones.RED, tones.CAT, tones.NON_CAT, tones.AMBER, "#8e8e93"])
@pytest.mark.parametrize("ground", ["#ffffff", "#efefef", "#2b2b2e", "#1e1e20"])
def test_a_named_colour_is_made_readable_on_any_ground_keeping_its_hue(colour, ground):
    made = readable(colour, ground)
    assert contrast_ratio(made, ground) >= BODY
    if QColor(colour).hslHue() >= 0:
        assert abs(made.hslHue() - QColor(colour).hslHue()) <= 3
    if contrast_ratio(colour, ground) >= BODY:
        assert made.name() == QColor(colour).name()  # already readable: unchanged


def test_chips_take_white_text_where_it_reads_else_dark():
    assert tones.ink_on(tones.NON_CAT) == tones.LIGHT_INK
    assert tones.ink_on(tones.CAT) == tones.LIGHT_INK
    assert tones.ink_on(tones.AMBER) == tones.DARK_INK
    for fill in (tones.CAT, tones.NON_CAT, tones.AMBER, tones.WRONG, tones.LATE, tones.PRIMARY):
        assert contrast_ratio(tones.ink_on(fill), fill) >= BODY


@pytest.mark.parametrize("dark", [False, True])
def test_the_style_sheet_has_a_colour_for_every_name(dark):
    palette = dark_palette() if dark else QApplication.style().standardPalette()
    template = (ROOT / "resources" / "style.qss").read_text(encoding="utf-8")
    sheet = style_sheet.render(template, palette)
    assert "@" not in sheet
    colours = style_sheet.colours(palette)
    text = palette.color(QPalette.ColorRole.Text)
    assert contrast_ratio(colours["chunk"], text) >= BODY  # the progress text on its chunk
    assert contrast_ratio(colours["stop"], palette.color(QPalette.ColorRole.Base)) >= BODY
