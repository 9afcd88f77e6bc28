"""The count screen for one location: scan or type quantities, undo, link unknown barcodes, finish.

Scanner input is told apart from typing by keystroke timing (`ScanBuffer`): an application event
filter takes every key pressed in this window; a fast burst ending with Enter is a scan, anything
else is handed back to the focused widget as typing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.barcodes import GS
from parstudio.domain.counting import (
    CountReview,
    CountSheet,
    CountSheetLine,
    ScanKind,
    ScanOutcome,
)
from parstudio.domain.errors import ParStudioError
from parstudio.domain.scanner_input import Passthrough, ScanBuffer, ScanEvent
from parstudio.services import counting
from parstudio.services.database import Database

__all__ = ["CountSheetModel", "CountWindow", "run_count_window"]

DEFAULT_MAX_INTERVAL_MS = 30.0
SETTING_MAX_INTERVAL = "scanner/max_interval_ms"
SETTING_GROUP_SEPARATOR = "scanner/group_separator"
BASE_POINT_SIZE = 16
WINDOW_STYLE = """
QWidget { font-size: 16pt; }
QLabel#countTitle { font-size: 24pt; font-weight: bold; }
QLabel#subtitle { font-size: 13pt; color: #555555; }
QLabel#tally { font-size: 24pt; font-weight: bold; }
QLabel#sideTitle { font-weight: bold; }
QHeaderView::section { font-size: 13pt; font-weight: bold; padding: 4px; }
QLabel#status { padding: 6px 10px; background: #eef3f8; color: #1b2b3a; }
QLabel#status[error="true"] { background: #fde7e9; color: #8a0012; font-weight: bold; }
"""

Index = QModelIndex | QPersistentModelIndex


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f}" if value == value.to_integral_value() else str(value)


class CountSheetModel(QAbstractTableModel):
    """The lines of a count sheet, one row per PAR setting in bin order."""

    COL_BIN, COL_ITEM, COL_DESCRIPTION, COL_TYPE, COL_EXPECTED, COL_COUNTED, COL_LOT = range(7)
    HEADERS = ("Bin", "Item", "Description", "Count type", "Expected", "Counted", "Lot / expiry")
    LINE_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[CountSheetLine] = []
        self._rows: dict[int, int] = {}

    def set_lines(self, lines: Sequence[CountSheetLine]) -> None:
        """Show a whole sheet (a reset: used when the count is opened)."""
        self.beginResetModel()
        self._lines = list(lines)
        self._rows = {line.setting_id: row for row, line in enumerate(self._lines)}
        self.endResetModel()

    def update_line(self, line: CountSheetLine) -> int | None:
        """Replace one line and repaint only its row; returns the row, or None if not shown."""
        row = self._rows.get(line.setting_id)
        if row is None:
            return None
        self._lines[row] = line
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
        return row

    def row_of(self, setting_id: int) -> int | None:
        """The row showing a PAR setting."""
        return self._rows.get(setting_id)

    def line_at(self, row: int) -> CountSheetLine | None:
        """The line in a row."""
        return self._lines[row] if 0 <= row < len(self._lines) else None

    def lines(self) -> list[CountSheetLine]:
        """Every line, in row order."""
        return list(self._lines)

    def tally(self) -> tuple[int, int]:
        """(lines counted, lines to count)."""
        to_count = [line for line in self._lines if line.to_count]
        return sum(1 for line in to_count if line.is_counted), len(to_count)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._lines):
            return None
        line = self._lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(line, column)
        if role == self.LINE_ROLE:
            return line
        if role == Qt.ItemDataRole.ToolTipRole and column in (self.COL_DESCRIPTION, self.COL_LOT):
            return self._display(line, column) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            self.COL_EXPECTED,
            self.COL_COUNTED,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and line.flags and column == self.COL_LOT:
            return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.BackgroundRole and line.is_counted:
            return QBrush(QColor("#e6f4ea"))
        if role == Qt.ItemDataRole.FontRole and column == self.COL_COUNTED:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _display(self, line: CountSheetLine, column: int) -> str:
        match column:
            case self.COL_BIN:
                return line.bin or ""
            case self.COL_ITEM:
                return line.item_code
            case self.COL_DESCRIPTION:
                return line.description
            case self.COL_TYPE:
                return line.count_type
            case self.COL_EXPECTED:
                return _number(line.expected)
            case self.COL_COUNTED:
                if line.count_type == "ORDER PAR" and line.is_counted:
                    return "empty bin"
                return _number(line.counted)
            case self.COL_LOT:
                # Problems first, so a narrow column still shows them.
                parts = [f"⚠ {flag}" for flag in line.flags]
                parts.append(line.lot or "")
                if line.expiry:
                    parts.append(f"exp {line.expiry:%d %b %y}")
                return " · ".join(p for p in parts if p)
        return ""


class LinkDialog(QDialog):
    """Pick the item an unknown barcode belongs to."""

    def __init__(self, code: str, lines: Sequence[CountSheetLine], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link barcode to item")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Barcode <b>{code}</b> belongs to:"))
        self.items = QComboBox()
        self.items.setEditable(True)
        self.items.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for line in lines:
            self.items.addItem(f"{line.item_code} — {line.description}", line.item_id)
        layout.addWidget(self.items)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Link and count it")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def item_id(self) -> int | None:
        """The chosen item's id."""
        value = self.items.currentData()
        return int(value) if value is not None else None


