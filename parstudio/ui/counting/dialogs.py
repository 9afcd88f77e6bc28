"""Dialogs of the count screen: link an unknown barcode to an item, review before finishing."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from parstudio.domain.counting import CountReview, CountSheetLine
from parstudio.ui.counting.sheet_model import number_text
from parstudio.ui.kit.geometry import fit_and_remember

__all__ = ["FinishReviewDialog", "LinkDialog", "review_html"]


class LinkDialog(QDialog):
    """Pick the item an unknown barcode belongs to."""

    def __init__(self, code: str, lines: Sequence[CountSheetLine], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link barcode to item")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Barcode <b>{code}</b> belongs to:"))
        self.items = QComboBox()
        self.items.setEditable(True)
        self.items.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for line in lines:
            self.items.addItem(f"{line.item_code} — {line.description}", line.item_id)
        layout.addWidget(self.items)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Link and count it")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def item_id(self) -> int | None:
        """The chosen item's id."""
        value = self.items.currentData()
        return int(value) if value is not None else None


class FinishReviewDialog(QDialog):
    """The review shown before a count is closed: close it, or keep counting."""

    def __init__(self, review: CountReview, *, blind: bool, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Finish the count of {review.location_code}?")
        layout = QVBoxLayout(self)
        self.text = QTextBrowser()
        self.text.setHtml(review_html(review, blind=blind))
        layout.addWidget(self.text)
        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton(
            "Close the count", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.keep_button = buttons.addButton(
            "Keep counting", QDialogButtonBox.ButtonRole.RejectRole
        )
        # Enter must not close a count with lines never counted: they would get no order.
        safe = self.keep_button if review.uncounted else self.close_button
        for button in (self.close_button, self.keep_button):
            button.setAutoDefault(button is safe)
            button.setDefault(button is safe)
        safe.setFocus()
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_and_remember(self, "finish_count", QSize(700, 500))


def review_html(review: CountReview, *, blind: bool = False) -> str:
    """The finish review as simple HTML: lines never counted, then variances."""
    parts = [f"<p>Counted <b>{review.counted}</b> of <b>{review.to_count}</b> lines.</p>"]
    if review.uncounted:
        parts.append(f"<h3>Never counted ({len(review.uncounted)})</h3><ul>")
        parts.extend(
            f"<li>{line.bin or ''} {line.item_code} {line.description}</li>"
            for line in review.uncounted
        )
        parts.append("</ul><p>These lines get no order until they are counted.</p>")
    if review.variances:
        parts.append(f"<h3>Off expected by more than {review.tolerance_pct} %</h3><ul>")
        for variance in review.variances:
            line = variance.line
            parts.append(
                f"<li>{line.item_code} {line.description}: counted "
                f"{number_text(variance.counted)}, expected {number_text(variance.expected)} "
                f"({variance.percent} %)</li>"
            )
        parts.append("</ul><p>Recount these if the numbers look wrong.</p>")
    if not review.uncounted and not review.variances:
        parts.append("<p>Every line is counted and none is far from expected.</p>")
    if blind:
        parts.append("<p><i>Expected quantities are shown now that counting is done.</i></p>")
    return "".join(parts)
