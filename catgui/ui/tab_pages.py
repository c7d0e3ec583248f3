"""The main window's tabs, each built the first time it is needed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, QSignalBlocker, Signal
from PySide6.QtWidgets import QTabWidget, QWidget


@dataclass(frozen=True)
class TabSpec:
    """One tab: its :attr:`~catgui.ui.tab.Tab.NAME`, its title and how to build it."""

    name: str
    title: str
    make: Callable[[], QWidget]


class TabPages(QObject):
    """Fills ``tabs`` with one page per spec; a tab is built when it is first needed.

    Building a tab imports its modules and makes its widgets (the Train tab most of a
    quarter of a second): the window paints its first tab without the others. Until it
    is built, a tab's page is an empty placeholder; the tab is built, and put in its place
    (same position, same title, the current tab unchanged), when the user selects it, when
    :meth:`tab` asks for it, or when :meth:`build` is called (the window builds the Train
    tab after its first paint).

    Signals
    -------
    built(object)
        A tab was just built and is now a page of ``tabs``.
    """

    built = Signal(object)

    def __init__(self, tabs: QTabWidget, specs: Sequence[TabSpec]) -> None:
        super().__init__(tabs)
        self._tabs = tabs
        self._specs = list(specs)
        self._built: dict[str, QWidget] = {}
        for spec in self._specs:
            tabs.addTab(QWidget(objectName=f"{spec.name}Placeholder"), spec.title)
        tabs.currentChanged.connect(self._selected)

    @property
    def names(self) -> list[str]:
        """The tabs' names, in the order of the pages."""
        return [spec.name for spec in self._specs]

    def is_built(self, name: str) -> bool:
        return name in self._built

    def tab(self, name: str) -> QWidget:
        """The tab called ``name``, built now if it was not yet."""
        if name not in self._built:
            self.build(name)
        return self._built[name]

    def built_tabs(self) -> list[QWidget]:
        """The tabs built so far, in the order of the pages."""
        return [self._built[n] for n in self.names if n in self._built]

    def name_at(self, index: int) -> str:
        return self._specs[index].name

    def build(self, name: str) -> bool:
        """Build tab ``name`` and put it in its page; ``False`` if it was built already."""
        if name in self._built:
            return False
        index = self.names.index(name)
        spec = self._specs[index]
        tab = spec.make()
        self._built[name] = tab
        placeholder = self._tabs.widget(index)
        current = self._tabs.currentIndex()
        focus = self._tabs.tabBar().hasFocus()
        with QSignalBlocker(self._tabs):  # the current tab stays what it was
            self._tabs.removeTab(index)
            self._tabs.insertTab(index, tab, spec.title)
            self._tabs.setCurrentIndex(current)
        if focus:
            self._tabs.tabBar().setFocus()
        placeholder.deleteLater()
        self.built.emit(tab)
        return True

    def _selected(self, index: int) -> None:
        if 0 <= index < len(self._specs):
            self.build(self._specs[index].name)
