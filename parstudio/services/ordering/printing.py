"""Finished PDFs of the paperwork, ready to preview, save or print, for the app and the CLI."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from parstudio.domain.consignment import ConsignmentUsage
from parstudio.domain.errors import ParStudioError, ValidationError
from parstudio.domain.expiry import RecallList
from parstudio.domain.orders import OrderKind
from parstudio.domain.paper import (
    CountSheet,
    Label,
    OrderSheet,
    PickList,
    PrintedDocument,
    PrintKind,
    PrintOptions,
)
from parstudio.domain.quarterly_review import Quarter, QuarterlyReport
from parstudio.domain.report_period import ReportPeriod
from parstudio.reports.consignment_usage import consignment_usage_pdf
from parstudio.reports.count_sheet import count_sheet_pdf
from parstudio.reports.labels import labels_pdf
from parstudio.reports.order_sheet import order_sheet_pdf
from parstudio.reports.pick_list import pick_list_pdf, pick_lists_pdf
from parstudio.reports.quarterly_review import quarterly_review_pdf
from parstudio.reports.recall_list import recall_list_pdf
from parstudio.services.core.database import Database
from parstudio.services.costs import consignment
from parstudio.services.ordering import paperwork
from parstudio.services.review import quarterly as quarterly_review
from parstudio.services.review.period_usage import SettingFilter

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_PAGE = re.compile(rb"/Type /Page\b(?!s)")


def safe_name(text: str) -> str:
    """Text usable in a file name on every system."""
    return _UNSAFE.sub("_", text).strip("._") or "document"


def _pages(pdf: bytes) -> int:
    """Pages in a PDF written by our canvas (page objects are not compressed, so countable)."""
    return len(_PAGE.findall(pdf))


def _document(title: str, filename: str, pdf: bytes) -> PrintedDocument:
    return PrintedDocument(title, safe_name(filename) + ".pdf", pdf, _pages(pdf))


def order_sheet_document(sheet: OrderSheet, options: PrintOptions) -> PrintedDocument:
    """The PDF of an order sheet."""
    return _document(
        f"Order sheet {sheet.number} · {sheet.supplier.name}",
        f"order-sheet-{sheet.number}",
        order_sheet_pdf(sheet, options.paper),
    )


def pick_list_document(pick: PickList, options: PrintOptions) -> PrintedDocument:
    """The PDF of a pick list."""
    return _document(
        f"Pick list {pick.number} · {pick.storeroom_code}",
        f"pick-list-{pick.number}",
        pick_list_pdf(pick, options.paper),
    )


def recall_list_document(recall: RecallList, options: PrintOptions) -> PrintedDocument:
    """The PDF of a recall list: where a lot of an item is, to pull it."""
    return _document(
        f"Recall list {recall.item_code} · lot {recall.lot}",
        f"recall-{recall.item_code}-{recall.lot}",
        recall_list_pdf(recall, options.paper),
    )


def quarterly_review_document(report: QuarterlyReport, options: PrintOptions) -> PrintedDocument:
    """The PDF of a quarterly review report; a filtered one names its scope in the file name."""
    name = f"quarterly-review-{report.quarter.code}"
    if report.filtered:
        name += f"-{report.scope}"
    return _document(
        f"Quarterly review {report.quarter.label} · {report.scope}",
        name,
        quarterly_review_pdf(report, options.paper),
    )


def consignment_usage_document(report: ConsignmentUsage, options: PrintOptions) -> PrintedDocument:
    """The PDF of consignment usage: every vendor's replenish-on-use list in the report."""
    vendor = report.vendors[0].vendor if len(report.vendors) == 1 else ""
    return _document(
        f"Consignment usage {report.period.label}" + (f" · {vendor}" if vendor else ""),
        f"consignment-usage-{report.period.key}" + (f"-{vendor}" if vendor else ""),
        consignment_usage_pdf(report, options.paper),
    )


def count_sheet_document(sheet: CountSheet, options: PrintOptions) -> PrintedDocument:
    """The PDF of a count sheet."""
    return _document(
        f"Count sheet {sheet.location_code} · {sheet.location_name}",
        f"count-sheet-{sheet.location_code}",
        count_sheet_pdf(sheet, options.paper),
    )


def labels_document(
    labels: Sequence[Label], options: PrintOptions, *, title: str, filename: str
) -> PrintedDocument:
    """The PDF of a run of labels."""
    if not labels:
        raise ValidationError("There are no labels to print: pick some rows first.")
    pdf = labels_pdf(
        labels, stock=options.stock, paper=options.paper, symbology=options.symbology, title=title
    )
    return _document(title, filename, pdf)


def document_for_order(db: Database, *, order_id: int, options: PrintOptions) -> PrintedDocument:
    """An order's paper: the order sheet of a purchase order, the pick list of a transfer."""
    if paperwork.order_kind(db, order_id=order_id) is OrderKind.PURCHASE:
        return order_sheet_document(paperwork.order_sheet(db, order_id=order_id), options)
    return pick_list_document(paperwork.pick_list(db, order_id=order_id), options)


def count_sheet_for(db: Database, *, location_id: int, options: PrintOptions) -> PrintedDocument:
    """The count sheet of one location."""
    return count_sheet_document(paperwork.count_sheet(db, location_id=location_id), options)


def shelf_labels_for(
    db: Database, *, setting_ids: Sequence[int], options: PrintOptions
) -> PrintedDocument:
    """Shelf labels of the chosen PAR settings."""
    labels = paperwork.shelf_labels(db, setting_ids=setting_ids)
    return labels_document(labels, options, title="Shelf labels", filename="shelf-labels")


