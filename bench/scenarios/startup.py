"""Cold start, the item list's first paint, and peak memory, on the generated department."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable

from bench.context import Context
from bench.harness import Measured, Scenario
from bench.probe import SPAWNED_AT


def _probe(*args: str) -> float:
    """Run a probe in a fresh interpreter and return the number it printed last."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # Compiled bytecode is kept, as in an installed PAR Studio (pip compiles it on install);
    # without it every start compiles PAR Studio's modules again (the warm-up run writes it).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env[SPAWNED_AT] = repr(time.monotonic())  # the probe counts its seconds from here
    done = subprocess.run(
        [sys.executable, "-m", "bench.probe", *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def _measured_probe(*args: str) -> Callable[[], Measured]:
    return lambda: Measured(_probe(*args))


class _ItemList:
    """The Items page of one open main window, repainted from a fresh load each time."""

    def __init__(self, ctx: Context) -> None:
        from bench.probe import window_with_items

        self.window = window_with_items(ctx.database_url)

    def ours(self) -> None:
        from PySide6.QtWidgets import QApplication

        from parstudio.ui.catalog.pages import ItemsPage

        window = self.window
        page = ItemsPage(window)  # type: ignore[arg-type]
        window.stack.addWidget(page)
        window.stack.setCurrentWidget(page)
        page.refresh()
        QApplication.processEvents()
        page.grab()
        window.stack.removeWidget(page)
        page.deleteLater()

    def bare(self) -> None:
        from PySide6.QtGui import QStandardItem, QStandardItemModel
        from PySide6.QtWidgets import QApplication, QTableView

        from parstudio.services.catalog.items import list_items

        # The same first screenful of items, read by the service and shown in a plain view.
        records = list_items(self.window.db, limit=200)  # type: ignore[attr-defined]
        model = QStandardItemModel()
        for record in records:
            model.appendRow([QStandardItem(record.code), QStandardItem(record.description)])
        view = QTableView()
        view.setModel(model)
        self.window.stack.addWidget(view)  # type: ignore[attr-defined]
        self.window.stack.setCurrentWidget(view)  # type: ignore[attr-defined]
        QApplication.processEvents()
        view.grab()
        self.window.stack.removeWidget(view)  # type: ignore[attr-defined]
        view.deleteLater()


def scenarios(ctx: Context) -> list[Scenario]:
    url = ctx.database_url
    item_list = _ItemList(ctx)
    return [
        Scenario(
            name="cold start to the main window",
            ours=_measured_probe("window", url),
            baseline=_measured_probe("bare-window"),
            target="< 1.0 s and ≤ 3× a bare window",
            max_ratio=3.0,
            max_value=1.0,
        ),
        Scenario(
            name="cold start to the first items painted",
            ours=_measured_probe("items", url),
            baseline=_measured_probe("bare-window"),
            target="< 1.5 s",
            max_value=1.5,
        ),
        Scenario(
            name="item list first paint",
            ours=item_list.ours,
            baseline=item_list.bare,
            target="< 100 ms",
            max_value=0.1,
            repeat=7,
            under_load=True,
        ),
        Scenario(
            name="peak memory, every page visited",
            ours=_measured_probe("memory", url),
            baseline=_measured_probe("bare-memory"),
            target="< 300 MB",
            max_value=300,
            unit="MB",
            repeat=3,
        ),
    ]
