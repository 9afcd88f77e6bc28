"""Long work off the UI thread: a job that reports progress, can be cancelled, and answers back.

A job is a function of one argument, the progress callback (``progress(done, total)``), that
calls the services. It runs on Qt's global thread pool; its result, its error or its
cancellation comes back on the UI thread through the signals of a :class:`Task`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from parstudio.domain.errors import CancelledError
from parstudio.domain.progress import CancelFlag, Progress

Job = Callable[[Progress], Any]

SHOW_AFTER_MS = 1000
"""Work that finishes within a second never shows a progress window."""


class Task(QObject):
    """One job on the thread pool: progress, then exactly one of finished, failed, cancelled."""

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, job: Job) -> None:
        # No parent: the pool's runner keeps the task alive until the job ends, even if the
        # window that started it has closed (its Receiver then goes, and with it the replies).
        super().__init__()
        self.job = job
        self.flag = CancelFlag()
        self.running = False

    def start(self) -> None:
        """Run the job on the thread pool."""
        self.running = True
        QThreadPool.globalInstance().start(_Runner(self))

    def cancel(self) -> None:
        """Ask the job to stop at its next progress report (it writes nothing then)."""
        self.flag.cancel()

    def _run(self) -> None:
        # On the pool thread: signals cross to the UI thread by queued connection.
        try:
            result = self.job(self.flag.reporting(self.progress.emit))
        except CancelledError:
            self.running = False
            self.cancelled.emit()
        except BaseException as exc:  # every error reaches the UI, where show_error sorts them
            self.running = False
            self.failed.emit(exc)
        else:
            self.running = False
            self.finished.emit(result)


class _Runner(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    def run(self) -> None:
        self.task._run()


class Receiver(QObject):
    """Takes a task's signals on the UI thread and hands them to plain functions.

    A signal connected to a bound method of a QObject that lives on the UI thread is queued
    there; a bare function or lambda could run on the pool thread instead.
    """

    def __init__(
        self,
        task: Task,
        parent: QObject,
        *,
        on_progress: Callable[[int, int], None] | None = None,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.handlers = (on_progress, on_done, on_error, on_cancel)
        task.progress.connect(self.progress)
        task.finished.connect(self.done)
        task.failed.connect(self.failed)
        task.cancelled.connect(self.cancelled)

    @Slot(int, int)
    def progress(self, done: int, total: int) -> None:
        if self.handlers[0] is not None:
            self.handlers[0](done, total)

    @Slot(object)
    def done(self, result: object) -> None:
        if self.handlers[1] is not None:
            self.handlers[1](result)

    @Slot(object)
    def failed(self, exc: object) -> None:
        if self.handlers[2] is not None:
            self.handlers[2](exc if isinstance(exc, BaseException) else RuntimeError(str(exc)))

    @Slot()
    def cancelled(self) -> None:
        if self.handlers[3] is not None:
            self.handlers[3]()


def run_with_progress(
    parent: QWidget,
    label: str,
    job: Job,
    *,
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    on_cancel: Callable[[], None] | None = None,
    title: str = "PAR Studio",
    cancel_text: str = "Cancel",
    describe: Callable[[int, int], str] | None = None,
) -> Task:
    """Run a job off the UI thread with a progress window (shown after a second) and Cancel.

    ``describe`` turns each (done, total) report into the window's text; ``cancel_text``
    names its button (Stop, for work that keeps what it has done).
    """
    dialog = QProgressDialog(label, cancel_text, 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(420)
    task = Task(job)
    dialog.canceled.connect(task.cancel)

    # A modal progress window's setValue runs the event loop, which may deliver the task's
    # end: the window is then closed at once but deleted only once setValue is over (deleted
    # inside it, setValue went on in freed memory and the application crashed).
    state = {"updating": False, "closed": False}

    def show_progress(done: int, total: int) -> None:
        if state["closed"]:
            return
        state["updating"] = True
        try:
            if total > 0:
                dialog.setMaximum(total)
                dialog.setValue(min(done, total))
            if describe is not None and not state["closed"]:
                dialog.setLabelText(describe(done, total))
        finally:
            state["updating"] = False
        if state["closed"]:
            dialog.deleteLater()

    def close() -> None:
        task.was_shown = dialog.isVisible()  # type: ignore[attr-defined]
        state["closed"] = True
        dialog.canceled.disconnect(task.cancel)
        dialog.close()
        if not state["updating"]:
            dialog.deleteLater()

    def done(result: object) -> None:
        close()
        on_done(result)

    def failed(exc: BaseException) -> None:
        close()
        on_error(exc)

    def cancelled() -> None:
        close()
        if on_cancel is not None:
            on_cancel()

    task.receiver = Receiver(  # type: ignore[attr-defined]
        task, parent, on_progress=show_progress, on_done=done, on_error=failed, on_cancel=cancelled
    )
    task.dialog = dialog  # type: ignore[attr-defined]
    dialog.setValue(0)  # starts the clock: the window shows only if the work outlasts it
    task.start()
    return task