def item_labels_for(
    db: Database, *, item_ids: Sequence[int], options: PrintOptions
) -> PrintedDocument:
    """Labels of the chosen items."""
    labels = paperwork.item_labels(db, item_ids=item_ids)
    return labels_document(labels, options, title="Item labels", filename="item-labels")


def location_labels_for(
    db: Database, *, location_codes: Sequence[str], options: PrintOptions, bins: bool = True
) -> PrintedDocument:
    """Labels of locations and (optionally) their bins."""
    labels = paperwork.location_labels(db, location_codes=location_codes, bins=bins)
    name = "-".join(location_codes) if len(location_codes) <= 3 else "locations"
    title = "Location and bin labels" if bins else "Location labels"
    return labels_document(labels, options, title=title, filename=f"location-labels-{name}")


def pick_lists_for(
    db: Database, *, order_ids: Sequence[int], options: PrintOptions
) -> PrintedDocument:
    """The pick lists of several transfers in one document (those a rebalance just made)."""
    picks = [paperwork.pick_list(db, order_id=order_id) for order_id in order_ids]
    if not picks:
        raise ValidationError("There is no pick list to print.")
    if len(picks) == 1:
        return pick_list_document(picks[0], options)
    numbers = ", ".join(pick.number for pick in picks)
    return _document(
        f"Pick lists {numbers}",
        f"pick-lists-{picks[0].number}-{picks[-1].number}",
        pick_lists_pdf(picks, options.paper),
    )


def documents(
    db: Database,
    *,
    kind: PrintKind,
    options: PrintOptions,
    location_codes: Sequence[str] | None = None,
    order_numbers: Sequence[str] | None = None,
    period: ReportPeriod | None = None,
    quarter: Quarter | None = None,
    department: str | None = None,
    cost_centre: str | None = None,
    today: date | None = None,
) -> list[PrintedDocument]:
    """Every document of one kind that `parstudio print` makes, in memory.

    ``period`` is the months of consignment usage (default: the last complete month);
    ``quarter`` the quarter of the quarterly review (default: the last complete quarter), which
    ``department``, ``cost_centre`` and ``location_codes`` narrow.
    """
    if order_numbers and kind not in (PrintKind.ORDER_SHEETS, PrintKind.PICK_LISTS):
        raise ValidationError(f"--order only applies to order-sheets and pick-lists, not {kind}.")
    if period is not None and kind is not PrintKind.CONSIGNMENT_USAGE:
        raise ValidationError(f"--from and --to only apply to consignment-usage, not {kind}.")
    review_options = {
        "--quarter": quarter,
        "--department": department,
        "--cost-centre": cost_centre,
    }
    for option, given in review_options.items():
        if given is not None and kind is not PrintKind.QUARTERLY_REVIEW:
            raise ValidationError(f"{option} only applies to quarterly-review, not {kind}.")
    if kind is PrintKind.QUARTERLY_REVIEW:
        today = today or date.today()
        wanted = SettingFilter(department, cost_centre, tuple(location_codes or ()))
        review = quarterly_review.quarterly_review(
            db,
            quarter=quarter or Quarter.last_complete(today),
            wanted=wanted if wanted != SettingFilter() else None,
            today=today,
        )
        return [quarterly_review_document(review, options)]
    if kind is PrintKind.CONSIGNMENT_USAGE:
        wanted = SettingFilter(location_codes=tuple(location_codes or ()))
        report = consignment.consignment_usage_report(db, period=period, wanted=wanted)
        return [
            consignment_usage_document(report.of_vendor(vendor.vendor), options)
            for vendor in report.vendors
        ]
    if kind is PrintKind.ORDER_SHEETS:
        sheets = paperwork.order_sheets(db, numbers=order_numbers, location_codes=location_codes)
        return [order_sheet_document(sheet, options) for sheet in sheets]
    if kind is PrintKind.PICK_LISTS:
        picks = paperwork.pick_lists(db, numbers=order_numbers, location_codes=location_codes)
        return [pick_list_document(pick, options) for pick in picks]
    if kind is PrintKind.COUNT_SHEETS:
        sheets_ = paperwork.count_sheets(db, location_codes=location_codes)
        return [count_sheet_document(sheet, options) for sheet in sheets_]
    found: list[PrintedDocument] = []
    for code in paperwork.stocked_location_codes(db, location_codes=location_codes):
        labels = paperwork.shelf_labels(db, location_codes=[code])
        if labels:
            found.append(
                labels_document(
                    labels, options, title=f"Shelf labels {code}", filename=f"shelf-labels-{code}"
                )
            )
    places = paperwork.location_labels(db, location_codes=location_codes)
    if places:
        found.append(
            labels_document(
                places, options, title="Location and bin labels", filename="location-labels"
            )
        )
    return found


def write_documents(documents: Sequence[PrintedDocument], folder: Path | str) -> list[Path]:
    """Write PDFs into a folder, each whole or not at all (written aside, then renamed)."""
    target = Path(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParStudioError(f"Cannot create the folder {target}: {exc.strerror}.") from exc
    written = []
    for document in documents:
        path = target / document.filename
        try:
            handle, temporary = tempfile.mkstemp(dir=target, suffix=".part")
            with os.fdopen(handle, "wb") as stream:
                stream.write(document.pdf)
            os.replace(temporary, path)
        except OSError as exc:
            raise ParStudioError(f"Cannot write {path}: {exc.strerror}.") from exc
        written.append(path)
    return written
