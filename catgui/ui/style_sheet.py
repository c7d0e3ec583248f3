"""The application's style sheet, its colours taken from the palette in use."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QPalette

from catgui.ui.common import tones
from catgui.ui.common.contrast import blend, readable

_TOKEN = re.compile(r"@([a-z-]+)@")
#: The progress bar's chunk on a light palette; on a dark one a blue dark enough for light text.
CHUNK = "#9fcbff"


def colours(palette: QPalette) -> dict[str, str]:
    """The ``@name@`` colours of ``resources/style.qss`` for ``palette``."""
    role = QPalette.ColorRole
    faded, faded_text = tones.primary_faded(palette)
    disabled = QColor(palette.color(role.Text))
    disabled.setAlphaF(0.38)
    return {
        "primary": tones.PRIMARY,
        "primary-hover": tones.PRIMARY_HOVER,
        "primary-pressed": tones.PRIMARY_PRESSED,
        "primary-faded": faded,
        "primary-faded-text": faded_text,
        "stop": tones.tone(tones.RED, palette, role.Base),
        "disabled": blend(disabled, palette.color(role.Base)).name(),
        "link": tones.tone(tones.ACCENT, palette),
        "hairline": tones.hairline(palette),
        "panel-border": tones.hairline(palette, role.AlternateBase),
        "chunk": readable(CHUNK, palette.color(role.Text)).name(),
    }


def signature(palette: QPalette) -> str:
    """The palette's colours in one string: a sheet must be set again when it changes."""
    return " ".join(
        palette.color(group, role).name()
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Disabled)
        for role in QPalette.ColorRole
        if role != QPalette.ColorRole.NColorRoles
    )


def render(template: str, palette: QPalette) -> str:
    """``template`` with every ``@name@`` replaced by its colour for ``palette``."""
    found = colours(palette)
    return _TOKEN.sub(lambda m: found[m.group(1)], template)
