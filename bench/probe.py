"""Jobs run in a fresh interpreter, so start-up and peak memory are measured cold.

``python -m bench.probe KIND [DATABASE_URL]`` prints one number on its last line: seconds for
``window``/``bare-window``, megabytes of peak resident memory for ``memory``/``bare-memory``.
"""

from __future__ import annotations

import resource
import sys
import time

START = time.perf_counter()


def _shown(window: object) -> None:
    """Show a window and process events until it has been painted once."""
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(window, QWidget)
    window.resize(1280, 800)
    window.show()
    QApplication.processEvents()
    window.grab()  # forces a full paint of the window as it is now


def bare_window() -> None:
    """A bare PySide6 main window with a table, the baseline of cold start."""
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setCentralWidget(QTableView())
    _shown(window)
    del app


def parstudio_window(url: str) -> object:
    """PAR Studio's main window on the database, as `parstudio` opens it."""
    from parstudio.services.database import open_database
    from parstudio.ui.app import make_application, open_main_window

    make_application()
    window = open_main_window(open_database(url))
    _shown(window)
    return window


def visit_every_page(window: object) -> None:
    """Show each sidebar page in turn, as a user looking round the app would."""
    from PySide6.QtWidgets import QApplication

    from parstudio.ui.main_window import MainWindow

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


def main(argv: list[str]) -> int:
    kind = argv[0]
    if kind == "bare-window":
        bare_window()
        print(time.perf_counter() - START)
    elif kind == "window":
        parstudio_window(argv[1])
        print(time.perf_counter() - START)
    elif kind == "bare-memory":
        bare_window()
        print(peak_megabytes())
    elif kind == "memory":
        visit_every_page(parstudio_window(argv[1]))
        print(peak_megabytes())
    else:
        raise SystemExit(f"unknown probe {kind!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
