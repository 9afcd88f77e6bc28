"""What the what-if replay reads besides usage: each line's terms (the order engine's, the
location's calendar, the source's lead time) and proposed levels from a PAR worksheet file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from parstudio.domain.enums import CountType, Method, Rounding
from parstudio.domain.errors import WorksheetError
from parstudio.domain.simulation import SimSetting
from parstudio.domain.simulation_series import delivery_weekdays
from parstudio.domain.worksheet import map_headers, parse_rows
from parstudio.models import Item, Location, ParSetting, Supplier, UsageProfile
from parstudio.reports.worksheet_read import read_first_sheet
from parstudio.services.review.suggestions import DEFAULT_LEAD_DAYS, TRANSFER_LEAD_DAYS

_store = aliased(Location)
_source = aliased(Supplier)
_item_supplier = aliased(Supplier)


def settings_query() -> Any:
    """One row per active setting: its terms, levels and the review's two suggestions."""
    return (
        select(
            ParSetting.id,
            ParSetting.version,
            ParSetting.location_id,
            Location.code,
            Location.delivery_weekdays,
            Location.deliveries_per_week,
            Location.default_count_type,
            Item.code,
            Item.description,
            Item.unit,
            Item.pack_size,
            Item.pack_price,
            Item.shelf_life_days,
            ParSetting.method,
            ParSetting.count_type,
            ParSetting.par_level,
            ParSetting.min_level,
            ParSetting.max_level,
            ParSetting.moq,
            ParSetting.lot_multiple,
            ParSetting.rounding,
            ParSetting.storage_capacity,
            ParSetting.weekly_usage,
            _store.code,
            func.coalesce(_source.code, _item_supplier.code),
            func.coalesce(_source.lead_time_days, _item_supplier.lead_time_days),
            UsageProfile.by_coverage,
            UsageProfile.by_deliveries,
        )
        .join(Location, Location.id == ParSetting.location_id)
        .join(Item, Item.id == ParSetting.item_id)
        .outerjoin(_store, _store.id == ParSetting.source_location_id)
        .outerjoin(_source, _source.id == ParSetting.source_supplier_id)
        .outerjoin(_item_supplier, _item_supplier.id == Item.supplier_id)
        .outerjoin(UsageProfile, UsageProfile.par_setting_id == ParSetting.id)
        .where(ParSetting.active.is_(True), Location.active.is_(True), Item.active.is_(True))
        .order_by(Location.code, Item.code)
    )


_COUNT_TYPES = {kind.value: kind for kind in CountType}


def sim_setting(row: Any, seasons: tuple[Any, ...]) -> SimSetting:
    """A row of settings_query as the replay's record of the line."""
    (
        setting_id,
        _version,
        _location_id,
        location_code,
        weekdays,
        per_week,
        default_type,
        item_code,
        description,
        unit,
        pack_size,
        pack_price,
        shelf_life,
        method,
        count_type,
        *_levels,
    ) = row[:18]
    moq, multiple, rounding, capacity, weekly, store, supplier, lead = row[18:26]
    if store is not None:
        source, lead_days = store, TRANSFER_LEAD_DAYS
    else:
        source, lead_days = supplier or "", DEFAULT_LEAD_DAYS if lead is None else int(lead)
    return SimSetting(
        setting_id=setting_id,
        location_code=location_code,
        item_code=item_code,
        description=description or "",
        unit=unit,
        method=Method(method),
        count_type=_COUNT_TYPES[count_type or default_type],
        pack_size=pack_size,
        pack_price=pack_price,
        moq=moq,
        lot_multiple=multiple,
        rounding=Rounding(rounding),
        storage_capacity=capacity,
        shelf_life_days=shelf_life,
        weekly_usage=weekly,
        source=f"{location_code}←{source}",
        lead_time_days=lead_days,
        delivery_weekdays=delivery_weekdays(weekdays, per_week),
        seasons=seasons,
    )


def file_levels(path: Path) -> dict[tuple[str, str], dict[str, Decimal | None]]:
    """The levels a PAR worksheet file gives, by (location, item code): only the level
    columns it has (a blank cell is "no level"); a file with problems is refused."""
    sheet = read_first_sheet(path)
    header = map_headers(sheet.header, sheet=sheet.name)
    if header.errors:
        raise WorksheetError(f"{path.name}: {header.errors[0]}", sheet=sheet.name)
    rows, errors = parse_rows(sheet.rows, header, sheet=sheet.name)
    if errors:
        shown = "; ".join(str(e) for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise WorksheetError(f"{path.name} has problems: {shown}{more}", sheet=sheet.name)
    names = ("par_level", "min_level", "max_level")
    levels = {
        row.key: {name: row.setting[name] for name in names if name in row.setting} for row in rows
    }
    if not any(levels.values()):
        raise WorksheetError(
            f"{path.name} has no PAR Level, Min or Max column with rows below it.", sheet=sheet.name
        )
    return levels
