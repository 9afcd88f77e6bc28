"""File ▸ Import worksheet… and File ▸ Export ▸ …, driven through their widgets offscreen."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import openpyxl
from PySide6.QtWidgets import QApplication

from parstudio.domain.errors import CancelledError
from parstudio.domain.progress import Progress
from parstudio.services import worksheets
from parstudio.services.catalog import locations, par_settings
from parstudio.ui.kit.background import Receiver, Task, run_with_progress
from parstudio.ui.shell.main_window import MainWindow
from parstudio.ui.worksheets.export_dialog import ExportWorksheetDialog
from parstudio.ui.worksheets.import_dialog import (
    CHOOSE,
    DONE,
    MAPPING,
    PREVIEW,
    ImportWorksheetDialog,
)

HEADER = ["Area", "Part #", "Desc", "UOM", "Vendor", "Par Qty", "On Hand", "Notes"]


def book(path: Path, rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Cath lab"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def finish(qtbot: Any, dialog: ImportWorksheetDialog) -> None:
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)


def test_import_wizard_maps_previews_refuses_problems_and_imports(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    path = book(
        tmp_path / "cath.xlsx",
        [
            ["CATH", "SYR-10", "Syringe 10 mL", "EA", "Medline", 24, 8, "top shelf"],
            ["CATH", "GLV-M", "Gloves M", "BX", "Medline", "twelve", 3, None],
        ],
    )
    dialog = window.worksheets.import_worksheet()
    qtbot.addWidget(dialog)
    assert dialog.stack.currentIndex() == CHOOSE and not dialog.next_button.isEnabled()
    qtbot.keyClicks(dialog.path_edit, str(path))
    qtbot.mouseClick(dialog.next_button, qtbot_button())
    finish(qtbot, dialog)

    # "Part #" is not a name PAR Studio knows: the user matches it by hand.
    assert dialog.stack.currentIndex() == MAPPING
    assert "Item Code" in dialog.mapping_problem.text()
    table = dialog.mapping_table
    assert table.item(1, table.HEADER).text() == "Part #"
    assert table.item(1, table.EXAMPLES).text() == "SYR-10, GLV-M"
    assert table.combos[5].currentText() == "PAR Level", "Par Qty matched by itself"
    assert table.combos[7].currentText() == "(ignore)", "Notes is not a PAR Studio column"
    table.combos[1].setCurrentText("Item Code")
    assert dialog.mapping_problem.text() == "", "the red message goes once it is mapped"
    qtbot.mouseClick(dialog.next_button, qtbot_button())
    finish(qtbot, dialog)

    assert dialog.stack.currentIndex() == PREVIEW
    assert not dialog.import_button.isEnabled(), "problems block the import"
    assert "1 problem(s) must be fixed" in dialog.summary_label.text()
    assert dialog.tabs.tabText(0) == "Problems (1)"
    problems = dialog.problems_table
    assert [problems.item(0, c).text() for c in range(4)] == [
        "Cath lab",
        "3",
        "F (PAR Level)",
        "PAR level must be a number, not “twelve”.",
    ]
    qtbot.mouseClick(dialog.copy_problems_button, qtbot_button())
    assert QApplication.clipboard().text() == (
        "Sheet “Cath lab”, Row 3, column F (PAR Level): PAR level must be a number, not “twelve”.\n"
    )

    # The user fixes the file and checks again: the matching is kept.
    book(
        path,
        [
            ["CATH", "SYR-10", "Syringe 10 mL", "EA", "Medline", 24, 8, "top shelf"],
            ["CATH", "GLV-M", "Gloves M", "BX", "Medline", 12, 3, None],
        ],
    )
    qtbot.mouseClick(dialog.next_button, qtbot_button())
    finish(qtbot, dialog)
    assert dialog.stack.currentIndex() == PREVIEW and dialog.import_button.isEnabled()
    assert "6 new, 0 changed" in dialog.summary_label.text()
    assert [dialog.tabs.tabText(i) for i in range(3)] == ["Changes (0)", "New (6)", "Counts (2)"]

    with qtbot.waitSignal(dialog.imported, timeout=20000):
        qtbot.mouseClick(dialog.import_button, qtbot_button())
    finish(qtbot, dialog)
    assert dialog.stack.currentIndex() == DONE
    assert "Imported 6 new" in dialog.done_label.text()
    assert "Counts recorded: 2 at CATH, dated at the import (" in dialog.done_details.toPlainText()
    assert window.page("Items").model.rowCount() == 2, "the pages read their data again"

    # The next sheet with the same headers offers the same matching, and shows old → new.
    book(
        path,
        [
            ["CATH", "SYR-10", "Syringe 10 mL", "EA", "Medline", 30, None, None],
            ["CATH", "GLV-M", "Gloves M", "BX", "Medline", 12, None, None],
        ],
    )
    again = ImportWorksheetDialog(window.db, window)
    qtbot.addWidget(again)
    again.path_edit.setText(str(path))
    again.next()
    finish(qtbot, again)
    assert again.stack.currentIndex() == MAPPING
    assert again.mapping_table.combos[1].currentText() == "Item Code"
    assert "last time" in again.status_label.text()
    again.next()
    finish(qtbot, again)
    tree = again.tabs.widget(0)
    assert again.tabs.tabText(0) == "Changes (1)"
    top = tree.topLevelItem(0)
    assert (top.text(0), top.text(1)) == ("2", "CATH / SYR-10")
    assert [top.child(0).text(c) for c in (1, 2, 3)] == ["PAR Level", "24", "30"]


def qtbot_button() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_an_unreadable_file_is_explained_and_nothing_moves_on(
    qtbot: Any, window: MainWindow, tmp_path: Path, messages: list[str]
) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook")
    dialog = ImportWorksheetDialog(window.db, window)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(path))
    dialog.next()
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    assert messages == ["notes.xlsx is not a spreadsheet (.xlsx, .xlsm, .xls, .ods or .csv)."]
    assert dialog.stack.currentIndex() == CHOOSE and dialog.task is None
    assert dialog.next_button.isEnabled()


def test_a_task_can_be_stopped_and_reports_on_the_ui_thread(qtbot: Any) -> None:
    seen: list[tuple[int, int]] = []
    outcome: list[str] = []
    main_thread = QApplication.instance().thread()  # type: ignore[union-attr]

    def job(progress: Progress) -> None:
        for step in range(1000):
            progress(step, 1000)
            time.sleep(0.005)

    def record(done: int, total: int) -> None:
        assert QApplication.instance().thread() is main_thread  # type: ignore[union-attr]
        seen.append((done, total))

    holder = ExportWorksheetDialog([], "x.xlsx")  # any widget, to own the receiver
    qtbot.addWidget(holder)
    task = Task(job)
    Receiver(
        task,
        holder,
        on_progress=record,
        on_done=lambda _r: outcome.append("done"),
        on_cancel=lambda: outcome.append("cancelled"),
    )
    task.start()
    qtbot.waitUntil(lambda: len(seen) > 3, timeout=5000)
    task.cancel()
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert outcome == ["cancelled"] and seen[-1][0] < 999


def test_quick_work_shows_no_progress_window_and_slow_work_does(
    qtbot: Any, window: MainWindow
) -> None:
    results: list[object] = []
    quick = run_with_progress(
        window, "Quick…", lambda _p: 1, on_done=results.append, on_error=results.append
    )
    qtbot.waitUntil(lambda: results == [1], timeout=5000)
    assert quick.was_shown is False  # type: ignore[attr-defined]

    def slow(progress: Progress) -> int:
        for step in range(30):
            progress(step, 30)
            time.sleep(0.05)
        return 2

    task = run_with_progress(window, "Slow…", slow, on_done=results.append, on_error=print)
    qtbot.waitUntil(lambda: task.dialog.isVisible(), timeout=5000)  # type: ignore[attr-defined]
    assert task.dialog.labelText() == "Slow…"  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: results == [1, 2], timeout=10000)
    assert task.was_shown is True  # type: ignore[attr-defined]


def test_cancelled_work_raises_cancelled_in_the_job(qtbot: Any, window: MainWindow) -> None:
    caught: list[BaseException] = []
    stopped: list[bool] = []

    def job(progress: Progress) -> None:
        try:
            while True:
                progress(0, 1)
                time.sleep(0.01)
        except CancelledError as exc:
            caught.append(exc)
            raise

    task = run_with_progress(
        window,
        "Forever…",
        job,
        on_done=print,
        on_error=print,
        on_cancel=lambda: stopped.append(True),
    )
    task.dialog.canceled.emit()  # as the Cancel button does  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: stopped == [True], timeout=5000)
    assert caught and "nothing was changed" in str(caught[0])


def test_export_menu_writes_each_file(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    menu = window.worksheets.export_menu
    assert [a.text() for a in menu.actions()] == [
        "&PAR worksheet…",
        "P&roposal…",
        "&Orders…",
        "Item &catalogue…",
        "",
        "Cost &allocation…",
        "Co&nsignment usage…",
    ]
    ct = locations.create_location(window.db, fields={"code": "CT1", "name": "CT room"})
    er = locations.create_location(window.db, fields={"code": "ER", "name": "Emergency"})
    from parstudio.services.catalog import items

    item = items.create_item(window.db, fields={"code": "SYR-10", "description": "Syringe"})
    for place in (ct, er):
        par_settings.create_par_setting(
            window.db, location_id=place.id, item_id=item.id, fields={"par_level": "5"}
        )

    dialog = ExportWorksheetDialog(locations.list_locations(window.db), str(tmp_path / "w.xlsx"))
    qtbot.addWidget(dialog)
    dialog.chosen_button.setChecked(True)
    assert dialog.problem.text() == "Tick at least one location."
    dialog.location_list.item(1).setCheckState(qtbot_checked())
    assert dialog.location_codes() == ["ER"] and dialog.problem.text() == ""
    dialog.proposal_box.setChecked(False)
    dialog.counts_box.setChecked(False)
    window.worksheets.export_worksheet(dialog)
    qtbot.waitUntil(lambda: window.worksheets.task is None, timeout=20000)
    assert f"Wrote 1 PAR settings to {tmp_path / 'w.xlsx'}." in window.statusBar().currentMessage()
    sheet = openpyxl.load_workbook(tmp_path / "w.xlsx")["PAR worksheet"]
    assert [sheet.cell(2, c).value for c in (1, 2)] == ["ER", "SYR-10"]
    assert sheet.max_row == 2

    for action, name, sheet_name in (
        (window.worksheets.export_proposal, "p.xlsx", "Proposal"),
        (window.worksheets.export_orders, "o.xlsx", "Orders"),
        (window.worksheets.export_catalogue, "c.xlsx", "Catalogue"),
    ):
        action(str(tmp_path / name))
        qtbot.waitUntil(lambda: window.worksheets.task is None, timeout=20000)
        assert openpyxl.load_workbook(tmp_path / name).sheetnames == [sheet_name, "Columns"]
    assert f"Wrote 1 items to {tmp_path / 'c.xlsx'}." in window.statusBar().currentMessage()
    assert worksheets.export_catalogue(window.db, path=tmp_path / "again.xlsx") == 1


def qtbot_checked() -> Any:
    from PySide6.QtCore import Qt

    return Qt.CheckState.Checked


def test_export_starts_in_documents_and_names_the_full_path_with_open_folder(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: Any
) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QDialog

    from parstudio.ui.worksheets import actions

    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)  # the working folder must not be where the file lands
    locations.create_location(window.db, fields={"code": "CT1", "name": "CT room"})

    offered: list[str] = []

    def answer(dialog: ExportWorksheetDialog) -> int:
        offered.append(dialog.path())
        dialog.path_edit.setText("par-worksheet.xlsx")  # a bare name, as typed
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ExportWorksheetDialog, "exec", answer)
    window.worksheets.export_worksheet()
    qtbot.waitUntil(lambda: window.worksheets.task is None, timeout=20000)
    documents = home / "Documents"
    assert offered == [str(documents / "par-worksheet.xlsx")]
    written = documents / "par-worksheet.xlsx"
    assert written.exists() and not (tmp_path / "par-worksheet.xlsx").exists()
    box = window.worksheets.saved_box
    assert str(written) in box.text() and str(written) in window.statusBar().currentMessage()
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(opened.append))
    (button,) = [b for b in box.buttons() if b.text() == "Open folder"]
    button.click()
    assert opened == [QUrl.fromLocalFile(str(documents))]
    assert actions.export_folder() == documents  # offered first next time


def test_a_cancelled_import_does_not_remember_its_column_matching(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    from parstudio.ui.worksheets.import_views import remembered_mapping

    path = book(tmp_path / "cath.xlsx", [["CATH", "SYR-10", "Syringe", "EA", "Medline", 24, 8, ""]])
    dialog = window.worksheets.import_worksheet()
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(path))
    dialog.next()
    finish(qtbot, dialog)
    assert dialog.stack.currentIndex() == MAPPING
    dialog.mapping_table.combos[1].setCurrentText("(ignore)")
    assert "Item Code" in dialog.mapping_problem.text()
    dialog.mapping_table.combos[1].setCurrentText("Item Code")
    dialog.next()
    finish(qtbot, dialog)
    assert dialog.stack.currentIndex() == PREVIEW and dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.close_button, qtbot_button())
    assert not dialog.isVisible()
    assert remembered_mapping(HEADER) is None
    assert window.page("Items").model.rowCount() == 0


FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "worksheets"


def test_the_preview_shows_sheets_read_by_name_rows_skipped_and_count_dates(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    worksheets.apply_import(window.db, path=FIXTURES / "base.xlsx")
    dialog = window.worksheets.import_worksheet()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.path_edit, str(FIXTURES / "office.xlsx"))
    qtbot.mouseClick(dialog.next_button, qtbot_button())
    finish(qtbot, dialog)
    # "Unit" (here the nursing unit) is never read by itself: the mapping page shows it ignored.
    assert dialog.stack.currentIndex() == MAPPING
    assert dialog.mapping_table.combos[2].currentText() == "(ignore)"
    assert "No Location column: each sheet's name is read as its location" in (
        dialog.mapping_problem.text()
    )
    dialog.resize(1280, 800)
    dialog.grab().save(str(tmp_path / "mapping.png"))
    qtbot.mouseClick(dialog.next_button, qtbot_button())
    finish(qtbot, dialog)
    assert dialog.stack.currentIndex() == PREVIEW and dialog.import_button.isEnabled()
    summary = dialog.summary_label.text()
    assert "sheets “CT1, ER”" in summary
    assert "Counts are dated now (the file has no Counted On column)." in summary
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles == ["Changes (1)", "New (2)", "Counts (4)", "Notes (6)"]
    notes = dialog.tabs.widget(3)
    texts = [
        notes.topLevelItem(i).child(j).text(0)  # type: ignore[attr-defined]
        for i in range(notes.topLevelItemCount())  # type: ignore[attr-defined]
        for j in range(notes.topLevelItem(i).childCount())  # type: ignore[attr-defined]
    ]
    assert texts == [
        "sheet “CT1” → location CT1",
        "sheet “ER” → location ER",
        "Instructions (no header row naming PAR Studio columns)",
        "Sheet “CT1”, row 6: the header row repeated",
        "Sheet “CT1”, row 8: a totals row",
        "Sheet “ER”, row 5: the header row repeated",
    ]
    dialog.resize(1280, 800)
    dialog.tabs.setCurrentIndex(3)
    dialog.grab().save(str(tmp_path / "preview-notes.png"))
    dialog.tabs.setCurrentIndex(2)
    dialog.grab().save(str(tmp_path / "preview-counts.png"))
    counted = dialog.tabs.widget(2)
    assert counted.item(0, 5).text().endswith("(import)")  # type: ignore[attr-defined]
