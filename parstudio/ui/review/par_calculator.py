"""The PAR calculator: a suggested PAR for one setting, with its working, applied on accept."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.catalog import ParSettingRecord
from parstudio.domain.errors import ParStudioError
from parstudio.domain.par_levels import (
    SafetyDays,
    SafetyPercent,
    SafetyServiceLevel,
    SafetyStock,
    Suggestion,
    par_from_coverage,
    par_from_deliveries,
)
from parstudio.domain.replenishment import format_quantity as fq
from parstudio.services.core.database import Database
from parstudio.services.review import par_calculator

SAFETY_KINDS = (
    ("percent", "% of the cover"),
    ("days", "days of usage"),
    ("service", "service level (z × σ)"),
)
# Usage figures go into the formulas at the two decimals the working shows, so a clerk
# redoing the sums by hand gets the same numbers.
CENTS = Decimal("0.01")


def _spin(lo: float, hi: float, value: float, decimals: int = 0, suffix: str = "") -> Any:
    spin: QDoubleSpinBox | QSpinBox
    if decimals:
        spin = QDoubleSpinBox()
        spin.setDecimals(decimals)
        spin.setRange(lo, hi)
        spin.setValue(value)
    else:
        spin = QSpinBox()
        spin.setRange(int(lo), int(hi))
        spin.setValue(int(value))
    spin.setSuffix(suffix)
    spin.setKeyboardTracking(False)
    return spin


class ParCalculatorDialog(QDialog):
    """Both PAR formulas of the domain, from counted usage or a typed weekly usage."""

    def __init__(self, parent: QWidget | None, db: Database, record: ParSettingRecord) -> None:
        super().__init__(parent)
        self.db = db
        self.record = record
        self.suggestion: Suggestion | None = None
        self.setWindowTitle(f"PAR calculator — {record.item_code} at {record.location_code}")
        self.setMinimumSize(760, 620)
        self.basis = par_calculator.calculator_basis(db, setting_id=record.id)

        heading = QLabel(
            f"<b>{escape(record.item_code)}</b> {escape(record.description)}<br>"
            f"at <b>{escape(record.location_code)}</b> · PAR now "
            f"<b>{fq(record.par_level) if record.par_level is not None else 'not set'}</b> "
            f"{escape(record.unit)}",
            self,
        )

        # -- where the usage comes from
        self.from_counts = QRadioButton("From the counts of the last", self)
        self.weeks = _spin(2, par_calculator.MAX_WEEKS, 12, suffix=" weeks")
        self.typed = QRadioButton("Weekly usage typed in:", self)
        typed_start = self.basis.typed_weekly_usage or Decimal(0)
        self.weekly = _spin(0, 1_000_000, float(typed_start), 2, f" {record.unit} a week")
        self.usage_note = QLabel(self)
        self.usage_note.setWordWrap(True)
        self.usage_note.setObjectName("usage_note")
        self._group(self.from_counts, self.typed)
        usage_box = QGroupBox("Usage", self)
        grid = QFormLayout(usage_box)
        grid.addRow(self.from_counts, self.weeks)
        grid.addRow(self.typed, self.weekly)
        grid.addRow(self.usage_note)

        # -- which formula
        self.by_deliveries = QRadioButton("Deliveries per week", self)
        self.by_coverage = QRadioButton("Coverage (days between deliveries + lead time)", self)
        self._group(self.by_deliveries, self.by_coverage)
        self.deliveries = _spin(1, 7, self.basis.deliveries_per_week, suffix=" a week")
        self.safety_pct = _spin(0, 500, 25, suffix=" %")
        days_between = float(self.basis.days_between_deliveries)
        self.review_days = _spin(0.5, 90, round(days_between, 2), 2, " days")
        self.lead_days = _spin(0, 365, self.basis.lead_time_days, suffix=" days")
        self.safety_kind = QComboBox(self)
        for key, label in SAFETY_KINDS:
            self.safety_kind.addItem(label, key)
        self.safety_value = _spin(0, 500, 25, 2)
        safety_row = QHBoxLayout()
        safety_row.addWidget(self.safety_value)
        safety_row.addWidget(self.safety_kind, 1)
        self.safety_kind.setMinimumContentsLength(18)
        formula_box = QGroupBox("Formula", self)
        form = QFormLayout(formula_box)
        form.addRow(self.by_deliveries)
        form.addRow("    Deliveries:", self.deliveries)
        form.addRow("    Safety stock:", self.safety_pct)
        form.addRow(self.by_coverage)
        form.addRow("    Between deliveries:", self.review_days)
        form.addRow("    Lead time:", self.lead_days)
        form.addRow("    Safety stock:", safety_row)

        self.working = QTextBrowser(self)
        self.working.setObjectName("working")
        self.suggestion_label = QLabel(self)
        self.suggestion_label.setObjectName("result")
        self.suggestion_label.setStyleSheet("font-size: 15pt; padding: 4px;")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.apply_button = QPushButton("Apply", self)
        self.apply_button.setObjectName("apply")
        self.apply_button.setDefault(True)
        self.buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(usage_box)
        left.addWidget(formula_box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(QLabel("Working", self))
        right.addWidget(self.working, 1)
        right.addWidget(self.suggestion_label)
        columns = QHBoxLayout()
        columns.addLayout(left, 0)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)

        has_history = self.basis.usage is not None
        (self.from_counts if has_history else self.typed).setChecked(True)
        self.by_deliveries.setChecked(True)
        for widget in (self.from_counts, self.typed, self.by_deliveries, self.by_coverage):
            widget.toggled.connect(self.recalculate)
        for spin in (
            self.weekly,
            self.deliveries,
            self.safety_pct,
            self.review_days,
            self.lead_days,
            self.safety_value,
        ):
            spin.valueChanged.connect(self.recalculate)
        self.weeks.valueChanged.connect(self.reload_history)
        self.safety_kind.currentIndexChanged.connect(self._safety_kind_changed)
        self.recalculate()

    def _group(self, *buttons: QRadioButton) -> None:
        group = QButtonGroup(self)
        for button in buttons:
            group.addButton(button)

    def reload_history(self) -> None:
        """Read the usage again over the chosen number of weeks."""
        try:
            self.basis = par_calculator.calculator_basis(
                self.db, setting_id=self.record.id, weeks=int(self.weeks.value())
            )
        except ParStudioError as exc:
            self.usage_note.setText(str(exc))
            return
        self.recalculate()

    def _safety_kind_changed(self) -> None:
        kind = self.safety_kind.currentData()
        self.safety_value.setSuffix({"percent": " %", "days": " days", "service": " %"}[kind])
        self.safety_value.setValue({"percent": 25.0, "days": 2.0, "service": 95.0}[kind])
        self.recalculate()

    def _weekly_usage(self) -> tuple[Decimal | None, list[str]]:
        usage = self.basis.usage
        self.weeks.setEnabled(self.from_counts.isChecked())
        self.weekly.setEnabled(self.typed.isChecked())
        if self.typed.isChecked():
            self.usage_note.setText("The weekly usage you typed is used as it is.")
            return Decimal(str(self.weekly.value())), []
        if usage is None:
            self.usage_note.setText(
                f"Fewer than two on-hand counts in the last {self.basis.weeks} weeks: "
                "there is no usage to work from. Type a weekly usage instead."
            )
            return None, []
        self.usage_note.setText(
            f"{usage.periods} periods between counts: about "
            f"{fq(usage.weekly.quantize(Decimal('0.01')))} {self.record.unit} a week."
        )
        return usage.weekly.quantize(CENTS), list(usage.working)

    def _safety(self) -> SafetyStock:
        value = Decimal(str(self.safety_value.value()))
        kind = self.safety_kind.currentData()
        if kind == "days":
            return SafetyDays(value)
        if kind == "service":
            usage = self.basis.usage
            spread = usage.daily_sd if usage is not None and self.from_counts.isChecked() else None
            if spread is None:
                raise ValueError(
                    "A service level needs the day-to-day spread of usage, which comes from "
                    "the counts: choose “From the counts”, or another kind of safety stock."
                )
            return SafetyServiceLevel(value, spread.quantize(CENTS))
        return SafetyPercent(value)

    def recalculate(self) -> None:
        """Work the suggestion out again from what the dialog shows now."""
        by_deliveries = self.by_deliveries.isChecked()
        for widget in (self.deliveries, self.safety_pct):
            widget.setEnabled(by_deliveries)
        for widget in (self.review_days, self.lead_days, self.safety_value, self.safety_kind):
            widget.setEnabled(not by_deliveries)
        weekly, lines = self._weekly_usage()
        self.suggestion = None
        problem = ""
        if weekly is not None and weekly <= 0:
            problem = (
                "No usage: type the weekly usage, or use the counts if there are some."
                if self.typed.isChecked()
                else "The counts show no usage in this period: a PAR cannot be worked out."
            )
            weekly = None
        if weekly is not None:
            caps: dict[str, Any] = {
                "storage_capacity": self.basis.storage_capacity,
                "shelf_life_days": self.basis.shelf_life_days,
                "unit": self.record.unit,
            }
            try:
                if by_deliveries:
                    self.suggestion = par_from_deliveries(
                        weekly,
                        int(self.deliveries.value()),
                        Decimal(str(self.safety_pct.value())),
                        **caps,
                    )
                else:
                    self.suggestion = par_from_coverage(
                        (weekly / 7).quantize(CENTS),
                        Decimal(str(self.review_days.value())),
                        int(self.lead_days.value()),
                        self._safety(),
                        **caps,
                    )
            except ValueError as exc:
                problem = str(exc)
        self._show(lines, problem)

    def _show(self, usage_lines: list[str], problem: str) -> None:
        parts = []
        if usage_lines:
            parts.append("<p><b>Usage from the counts</b></p><ol>")
            parts += [f"<li>{escape(line)}</li>" for line in usage_lines]
            parts.append("</ol>")
        suggestion = self.suggestion
        unit = self.record.unit
        if suggestion is not None:
            parts.append("<p><b>PAR level</b></p><ol>")
            parts += [f"<li>{escape(line)}</li>" for line in suggestion.working]
            parts.append("</ol>")
            parts += [f"<p style='color:#8a5a00'>⚠ {escape(w)}</p>" for w in suggestion.warnings]
            now = self.record.par_level
            change = "" if now is None else f" (now {fq(now)})"
            self.suggestion_label.setText(
                f"Suggested PAR: <b>{fq(suggestion.value)}</b> {unit}{change}"
            )
            same = now is not None and now == suggestion.value
            self.apply_button.setText(
                "Already this PAR" if same else f"Apply PAR {fq(suggestion.value)}"
            )
            self.apply_button.setEnabled(not same)
        else:
            if problem:
                parts.append(f"<p style='color:#8a1c1c'>{escape(problem)}</p>")
            self.suggestion_label.setText("No suggestion yet")
            self.apply_button.setText("Apply")
            self.apply_button.setEnabled(False)
        self.working.setHtml("".join(parts))

    def suggested_par(self) -> Decimal | None:
        """The PAR level the user accepted (None until there is a suggestion)."""
        return self.suggestion.value if self.suggestion is not None else None


def suggest_par(parent: QWidget, db: Database, record: ParSettingRecord) -> Decimal | None:
    """Open the calculator; the PAR level to apply if the user accepts, else None."""
    dialog = ParCalculatorDialog(parent, db, record)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.suggested_par()
