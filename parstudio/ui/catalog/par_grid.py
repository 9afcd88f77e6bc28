"""The PAR grid's model and cell editors: one location's settings, every field in its cell."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from parstudio.domain.catalog import ParSettingRecord
from parstudio.domain.errors import ConflictError, ParStudioError
from parstudio.domain.fields import PAR_FIELDS, FieldSpec, Kind
from parstudio.services.catalog import par_settings
from parstudio.services.core.database import Database
from parstudio.ui.kit.formatting import edit_text, is_numeric, sort_key
from parstudio.ui.kit.table_models import INACTIVE_COLOUR, RecordTableModel
from parstudio.ui.kit.validation import check_as_typed

AnyIndex = QModelIndex | QPersistentModelIndex
READ_ONLY = (
    FieldSpec("item_code", "Item code"),
    FieldSpec("description", "Description"),
    FieldSpec("unit", "Unit"),
    FieldSpec("pack_size", "Pack size", Kind.DECIMAL),
)
DEFAULT_BLANK = "(location default)"
READ_ONLY_BACKGROUND = QColor(244, 244, 244)


class ParSettingsModel(RecordTableModel):
    """A location's PAR settings; an edited cell is saved at once, or refused and kept."""

    SPECS = READ_ONLY + PAR_FIELDS
    COLUMNS = tuple(spec.name for spec in SPECS)
    COL_ITEM_CODE, COL_DESCRIPTION, COL_UNIT, COL_PACK_SIZE = range(4)
    COL_BIN = COLUMNS.index("bin")
    COL_METHOD = COLUMNS.index("method")
    COL_COUNT_TYPE = COLUMNS.index("count_type")
    COL_PAR = COLUMNS.index("par_level")
    COL_MIN = COLUMNS.index("min_level")
    COL_MAX = COLUMNS.index("max_level")
    COL_SOURCE = COLUMNS.index("source")

    edit_refused = Signal(str)
    conflicted = Signal(object, str, object, object)  # record, field, new value, ConflictError
    edited = Signal(object, object, str, object, object)

    def __init__(self, db: Database | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self.location_id: int | None = None
        self.last_error = ""

    def load(self, location_id: int | None) -> None:
        """Show the active PAR settings of a location (None: nothing)."""
        self.location_id = location_id
        if location_id is None or self.db is None:
            self.set_rows([])
        else:
            self.set_rows(par_settings.list_par_settings(self.db, location_id=location_id))

    def spec(self, column: int) -> FieldSpec:
        """The field spec of a column."""
        return self.SPECS[column]

    def cell_text(self, row: ParSettingRecord, column: int) -> str:
        if column == self.COL_COUNT_TYPE and row.count_type is None:
            return f"({row.effective_count_type})"
        return super().cell_text(row, column)

    def cell_key(self, row: ParSettingRecord, column: int) -> Any:
        if column == self.COL_COUNT_TYPE and row.count_type is None:
            return sort_key(row.effective_count_type)
        return super().cell_key(row, column)

    def extra_data(self, row: ParSettingRecord, column: int, role: int) -> Any:
        defaulted = column == self.COL_COUNT_TYPE and row.count_type is None
        if role == Qt.ItemDataRole.EditRole:
            spec = self.SPECS[column]
            return edit_text(spec, getattr(row, spec.name))
        if role == Qt.ItemDataRole.ForegroundRole and (defaulted or not row.active):
            return QBrush(INACTIVE_COLOUR)
        if role == Qt.ItemDataRole.BackgroundRole and column < len(READ_ONLY):
            return QBrush(READ_ONLY_BACKGROUND)
        if role == Qt.ItemDataRole.ToolTipRole and defaulted:
            return "Blank: the location's default count type"
        return None

    def editable(self, row: ParSettingRecord, column: int) -> bool:
        return column >= len(READ_ONLY) and row.active

    def set_cell(self, row: int, column: int, value: Any) -> bool:
        """Save one cell through the services; a refusal keeps the old value."""
        if self.db is None:
            return False
        record = self._rows[row]
        spec = self.SPECS[column]
        new = value.strip() if isinstance(value, str) else value
        if new == edit_text(spec, getattr(record, spec.name)):
            return True
        try:
            updated = par_settings.update_par_setting(
                self.db,
                setting_id=record.id,
                changes={spec.name: new},
                expected_version=record.version,
            )
        except ParStudioError as exc:
            self.last_error = f"{record.item_code} ({record.description}), {spec.label}: {exc}"
            self.edit_refused.emit(self.last_error)
            if isinstance(exc, ConflictError):
                self.conflicted.emit(record, spec.name, new, exc)
            return False
        self.last_error = ""
        self.replace_row(row, updated)
        self.edited.emit(record, updated, spec.name, getattr(record, spec.name), new)
        return True


class ParDelegate(QStyledItemDelegate):
    """Combo boxes for method, count type and rounding; line edits checked as typed else.

    Nothing typed is dropped: "-5" stays "-5", the cell turns red and ``problem`` carries the
    field's message while it is typed; Enter then hands it to the model, which the services
    refuse with the same message, and the old value stays.
    """

    problem = Signal(str)

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        spec = ParSettingsModel.SPECS[index.column()]
        if spec.kind is Kind.CHOICE:
            combo = QComboBox(parent)
            if spec.name == "count_type":
                combo.addItem(DEFAULT_BLANK, "")
            for choice in spec.choices:
                combo.addItem(choice, choice)
            return combo
        line = QLineEdit(parent)
        check_as_typed(line, spec, self.problem.emit)
        if is_numeric(spec):
            line.setAlignment(Qt.AlignmentFlag.AlignRight)
        return line

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole) or ""
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif isinstance(editor, QLineEdit):
            editor.setText(str(value))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
