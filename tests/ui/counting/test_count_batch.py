"""Count ▸ Load scans from a file… on the count screen: preview, record, and load again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from parstudio.services.core.database import Database
from parstudio.services.counting.batch import BatchPreview
from parstudio.ui.counting.batch_dialog import BatchPreviewDialog
from parstudio.ui.counting.station import CountWindow
from tests.ui.counting.test_count_window import (  # noqa: F401 - fixtures
    SYRINGE_GTIN,
    Clock,
    clock,
    db_counted,
    settings,
    station,
)


@pytest.fixture
def screen(
    qtbot: QtBot,
    sqlite_db: Database,
    station: dict[str, int],  # noqa: F811
    settings: QSettings,  # noqa: F811
    clock: Clock,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[CountWindow]:
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: None))
    shown = CountWindow(sqlite_db, station["ct"], settings=settings, clock=clock)
    qtbot.addWidget(shown)
    shown.resize(1280, 800)
    shown.show()
    yield shown
    shown.close()


def test_a_batch_file_is_previewed_recorded_and_not_recorded_twice(
    qtbot: QtBot,
    screen: CountWindow,
    sqlite_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    export = tmp_path / "handheld.csv"
    export.write_text(f"GLV-M,5\n{SYRINGE_GTIN}\nNOPE-1\n", encoding="utf-8")
    shown: list[BatchPreview] = []

    def confirm(preview: BatchPreview, file_name: str) -> bool:
        dialog = BatchPreviewDialog(preview, file_name, "CT1 CT room 1", screen)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.grab().save(str(tmp_path / f"batch_preview{len(shown)}.png"))
        shown.append(preview)
        return dialog.record_button.isEnabled()  # the user presses it when it can be pressed

    monkeypatch.setattr(screen, "confirm_batch", confirm)
    result = screen.load_scans_from_file(export)

    assert result is not None and len(shown) == 1 and shown[0].to_record == 3
    assert db_counted(sqlite_db, screen.sheet.count_id, "GLV-M") == 5
    assert db_counted(sqlite_db, screen.sheet.count_id, "SYR-10") == 1
    assert [screen.unmatched.item(i).text() for i in range(screen.unmatched.count())] == ["NOPE-1"]
    assert screen.tally_label.text() == "Counted 2 / 2"
    assert "3 scan(s) recorded" in screen.status.text()
    assert "line 3: Unknown barcode NOPE-1" in screen.status.text()

    # Loaded again: the preview says all three are already recorded, and nothing can be.
    assert screen.load_scans_from_file(export) is None
    assert (shown[-1].to_record, len(shown[-1].already)) == (0, 3)
    assert screen.status.text() == "Nothing from handheld.csv was recorded."
    assert db_counted(sqlite_db, screen.sheet.count_id, "GLV-M") == 5


def test_a_file_with_an_unreadable_line_cannot_be_recorded(
    qtbot: QtBot, screen: CountWindow, sqlite_db: Database, tmp_path: Path
) -> None:
    export = tmp_path / "handheld.csv"
    export.write_text("GLV-M,5\nGLV-M,many\n", encoding="utf-8")
    from parstudio.domain.scan_batch import read_batch
    from parstudio.services.counting.batch import preview_batch

    preview = preview_batch(sqlite_db, batch=read_batch(export.read_bytes(), scope="CT1"))
    dialog = BatchPreviewDialog(preview, export.name, "CT1 CT room 1", screen)
    qtbot.addWidget(dialog)

    assert not dialog.record_button.isEnabled()
    assert dialog.table.item(1, 4).text() == "The quantity “many” is not a whole number."
    assert db_counted(sqlite_db, screen.sheet.count_id, "GLV-M") is None
