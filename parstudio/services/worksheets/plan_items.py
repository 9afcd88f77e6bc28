"""Checking a worksheet's items against the database: new items, changed items, barcodes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from parstudio.domain.worksheet import WorksheetRow, show_value
from parstudio.domain.worksheet_cells import near_duplicate_key
from parstudio.domain.worksheet_checks import column_for_field
from parstudio.domain.worksheet_preview import FieldChange, RecordChange
from parstudio.models import Item
from parstudio.services.worksheets.context import (
    ITEM_COLUMNS,
    ITEM_COLUMNS_AT,
    ITEM_DEFAULTS,
    Context,
    Plan,
)

Report = Callable[[WorksheetRow, str, str], None]
"""How a check reports a problem: (row, column name, message)."""


def show(value: Any) -> str:
    """A value as the preview shows it."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, Decimal):
        tidy = value.quantize(Decimal(1)) if value == value.to_integral_value() else value
        return show_value(tidy if tidy is not value else value.normalize())
    return show_value(value)


def resolve_items(plan: Plan, context: Context, error: Report) -> dict[str, RecordChange]:
    """Fill the plan's new items and item updates; the changed items, by code."""
    changed_items: dict[str, RecordChange] = {}
    # Items: one merged view per code (blanks on some rows do not count against values on others).
    # Most items are described alike on all their rows: their first row's fields, as they are
    # (only read; a blank list of barcodes reads as no barcodes below).
    merged: dict[str, Mapping[str, Any]] = {}
    copies: dict[str, dict[str, Any]] = {}  # of items described on rows that differ
    first_row: dict[str, WorksheetRow] = {}
    for row in plan.rows:
        first = first_row.get(row.item_code)
        if first is None:
            first_row[row.item_code] = row
            merged[row.item_code] = row.item
            continue
        # Rows of one item often share one dict (the parse shares it): no need to compare.
        if first.item is row.item or first.item == row.item:
            continue  # the same as its first row: nothing to merge
        copy = copies.get(row.item_code)
        if copy is None:
            copy = copies[row.item_code] = dict(first.item)
            merged[row.item_code] = copy
        for name, value in row.item.items():
            if value is None or value == ():
                copy.setdefault(name, None)
            else:
                copy[name] = value
    barcode_claims: dict[str, str] = {}
    for code, values in merged.items():
        first_of_item = first_row[code]
        supplier_id: int | str | None = None
        if "supplier_code" in values:
            supplier_id = _supplier(plan, context, values["supplier_code"], first_of_item, error)
        for barcode in values.get("barcodes") or ():
            owner = context.barcode_owner.get(barcode) or barcode_claims.get(barcode)
            if owner is not None and owner != code:
                error(
                    first_of_item,
                    "Barcodes",
                    f"The barcode {barcode} already belongs to item {owner}.",
                )
            barcode_claims[barcode] = code
        existing = context.items.get(code)
        if existing is None:
            if not values.get("description"):
                error(first_of_item, "Description", f"Item {code} is new and needs a Description.")
            new = {name: values.get(name) for name in ITEM_COLUMNS}
            for name, default in ITEM_DEFAULTS.items():
                if new.get(name) is None:
                    new[name] = default
            new["unit"] = (new["unit"] or "EA").upper()
            new["supplier_id"] = supplier_id
            new["barcodes"] = values.get("barcodes") or ()
            plan.new_items[code] = new
            continue
        update: dict[str, Any] = {}
        shown: list[FieldChange] = []
        # The row's fields by position (a Row's attributes cost a lookup each).
        for name, old in zip(ITEM_COLUMNS, existing[ITEM_COLUMNS_AT:], strict=True):
            if name not in values:
                continue
            value = values[name]
            if value is None and name in ITEM_DEFAULTS:
                continue
            if name == "unit":
                value = value.upper()
            if old != value:
                update[name] = value
                shown.append(FieldChange(column_for_field(name).name, show(old), show(value)))
        if "supplier_code" in values and supplier_id != existing.supplier_id:
            update["supplier_id"] = supplier_id
            old_code = context.supplier_codes.get(existing.supplier_id or 0, "")
            new_code = (
                context.supplier_codes.get(supplier_id, "")
                if isinstance(supplier_id, int)
                else str(supplier_id or "")
            )
            shown.append(FieldChange("Supplier", old_code, new_code))
        if not existing.active:
            update["active"] = True
            shown.append(FieldChange("Active", "no", "yes"))
        codes = values.get("barcodes")
        # A cell's text is trimmed, but an HIBC code may end in a space (its check character):
        # compare trimmed, so an export read back does not "change" such a barcode.
        if codes and tuple(codes) != tuple(map(str.strip, context.barcodes.get(existing.id, ()))):
            plan.barcode_updates[code] = tuple(codes)
            shown.append(
                FieldChange("Barcodes", show(context.barcodes.get(existing.id, ())), show(codes))
            )
        if shown:
            plan.item_updates[existing.id] = update
            plan.versions[("item", existing.id)] = (existing.version, f"item {code}")
            changed_items[code] = RecordChange(code, first_of_item.row, tuple(shown))

    return changed_items


def _supplier(
    plan: Plan, context: Context, text: str | None, row: WorksheetRow, error: Any
) -> int | str | None:
    """The id of a known supplier, or the code of one to create ('' when blank)."""
    if not text:
        return None
    key = text.strip().lower()
    if key in context.suppliers:
        return context.suppliers[key][0]
    if len(text) > 40:
        error(
            row,
            "Supplier",
            f"The supplier “{text}” is new and its name is too long to be its code (at most "
            "40 characters); add the supplier first, then use its code.",
        )
    plan.new_suppliers.setdefault(key, text.strip())
    return plan.new_suppliers[key]


_WARN_AT_MOST = 50


def near_duplicates(session: Session, plan: Plan) -> list[str]:
    """New item codes that differ from another code only in capitals or punctuation."""
    if not plan.new_items:
        return []
    new_by_key: dict[str, list[str]] = {}
    for code in plan.new_items:
        new_by_key.setdefault(near_duplicate_key(code), []).append(code)
    warnings = [
        f"New items {' and '.join(codes)} differ only in capitals or punctuation: check "
        "they are not the same item."
        for codes in new_by_key.values()
        if len(codes) > 1
    ]
    # Every existing code is compared (by its key), read in batches: no SQL function for this.
    query = select(Item.code).execution_options(yield_per=20_000)
    for (code,) in session.execute(query):
        news = new_by_key.get(near_duplicate_key(code))
        if news and code not in news:
            warnings.extend(
                f"New item {new} looks like the existing item {code} (only capitals or "
                "punctuation differ): check it is not the same item."
                for new in news
            )
    if len(warnings) > _WARN_AT_MOST:
        more = len(warnings) - _WARN_AT_MOST
        warnings = [*warnings[:_WARN_AT_MOST], f"… and {more} more like these."]
    return warnings
