"""The quarterly review report dialog: filters, key figures, sections, opened from Review."""

from __future__ import annotations

from typing import Any

import pytest

from parstudio.domain.quarterly_review import Quarter
from parstudio.ui.review.quarterly_report import QuarterlyReportDialog
from parstudio.ui.shell.main_window import MainWindow
from tests.services.review.test_quarterly_review import TODAY, build_department


@pytest.fixture
def dialog(window: MainWindow, qtbot: Any) -> QuarterlyReportDialog:
    build_department(window.db)
    result = QuarterlyReportDialog(window, window, today=TODAY)
    qtbot.addWidget(result)
    result.show()
    qtbot.waitUntil(lambda: result.report is not None, timeout=20_000)
    return result


def _texts(section: Any, column: int) -> list[str]:
    model = section.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_the_last_complete_quarter_is_shown_with_its_key_figures(
    dialog: QuarterlyReportDialog,
) -> None:
    assert dialog.quarter.currentData() == Quarter(2026, 2)
    assert dialog.quarter.itemText(0) == "Q3 2026 (Jul–Sep) — so far"
    assert dialog.heading.text() == "Q2 2026 (Apr–Jun) · All departments · 4 PAR settings"
    assert dialog.usage_figure.value.text() == "448.50"
    assert dialog.usage_figure.detail.text() == "−0.3 % on last quarter · −1.4 % on a year before"
    assert dialog.stock_figure.value.text() == "50.00"
    assert "consignment 600.00 not included" in dialog.stock_figure.detail.text()
    assert dialog.waste_figure.value.text() == "6.50"
    assert dialog.rush_figure.value.text() == "2"
    assert dialog.stockout_figure.value.text() == "2"
    assert dialog.print_button.isEnabled()


def test_each_section_lists_its_lines(dialog: QuarterlyReportDialog, qtmodeltester: Any) -> None:
    assert _texts(dialog.usage, 0) == ["CT1 — CT room 1", "All locations"]
    assert _texts(dialog.stockouts, 1) == ["GAUZE"]
    assert _texts(dialog.waste, 6) == ["Damaged or opened", "Expired"]
    assert _texts(dialog.rush, 0) == ["PO-2", "PO-3"]
    assert _texts(dialog.stock, 2) == ["600.00"]
    assert _texts(dialog.movers, 1) == ["GLV", "GAUZE"]
    assert dialog.out_of_line.stack.currentWidget() is dialog.out_of_line.empty
    assert "Recompute suggestions" in dialog.out_of_line.empty.text()
    sections = (dialog.usage, dialog.stockouts, dialog.waste, dialog.rush, dialog.stock)
    for section in (*sections, dialog.movers, dialog.out_of_line):
        qtmodeltester.check(section.model)


def test_filters_read_the_report_again(dialog: QuarterlyReportDialog, qtbot: Any) -> None:
    assert [dialog.department.itemText(i) for i in range(dialog.department.count())] == [
        "All",
        "Imaging",
        "Medicine",
    ]
    dialog.department.setCurrentIndex(2)
    qtbot.waitUntil(
        lambda: dialog.report is not None and dialog.report.scope == "Department Medicine"
    )
    assert dialog.heading.text().endswith("Department Medicine · 1 PAR settings")
    assert dialog.stockouts.stack.currentWidget() is dialog.stockouts.empty
    assert dialog.stockouts.empty.text() == "No stockouts this quarter."
    assert dialog.rush_figure.value.text() == "0"
    dialog.quarter.setCurrentIndex(2)  # Q1 2026
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.report.quarter == Quarter(2026, 1))


def test_the_review_page_opens_the_report(window: MainWindow, monkeypatch: Any) -> None:
    opened: list[QuarterlyReportDialog] = []
    monkeypatch.setattr(QuarterlyReportDialog, "exec", lambda d: opened.append(d) or 0)
    window.show_page("Review")
    page = window.page("Review")
    page.quarterly_action.trigger()
    assert len(opened) == 1
    assert opened[0].windowTitle() == "Quarterly review report"


def test_print_previews_the_report_as_shown(
    dialog: QuarterlyReportDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parstudio.domain.paper import PaperSize, PrintOptions
    from parstudio.ui.kit import print_preview
    from tests.support.pdfs import page_sizes, texts

    opened: list[Any] = []
    monkeypatch.setattr(print_preview, "preview", lambda *a, **k: opened.append((a, k)))
    dialog.print_button.click()
    ((_parent, make), options) = opened[0]
    assert options["title"] == "Quarterly review 2026-Q2"
    document = make(PrintOptions(paper=PaperSize.LETTER))
    assert document.filename == "quarterly-review-2026-Q2.pdf"
    text = "\n".join(texts(document.pdf))
    assert "Quarterly review — Q2 2026 (Apr–Jun)" in text
    assert "PO-3" in text and "GAUZE" in text
    assert set(page_sizes(document.pdf)) == {(612.0, 792.0)}
