"""The count screen's widgets and how they show a count; `CountScreen` adds what they do."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.counting import CountSheet, CountSheetLine, ScanOutcome
from parstudio.domain.enums import CountType
from parstudio.services.core.database import Database
from parstudio.services.counting.journal import ScanJournal
from parstudio.ui.counting.offline_banner import OfflineBanner
from parstudio.ui.counting.sheet_model import CountSheetModel

__all__ = ["BASE_POINT_SIZE", "CountScreenLayout", "say_in_status", "tab_chain"]

BASE_POINT_SIZE = 16
# Styles go on the widgets they are for, never on the screen: a style sheet on an ancestor
# sends every table cell through the (slower) style sheet painter on every repaint.
TITLE_STYLE = "font-size: 24pt; font-weight: bold;"
SUBTITLE_STYLE = "font-size: 13pt; color: #555555;"
HEADER_STYLE = "QHeaderView::section { font-size: 13pt; font-weight: bold; padding: 4px; }"
STATUS_STYLE = """
QLabel { font-size: 16pt; padding: 6px 10px; background: #eef3f8; color: #1b2b3a; }
QLabel[error="true"] { background: #fde7e9; color: #8a0012; font-weight: bold; }
"""


def say_in_status(status: QLabel, text: str, *, error: bool) -> None:
    """Put a message in a screen's status strip (styled by STATUS_STYLE): red for problems."""
    status.setText(text)
    if status.property("error") != error:
        status.setProperty("error", error)
        # A dynamic property only restyles after a re-polish.
        status.style().unpolish(status)
        status.style().polish(status)


def tab_chain(*widgets: QWidget) -> None:
    """Tab goes from each widget to the next, in this order."""
    for first, second in pairwise(widgets):
        QWidget.setTabOrder(first, second)


class CountScreenLayout(QWidget):
    """The count screen's widgets: title and tally, the lines, quantity box, status, buttons."""

    settings_requested = Signal()

    sheet: CountSheet
    model: CountSheetModel

    @property
    def scan_adds_one(self) -> bool:
        """Whether a scan of an ON HAND item adds one here (the screen decides)."""
        raise NotImplementedError

    def _build(self, db: Database, journal: ScanJournal) -> None:
        """Lay the screen out; the actions are wired by `CountScreen`."""
        self.setWindowTitle(f"Count — {self.sheet.location_code} {self.sheet.location_name}")
        font = self.font()
        font.setPointSize(BASE_POINT_SIZE)
        self.setFont(font)

        title = QLabel(self.sheet.location_name)
        title.setObjectName("countTitle")
        title.setStyleSheet(TITLE_STYLE)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("subtitle")
        self.subtitle.setStyleSheet(SUBTITLE_STYLE)
        self.tally_label = QLabel()
        self.tally_label.setObjectName("tally")
        self.tally_label.setStyleSheet(TITLE_STYLE)
        self.tally_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Labels whose text changes with every scan get a width that does not depend on the
        # text: otherwise each scan re-lays out, and repaints, the whole screen.
        tally_font = QFont(self.font())
        tally_font.setPointSize(24)
        tally_font.setBold(True)
        tally_width = QFontMetrics(tally_font).horizontalAdvance("Counted 00000 / 00000")
        self.tally_label.setFixedWidth(tally_width + 8)
        heading = QVBoxLayout()
        heading.addWidget(title)
        heading.addWidget(self.subtitle)
        header = QHBoxLayout()
        header.addLayout(heading, 1)
        header.addWidget(self.tally_label)

        self.table = QTableView()
        self.table.setObjectName("count_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        horizontal = self.table.horizontalHeader()
        horizontal.setStyleSheet(HEADER_STYLE)
        # Fixed widths, not ResizeToContents: that would measure every row of a 2,000-line
        # location on each repaint of a scanned row.
        horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        horizontal.setSectionResizeMode(
            CountSheetModel.COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch
        )
        metrics = self.fontMetrics()
        for column, widest in (
            (CountSheetModel.COL_BIN, "A-00-0"),
            (CountSheetModel.COL_ITEM, "ABC-0000"),
            (CountSheetModel.COL_TYPE, "ORDER QTY"),  # the header says "Type"
            (CountSheetModel.COL_EXPECTED, "Expected"),
            (CountSheetModel.COL_COUNTED, "Counted"),
            (CountSheetModel.COL_LOT, "Lot / expiry"),  # longer lots: elided, in the tooltip
        ):
            horizontal.resizeSection(column, metrics.horizontalAdvance(widest) + 16)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the quantity box
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)

        self.quantity_label = QLabel("Quantity:")
        self.quantity_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.quantity_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        self.quantity = QLineEdit()
        self.quantity.setObjectName("quantity")
        self.quantity.setPlaceholderText("type, then Enter")
        self.quantity.setMaximumWidth(220)
        self.quantity_label.setBuddy(self.quantity)
        entry = QHBoxLayout()
        entry.addWidget(self.quantity_label, 1)
        entry.addWidget(self.quantity)

        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setStyleSheet(STATUS_STYLE)
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(self.fontMetrics().height() * 2 + 16)
        self.status.setFrameShape(QFrame.Shape.StyledPanel)

        self.unmatched = QListWidget()
        self.unmatched.setObjectName("unmatched")
        self.link_button = QPushButton("&Link to item…")
        self.link_button.setEnabled(False)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        unmatched_title = QLabel("Unmatched scans")
        unmatched_title.setObjectName("sideTitle")
        unmatched_title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        side_layout.addWidget(unmatched_title)
        side_layout.addWidget(self.unmatched, 1)
        side_layout.addWidget(self.link_button)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1150, 200])

        # The action is for menus and buttons; Ctrl+Z itself is caught by the scan catcher so
        # it also wins over the main window's own Undo when the screen is embedded there.
        self.undo_action = QAction("Undo last scan", self)
        self.undo_button = QPushButton("&Undo last scan (Ctrl+Z)")
        self.settings_button = QPushButton("Scanner &settings…")
        self.settings_button.clicked.connect(self.settings_requested.emit)
        self.finish_button = QPushButton("Fi&nish count…")
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.undo_button)
        self.buttons.addWidget(self.settings_button)
        self.load_button = QPushButton("L&oad scans from a file…")
        self.load_button.setToolTip(
            "Record a handheld scanner's batch export (one barcode a line, or barcode,quantity)"
        )
        self.buttons.addWidget(self.load_button)
        # Scans refused because a count was finished, offered back when this location is counted.
        self.set_aside_button = QPushButton()
        self.set_aside_button.setObjectName("setAside")
        self.set_aside_button.setVisible(False)
        self.buttons.addWidget(self.set_aside_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.finish_button)

        self.offline_banner = OfflineBanner(db, journal, self)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.offline_banner)
        layout.addWidget(splitter, 1)
        layout.addLayout(entry)
        layout.addWidget(self.status)
        layout.addLayout(self.buttons)

        tab_chain(
            self.table,
            self.quantity,
            self.unmatched,
            self.link_button,
            self.undo_button,
            self.settings_button,
            self.load_button,
            self.finish_button,
        )
        self._show_options()
        if self.model.rowCount():
            self.table.selectRow(0)
        self.table.setFocus()

    def _show_options(self) -> None:
        """The subtitle and the Expected column, by the location's and workstation's options."""
        started = self.sheet.started_at.astimezone()
        details = [self.sheet.location_code, f"started {started:%d %b %Y %H:%M}"]
        if self.sheet.blind:
            details.append("blind count")
        if not self.scan_adds_one:
            details.append("a scan asks for the quantity")
        self.subtitle.setText(" · ".join(details))
        self.table.setColumnHidden(CountSheetModel.COL_EXPECTED, self.sheet.blind)

    def current_line(self) -> CountSheetLine | None:
        """The line the quantity box is for."""
        index = self.table.currentIndex()
        return self.model.line_at(index.row()) if index.isValid() else None

    def show_message(self, text: str, *, error: bool = False) -> None:
        """Put a message in the status strip: red for problems."""
        say_in_status(self.status, text, error=error)

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

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        line = self.model.line_at(current.row()) if current.isValid() else None
        if line is None:
            self.quantity_label.setText("Quantity:")
            return
        what = "Quantity to order" if line.count_type == CountType.ORDER_QTY else "Quantity"
        self.quantity_label.setText(f"{what} for {line.item_code} {line.description}:")
