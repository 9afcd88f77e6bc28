"""A button whose menu ticks one or more locations (none ticked: all of them)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget


class LocationsButton(QToolButton):
    """Several locations chosen at once: each is a checkable entry of the button's menu."""

    changed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("locations")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMinimumWidth(200)
        self.setToolTip("Tick one or more locations; none ticked is all of them")
        self.menu_of_places = QMenu(self)
        self.setMenu(self.menu_of_places)
        self.everywhere = QAction("All locations", self)
        self.everywhere.triggered.connect(lambda: self.choose([]))
        self.place_actions: list[QAction] = []
        self._label()

    def set_places(self, places: Sequence[tuple[str, str]]) -> None:
        """The (code, name) of the locations to choose from; those ticked before stay ticked."""
        chosen = set(self.codes())
        self.menu_of_places.clear()
        self.menu_of_places.addAction(self.everywhere)
        self.menu_of_places.addSeparator()
        self.place_actions = []
        for code, name in places:
            action = QAction(f"{code} — {name}", self.menu_of_places)
            action.setCheckable(True)
            action.setChecked(code in chosen)
            action.setData(code)
            action.toggled.connect(lambda _on: self._changed())
            self.menu_of_places.addAction(action)
            self.place_actions.append(action)
        self._label()

    def codes(self) -> tuple[str, ...]:
        """The codes of the locations ticked (none: all)."""
        return tuple(str(a.data()) for a in self.place_actions if a.isChecked())

    def choose(self, codes: Sequence[str]) -> None:
        """Tick exactly these locations (none: all), then say so once."""
        for action in self.place_actions:
            action.blockSignals(True)
            action.setChecked(action.data() in codes)
            action.blockSignals(False)
        self._changed()

    def _changed(self) -> None:
        self._label()
        self.changed.emit()

    def _label(self) -> None:
        codes = self.codes()
        if not codes:
            text = "All locations"
        elif len(codes) <= 3:
            text = ", ".join(codes)
        else:
            text = f"{len(codes)} locations"
        self.setText(text)
