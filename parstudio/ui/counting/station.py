"""The scanning station: PAR Studio opened on just the count screen of one location.

`parstudio count --location CODE` runs it. The screen itself is `CountScreen`; this module
adds the application around it, the scanner settings dialog, and the proposal summary shown
when a count is finished.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QMessageBox

from parstudio.domain.errors import ParStudioError
from parstudio.services.core.database import Database
from parstudio.services.ordering import proposals
from parstudio.ui.counting.scanner_settings import SETTING_GROUP_SEPARATOR, SETTING_MAX_INTERVAL
from parstudio.ui.counting.scanner_settings_dialog import edit_scanner_settings
from parstudio.ui.counting.screen import CountScreen
from parstudio.ui.counting.sheet_model import CountSheetModel
from parstudio.ui.kit.geometry import fitted

__all__ = [
    "SETTING_GROUP_SEPARATOR",
    "SETTING_MAX_INTERVAL",
    "CountSheetModel",
    "CountWindow",
    "open_count_station",
    "run_count_window",
]

CountWindow = CountScreen
"""The count screen under its older name (a standalone window is the same widget)."""


def open_count_station(db: Database, location_id: int) -> CountScreen:
    """The count screen as a top-level window, with settings and the proposal summary wired."""
    window = CountScreen(db, location_id)

    def propose(requested: int) -> None:
        try:
            proposal = proposals.propose_orders(db, location_ids=[requested])
        except ParStudioError as exc:
            window.show_message(str(exc), error=True)
            return
        QMessageBox.information(
            window,
            "Order proposal",
            f"{len(proposal.to_order)} line(s) to order for {window.sheet.location_code}. Open "
            "PAR Studio (Proposal page) to review and approve the proposal.",
        )

    def settings() -> None:
        changed = edit_scanner_settings(db, window, location_id=window.sheet.location_id)
        if changed is not None:
            window.apply_settings(changed)

    asking: list[bool] = []

    def sign_in() -> None:
        """Started without the server, which is back: who is counting, to send the scans as."""
        from parstudio.ui.shell.sign_in import sign_in_if_needed

        if asking:  # the retry timer fired while the dialog is open
            return
        asking.append(True)
        try:
            signed_in = sign_in_if_needed(db, window)
        finally:
            asking.clear()
        if signed_in:
            window.offline_banner.retry()
            return
        window.offline_banner.timer.stop()  # the next scan starts it again, and asks again
        window.show_message(
            "The server is back, but the kept scans are sent only once someone signs in: "
            "the next scan asks again.",
            error=True,
        )

    window.offline_banner.sign_in_needed.connect(sign_in)
    window.proposal_requested.connect(propose)
    window.settings_requested.connect(settings)
    # 1366×800 where the screen has room, else as much of a smaller one as its frame leaves.
    window.resize(fitted(window, QSize(1366, 800)))
    return window


def run_count_window(db: Database, location_id: int, argv: Sequence[str] | None = None) -> int:
    """Open a scanning station: an application with just the count screen for one location."""
    app = QApplication.instance() or QApplication(list(argv or sys.argv[:1]))
    app.setOrganizationName("PARStudio")
    app.setApplicationName("PAR Studio")
    window = open_count_station(db, location_id)
    window.show()
    return int(app.exec())
