"""The one table-model base: plain rows shown through Columns (`ColumnTableModel`), records
shown through their field specs (`RecordTableModel`), and the proxy that sorts and filters them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from parstudio.domain.fields import (
    FieldSpec,
    spec_by_name,
)
from parstudio.ui.kit.formatting import display_text, is_numeric, sort_key

# The services (and with them SQLAlchemy) are imported when a model first reads: the main
# window is built and shown before the database is open.

RecordRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2

INACTIVE_COLOUR = QColor(140, 140, 140)
AnyIndex = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
DISPLAY = Qt.ItemDataRole.DisplayRole.value
TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value


@dataclass(frozen=True)
class Column:
    """One column: header, how to show a row's value, how it sorts, whether it is a number."""

    label: str
    text: Callable[[Any], str]
    key: Callable[[Any], Any]
    numeric: bool = False
    width: int = 100
    tip: str = ""


class ColumnCells:
    """What a table and a tree of ``Column``s share: the headers, and each cell's roles read
    from its row object. Mixed in before the Qt model class.

    Hooks: ``cell_text``/``cell_key`` when a column alone cannot say, ``extra_data`` for colours,
    fonts, tooltips, edit values and check states, ``record_of`` for what ``RecordRole`` gives.
    """

    columns: Sequence[Column] = ()
    HEADER_ALIGNED: ClassVar[bool] = False
    """Whether a header lines up like its column (numbers right)."""

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == DISPLAY:
            return column.label
        if role == TOOLTIP:
            return column.tip or None
        if role == ALIGNMENT and self.HEADER_ALIGNED:
            return RIGHT if column.numeric else LEFT
        return None

    def cell_data(self, row: Any, column: int, role: int) -> Any:
        """A cell's data for a role, from its row object and column number."""
        # Asked for every visible cell and role on every repaint: plain int compares first.
        if role == DISPLAY:
            return self.cell_text(row, column)
        if role == ALIGNMENT:
            return RIGHT if self.columns[column].numeric else LEFT
        if role == RecordRole:
            return self.record_of(row)
        if role == SortRole:
            return self.cell_key(row, column)
        return self.extra_data(row, column, role)

    def cell_text(self, row: Any, column: int) -> str:
        """The text of a cell."""
        return self.columns[column].text(row)

    def cell_key(self, row: Any, column: int) -> Any:
        """What a cell sorts by."""
        return self.columns[column].key(row)

    def extra_data(self, row: Any, column: int, role: int) -> Any:
        """Colours, fonts, tooltips, edit values of subclasses; none here."""
        return None

    def record_of(self, row: Any) -> Any:
        """What ``RecordRole`` gives for a row: the row object itself."""
        return row

    def column_width(self, column: int) -> int:
        """A sensible starting width in pixels."""
        return self.columns[column].width


