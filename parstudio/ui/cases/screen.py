"""The case screen for one location: scan a case label, then the items used on it.

Built like the count screen and catching the scanner with the same `ScanCatcher`: a scan of a
case label opens (or re-opens) that case, a scan of an item records it on the open case, and
every refusal is said in red with a beep. A viewer sees the cases and their lines, with masked
identifiers, and can change nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QSettings
from PySide6.QtWidgets import (
    QApplication,
    QWidget,
)

from parstudio.domain.cases import CaseRecord, CaseScan, UseRefused
from parstudio.domain.errors import ParStudioError, ValidationError
from parstudio.domain.roles import Action
from parstudio.domain.scan_journal import new_client_id
from parstudio.domain.scanner_input import BrokenScan, ScanEvent
from parstudio.services import cases
from parstudio.services.core.database import Database
from parstudio.ui.cases.models import CaseListModel, UseLinesModel
from parstudio.ui.cases.screen_layout import CASE_STYLE, NO_CASE, NO_CASE_STYLE, CaseScreenLayout
from parstudio.ui.counting.scan_catcher import ScanCatcher
from parstudio.ui.counting.scanner_settings import ScannerSettings
from parstudio.ui.kit.permissions import permit, who_may

__all__ = ["CaseScreen"]


class CaseScreen(CaseScreenLayout):
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

    def refuse(self, text: str) -> None:
        """Say (in red) why nothing was recorded, with a beep."""
        self.alarm(text)

    def alarm(self, text: str) -> None:
        """Say something in red, with a beep: a refusal, or a use someone must act on."""
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
        if done.warning:
            self.alarm(done.warning)
        else:
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
