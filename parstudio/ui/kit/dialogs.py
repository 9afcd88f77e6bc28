"""Edit dialogs built from field specs; a refused value is shown in red under its field."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.enums import WEEKDAYS
from parstudio.domain.errors import ParStudioError, ValidationError
from parstudio.domain.fields import FieldSpec, Kind
from parstudio.ui.kit.errors import show_error
from parstudio.ui.kit.formatting import edit_text
from parstudio.ui.kit.validation import check_as_typed

ERROR_STYLE = "color: #b00020;"


def error_label(parent: QWidget, name: str = "") -> QLabel:
    """A red, wrapping message line, hidden until there is something wrong to say."""
    label = QLabel(parent)
    if name:
        label.setObjectName(name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setVisible(False)
    return label


class WeekdayEditor(QWidget):
    """A row of seven day boxes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes = {day: QCheckBox(day.title(), self) for day in WEEKDAYS}
        for box in self.boxes.values():
            layout.addWidget(box)
        layout.addStretch(1)

    def days(self) -> tuple[str, ...]:
        """The days ticked."""
        return tuple(day for day, box in self.boxes.items() if box.isChecked())

    def set_days(self, days: Sequence[str]) -> None:
        """Tick these days only."""
        for day, box in self.boxes.items():
            box.setChecked(day in days)


class FieldEditor:
    """One field's widget and its error label, reading and writing raw values."""

    def __init__(self, spec: FieldSpec, parent: QWidget, choices: Sequence[str] | None) -> None:
        self.spec = spec
        self.widget: QWidget
        if choices is not None:
            combo = QComboBox(parent)
            combo.addItems(list(choices))
            self.widget = combo
        elif spec.kind is Kind.CHOICE:
            combo = QComboBox(parent)
            combo.addItems(list(spec.choices))
            self.widget = combo
        elif spec.kind is Kind.BOOL:
            self.widget = QCheckBox(spec.label, parent)
        elif spec.kind is Kind.WEEKDAYS:
            self.widget = WeekdayEditor(parent)
        else:
            line = QLineEdit(parent)
            if spec.kind in (Kind.INT, Kind.DECIMAL):
                line.setAlignment(Qt.AlignmentFlag.AlignRight)
            if spec.max_length:
                line.setMaxLength(spec.max_length + 1)
            if spec.help:
                line.setPlaceholderText(spec.help)
            self.widget = line
        self.widget.setObjectName(f"field_{spec.name}")
        if spec.help:
            self.widget.setToolTip(spec.help)
        self.error = error_label(parent, f"error_{spec.name}")
        if isinstance(self.widget, QLineEdit):
            check_as_typed(self.widget, spec, self.show_error)

    def raw(self) -> Any:
        """What the user entered, as the services take it."""
        w = self.widget
        if isinstance(w, QComboBox):
            return w.currentText()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, WeekdayEditor):
            return w.days()
        assert isinstance(w, QLineEdit)
        return w.text()

    def set_value(self, value: Any) -> None:
        """Show a record's value."""
        w = self.widget
        if isinstance(w, QComboBox):
            index = w.findText(str(value) if value is not None else "")
            w.setCurrentIndex(max(index, 0))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, WeekdayEditor):
            w.set_days(tuple(value or ()))
        elif isinstance(w, QLineEdit):
            w.setText(edit_text(self.spec, value))

    def show_error(self, message: str) -> None:
        """Show a message in red under the field."""
        self.error.setText(message)
        self.error.setVisible(bool(message))


class RecordDialog(QDialog):
    """Add or edit one record; Save calls ``save`` with raw values and stays open if refused."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        specs: Sequence[FieldSpec],
        save: Callable[[dict[str, Any]], Any],
        record: Any = None,
        choices: Mapping[str, Sequence[str]] | None = None,
        defaults: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self._save = save
        self.result_record: Any = None
        layout = QVBoxLayout(self)
        self.general_error = error_label(self, "general_error")
        layout.addWidget(self.general_error)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.editors: dict[str, FieldEditor] = {}
        choices = choices or {}
        for spec in specs:
            editor = FieldEditor(spec, self, choices.get(spec.name))
            self.editors[spec.name] = editor
            cell = QWidget(self)
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(editor.widget)
            cell_layout.addWidget(editor.error)
            label = "" if spec.kind is Kind.BOOL else spec.label + (" *" if spec.required else "")
            form.addRow(label, cell)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for name, value in (defaults or {}).items():
            self.editors[name].set_value(value)
        if record is not None:
            for name, editor in self.editors.items():
                editor.set_value(getattr(record, name, None))
        self._initial = self.values()
        first = next(iter(self.editors.values()), None)
        if first is not None:
            first.widget.setFocus()

    def values(self) -> dict[str, Any]:
        """Every field's raw value."""
        return {name: editor.raw() for name, editor in self.editors.items()}

    def changes(self) -> dict[str, Any]:
        """Only the fields the user changed."""
        return {k: v for k, v in self.values().items() if v != self._initial.get(k)}

    def error_text(self, name: str) -> str:
        """The error shown under a field ('' if none)."""
        editor = self.editors[name]
        return editor.error.text() if editor.error.isVisibleTo(self) else ""

    def clear_errors(self) -> None:
        """Hide every error message."""
        for editor in self.editors.values():
            editor.show_error("")
        self.general_error.setVisible(False)

    def try_save(self) -> None:
        """Save through the service; on a refusal show why and stay open."""
        self.clear_errors()
        try:
            self.result_record = self._save(self.values())
        except ValidationError as exc:
            editor = self.editors.get(exc.field or "")
            if editor is not None:
                editor.show_error(exc.message)
                editor.widget.setFocus()
            else:
                self.general_error.setText(exc.message)
                self.general_error.setVisible(True)
            return
        except ParStudioError as exc:
            self.general_error.setText(exc.message)
            self.general_error.setVisible(True)
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()


def to_date(day: QDate) -> date:
    """A QDate as a Python date (PySide's ``toPython`` is typed as returning any object)."""
    return date(day.year(), day.month(), day.day())


def to_qdate(day: date) -> QDate:
    """A Python date as a QDate."""
    return QDate(day.year, day.month, day.day)
