"""The four pages of the import wizard (choose, match columns, preview, done), widgets only."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from parstudio.ui.worksheets.import_views import MappingTable, ProblemsTable


def _title(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.25)
    font.setBold(True)
    label.setFont(font)
    return label


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class ChoosePage(QWidget):
    """Choose the worksheet file."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(_title("Choose the worksheet"))
        layout.addWidget(
            _note(
                "PAR Studio reads every sheet of a workbook (.xlsx, .xlsm, .xls, .ods) or a .csv "
                "file: the header row is found in a sheet's first rows, one row per item at a "
                "location; a sheet named after a location needs no Location column. Columns "
                "with other names "
                "than PAR Studio's can be matched up on the next page. Nothing is written "
                "until you have seen what the import would change."
            )
        )
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("Path of the worksheet file")
        self.browse_button = QPushButton("Browse…")
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        layout.addLayout(row)
        layout.addStretch(1)


class MappingPage(QWidget):
    """Say which PAR Studio column each column of the sheet holds."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(_title("Match the columns"))
        layout.addWidget(
            _note(
                "Say which PAR Studio column each column of your sheet holds. Location and "
                "Item Code are needed; columns set to (ignore) are not read. A column you leave "
                "out is left as it is in PAR Studio."
            )
        )
        self.mapping_table = MappingTable()
        layout.addWidget(self.mapping_table, 1)
        self.mapping_problem = QLabel()
        self.mapping_problem.setObjectName("mapping_problem")
        self.mapping_problem.setWordWrap(True)
        self.mapping_problem.setStyleSheet("color: #b00020;")
        layout.addWidget(self.mapping_problem)
        self.remember_box = QCheckBox("Remember this for sheets with the same headers")
        self.remember_box.setChecked(True)
        layout.addWidget(self.remember_box)


class PreviewPage(QWidget):
    """What the import would do: a summary, then tabs of problems or changes."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(_title("Check what the import does"))
        self.summary_label = _note("")
        self.summary_label.setObjectName("summary_label")
        layout.addWidget(self.summary_label)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.problems_page = QWidget()
        problems = QVBoxLayout(self.problems_page)
        problems.setContentsMargins(0, 0, 0, 0)
        self.problems_table = ProblemsTable()
        problems.addWidget(self.problems_table, 1)
        row = QHBoxLayout()
        self.copy_problems_button = QPushButton("Copy problems")
        self.save_problems_button = QPushButton("Save problems…")
        row.addWidget(
            _note("Fix these in the file, save it, and press Check again."),
            1,
        )
        row.addWidget(self.copy_problems_button)
        row.addWidget(self.save_problems_button)
        problems.addLayout(row)


class DonePage(QWidget):
    """What was imported."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(_title("Imported"))
        self.done_label = _note("")
        self.done_label.setObjectName("done_label")
        layout.addWidget(self.done_label)
        self.done_details = QPlainTextEdit()
        self.done_details.setObjectName("done_details")
        self.done_details.setReadOnly(True)
        layout.addWidget(self.done_details, 1)
