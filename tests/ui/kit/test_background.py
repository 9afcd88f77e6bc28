"""Work off the UI thread with a progress window: the window's end never outruns its updates."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from parstudio.domain.progress import Progress
from parstudio.ui.kit import background


def test_the_end_arriving_while_the_window_updates_closes_it_after_the_update(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A modal progress window's setValue runs the event loop once it has been shown: the
    # task's end, queued behind a progress report, is delivered inside that setValue.
    monkeypatch.setattr(background, "SHOW_AFTER_MS", 0)
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    release = threading.Event()
    results: list[Any] = []

    def job(progress: Progress) -> str:
        progress(1, 3)
        release.wait(10)
        progress(2, 3)
        progress(3, 3)
        return "done"

    task = background.run_with_progress(
        parent,
        "Working…",
        job,
        on_done=results.append,
        on_error=results.append,
        describe=lambda done, total: f"{done} of {total}",
    )
    dialog = task.dialog  # type: ignore[attr-defined]
    qtbot.waitUntil(dialog.isVisible)
    release.set()
    qtbot.waitUntil(lambda: results == ["done"])
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(dialog)  # closed, then deleted once its update was over
    assert task.was_shown  # type: ignore[attr-defined]
    # A report arriving after the end changes nothing and touches no deleted window.
    task.receiver.progress(3, 3)  # type: ignore[attr-defined]
    assert results == ["done"]