class ColumnTableModel(ColumnCells, QAbstractTableModel):
    """The one table-model base: plain rows (records), one ``Column`` per column.

    The row object is under ``RecordRole``, its sort key under ``SortRole``; subclasses add
    colours, fonts and tooltips in ``extra_data`` and may compute a cell's text or key in
    ``cell_text``/``cell_key`` when a column alone cannot say. A cell is edited in place when
    ``editable`` says so: ``set_cell`` saves what was typed.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not 0 <= row < len(self._rows) or not index.isValid():
            return None
        if role == DISPLAY:  # the role asked most: straight to the text
            return self.cell_text(self._rows[row], index.column())
        return self.cell_data(self._rows[row], index.column(), role)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        row = index.row()
        if (
            index.isValid()
            and row < len(self._rows)
            and self.editable(self._rows[row], index.column())
        ):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Hand an edit of an editable cell to ``set_cell``."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        return self.set_cell(index.row(), index.column(), value)

    def editable(self, row: Any, column: int) -> bool:
        """Whether a cell is edited in place; none here."""
        return False

    def set_cell(self, row: int, column: int, value: Any) -> bool:
        """Save a value typed into an editable cell; False refuses it (the old value stays)."""
        return False

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Show these rows instead."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        """The rows shown (loaded so far)."""
        return list(self._rows)

    def record(self, row: int) -> Any:
        """The row object at a row number."""
        return self._rows[row]

    def row_of(self, record_id: int) -> int | None:
        """The row showing the record with this id, if loaded."""
        for row, record in enumerate(self._rows):
            if record.id == record_id:
                return row
        return None

    def replace_row(self, row: int, record: Any) -> None:
        """Show a changed row object in place, repainting only its row."""
        self._rows[row] = record
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def replace_record(self, record: Any) -> bool:
        """Show a changed record in place; False if it is not loaded."""
        row = self.row_of(record.id)
        if row is None:
            return False
        self.replace_row(row, record)
        return True


class TreeNode(Protocol):
    """A row of a ``ColumnTreeModel``: its parent (None at the root) and children."""

    @property
    def parent(self) -> TreeNode | None: ...

    @property
    def children(self) -> Sequence[TreeNode]: ...


class ColumnTreeModel(ColumnCells, QAbstractItemModel):
    """The table base's columns over a tree of ``TreeNode``s (the root itself not shown)."""

    def __init__(self, root: TreeNode, parent: Any = None) -> None:
        super().__init__(parent)
        self.root = root

    def set_root(self, root: TreeNode) -> None:
        """Show this tree instead."""
        self.beginResetModel()
        self.root = root
        self.endResetModel()

    def node(self, index: AnyIndex) -> Any:
        """The node of an index (the root for an invalid one)."""
        return index.internalPointer() if index.isValid() else self.root

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self.node(parent).children[row])

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        up = self.node(index).parent
        if up is None or up is self.root or up.parent is None:
            return QModelIndex()
        return self.createIndex(up.parent.children.index(up), 0, up)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self.cell_data(self.node(index), index.column(), role)


def _spec_column(name: str, spec: FieldSpec | None, label: str, width: int) -> Column:
    return Column(
        label=spec.label if spec else label,
        text=lambda record: display_text(spec, getattr(record, name, None)),
        key=lambda record: sort_key(getattr(record, name, None)),
        numeric=is_numeric(spec) or name == "setting_count",
        width=width,
        tip=spec.help if spec else "",
    )


class RecordTableModel(ColumnTableModel):
    """Records edited through field specs: one column per field named in ``COLUMNS``, shown as
    the forms show them; inactive records greyed."""

    SPECS: ClassVar[tuple[FieldSpec, ...]] = ()
    COLUMNS: ClassVar[tuple[str, ...]] = ()
    EXTRA_LABELS: ClassVar[dict[str, str]] = {}
    WIDTHS: ClassVar[dict[str, int]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        by_name = spec_by_name(cls.SPECS)
        cls.columns = tuple(
            _spec_column(
                name, by_name.get(name), cls.EXTRA_LABELS.get(name, name), cls.WIDTHS.get(name, 110)
            )
            for name in cls.COLUMNS
        )

    def extra_data(self, row: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not getattr(row, "active", True):
            return QBrush(INACTIVE_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and not getattr(row, "active", True):
            return "Inactive"
        return None

    def column_label(self, column: int) -> str:
        """The header of a column, from its field spec."""
        return self.columns[column].label

    def set_records(self, records: Sequence[Any]) -> None:
        """Show these records instead."""
        self.set_rows(records)

    def records(self) -> list[Any]:
        """The records shown (loaded so far)."""
        return self.rows()


class RecordFilterProxy(QSortFilterProxyModel):
    """Sorts by the sort role and filters on every column's text, ignoring case."""

    source_order_column: int | None = None
    """A column the source model's rows already come sorted by (ascending): sorting by it
    shows them as they come, without comparing rows."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self.setDynamicSortFilter(True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # A lazily read list sorted by its own order: comparing every loaded row would cost the
        # first paint a good part of its time, and gives the order the rows came in.
        ascending = order == Qt.SortOrder.AscendingOrder
        if ascending and column >= 0 and column == self.source_order_column:
            column = -1
        super().sort(column, order)
