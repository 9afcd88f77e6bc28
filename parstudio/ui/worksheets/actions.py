"""The worksheet commands of the File menu: import, and the four exports, each off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QSettings, QStandardPaths, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox, QWidget

from parstudio.domain.progress import Progress
from parstudio.ui.kit.background import Task, run_with_progress

if TYPE_CHECKING:
    from parstudio.services.core.database import Database
    from parstudio.ui.worksheets.export_dialog import ExportWorksheetDialog
    from parstudio.ui.worksheets.import_dialog import ImportWorksheetDialog

# The dialogs and the worksheet services (openpyxl, calamine) are imported when first used,
# so that they do not slow the app's start.

XLSX_FILTER = "Excel workbooks (*.xlsx)"
FOLDER_KEY = "export/folder"


def export_folder() -> Path:
    """Where an export is offered first: the folder last saved to, else the user's Documents."""
    last = QSettings().value(FOLDER_KEY)
    if last and Path(str(last)).is_dir():
        return Path(str(last))
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def export_target(typed: str) -> Path:
    """The full path of a file name typed or chosen: a bare name goes to the export folder."""
    path = Path(typed).expanduser()
    return path if path.is_absolute() else export_folder() / path


def show_saved(parent: QWidget, message: str, path: Path) -> QMessageBox:
    """Say where a file was written (its full path), with a button that opens its folder."""
    box = QMessageBox(QMessageBox.Icon.Information, "Export finished", message, parent=parent)
    box.setObjectName("export_finished")
    open_button = box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Ok)
    box.setDefaultButton(QMessageBox.StandardButton.Ok)
    open_button.clicked.connect(
        lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
    )
    box.setModal(False)
    box.open()
    return box


class Window(Protocol):
    """What the actions need of the main window."""

    db: Database

    def refresh_pages(self) -> None: ...

    def show_status(self, message: str) -> None: ...

    def report_error(self, exc: BaseException) -> None: ...


