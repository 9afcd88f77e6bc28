"""The parts of the import dialog that show things: the column mapping and the preview."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from parstudio.domain.worksheet import (
    COLUMNS,
    CellError,
    HeaderMap,
    column_letter,
    header_key,
    map_headers,
    show_value,
)
from parstudio.domain.worksheet_preview import ImportPreview

IGNORE_TEXT = "(ignore)"
SHOWN_LIMIT = 2000
"""Lines shown per list of the preview; the summary gives every number."""
IMPORT_COLUMNS = tuple(c.name for c in COLUMNS if not c.export_only)
_SETTINGS_GROUP = "worksheetMappings"


def mapping_key(headers: Sequence[Any]) -> str:
    """A key for a set of headers, the same however they are spelled or ordered."""
    keys = sorted(header_key(str(h)) for h in headers if h is not None and str(h).strip())
    return hashlib.sha1("|".join(keys).encode("utf-8")).hexdigest()[:16]


def remembered_mapping(headers: Sequence[Any]) -> dict[str, str] | None:
    """The mapping a user chose before for this set of headers, if any."""
    value = QSettings().value(f"{_SETTINGS_GROUP}/{mapping_key(headers)}")
    if not value:
        return None
    try:
        found = json.loads(str(value))
    except ValueError:
        return None
    present = {header_key(str(h)) for h in headers if h is not None}
    if not isinstance(found, dict) or any(header_key(k) not in present for k in found):
        return None
    return {str(k): str(v) for k, v in found.items()}


def remember_mapping(headers: Sequence[Any], overrides: Mapping[str, str]) -> None:
    """Keep a mapping for the next file with the same headers."""
    QSettings().setValue(
        f"{_SETTINGS_GROUP}/{mapping_key(headers)}", json.dumps(dict(overrides), sort_keys=True)
    )


def needs_mapping(header: HeaderMap) -> bool:
    """Whether the user should look at the mapping: columns missing, doubled or unknown."""
    return bool(header.errors or header.extra)


class MappingTable(QTableWidget):
    """Each column of the user's sheet, a few of its values, and the column it is read as."""

    COLUMN, HEADER, EXAMPLES, TARGET = range(4)
    mapping_changed = Signal()
    """A column was given another "Read as"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("mapping_table")
        self.setHorizontalHeaderLabels(["Column", "Header in your sheet", "Examples", "Read as"])
        self.verticalHeader().setVisible(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.horizontalHeader()
        header.setSectionResizeMode(self.COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.HEADER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.EXAMPLES, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.TARGET, QHeaderView.ResizeMode.Fixed)
        self.setColumnWidth(self.TARGET, 190)
        self.headers: list[Any] = []
        self.combos: dict[int, QComboBox] = {}

    def load(
        self,
        headers: Sequence[Any],
        rows: Sequence[Sequence[Any]],
        overrides: Mapping[str, str] | None,
    ) -> None:
        """Show the sheet's columns, each read as the mapping (or the automatic match) says."""
        self.headers = list(headers)
        auto = map_headers(headers, overrides)
        self.setRowCount(0)
        self.combos = {}
        for index, text in enumerate(headers):
            if text is None or not str(text).strip():
                continue
            row = self.rowCount()
            self.insertRow(row)
            self.setItem(row, self.COLUMN, QTableWidgetItem(column_letter(index)))
            self.setItem(row, self.HEADER, QTableWidgetItem(str(text)))
            self.setItem(row, self.EXAMPLES, QTableWidgetItem(_examples(rows, index)))
            combo = QComboBox()
            combo.addItems([IGNORE_TEXT, *IMPORT_COLUMNS])
            column = auto.columns.get(index)
            if column is not None and not column.export_only:
                combo.setCurrentText(column.name)
            self.setCellWidget(row, self.TARGET, combo)
            self.combos[index] = combo
            combo.currentIndexChanged.connect(lambda _i: self.mapping_changed.emit())

    def choose(self, header: str, target: str) -> None:
        """Read the column with this header as ``target`` (or IGNORE_TEXT)."""
        for index, combo in self.combos.items():
            if str(self.headers[index]).strip() == header:
                combo.setCurrentText(target)
                return
        raise KeyError(header)

    def overrides(self) -> dict[str, str]:
        """The mapping as header overrides for the import: header → column ('' to ignore)."""
        chosen = {}
        for index, combo in self.combos.items():
            target = combo.currentText()
            chosen[str(self.headers[index]).strip()] = "" if target == IGNORE_TEXT else target
        return chosen


