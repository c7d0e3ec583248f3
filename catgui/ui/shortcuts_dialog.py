"""Help ▸ Keyboard Shortcuts: every shortcut the window has, read from its actions."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

COLUMNS = ("Keys", "Does", "Where")


@dataclass(frozen=True)
class Shortcut:
    """One row of the list: the keys as the platform writes them, what they do, where."""

    keys: str
    does: str
    where: str


def _plain(text: str) -> str:
    """A menu text without its mnemonic ampersand and trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def _keys(sequences: list[QKeySequence]) -> str:
    shown = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences]
    return ", ".join(s for s in shown if s)


def _menu_of(action: QAction) -> str:
    """The menu bar's menu that shows ``action`` ("" when none does)."""
    for widget in action.associatedObjects():
        if isinstance(widget, QMenu) and widget.title():
            return _plain(widget.title())
    return ""


def _tab_of(obj: QObject, tabs: QTabWidget | None) -> str:
    """The title of the tab ``obj`` lives in ("" when it is in none)."""
    if tabs is None:
        return ""
    pages = [tabs.widget(i) for i in range(tabs.count())]
    node = obj.parent()
    while node is not None:
        if node in pages:
            return _plain(tabs.tabText(pages.index(node))) + " tab"
        node = node.parent()
    return ""


def shortcuts(window: QMainWindow) -> list[Shortcut]:
    """The window's shortcuts, from the real objects: its actions (menus first, in menu
    order), the actions and described ``QShortcut``\\ s of the tabs built so far, and the
    tabs' own Alt+letter keys (from their titles)."""
    tabs = window.findChild(QTabWidget, "tabs")
    found: list[Shortcut] = []
    seen: set[tuple[str, str]] = set()

    def add(keys: str, does: str, where: str) -> None:
        if keys and does and (keys, does) not in seen:
            seen.add((keys, does))
            found.append(Shortcut(keys, does, where))

    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    for menu in menus:
        for action in menu.actions():
            if not action.isSeparator():
                add(_keys(action.shortcuts()), _plain(action.text()), _plain(menu.title()))
    for action in window.findChildren(QAction):
        where = _menu_of(action) or _tab_of(action, tabs) or "The window"
        add(_keys(action.shortcuts()), _plain(action.text()), where)
    for shortcut in window.findChildren(QShortcut):
        where = _tab_of(shortcut, tabs) or "The window"
        add(_keys([shortcut.key()]), shortcut.whatsThis(), where)
    if tabs is not None:
        for i in range(tabs.count()):
            title = tabs.tabText(i)
            mnemonic = QKeySequence.mnemonic(title)
            add(_keys([mnemonic]), f"Show the {_plain(title)} tab", "The window")
    return found


class ShortcutsDialog(QDialog):
    """The list of :func:`shortcuts` in a table (window-modal; :meth:`open` does not block)."""

    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard Shortcuts")
        self.resize(580, 660)
        rows = shortcuts(window)
        self.table = QTableWidget(len(rows), len(COLUMNS), objectName="shortcutsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, shortcut in enumerate(rows):
            for column, text in enumerate((shortcut.keys, shortcut.does, shortcut.where)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        note = QLabel("A tab's shortcuts work while that tab is shown.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setWindowModality(Qt.WindowModality.WindowModal)

    def rows(self) -> list[tuple[str, str, str]]:
        """What the table shows, row by row (keys, does, where)."""
        return [
            tuple(self.table.item(r, c).text() for c in range(len(COLUMNS)))
            for r in range(self.table.rowCount())
        ]


def show_shortcuts(window: QMainWindow) -> ShortcutsDialog:
    """Help ▸ Keyboard Shortcuts: the list as the window is now (window-modal, not
    blocking; deleted when closed)."""
    dialog = ShortcutsDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
