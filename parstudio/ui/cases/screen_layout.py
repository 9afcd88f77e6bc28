"""The case screen's widgets: title, the cases here, the case and its lines, quantity, status.

`CaseScreen` adds what they do.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.cases import UseLineRecord
from parstudio.ui.cases.models import CaseListModel, UseLinesModel
from parstudio.ui.counting.screen_layout import (
    STATUS_STYLE,
    SUBTITLE_STYLE,
    say_in_status,
    tab_chain,
)

__all__ = ["CASE_STYLE", "NO_CASE", "NO_CASE_STYLE", "CaseScreenLayout"]

BASE_POINT_SIZE = 12
TABLE_POINT_SIZE = 11
TITLE_STYLE = "font-size: 20pt; font-weight: bold;"
CASE_STYLE = "font-size: 18pt; font-weight: bold; color: #1b2b3a;"
NO_CASE_STYLE = "font-size: 18pt; font-weight: bold; color: #8a5300;"
HEADER_STYLE = "QHeaderView::section { font-size: 11pt; font-weight: bold; padding: 2px; }"
NO_CASE = "No case open: scan the case label"


class CaseScreenLayout(QWidget):
    """The case screen's widgets and how it says things; the actions are `CaseScreen`'s."""

    case_model: CaseListModel
    lines_model: UseLinesModel

    def _build(self, title_text: str) -> None:
        """Lay the screen out; the actions are wired by `CaseScreen`."""
        font = self.font()
        font.setPointSize(BASE_POINT_SIZE)
        self.setFont(font)
        title = QLabel(title_text, self)
        title.setObjectName("casesTitle")
        title.setStyleSheet(TITLE_STYLE)
        self.subtitle = QLabel(self)
        self.subtitle.setStyleSheet(SUBTITLE_STYLE)

        self.case_list = self._table(self.case_model, "case_list")
        self.case_list.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_title = QLabel("Cases here", side)
        side_title.setStyleSheet("font-weight: bold;")
        side_layout.addWidget(side_title)
        side_layout.addWidget(self.case_list, 1)

        self.case_label = QLabel(NO_CASE, self)
        self.case_label.setObjectName("case_identifier")
        self.open_box = QLineEdit(self)
        self.open_box.setObjectName("open_case")
        self.open_box.setPlaceholderText("number, Enter")
        self.open_box.setMaxLength(60)
        self.procedure = QLineEdit(self)
        self.procedure.setObjectName("procedure")
        self.procedure.setMaxLength(121)
        self.physician = QLineEdit(self)
        self.physician.setObjectName("physician")
        self.physician.setMaxLength(121)
        self.save_button = QPushButton("Sa&ve details", self)
        details = QGridLayout()
        open_label = QLabel("&Case:", self)
        open_label.setBuddy(self.open_box)
        procedure_label = QLabel("&Procedure:", self)
        procedure_label.setBuddy(self.procedure)
        physician_label = QLabel("P&hysician:", self)
        physician_label.setBuddy(self.physician)
        details.addWidget(open_label, 0, 0)
        details.addWidget(self.open_box, 0, 1)
        details.addWidget(procedure_label, 0, 2)
        details.addWidget(self.procedure, 0, 3)
        details.addWidget(physician_label, 0, 4)
        details.addWidget(self.physician, 0, 5)
        details.addWidget(self.save_button, 0, 6)
        details.setColumnStretch(1, 2)
        details.setColumnStretch(3, 3)
        details.setColumnStretch(5, 3)

        self.lines = self._table(self.lines_model, "use_lines")
        horizontal = self.lines.horizontalHeader()
        horizontal.setSectionResizeMode(
            UseLinesModel.COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch
        )
        self.lines.setTabKeyNavigation(False)
        self.lines.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.case_label)
        right_layout.addLayout(details)
        right_layout.addWidget(self.lines, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(side)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([240, 960])
        self.splitter.setChildrenCollapsible(False)

        self.quantity = QLineEdit(self)
        self.quantity.setObjectName("quantity")
        self.quantity.setPlaceholderText("1")
        self.quantity.setMaximumWidth(120)
        self.quantity.setAlignment(Qt.AlignmentFlag.AlignRight)
        quantity_label = QLabel("&Quantity of the next item scanned:", self)
        quantity_label.setBuddy(self.quantity)
        quantity_hint = QLabel("blank: one; a serial-tracked item is always one", self)
        quantity_hint.setStyleSheet(SUBTITLE_STYLE)
        self.undo_button = QPushButton("&Undo last line (Ctrl+Z)", self)
        self.void_button = QPushButton("V&oid selected line", self)
        entry = QHBoxLayout()
        entry.addWidget(quantity_label)
        entry.addWidget(self.quantity)
        entry.addWidget(quantity_hint, 1)
        entry.addWidget(self.undo_button)
        entry.addWidget(self.void_button)

        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setStyleSheet(STATUS_STYLE)
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(self.fontMetrics().height() * 3 + 16)
        self.status.setFrameShape(QFrame.Shape.StyledPanel)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(entry)
        layout.addWidget(self.status)
        tab_chain(
            self.open_box,
            self.procedure,
            self.physician,
            self.save_button,
            self.lines,
            self.quantity,
            self.undo_button,
            self.void_button,
            self.case_list,
        )

    def _table(self, model: CaseListModel | UseLinesModel, name: str) -> QTableView:
        table = QTableView(self)
        table.setObjectName(name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStyleSheet(HEADER_STYLE)
        table.horizontalHeader().setHighlightSections(False)
        font = table.font()
        font.setPointSize(TABLE_POINT_SIZE)
        table.setFont(font)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        metrics = table.fontMetrics()
        digit = metrics.horizontalAdvance("0")
        for column, spec in enumerate(model.columns):
            label = metrics.horizontalAdvance(spec.label) * 11 // 10 + 12  # a bold header
            table.setColumnWidth(column, max(label, digit * spec.width // 10 + 12))
        return table

    def show_message(self, text: str, *, error: bool = False) -> None:
        """Put a message in the status strip: red for a refusal."""
        say_in_status(self.status, text, error=error)

    def selected_line(self) -> UseLineRecord | None:
        """The line chosen in the table."""
        index = self.lines.currentIndex()
        return self.lines_model.line_at(index.row()) if index.isValid() else None
