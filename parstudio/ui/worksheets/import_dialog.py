"""File ▸ Import worksheet…: choose a file, map its columns, preview, apply, see what was done.

Reading, checking and applying run off the UI thread (see background.py) with a progress bar
and a Cancel button; nothing is written until the user presses Import, and then all or nothing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.errors import ConflictError, ParStudioError
from parstudio.domain.progress import Progress
from parstudio.domain.worksheet import map_headers
from parstudio.domain.worksheet_preview import ImportPreview, ParsedWorksheet
from parstudio.services import worksheets
from parstudio.services.core.database import Database
from parstudio.ui.kit.background import Job, Receiver, Task
from parstudio.ui.kit.errors import show_error
from parstudio.ui.kit.geometry import fit_and_remember
from parstudio.ui.worksheets.import_pages import ChoosePage, DonePage, MappingPage, PreviewPage
from parstudio.ui.worksheets.import_views import (
    changes_tree,
    counts_table,
    needs_mapping,
    new_records_tree,
    notes_count,
    notes_tree,
    problems_text,
    remember_mapping,
    remembered_mapping,
    summary,
)

XLSX_FILTER = (
    "Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv);;Excel workbooks (*.xlsx *.xlsm *.xls);;"
    "OpenDocument spreadsheets (*.ods);;CSV files (*.csv);;All files (*)"
)
CHOOSE, MAPPING, PREVIEW, DONE = range(4)


def _halves(progress: Progress) -> tuple[Progress, Progress]:
    """Two progress callbacks that fill the first and the second half of one bar."""

    def first(done: int, total: int) -> None:
        progress(done * 500 // total if total else 0, 1000)

    def second(done: int, total: int) -> None:
        progress(500 + (done * 500 // total if total else 500), 1000)

    return first, second


def mapping_problems(header: Any) -> str:
    """What is wrong with a column matching, one line each ('' if nothing)."""
    lines = [
        "No Location column: each sheet's name is read as its location (or choose the "
        "column under Read as)."
        if name == "Location" and header.has("Item Code")
        else f"No column of your sheet was recognised as {name}; choose it under Read as."
        for name in header.missing
    ]
    missing = {f"The sheet has no {name} column." for name in header.missing}
    lines += [error.message for error in header.errors if error.message not in missing]
    return "\n".join(lines)


class ImportWorksheetDialog(QDialog):
    """The import wizard: choose → map columns (when needed) → preview → import → summary."""

    imported = Signal(object)
    """Emitted with the applied ImportPreview once the import is written."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Import worksheet")
        fit_and_remember(self, "import_worksheet", QSize(900, 620))
        self.sheet: Any = None
        self.mapping_to_remember: tuple[Any, dict[str, str]] | None = None
        self.parsed: ParsedWorksheet | None = None
        self.preview: ImportPreview | None = None
        self.task: Task | None = None
        self.stack = QStackedWidget(self)
        choose, mapping, preview, done = ChoosePage(), MappingPage(), PreviewPage(), DonePage()
        for page in (choose, mapping, preview, done):
            self.stack.addWidget(page)
        self.path_edit, self.browse_button = choose.path_edit, choose.browse_button
        self.path_edit.textChanged.connect(self._update_buttons)
        self.browse_button.clicked.connect(self.browse)
        self.mapping_table = mapping.mapping_table
        self.mapping_table.mapping_changed.connect(self._mapping_changed)
        self.mapping_problem, self.remember_box = mapping.mapping_problem, mapping.remember_box
        self.summary_label, self.tabs = preview.summary_label, preview.tabs
        self.problems_page, self.problems_table = preview.problems_page, preview.problems_table
        self.copy_problems_button = preview.copy_problems_button
        self.copy_problems_button.clicked.connect(self.copy_problems)
        self.save_problems_button = preview.save_problems_button
        self.save_problems_button.clicked.connect(self.save_problems)
        self.done_label, self.done_details = done.done_label, done.done_details

        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.status_label = QLabel()
        self.status_label.setObjectName("status_label")
        self.status_label.setWordWrap(True)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop reading or checking; nothing is written")
        self.stop_button.clicked.connect(self.stop)
        working = QHBoxLayout()
        working.addWidget(self.progress_bar, 1)
        working.addWidget(self.stop_button)

        self.back_button = QPushButton("< Back")
        self.next_button = QPushButton("Next >")
        self.import_button = QPushButton("Import")
        self.close_button = QPushButton("Cancel")
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.import_button.clicked.connect(self.apply)
        self.close_button.clicked.connect(self.reject)
        self.next_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        for button in (self.back_button, self.next_button, self.import_button, self.close_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(working)
        layout.addLayout(buttons)
        self._show(CHOOSE)

    # -- moving between pages
    def _show(self, page: int) -> None:
        self.stack.setCurrentIndex(page)
        self._update_buttons()

    def _update_buttons(self) -> None:
        page = self.stack.currentIndex()
        busy = self.task is not None
        self.progress_bar.setVisible(busy)
        self.stop_button.setVisible(busy)
        self.back_button.setVisible(page in (MAPPING, PREVIEW))
        self.back_button.setEnabled(not busy)
        self.next_button.setVisible(page in (CHOOSE, MAPPING, PREVIEW))
        self.next_button.setText("Check again" if page == PREVIEW else "Next >")
        self.next_button.setEnabled(
            not busy and (page != CHOOSE or bool(self.path_edit.text().strip()))
        )
        preview = self.preview
        can_import = preview is not None and preview.is_valid and preview.has_changes
        self.import_button.setVisible(page == PREVIEW)
        self.import_button.setEnabled(not busy and can_import)
        self.import_button.setDefault(page == PREVIEW and can_import)
        self.close_button.setText("Close" if page == DONE else "Cancel")

    def browse(self) -> None:
        """Choose the file."""
        path, _ = QFileDialog.getOpenFileName(self, "Import worksheet", "", XLSX_FILTER)
        if path:
            self.path_edit.setText(path)

    def next(self) -> None:
        """Go on from the page shown: read the file, or check it against the database."""
        page = self.stack.currentIndex()
        if page == CHOOSE:
            self.read_file()
        elif page == MAPPING:
            self.check(self.mapping_table.overrides(), from_mapping=True)
        elif page == PREVIEW:
            self.read_file(recheck=True)  # the user fixed the file: read it again

    def back(self) -> None:
        """Back to the mapping (from the preview) or to choosing the file."""
        page = self.stack.currentIndex()
        self._show(MAPPING if page == PREVIEW and self.sheet is not None else CHOOSE)

    # -- work off the UI thread
    def _run(self, label: str, job: Job, on_done: Any) -> None:
        self.progress_bar.setRange(0, 0)
        self.status_label.setText(label)
        task = Task(job)
        self.task = task
        self.receiver = Receiver(
            task,
            self,
            on_progress=self._progress,
            on_done=lambda result: self._finish(on_done, result),
            on_error=self._failed,
            on_cancel=self._cancelled,
        )
        self._update_buttons()
        task.start()

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))

    def _finish(self, on_done: Any, result: object) -> None:
        self.task = None
        self.status_label.setText("")
        on_done(result)
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.status_label.setText(exc.message if isinstance(exc, ParStudioError) else "")
        self._update_buttons()
        if isinstance(exc, ConflictError):
            self.status_label.setText(exc.message)
            self.check(self._overrides(), from_mapping=False)  # show the new situation
            return
        show_error(self, exc)

    def _cancelled(self) -> None:
        self.task = None
        self.status_label.setText("Stopped; nothing was changed.")
        self._update_buttons()

    def stop(self) -> None:
        """Stop the work under way (it stops at its next progress report)."""
        if self.task is not None:
            self.task.cancel()
            self.status_label.setText("Stopping…")

    def reject(self) -> None:
        """Close; work under way is told to stop, and writes nothing."""
        self.stop()
        super().reject()

    # -- steps
    def read_file(self, *, recheck: bool = False) -> None:
        """Read the chosen file (first sheet) off the UI thread."""
        path = Path(self.path_edit.text().strip())
        self._run(
            f"Reading {path.name}…",
            lambda progress: worksheets.read_worksheet(path, progress=progress),
            lambda sheet: self._read(path, sheet, recheck=recheck),
        )

    def _read(self, path: Path, sheet: Any, *, recheck: bool = False) -> None:
        same_columns = self.sheet is not None and list(self.sheet.header) == list(sheet.header)
        self.sheet = sheet
        self.path = path
        if recheck and same_columns:
            self.check(self._overrides(), from_mapping=False)  # keep the matching chosen
            return
        remembered = remembered_mapping(sheet.header)
        self.mapping_table.load(sheet.header, sheet.rows, remembered)
        header = map_headers(sheet.header, remembered)
        self.mapping_problem.setText(mapping_problems(header))
        if remembered is not None or needs_mapping(header):
            if remembered is not None:
                self.status_label.setText("Using the column matching you chose last time.")
            self._show(MAPPING)
            return
        self.check({}, from_mapping=False)

    def _mapping_changed(self) -> None:
        # Said again as the user maps: a problem mapped away must not stay on screen in red.
        if self.sheet is not None:
            header = map_headers(self.sheet.header, self.mapping_table.overrides())
            self.mapping_problem.setText(mapping_problems(header))

    def _overrides(self) -> dict[str, str]:
        return self.mapping_table.overrides() if self.mapping_table.combos else {}

    def check(self, overrides: dict[str, str], *, from_mapping: bool) -> None:
        """Parse the rows with this column matching and preview the import, off the UI thread."""
        if self.sheet is None:
            return
        header = map_headers(self.sheet.header, overrides)
        if from_mapping:
            # A sheet without a Location column takes its location from its name.
            errors = [
                e
                for e in header.errors
                if not (e.column_name == "Location" and header.has("Item Code"))
            ]
            if errors:
                self.mapping_problem.setText("\n".join(e.message for e in errors))
                return
            self.mapping_problem.setText("")
            # Remembered only once the import is made: a cancelled import saves nothing.
            remember = self.remember_box.isChecked()
            self.mapping_to_remember = (self.sheet.header, overrides) if remember else None
        sheet, path, db = self.sheet, self.path, self.db

        def job(progress: Progress) -> tuple[ParsedWorksheet, ImportPreview]:
            parsing, comparing = _halves(progress)
            parsed = worksheets.parse_worksheet(
                sheet, path=path, header_overrides=overrides, progress=parsing
            )
            return parsed, worksheets.preview_import(db, worksheet=parsed, progress=comparing)

        self._run(f"Checking {path.name}…", job, self._previewed)

    def _previewed(self, result: tuple[ParsedWorksheet, ImportPreview]) -> None:
        self.parsed, self.preview = result
        self.show_preview(self.preview)
        self._show(PREVIEW)

    def show_preview(self, preview: ImportPreview) -> None:
        """Fill the preview page: summary, then problems or what would change."""
        self.summary_label.setText(summary(preview))
        self.tabs.clear()
        self.problems_table.load(preview.errors)
        if preview.errors:
            self.tabs.addTab(self.problems_page, f"Problems ({len(preview.errors):,})")
            return
        new = (
            len(preview.new_locations)
            + len(preview.new_suppliers)
            + len(preview.new_items)
            + len(preview.new_settings)
        )
        changed = len(preview.changed_items) + len(preview.changed_settings)
        self.tabs.addTab(changes_tree(preview), f"Changes ({changed:,})")
        self.tabs.addTab(new_records_tree(preview), f"New ({new:,})")
        self.tabs.addTab(counts_table(preview), f"Counts ({len(preview.counts):,})")
        if notes_count(preview):
            self.tabs.addTab(notes_tree(preview), f"Notes ({notes_count(preview):,})")
        self.tabs.setCurrentIndex(0 if changed or not new else 1)

    def apply(self) -> None:
        """Write the import, all or nothing, off the UI thread."""
        if self.parsed is None or self.preview is None or not self.preview.is_valid:
            return
        parsed, preview, db = self.parsed, self.preview, self.db
        self._run(
            "Importing…",
            lambda progress: worksheets.apply_import(
                db, worksheet=parsed, expected=preview, progress=progress
            ),
            self._applied,
        )

    def _applied(self, done: ImportPreview) -> None:
        self.preview = done
        if self.mapping_to_remember is not None:
            remember_mapping(*self.mapping_to_remember)
        when = datetime.now().strftime("%H:%M")
        self.done_label.setText(
            summary(done) + f" Imported by {self.db.user_name} at {when}, in one go; "
            "the pages of the main window show the new values."
        )
        self.done_details.setPlainText(done.summary_text())
        self._show(DONE)
        self.imported.emit(done)

    # -- problems out of the dialog
    def copy_problems(self) -> None:
        """Put every problem on the clipboard, one per line."""
        if self.preview is not None:
            QApplication.clipboard().setText(problems_text(self.preview.errors))
            self.status_label.setText("Problems copied.")

    def save_problems(self) -> None:
        """Save every problem to a text file."""
        if self.preview is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Save problems", "worksheet-problems.txt", "Text files (*.txt)"
        )
        if path:
            Path(path).write_text(problems_text(self.preview.errors), encoding="utf-8")
            self.status_label.setText(f"Problems saved to {path}.")
