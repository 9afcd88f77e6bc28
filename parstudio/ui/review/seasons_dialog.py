"""The “Seasons…” dialog: a PAR setting's flex PAR calendar, edited beside its own levels."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.catalog import ParSettingRecord
from parstudio.domain.enums import Method
from parstudio.domain.errors import ParStudioError
from parstudio.domain.flexpar import SeasonalLevel
from parstudio.domain.replenishment import format_quantity as fq
from parstudio.services.core.database import Database
from parstudio.services.review import seasons
from parstudio.ui.kit.dialogs import ERROR_STYLE
from parstudio.ui.kit.errors import show_error
from parstudio.ui.kit.geometry import fit_and_remember

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
COLUMNS = ("Season", "From", "To", "Levels")


class DayMonth(QWidget):
    """A day spin box and a month combo: one recurring day of the year."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.day = QSpinBox(self)
        self.day.setRange(1, 31)
        self.month = QComboBox(self)
        self.month.addItems(MONTH_NAMES)
        layout.addWidget(self.day)
        layout.addWidget(self.month, 1)

    def set(self, month: int, day: int) -> None:
        """Show a month (1–12) and day."""
        self.month.setCurrentIndex(month - 1)
        self.day.setValue(day)

    def values(self) -> tuple[int, int]:
        """(month, day)."""
        return self.month.currentIndex() + 1, self.day.value()


class SeasonsDialog(QDialog):
    """List, add, change and remove the seasons of one PAR setting."""

    def __init__(self, parent: QWidget | None, db: Database, setting: ParSettingRecord) -> None:
        super().__init__(parent)
        self.db = db
        self.setting = setting
        self.rows: list[SeasonalLevel] = []
        self.changed = False
        self.setWindowTitle(f"Seasons of {setting.item_code} at {setting.location_code}")
        fit_and_remember(self, "seasons", QSize(640, 520))

        intro = QLabel(self)
        intro.setWordWrap(True)
        intro.setText(
            f"<b>{setting.item_code}</b> {setting.description}<br>"
            f"Own levels: {self._own_levels()}. A season replaces them, or multiplies them by a "
            "factor, on its dates every year (proposals use the level in force on their day)."
        )
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("seasons_table")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)

        self.name = QLineEdit(self)
        self.name.setPlaceholderText("e.g. winter")
        self.start = DayMonth(self)
        self.end = DayMonth(self)
        self.by_factor = QRadioButton("Multiply own levels by", self)
        self.by_fixed = QRadioButton("Use fixed levels", self)
        group = QButtonGroup(self)
        group.addButton(self.by_factor)
        group.addButton(self.by_fixed)
        self.factor = self._number("1.3")
        self.par = self._number("PAR")
        self.min = self._number("Min")
        self.max = self._number("Max")
        factor_row = QHBoxLayout()
        factor_row.addWidget(self.by_factor)
        factor_row.addWidget(self.factor)
        factor_row.addStretch(1)
        fixed_row = QHBoxLayout()
        fixed_row.addWidget(self.by_fixed)
        if setting.method == Method.MIN_MAX:
            fixed_row.addWidget(self.min)
            fixed_row.addWidget(self.max)
            self.par.setVisible(False)
        else:
            fixed_row.addWidget(self.par)
            self.min.setVisible(False)
            self.max.setVisible(False)
        fixed_row.addStretch(1)
        self.by_factor.toggled.connect(self._kind_changed)
        self.by_factor.setChecked(True)

        form = QFormLayout()
        form.addRow("Name:", self.name)
        form.addRow("From:", self.start)
        form.addRow("To (inclusive):", self.end)
        form.addRow("Levels:", factor_row)
        form.addRow("", fixed_row)
        self.error = QLabel(self)
        self.error.setObjectName("season_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)

        self.add_button = QPushButton("Add season", self)
        self.save_button = QPushButton("Save changes", self)
        self.remove_button = QPushButton("Remove", self)
        self.add_button.clicked.connect(self.add)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        actions = QHBoxLayout()
        actions.addWidget(self.add_button)
        actions.addWidget(self.save_button)
        actions.addWidget(self.remove_button)
        actions.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(actions)
        layout.addWidget(close)
        self.start.set(12, 1)
        self.end.set(2, 28)
        self.reload()

    # -- reading
    def _own_levels(self) -> str:
        s = self.setting
        if s.method == Method.MIN_MAX:
            return f"Min {_q(s.min_level)}, Max {_q(s.max_level)}"
        return f"PAR {_q(s.par_level)}"

    def _number(self, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setPlaceholderText(placeholder)
        edit.setMaximumWidth(90)
        return edit

    def reload(self) -> None:
        """Read the seasons again and show them in date order."""
        self.rows = seasons.list_seasons(self.db, setting_id=self.setting.id)
        self.table.setRowCount(len(self.rows))
        for row, season in enumerate(self.rows):
            first, last = season.range_label.split(" – ")
            for column, text in enumerate((season.name, first, last, season.levels_label)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
        self._update_buttons()

    def current(self) -> SeasonalLevel | None:
        """The season of the selected row."""
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _selected(self) -> None:
        season = self.current()
        self._update_buttons()
        if season is None:
            return
        self.name.setText(season.name)
        self.start.set(season.start_month, season.start_day)
        self.end.set(season.end_month, season.end_day)
        self.by_factor.setChecked(season.factor is not None)
        self.by_fixed.setChecked(season.factor is None)
        self.factor.setText(_q(season.factor))
        self.par.setText(_q(season.par_level))
        self.min.setText(_q(season.min_level))
        self.max.setText(_q(season.max_level))
        self.error.clear()

    def _kind_changed(self, by_factor: bool) -> None:
        self.factor.setEnabled(by_factor)
        for edit in (self.par, self.min, self.max):
            edit.setEnabled(not by_factor)

    def _update_buttons(self) -> None:
        chosen = self.current() is not None
        self.save_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def fields(self) -> dict[str, Any]:
        """The form as service fields."""
        (start_month, start_day), (end_month, end_day) = self.start.values(), self.end.values()
        values: dict[str, Any] = {
            "name": self.name.text(),
            "start_month": start_month,
            "start_day": start_day,
            "end_month": end_month,
            "end_day": end_day,
        }
        if self.by_factor.isChecked():
            values |= {"factor": self.factor.text()}
        elif self.setting.method == Method.MIN_MAX:
            values |= {"factor": None, "min_level": self.min.text(), "max_level": self.max.text()}
        else:
            values |= {"factor": None, "par_level": self.par.text()}
        return values

    # -- writing
    def add(self) -> bool:
        """Add the season in the form."""
        return self._run(
            lambda: seasons.add_season(self.db, setting_id=self.setting.id, fields=self.fields())
        )

    def save(self) -> bool:
        """Save the form over the selected season."""
        season = self.current()
        if season is None or season.id is None:
            return False
        season_id, version = season.id, season.version
        return self._run(
            lambda: seasons.update_season(
                self.db, season_id=season_id, changes=self.fields(), expected_version=version
            )
        )

    def remove(self) -> bool:
        """Remove the selected season."""
        season = self.current()
        if season is None or season.id is None:
            return False
        season_id = season.id
        return self._run(lambda: seasons.delete_season(self.db, season_id=season_id))

    def _run(self, action: Any) -> bool:
        try:
            action()
        except ParStudioError as exc:
            self.error.setText(exc.message)
            return False
        except Exception as exc:  # shown with details and logged by the one error boundary
            show_error(self, exc)
            return False
        self.error.clear()
        self.changed = True
        self.reload()
        return True


def _q(value: Any) -> str:
    return "" if value is None else fq(value)