class CountWindow(QWidget):
    """Count one location with a barcode scanner or by typing, every scan saved at once."""

    proposal_requested = Signal(int)
    count_finished = Signal(int)

    def __init__(
        self,
        db: Database,
        location_id: int,
        *,
        settings: QSettings | None = None,
        clock: Callable[[], float] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._clock = clock or (lambda: time.monotonic() * 1000.0)
        settings = settings or QSettings()
        self._max_interval_ms = _float_setting(
            settings.value(SETTING_MAX_INTERVAL), DEFAULT_MAX_INTERVAL_MS
        )
        separator = settings.value(SETTING_GROUP_SEPARATOR)
        self._group_separator = str(separator) if separator else GS
        self._buffer = ScanBuffer(max_interval_ms=self._max_interval_ms)
        self._last_key_ms = 0.0
        self._replaying = False
        self._key_target: QWidget | None = None
        self._finished = False
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(int(self._max_interval_ms) + 20)
        self._flush_timer.timeout.connect(self._flush_held)

        self.sheet: CountSheet = counting.open_count(db, location_id=location_id)
        self.model = CountSheetModel(self)
        self.model.set_lines(self.sheet.lines)
        self._build()
        self._refresh_tally()
        self._refresh_unmatched()
        if self.sheet.resumed:
            started = self.sheet.started_at.astimezone()
            self.show_message(
                f"Count resumed where it was: started {started:%d %b %H:%M} by "
                f"{self.sheet.counted_by or 'someone'}. Scan the next item."
            )
        else:
            self.show_message("Scan an item, a bin label, or choose a line and type a quantity.")
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # --- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.setWindowTitle(f"Count — {self.sheet.location_code} {self.sheet.location_name}")
        font = self.font()
        font.setPointSize(BASE_POINT_SIZE)
        self.setFont(font)
        self.setStyleSheet(WINDOW_STYLE)

        title = QLabel(self.sheet.location_name)
        title.setObjectName("countTitle")
        started = self.sheet.started_at.astimezone()
        details = [self.sheet.location_code, f"started {started:%d %b %Y %H:%M}"]
        if self.sheet.blind:
            details.append("blind count")
        if not self.sheet.scan_adds_one:
            details.append("a scan asks for the quantity")
        subtitle = QLabel(" · ".join(details))
        subtitle.setObjectName("subtitle")
        self.tally_label = QLabel()
        self.tally_label.setObjectName("tally")
        self.tally_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        heading = QVBoxLayout()
        heading.addWidget(title)
        heading.addWidget(subtitle)
        header = QHBoxLayout()
        header.addLayout(heading, 1)
        header.addWidget(self.tally_label)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        horizontal = self.table.horizontalHeader()
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        horizontal.setSectionResizeMode(
            CountSheetModel.COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch
        )
        horizontal.setSectionResizeMode(CountSheetModel.COL_LOT, QHeaderView.ResizeMode.Interactive)
        horizontal.resizeSection(CountSheetModel.COL_LOT, 250)
        self.table.setWordWrap(False)
        self.table.setColumnHidden(CountSheetModel.COL_EXPECTED, self.sheet.blind)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)

        self.quantity_label = QLabel("Quantity:")
        self.quantity = QLineEdit()
        self.quantity.setObjectName("quantity")
        self.quantity.setPlaceholderText("type, then Enter")
        self.quantity.setMaximumWidth(220)
        self.quantity.returnPressed.connect(self.save_typed_quantity)
        self.quantity_label.setBuddy(self.quantity)
        entry = QHBoxLayout()
        entry.addWidget(self.quantity_label)
        entry.addWidget(self.quantity)
        entry.addStretch(1)

        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(self.fontMetrics().height() * 2 + 16)
        self.status.setFrameShape(QFrame.Shape.StyledPanel)

        self.unmatched = QListWidget()
        self.unmatched.setObjectName("unmatched")
        self.link_button = QPushButton("&Link to item…")
        self.link_button.setEnabled(False)
        self.link_button.clicked.connect(self._link_selected)
        self.unmatched.currentRowChanged.connect(
            lambda row: self.link_button.setEnabled(row >= 0 and not self._finished)
        )
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        unmatched_title = QLabel("Unmatched scans")
        unmatched_title.setObjectName("sideTitle")
        side_layout.addWidget(unmatched_title)
        side_layout.addWidget(self.unmatched, 1)
        side_layout.addWidget(self.link_button)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1110, 240])

        self.undo_action = QAction("Undo last scan", self)
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.undo_action.triggered.connect(self.undo_last_scan)
        self.addAction(self.undo_action)
        self.undo_button = QPushButton("&Undo last scan (Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo_last_scan)
        self.finish_button = QPushButton("&Finish count…")
        self.finish_button.clicked.connect(self.finish_count)
        buttons = QHBoxLayout()
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.finish_button)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)
        layout.addLayout(entry)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        for first, second in (
            (self.table, self.quantity),
            (self.quantity, self.unmatched),
            (self.unmatched, self.link_button),
            (self.link_button, self.undo_button),
            (self.undo_button, self.finish_button),
        ):
            QWidget.setTabOrder(first, second)
        if self.model.rowCount():
            self.table.selectRow(0)
        self.table.setFocus()

    # --- scanner input -----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Feed keys pressed anywhere in this window to the scan buffer."""
        if (
            self._replaying
            or event.type() != QEvent.Type.KeyPress
            or not isinstance(watched, QWidget)
            or not self._owns(watched)
            or not isinstance(event, QKeyEvent)
        ):
            return False
        if event.matches(QKeySequence.StandardKey.Undo):
            self._release_held()
            self.undo_last_scan()
            return True
        char = _char_of(event)
        if char is None:
            # Navigation and shortcuts pass; keys held so far were typing and go first.
            self._release_held()
            return False
        now = self._clock()
        self._last_key_ms = now
        self._key_target = watched
        result = self._buffer.feed(char, now)
        if isinstance(result, ScanEvent):
            self._flush_timer.stop()
            self.handle_scan(result.text)
        elif isinstance(result, Passthrough):
            self._replay(result.text)
        if not isinstance(result, ScanEvent):
            self._flush_timer.start()
        return True

    def _owns(self, widget: QWidget) -> bool:
        # Standalone or embedded in the main window: keys of this window's own widgets only,
        # never of a dialog opened from it (a dialog is a separate window).
        return (widget is self or self.isAncestorOf(widget)) and widget.window() is self.window()

    def _flush_held(self) -> None:
        # The timer only fires after a real pause, so it is at least the interval since the
        # last key even when the injected clock has not moved.
        now = max(self._clock(), self._last_key_ms + self._max_interval_ms + 1)
        released = self._buffer.flush(now)
        if released is not None:
            self._replay(released.text)

    def _release_held(self) -> None:
        released = self._buffer.flush(float("inf"))
        self._flush_timer.stop()
        if released is not None:
            self._replay(released.text)

    def _replay(self, text: str) -> None:
        """Deliver typed keys to the widget they were typed into, unseen by the filter."""
        target = self._key_target
        if target is None or not self._owns(target):
            target = self.table
        self._replaying = True
        try:
            for char in text:
                key = (
                    Qt.Key.Key_Return
                    if char == "\r"
                    else Qt.Key(ord(char.upper()))
                    if char.isascii() and char.isalnum()
                    else Qt.Key.Key_unknown
                )
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
                    QApplication.sendEvent(target, event)
        finally:
            self._replaying = False

    # --- actions -----------------------------------------------------------------------------

    def handle_scan(self, text: str) -> ScanOutcome | None:
        """Record one scan and show what it did; the row is repainted once it is committed."""
        if self._finished:
            self.show_message("This count is finished; nothing more is recorded.", error=True)
            return None
        try:
            outcome = counting.record_scan(
                self._db,
                count_id=self.sheet.count_id,
                text=text,
                group_separator=self._group_separator,
            )
        except ParStudioError as exc:
            self.show_message(str(exc), error=True)
            QApplication.beep()
            return None
        self._apply(outcome)
        if outcome.kind in (ScanKind.UNKNOWN, ScanKind.UNREADABLE):
            QApplication.beep()
        if outcome.kind is ScanKind.UNKNOWN:
            self._refresh_unmatched()
        if outcome.needs_quantity:
            self.quantity.setFocus()
            self.quantity.selectAll()
        return outcome

    def save_typed_quantity(self) -> None:
        """Save what is in the quantity box for the current line, then go to the next line."""
        line = self.current_line()
        if line is None:
            self.show_message("Choose a line first (arrow keys), then type its quantity.")
            return
        try:
            outcome = counting.set_quantity(
                self._db,
                count_id=self.sheet.count_id,
                setting_id=line.setting_id,
                quantity=self.quantity.text(),
            )
        except ParStudioError as exc:
            self.show_message(str(exc), error=True)
            self.quantity.selectAll()
            return
        self._apply(outcome)
        self.quantity.clear()
        row = self.model.row_of(line.setting_id)
        if row is not None and row + 1 < self.model.rowCount():
            self.table.selectRow(row + 1)

    def undo_last_scan(self) -> None:
        """Take back the latest scan or typed quantity."""
        if self._finished:
            return
        try:
            outcome = counting.undo_last_scan(self._db, count_id=self.sheet.count_id)
        except ParStudioError as exc:
            self.show_message(str(exc), error=True)
            return
        self._apply(outcome)
        self._refresh_unmatched()

    def link_unmatched(self, scan_id: int, code: str, item_id: int) -> ScanOutcome | None:
        """Link an unknown barcode to an item and count the kept scan for it."""
        try:
            counting.link_barcode(self._db, code=code, item_id=item_id)
            outcome = counting.reapply_scan(
                self._db, scan_id=scan_id, group_separator=self._group_separator
            )
        except ParStudioError as exc:
            self.show_message(str(exc), error=True)
            return None
        self._apply(outcome)
        self._refresh_unmatched()
        return outcome

    def _link_selected(self) -> None:
        current = self.unmatched.currentItem()
        if current is None:
            return
        scan_id, code = current.data(Qt.ItemDataRole.UserRole)
        dialog = LinkDialog(code, self.model.lines(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.item_id() is not None:
            item_id = dialog.item_id()
            assert item_id is not None
            self.link_unmatched(scan_id, code, item_id)

    def finish_count(self) -> CountReview | None:
        """Review lines never counted and variances; close the count when the user agrees."""
        try:
            review = counting.finish_count(self._db, count_id=self.sheet.count_id)
        except ParStudioError as exc:
            self.show_message(str(exc), error=True)
            return None
        if not self.confirm_finish(review):
            self.show_message("The count stays open; go on scanning.")
            return review
        try:
            review = counting.finish_count(self._db, count_id=self.sheet.count_id, confirm=True)
        except ParStudioError as exc:
            self.show_message(str(exc), error=True)
            return None
        self._finished = True
        for widget in (self.quantity, self.undo_button, self.finish_button, self.link_button):
            widget.setEnabled(False)
        self.undo_action.setEnabled(False)
        self.show_message(f"Count of {review.location_code} finished and saved.")
        self.count_finished.emit(self.sheet.count_id)
        if self.offer_proposal():
            self.proposal_requested.emit(self.sheet.location_id)
        return review

    def confirm_finish(self, review: CountReview) -> bool:
        """Show the review and ask whether to close the count."""
        dialog = QDialog(self)
        dialog.setWindowTitle(f"Finish the count of {review.location_code}?")
        layout = QVBoxLayout(dialog)
        text = QTextBrowser()
        text.setHtml(review_html(review, blind=self.sheet.blind))
        layout.addWidget(text)
        buttons = QDialogButtonBox()
        buttons.addButton("Close the count", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Keep counting", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.resize(700, 500)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def offer_proposal(self) -> bool:
        """Ask whether to go on to the order proposal for this location."""
        answer = QMessageBox.question(
            self,
            "Propose orders",
            f"Propose orders for {self.sheet.location_code} from this count?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    # --- showing -----------------------------------------------------------------------------

    def current_line(self) -> CountSheetLine | None:
        """The line the quantity box is for."""
        index = self.table.currentIndex()
        return self.model.line_at(index.row()) if index.isValid() else None

    def show_message(self, text: str, *, error: bool = False) -> None:
        """Put a message in the status strip: red for problems."""
        self.status.setText(text)
        self.status.setProperty("error", error)
        # A dynamic property only restyles after a re-polish.
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def _apply(self, outcome: ScanOutcome) -> None:
        if outcome.line is not None:
            row = self.model.update_line(outcome.line)
            if row is not None:
                self.table.selectRow(row)
                self.table.scrollTo(
                    self.model.index(row, 0), QAbstractItemView.ScrollHint.EnsureVisible
                )
        self.show_message(outcome.message, error=outcome.warning)
        self._refresh_tally()

    def _refresh_tally(self) -> None:
        counted, to_count = self.model.tally()
        self.tally_label.setText(f"Counted {counted} / {to_count}")

    def _refresh_unmatched(self) -> None:
        self.unmatched.clear()
        try:
            scans = counting.list_unmatched_scans(self._db, count_id=self.sheet.count_id)
        except ParStudioError as exc:
            self.show_message(str(exc), error=True)
            return
        for scan in scans:
            when = scan.recorded_at.astimezone()
            entry = QListWidgetItem(scan.code)
            entry.setData(Qt.ItemDataRole.UserRole, (scan.scan_id, scan.code))
            raw = scan.raw.replace(GS, "<GS>")
            entry.setToolTip(f"Scanned {when:%d %b %H:%M} by {scan.recorded_by or '?'}: {raw}")
            self.unmatched.addItem(entry)
        if self.unmatched.count():
            self.unmatched.setCurrentRow(0)
        self.link_button.setEnabled(self.unmatched.count() > 0 and not self._finished)

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        line = self.model.line_at(current.row()) if current.isValid() else None
        if line is None:
            self.quantity_label.setText("Quantity:")
            return
        what = "Quantity to order" if line.count_type == "ORDER QTY" else "Quantity"
        self.quantity_label.setText(f"{what} for {line.item_code} {line.description}:")

    def closeEvent(self, event: Any) -> None:
        """Stop watching keys once the window closes."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._flush_timer.stop()
        super().closeEvent(event)


def _char_of(event: QKeyEvent) -> str | None:
    """The character a key press types, as the scan buffer takes it, or None for other keys."""
    modifiers = event.modifiers()
    command = modifiers & (
        Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.MetaModifier
    )
    text = event.text()
    if text == GS:  # scanners type the GS1 group separator as Ctrl+]
        return GS
    if command:
        return None
    if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
        return "\r"
    if len(text) == 1 and text.isprintable():
        return text
    return None


def _float_setting(value: Any, default: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def review_html(review: CountReview, *, blind: bool = False) -> str:
    """The finish review as simple HTML: lines never counted, then variances."""
    parts = [f"<p>Counted <b>{review.counted}</b> of <b>{review.to_count}</b> lines.</p>"]
    if review.uncounted:
        parts.append(f"<h3>Never counted ({len(review.uncounted)})</h3><ul>")
        parts.extend(
            f"<li>{line.bin or ''} {line.item_code} {line.description}</li>"
            for line in review.uncounted
        )
        parts.append("</ul><p>These lines get no order until they are counted.</p>")
    if review.variances:
        parts.append(f"<h3>Off expected by more than {review.tolerance_pct} %</h3><ul>")
        for variance in review.variances:
            line = variance.line
            parts.append(
                f"<li>{line.item_code} {line.description}: counted "
                f"{_number(variance.counted)}, expected {_number(variance.expected)} "
                f"({variance.percent} %)</li>"
            )
        parts.append("</ul><p>Recount these if the numbers look wrong.</p>")
    if not review.uncounted and not review.variances:
        parts.append("<p>Every line is counted and none is far from expected.</p>")
    if blind:
        parts.append("<p><i>Expected quantities are shown now that counting is done.</i></p>")
    return "".join(parts)


def run_count_window(db: Database, location_id: int, argv: Sequence[str] | None = None) -> int:
    """Open a scanning station: an application with just the count window for one location."""
    app = QApplication.instance() or QApplication(list(argv or sys.argv[:1]))
    app.setOrganizationName("PARStudio")
    app.setApplicationName("PAR Studio")
    window = CountWindow(db, location_id)

    def propose(requested: int) -> None:
        from parstudio.services import proposals

        proposal = proposals.propose_orders(db, location_ids=[requested])
        to_order = [line for line in proposal.lines if line.packs]
        QMessageBox.information(
            window,
            "Order proposal",
            f"{len(to_order)} line(s) to order for {window.sheet.location_code}. Open PAR Studio "
            "to review and approve the proposal.",
        )

    window.proposal_requested.connect(propose)
    window.resize(1366, 800)
    window.show()
    return int(app.exec())
