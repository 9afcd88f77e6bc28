"""The case screen for one location: scan a case label, then the items used on it.

Built like the count screen and catching the scanner with the same `ScanCatcher`: a scan of a
case label opens (or re-opens) that case, a scan of an item records it on the open case, and
every refusal is said in red with a beep. A viewer sees the cases and their lines, with masked
identifiers, and can change nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
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

from parstudio.domain.cases import CaseRecord, CaseScan, UseLineRecord, UseRefused
from parstudio.domain.errors import ParStudioError, ValidationError
from parstudio.domain.roles import Action
from parstudio.domain.scan_journal import new_client_id
from parstudio.domain.scanner_input import BrokenScan, ScanEvent
from parstudio.services import cases
from parstudio.services.core.database import Database
from parstudio.ui.cases.models import CaseListModel, UseLinesModel
from parstudio.ui.counting.scan_catcher import ScanCatcher
from parstudio.ui.counting.scanner_settings import ScannerSettings
from parstudio.ui.counting.screen_layout import STATUS_STYLE, SUBTITLE_STYLE
from parstudio.ui.kit.permissions import permit, who_may

__all__ = ["CaseScreen"]

BASE_POINT_SIZE = 12
TABLE_POINT_SIZE = 11
TITLE_STYLE = "font-size: 20pt; font-weight: bold;"
CASE_STYLE = "font-size: 18pt; font-weight: bold; color: #1b2b3a;"
NO_CASE_STYLE = "font-size: 18pt; font-weight: bold; color: #8a5300;"
HEADER_STYLE = "QHeaderView::section { font-size: 11pt; font-weight: bold; padding: 2px; }"
NO_CASE = "No case open: scan the case label"


class CaseScreen(QWidget):
    """Record what is used on cases at one location, scan by scan, each saved at once."""

    def __init__(
        self,
        db: Database,
        location_id: int,
        title: str,
        *,
        settings: QSettings | None = None,
        clock: Callable[[], float] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self.location_id = location_id
        self.scanner = ScannerSettings.load(settings)
        self.case: CaseRecord | None = None
        self.case_model = CaseListModel(self)
        self.lines_model = UseLinesModel(self)
        self._build(title)
        self._wire()
        self.catcher = ScanCatcher(
            self,
            max_interval_ms=self.scanner.max_interval_ms,
            clock=clock,
            fallback=self.lines,
            catch_undo=True,
            typing_target=self._typing_target,
        )
        self.catcher.scanned.connect(self._scanned)
        self.catcher.broken.connect(self._broken)
        self.catcher.undo_requested.connect(self.undo_last_line)
        self.catcher.start()
        self.reload_cases()
        self._show_case(None)
        self._apply_permissions()
        if self.read_only:
            self.show_message(
                "You are signed in as a viewer: you can look at the cases here (their "
                "identifiers hidden), not record or change anything."
            )
        else:
            self.show_message(
                "Scan the case label (or type the case number and press Enter), then scan each "
                "item used on it."
            )
        self.lines.setFocus()

    # --- building ----------------------------------------------------------------------------

    def _build(self, title_text: str) -> None:
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
        for first, second in (
            (self.open_box, self.procedure),
            (self.procedure, self.physician),
            (self.physician, self.save_button),
            (self.save_button, self.lines),
            (self.lines, self.quantity),
            (self.quantity, self.undo_button),
            (self.undo_button, self.void_button),
            (self.void_button, self.case_list),
        ):
            QWidget.setTabOrder(first, second)

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

    def _wire(self) -> None:
        self.open_box.returnPressed.connect(self.open_typed_case)
        self.procedure.returnPressed.connect(self.save_details)
        self.physician.returnPressed.connect(self.save_details)
        self.save_button.clicked.connect(self.save_details)
        self.undo_button.clicked.connect(self.undo_last_line)
        self.void_button.clicked.connect(self.void_selected_line)
        self.case_list.activated.connect(self._case_chosen)
        self.case_list.clicked.connect(self._case_chosen)
        self.lines.selectionModel().currentRowChanged.connect(lambda *_: self._apply_permissions())

    def _typing_target(self, widget: QWidget) -> QWidget:
        """What is typed on the lines goes to the quantity box (digits before a scan)."""
        if widget is self.lines and self.quantity.isEnabled():
            self.quantity.setFocus()
            return self.quantity
        return widget

    @property
    def read_only(self) -> bool:
        """Whether the signed-in person may record nothing here (a viewer)."""
        return bool(who_may(self._db, "use_line"))

    def _apply_permissions(self) -> None:
        has_case = self.case is not None
        permit(self.open_box, self._db, "patient_case")
        permit(self.quantity, self._db, "use_line")
        for box in (self.procedure, self.physician):
            permit(box, self._db, "patient_case", Action.UPDATE, enabled=has_case)
        permit(self.save_button, self._db, "patient_case", Action.UPDATE, enabled=has_case)
        permit(self.undo_button, self._db, "use_line", Action.UPDATE, enabled=has_case)
        line = self.selected_line()
        permit(
            self.void_button,
            self._db,
            "use_line",
            Action.UPDATE,
            enabled=line is not None and not line.voided,
        )

    # --- showing -----------------------------------------------------------------------------

    def show_message(self, text: str, *, error: bool = False) -> None:
        """Put a message in the status strip: red for a refusal."""
        self.status.setText(text)
        if self.status.property("error") != error:
            self.status.setProperty("error", error)
            self.status.style().unpolish(self.status)
            self.status.style().polish(self.status)

    def refuse(self, text: str) -> None:
        """Say (in red) why nothing was recorded, with a beep."""
        self.show_message(text, error=True)
        if self.scanner.sound:
            QApplication.beep()

    def reload_cases(self) -> None:
        """Read the location's cases again."""
        found = cases.list_cases(self._db, location_id=self.location_id, limit=200)
        self.case_model.set_rows(found)
        self._say_count()

    def _say_count(self) -> None:
        shown = self.case_model.rowCount()
        self.subtitle.setText(
            f"{shown} case(s) opened here, newest first · a case label scanned opens its case"
        )

    def _show_case(self, case: CaseRecord | None, *, lines: bool = True) -> None:
        self.case = case
        if case is None:
            self.case_label.setText(NO_CASE)
            self.case_label.setStyleSheet(NO_CASE_STYLE)
            self.procedure.clear()
            self.physician.clear()
            self.lines_model.set_rows([])
        else:
            opened = case.opened_at.astimezone()
            self.case_label.setText(
                f"Case {case.identifier} · opened {opened:%d %b %H:%M} by "
                f"{case.opened_by or 'someone'} at {case.location_code}"
            )
            self.case_label.setStyleSheet(CASE_STYLE)
            self.procedure.setText(case.procedure or "")
            self.physician.setText(case.physician or "")
            if lines:
                self.lines_model.set_rows(cases.list_use_lines(self._db, case_id=case.id))
            row = self.case_model.put(case)
            self.case_list.selectRow(row)
            self._say_count()
        self._apply_permissions()

    def selected_line(self) -> UseLineRecord | None:
        """The line chosen in the table."""
        index = self.lines.currentIndex()
        return self.lines_model.line_at(index.row()) if index.isValid() else None

    def _case_chosen(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        try:  # read again: someone may have added to it or changed it since the list was read
            case = cases.get_case(self._db, case_id=self.case_model.record(index.row()).id)
        except ParStudioError as exc:
            self.refuse(str(exc))
            return
        self._show_case(case)
        self.show_message(f"Case {case.identifier}: {case.lines} line(s).")

    # --- scanning ----------------------------------------------------------------------------

    def _scanned(self, event: ScanEvent) -> None:
        self.handle_scan(event.text)

    def _broken(self, broken: BrokenScan) -> None:
        self.refuse(
            f"A scan came in pieces ({broken.describe()}) and was NOT recorded: scan it again."
        )

    def handle_scan(self, text: str) -> CaseScan | None:
        """A case label opens its case; an item is recorded on the open case."""
        if self.read_only:
            self.refuse(who_may(self._db, "use_line") + " Nothing was recorded.")
            return None
        try:
            done = cases.scan_on_case(
                self._db,
                location_id=self.location_id,
                case_id=self.case.id if self.case is not None else None,
                text=text,
                quantity=self.quantity.text().strip() or None,
                client_id=new_client_id(),
                group_separator=self.scanner.group_separator,
            )
        except ValidationError as exc:
            self.refuse(str(exc))
            if exc.field == "quantity" and not isinstance(exc, UseRefused):
                self.quantity.setFocus()
                self.quantity.selectAll()
            return None
        except ParStudioError as exc:
            self.refuse(str(exc))
            return None
        if done.opened:
            self._show_case(done.case)
        else:
            self._line_added(done)
        self.show_message(done.message)
        return done

    def _line_added(self, done: CaseScan) -> None:
        self.quantity.clear()
        if done.line is not None and self.lines_model.replace(done.line) is None:
            row = self.lines_model.append(done.line)
            self.lines.selectRow(row)
            self.lines.scrollToBottom()
        self._show_case(done.case, lines=False)

    def open_typed_case(self) -> CaseRecord | None:
        """Open the case whose number was typed in the Case box."""
        typed = self.open_box.text().strip()
        if not typed:
            return None
        try:
            case = cases.open_case(self._db, identifier=typed, location_id=self.location_id)
        except ParStudioError as exc:
            self.refuse(str(exc))
            self.open_box.selectAll()
            return None
        self.open_box.clear()
        self._show_case(case)
        self.show_message(f"Case {case.identifier} open: scan the items used on it.")
        self.lines.setFocus()
        return case

    def save_details(self) -> CaseRecord | None:
        """Save the procedure and physician of the open case."""
        if self.case is None:
            return None
        try:
            case = cases.update_case(
                self._db,
                case_id=self.case.id,
                changes={"procedure": self.procedure.text(), "physician": self.physician.text()},
                expected_version=self.case.version,
            )
        except ParStudioError as exc:
            self.refuse(str(exc))
            return None
        self._show_case(case, lines=False)
        self.show_message(f"Saved the procedure and physician of case {case.identifier}.")
        self.lines.setFocus()
        return case

    def undo_last_line(self) -> None:
        """Void the latest line you recorded on the open case."""
        if self.case is None or self.read_only:
            return
        try:
            line = cases.undo_last_use(self._db, case_id=self.case.id)
        except ParStudioError as exc:
            self.refuse(str(exc))
            return
        self._line_voided(line.id)

    def void_selected_line(self) -> None:
        """Void the line chosen in the table (it stays, struck through)."""
        line = self.selected_line()
        if line is None or self.read_only:
            return
        try:
            voided = cases.void_use(self._db, line_id=line.id)
        except ParStudioError as exc:
            self.refuse(str(exc))
            return
        self._line_voided(voided.id)

    def _line_voided(self, line_id: int) -> None:
        assert self.case is not None
        for line in cases.list_use_lines(self._db, case_id=self.case.id):
            if line.id == line_id:
                self.lines_model.replace(line)
                self.show_message(
                    f"Voided: {line.item_code} {line.description} (kept, struck through)."
                )
        self._show_case(cases.get_case(self._db, case_id=self.case.id), lines=False)

    def stop(self) -> None:
        """Stop catching scans (the screen is put away)."""
        self.catcher.stop()
