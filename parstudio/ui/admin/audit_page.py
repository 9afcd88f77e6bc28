"""Who did what: a record's History… dialog, and the searchable Audit log page for managers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.audit import AuditRecord
from parstudio.domain.roles import TABLE_LABELS
from parstudio.services.core import audit
from parstudio.ui.kit.dialogs import to_date
from parstudio.ui.kit.formatting import local_time
from parstudio.ui.kit.geometry import fit_and_remember
from parstudio.ui.kit.page import PageHost, make_table, table_or_empty, typing_pause
from parstudio.ui.kit.table_models import Column, ColumnTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
Fetch = Callable[[int, int], Sequence[AuditRecord]]
BATCH = 200
ACTION_WORDS = {"insert": "Added", "update": "Changed", "delete": "Removed"}


def sentence(text: str) -> str:
    """Text with its first letter in capitals, the rest as written (“PAR settings”)."""
    return text[:1].upper() + text[1:]


def _what(record: AuditRecord) -> str:
    return ACTION_WORDS.get(record.action, record.action)


class AuditTableModel(ColumnTableModel):
    """Audit entries, newest first, read in batches as the view scrolls (``fetchMore``)."""

    columns = (
        Column("When", lambda r: local_time(r.at), lambda r: r.at, width=130),
        Column("Who", lambda r: r.user_name, lambda r: r.user_name, width=90),
        Column("Record", lambda r: r.title, lambda r: r.title, width=300),
        Column("What", _what, _what, width=80),
        Column("Changes", lambda r: r.summary(), lambda r: r.summary(), width=400),
    )
    COL_WHEN, COL_WHO, COL_RECORD, COL_ACTION, COL_CHANGES = range(5)

    def __init__(self, parent: Any = None, *, show_record: bool = True) -> None:
        super().__init__(parent)
        self._fetch: Fetch | None = None
        self._more = False
        self._fetching = False
        self.show_record = show_record

    def load(self, fetch: Fetch) -> None:
        """Start again with a new source of entries; reads the first batch."""
        self._fetch = fetch
        first = list(fetch(0, BATCH))
        self._more = len(first) == BATCH
        self.set_rows(first)

    def records(self) -> list[AuditRecord]:
        """The entries read so far."""
        return self.rows()

    def extra_data(self, row: AuditRecord, column: int, role: int) -> Any:
        if role != Qt.ItemDataRole.ToolTipRole:
            return None
        if column == self.COL_CHANGES:
            return "\n".join(change.describe() for change in row.changes) or None
        return self.cell_text(row, column)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and self._fetch is not None

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more or self._fetch is None or self._fetching:
            return
        self._fetching = True  # the view may ask again while rows are being inserted
        try:
            batch = list(self._fetch(len(self._rows), BATCH))
            self._more = len(batch) == BATCH
            if batch:
                start = len(self._rows)
                self.beginInsertRows(QModelIndex(), start, start + len(batch) - 1)
                self._rows.extend(batch)
                self.endInsertRows()
        finally:
            self._fetching = False


def _audit_view(parent: QWidget, model: AuditTableModel) -> Any:
    view = make_table(parent)
    view.setModel(model)
    header = view.horizontalHeader()
    for column in range(model.columnCount()):
        header.resizeSection(column, model.column_width(column))
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.setColumnHidden(model.COL_RECORD, not model.show_record)
    return view


class HistoryDialog(QDialog):
    """Every recorded change to one record: when, who, and each field old → new."""

    def __init__(
        self, parent: QWidget | None, host: PageHost, *, table: str, record_id: int, title: str
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"History of {title}")
        fit_and_remember(self, "history", QSize(820, 420))
        entries = audit.record_history(host.db, table=table, record_id=record_id)
        self.model = AuditTableModel(self, show_record=False)
        self.model.load(lambda offset, limit: entries[offset : offset + limit])
        layout = QVBoxLayout(self)
        count = f"{len(entries)} recorded change{'' if len(entries) == 1 else 's'}"
        heading = QLabel(f"<b>{title}</b> — {count}, newest first", self)
        layout.addWidget(heading)
        self.view = _audit_view(self, self.model)
        body, self.empty = table_or_empty(self, self.view)
        self.empty.setText(
            "No changes are recorded for this record yet.\n"
            "(Records made before the audit trail existed, or only by imports, show here once "
            "someone edits them.)"
        )
        body.show_rows(bool(entries))
        layout.addWidget(body, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class DateBox(QDateEdit):
    """A date field that Tab and Shift+Tab leave, like every other field.

    Qt's steps through year, month and day first, and while it shows its special value ("any
    day") it swallows Tab altogether: the keyboard was trapped in From.
    """

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            back = event.key() == Qt.Key.Key_Backtab or bool(
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            event.accept()
            QWidget.focusNextPrevChild(self, not back)
            return
        super().keyPressEvent(event)


class AuditLogPage(QWidget):
    """The audit log: every change, searchable by who, what kind of record, text and dates."""

    ANY = "Anyone"

    def __init__(self, host: PageHost) -> None:
        super().__init__()
        self.host = host
        self.who = QComboBox(self)
        self.who.setObjectName("who")
        self.who.setMinimumWidth(120)
        self.table = QComboBox(self)
        self.table.setObjectName("table")
        self.table.addItem("Every kind of record", None)
        for name, label in sorted(TABLE_LABELS.items(), key=lambda pair: pair[1].lower()):
            if name != "audit_entry":
                self.table.addItem(sentence(label), name)
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search changes (a code, a value, a name)…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.since = self._date_edit("since")
        self.until = self._date_edit("until")
        self.clear_button = QPushButton("Clear filters", self)
        self.clear_button.clicked.connect(self.clear_filters)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet("color: #555;")

        top = QHBoxLayout()
        top.addWidget(self.search)
        top.addWidget(self.who)
        top.addWidget(self.table)
        top.addWidget(QLabel("From", self))
        top.addWidget(self.since)
        top.addWidget(QLabel("to", self))
        top.addWidget(self.until)
        top.addWidget(self.clear_button)
        top.addStretch(1)
        top.addWidget(self.count_label)

        self.model = AuditTableModel(self)
        self.view = _audit_view(self, self.model)
        self.body, self.empty = table_or_empty(self, self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.body, 1)

        self._timer = typing_pause(self, self.apply_filters)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        for combo in (self.who, self.table):
            combo.currentIndexChanged.connect(lambda _index: self.apply_filters())
        for edit in (self.since, self.until):
            edit.dateChanged.connect(lambda _date: self.apply_filters())

    def _date_edit(self, name: str) -> QDateEdit:
        edit = DateBox(self)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(QDate(2000, 1, 1))
        edit.setSpecialValueText("any day")  # shown at the minimum date: no limit
        edit.setDate(edit.minimumDate())
        return edit

    def _day(self, edit: QDateEdit, *, next_day: bool) -> datetime | None:
        if edit.date() == edit.minimumDate():
            return None
        day = to_date(edit.date())
        start = datetime.combine(day, time()).astimezone()
        return (start + timedelta(days=1) if next_day else start).astimezone(UTC)

    def current_filter(self) -> audit.AuditFilter:
        """What the filters on screen ask for."""
        who = self.who.currentText()
        return audit.AuditFilter(
            user=None if who in ("", self.ANY) else who,
            table=self.table.currentData(),
            text=self.search.text().strip() or None,
            since=self._day(self.since, next_day=False),
            until=self._day(self.until, next_day=True),
        )

    def refresh(self) -> None:
        """Read the list of people again and the first page of entries."""
        chosen = self.who.currentText()
        self.who.blockSignals(True)
        self.who.clear()
        self.who.addItem(self.ANY)
        self.who.addItems(audit.audit_users(self.host.db))
        self.who.setCurrentText(chosen or self.ANY)
        self.who.blockSignals(False)
        self.apply_filters()

    def apply_filters(self) -> None:
        """Show the entries matching the filters, newest first."""
        self._timer.stop()
        where = self.current_filter()
        db = self.host.db
        self.model.load(
            lambda offset, limit: audit.search_audit(db, where=where, offset=offset, limit=limit)
        )
        total = audit.count_audit(db, where=where)
        self.count_label.setText(f"{total:,} change{'' if total == 1 else 's'}")
        self.body.show_rows(self.model.rowCount() > 0, "No recorded changes match these filters.")

    def clear_filters(self) -> None:
        """Back to everything."""
        for widget in (self.search, self.who, self.table, self.since, self.until):
            widget.blockSignals(True)
        self.search.clear()
        self.who.setCurrentIndex(0)
        self.table.setCurrentIndex(0)
        self.since.setDate(self.since.minimumDate())
        self.until.setDate(self.until.minimumDate())
        for widget in (self.search, self.who, self.table, self.since, self.until):
            widget.blockSignals(False)
        self.apply_filters()

    def focus_search(self) -> None:
        """Edit ▸ Find."""
        self.search.setFocus()
        self.search.selectAll()