def _examples(rows: Sequence[Sequence[Any]], index: int, wanted: int = 3) -> str:
    found: list[str] = []
    for row in rows:
        if index < len(row) and row[index] is not None and str(row[index]).strip():
            text = show_value(row[index])
            if text not in found:
                found.append(text)
            if len(found) == wanted:
                break
    return ", ".join(found)


def summary(preview: ImportPreview) -> str:
    """One paragraph a user reads first: how many rows, what would change, or what is wrong."""
    where = f"{preview.path.rsplit('/', 1)[-1]}, sheet “{preview.sheet}”: {preview.rows:,} rows."
    if preview.errors:
        return (
            f"{where} {len(preview.errors):,} problem(s) must be fixed in the file before it can "
            "be imported. Nothing has been written."
        )
    new = (
        len(preview.new_locations)
        + len(preview.new_suppliers)
        + len(preview.new_items)
        + len(preview.new_settings)
    )
    changed = len(preview.changed_items) + len(preview.changed_settings)
    if not preview.has_changes:
        return f"{where} No changes: everything in the file is already in PAR Studio."
    verb = "Imported" if preview.applied else "Importing would make"
    text = (
        f"{where} {verb} {new:,} new, {changed:,} changed, {preview.unchanged:,} unchanged, "
        f"{len(preview.counts):,} count(s)."
    )
    if preview.extra_columns:
        text += " Columns ignored: " + ", ".join(preview.extra_columns) + "."
    return text


def problems_text(errors: Sequence[CellError]) -> str:
    """Every problem as a line of text, to copy or save."""
    return "\n".join(str(e) for e in errors) + ("\n" if errors else "")


class ProblemsTable(QTableWidget):
    """Each problem: sheet, row, column and the reason."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("problems_table")
        self.setHorizontalHeaderLabels(["Sheet", "Row", "Column", "Problem"])
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        header = self.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

    def load(self, errors: Sequence[CellError]) -> None:
        """Show the first SHOWN_LIMIT problems."""
        shown = errors[:SHOWN_LIMIT]
        self.setRowCount(len(shown))
        for row, error in enumerate(shown):
            where = f"{error.column} ({error.column_name})" if error.column else error.column_name
            cells = (
                error.sheet,
                str(error.row) if error.row > 1 else "header",
                where,
                error.message,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.setItem(row, column, item)
        self.resizeRowsToContents()


def new_records_tree(preview: ImportPreview) -> QTreeWidget:
    """New locations, suppliers, items and PAR settings, grouped."""
    tree = QTreeWidget()
    tree.setObjectName("new_tree")
    tree.setHeaderLabels(["New records"])
    for title, names in (
        ("New locations", preview.new_locations),
        ("New suppliers", preview.new_suppliers),
        ("New items", preview.new_items),
        ("New PAR settings", preview.new_settings),
    ):
        if not names:
            continue
        group = QTreeWidgetItem(tree, [f"{title} ({len(names):,})"])
        for name in names[:SHOWN_LIMIT]:
            QTreeWidgetItem(group, [name])
        if len(names) > SHOWN_LIMIT:
            QTreeWidgetItem(group, [f"… and {len(names) - SHOWN_LIMIT:,} more"])
        group.setExpanded(len(names) <= 50)
    return tree


def changes_tree(preview: ImportPreview) -> QTreeWidget:
    """Changed items and PAR settings, each with its fields: old → new."""
    tree = QTreeWidget()
    tree.setObjectName("changes_tree")
    tree.setHeaderLabels(["Row", "Record / column", "Now", "After import"])
    records = [*preview.changed_items, *preview.changed_settings]
    for record in records[:SHOWN_LIMIT]:
        top = QTreeWidgetItem(tree, [str(record.row), record.key, "", ""])
        for change in record.changes:
            QTreeWidgetItem(
                top, ["", change.column, change.old or "(blank)", change.new or "(blank)"]
            )
        top.setExpanded(len(records) <= 50)
    if len(records) > SHOWN_LIMIT:
        QTreeWidgetItem(tree, ["", f"… and {len(records) - SHOWN_LIMIT:,} more", "", ""])
    tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    tree.setColumnWidth(0, 70)
    return tree


def counts_table(preview: ImportPreview) -> QTableWidget:
    """The counts the Count column records."""
    table = QTableWidget(0, 5)
    table.setObjectName("counts_table")
    table.setHorizontalHeaderLabels(["Row", "Location", "Item", "Count type", "Quantity"])
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    shown = preview.counts[:SHOWN_LIMIT]
    table.setRowCount(len(shown))
    for row, count in enumerate(shown):
        cells = (
            str(count.row),
            count.location_code,
            count.item_code,
            count.count_type,
            show_value(count.quantity),
        )
        for column, text in enumerate(cells):
            table.setItem(row, column, QTableWidgetItem(text))
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table