class WorksheetActions:
    """File ▸ Import worksheet… and File ▸ Export ▸ …, for one main window."""

    def __init__(self, window: Any) -> None:
        self.window: Window = window
        self.widget: QWidget = window
        self.task: Task | None = None
        self.import_action = QAction("&Import worksheet…", window)
        self.import_action.triggered.connect(lambda _checked=False: self.import_worksheet())
        self.export_worksheet_action = QAction("&PAR worksheet…", window)
        self.export_worksheet_action.triggered.connect(
            lambda _checked=False: self.export_worksheet()
        )
        self.export_proposal_action = QAction("P&roposal…", window)
        self.export_proposal_action.triggered.connect(lambda _checked=False: self.export_proposal())
        self.export_orders_action = QAction("&Orders…", window)
        self.export_orders_action.triggered.connect(lambda _checked=False: self.export_orders())
        self.export_catalogue_action = QAction("Item &catalogue…", window)
        self.export_catalogue_action.triggered.connect(
            lambda _checked=False: self.export_catalogue()
        )
        self.export_costs_action = QAction("Cost &allocation…", window)
        self.export_costs_action.triggered.connect(lambda _checked=False: self.cost_allocation())
        self.export_consignment_action = QAction("Co&nsignment usage…", window)
        self.export_consignment_action.triggered.connect(
            lambda _checked=False: self.consignment_usage()
        )

    def add_to(self, menu: QMenu) -> None:
        """Put the actions in the File menu."""
        menu.addAction(self.import_action)
        self.export_menu = menu.addMenu("&Export")
        for action in (
            self.export_worksheet_action,
            self.export_proposal_action,
            self.export_orders_action,
            self.export_catalogue_action,
        ):
            self.export_menu.addAction(action)
        self.export_menu.addSeparator()
        self.export_menu.addAction(self.export_costs_action)
        self.export_menu.addAction(self.export_consignment_action)

    # -- reports with their own screens (the figures first, then Export to Excel there)
    def cost_allocation(self) -> None:
        """Open the cost allocation, to choose the period and filters and export it."""
        from parstudio.ui.costs.dialogs import open_cost_allocation

        open_cost_allocation(self.widget, self.window.db)

    def consignment_usage(self) -> None:
        """Open consignment usage, to choose the period and vendor and export or print it."""
        from parstudio.ui.costs.dialogs import open_consignment_usage

        open_consignment_usage(self.widget, self.window.db)

    # -- import
    def import_worksheet(self) -> ImportWorksheetDialog:
        """Open the import wizard; the pages read their data again once it has imported."""
        from parstudio.ui.worksheets.import_dialog import ImportWorksheetDialog

        dialog = ImportWorksheetDialog(self.window.db, self.widget)
        dialog.imported.connect(lambda _preview: self.window.refresh_pages())
        dialog.setModal(True)
        dialog.show()
        self.dialog = dialog
        return dialog

    # -- exports
    def _save_path(self, title: str, name: str) -> str | None:
        start = str(export_folder() / name)
        path, _ = QFileDialog.getSaveFileName(self.widget, title, start, XLSX_FILTER)
        return path or None

    def export_worksheet(self, dialog: ExportWorksheetDialog | None = None) -> Task | None:
        """Ask which locations and options, then write the PAR worksheet."""
        from parstudio.services import worksheets
        from parstudio.services.catalog import locations
        from parstudio.ui.worksheets.export_dialog import ExportWorksheetDialog

        if dialog is None:
            places = locations.list_locations(self.window.db)
            start = str(export_folder() / "par-worksheet.xlsx")
            dialog = ExportWorksheetDialog(places, start, self.widget)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
        codes, path = dialog.location_codes(), str(export_target(dialog.path()))
        counts, proposal = dialog.include_counts(), dialog.include_proposal()
        return self._export(
            "Writing the PAR worksheet…",
            path,
            lambda progress: worksheets.export_worksheet(
                self.window.db,
                path=path,
                location_codes=codes,
                include_counts=counts,
                include_proposal=proposal,
                progress=progress,
            ),
            "PAR settings",
        )

    def export_proposal(self, path: str | None = None) -> Task | None:
        """Write the order proposal from the latest counts."""
        from parstudio.services import worksheets

        path = path or self._save_path("Export proposal", "proposal.xlsx")
        if path is None:
            return None
        target = str(export_target(path))
        return self._export(
            "Writing the proposal…",
            target,
            lambda progress: worksheets.export_proposal(
                self.window.db, path=target, progress=progress
            ),
            "proposal lines",
        )

    def export_orders(self, path: str | None = None) -> Task | None:
        """Write every order, one row per line."""
        from parstudio.services import worksheets

        path = path or self._save_path("Export orders", "orders.xlsx")
        if path is None:
            return None
        target = str(export_target(path))
        return self._export(
            "Writing the orders…",
            target,
            lambda progress: worksheets.export_orders(
                self.window.db, path=target, progress=progress
            ),
            "order lines",
        )

    def export_catalogue(self, path: str | None = None) -> Task | None:
        """Write the item catalogue."""
        from parstudio.services import worksheets

        path = path or self._save_path("Export item catalogue", "catalogue.xlsx")
        if path is None:
            return None
        target = str(export_target(path))
        return self._export(
            "Writing the item catalogue…",
            target,
            lambda progress: worksheets.export_catalogue(
                self.window.db, path=target, progress=progress
            ),
            "items",
        )

    def _export(self, label: str, path: str, job: Callable[[Progress], int], what: str) -> Task:
        target = Path(path)
        name = target.name

        def done(rows: Any) -> None:
            self.task = None
            QSettings().setValue(FOLDER_KEY, str(target.parent))
            message = f"Wrote {rows:,} {what} to {target}."
            self.window.show_status(message)
            self.saved_box = show_saved(self.widget, message, target)

        def failed(exc: BaseException) -> None:
            self.task = None
            self.window.report_error(exc)

        def cancelled() -> None:
            self.task = None
            # The file is saved only at the end, so a stopped export leaves nothing behind.
            self.window.show_status(f"Export stopped; {name} was not written.")

        self.task = run_with_progress(
            self.widget, label, job, on_done=done, on_error=failed, on_cancel=cancelled
        )
        return self.task
