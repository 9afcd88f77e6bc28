"""Jobs run in a fresh interpreter, so start-up and peak memory are measured cold.

``python -m bench.probe KIND [DATABASE_URL]`` prints one number on its last line: seconds for
``window``/``items``/``bare-window``, megabytes of peak resident memory for
``memory``/``bare-memory``.

Seconds count from the moment the parent started the process (it passes the system's monotonic
clock in ``BENCH_SPAWNED_AT``; run by hand, from this module's import) to the moment measured:
the window painted and answering events, or the first items painted in the Items page. The
process then ends at once: what it would do at exit is not part of starting.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Callable

START = time.monotonic()
SPAWNED_AT = "BENCH_SPAWNED_AT"
PAINT_TIMEOUT_MS = 60_000


def since_start() -> float:
    """Seconds since the process was started (by the parent's clock when it gave one)."""
    return time.monotonic() - float(os.environ.get(SPAWNED_AT, START))


def wait_until_painted(widget: object, ready: Callable[[], bool] | None = None) -> None:
    """Run the event loop until the widget is painted (when ``ready()``), then once more.

    The loop ends from a posted event handled after that paint: the window is not only drawn
    but answering events, which is what a user needs to start working.
    """
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QWidget

    assert isinstance(widget, QWidget)
    is_ready = ready or (lambda: True)
    loop = QEventLoop()

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and is_ready():
                QTimer.singleShot(0, loop.quit)  # posted now: handled after this paint
            return False

    watch = Watch()
    widget.installEventFilter(watch)
    QTimer.singleShot(PAINT_TIMEOUT_MS, lambda: loop.exit(1))
    if loop.exec() != 0:
        raise SystemExit("the window was never painted")
    widget.removeEventFilter(watch)


def bare_window() -> object:
    """A bare PySide6 main window with a table, shown and painted: the baseline of cold start."""
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setCentralWidget(QTableView())
    window.resize(1280, 800)
    window.show()
    wait_until_painted(window)
    return app, window


def started_window(url: str) -> object:
    """PAR Studio's main window as `parstudio` starts it: shown, the database opening behind it."""
    import parstudio.cli  # noqa: F401  (the entry point's module, and what it imports)
    from parstudio.ui.shell.app import start_main_window

    # Without the daily backup: it starts after the open, copies the whole file (seconds on
    # the large department), and is once a day, not part of every start.
    window = start_main_window(url, daily_backup=False)
    window.resize(1280, 800)
    return window


def painted_window(url: str) -> object:
    """The started window, painted and answering events."""
    window = started_window(url)
    wait_until_painted(window)
    return window


def window_with_items(url: str) -> object:
    """The started window once its Items page has painted the first items of the database."""
    window = started_window(url)
    page = window.items_page  # type: ignore[attr-defined]
    wait_until_painted(page.view.viewport(), lambda: page.model.rowCount() > 0)
    return window


def visit_every_page(window: object) -> None:
    """Show each sidebar page in turn, as a user looking round the app would."""
    from PySide6.QtWidgets import QApplication

    from parstudio.ui.shell.main_window import MainWindow

    assert isinstance(window, MainWindow)
    for name in window.page_names():
        window.show_page(name)
        QApplication.processEvents()
        window.grab()


def peak_megabytes() -> float:
    """Peak resident memory of this program since it started.

    On Linux getrusage's maximum carries over from the forking parent, so the kernel's
    high-water mark of this program's own memory (VmHWM) is read instead.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _report(value: float) -> None:
    print(value, flush=True)
    os._exit(0)  # at once: a database still opening on the pool thread is not waited for


def main(argv: list[str]) -> int:
    kind = argv[0]
    if kind == "bare-window":
        bare_window()
        _report(since_start())
    elif kind == "window":
        painted_window(argv[1])
        _report(since_start())
    elif kind == "items":
        window_with_items(argv[1])
        _report(since_start())
    elif kind == "bare-memory":
        bare_window()
        _report(peak_megabytes())
    elif kind == "memory":
        visit_every_page(window_with_items(argv[1]))
        _report(peak_megabytes())
    raise SystemExit(f"unknown probe {kind!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
