"""Charge capture: the billable items used on cases in a period, for the billing office."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select

from parstudio.domain.cases import masked
from parstudio.domain.charges import ChargeCapture, ChargeLine, DayRange
from parstudio.models import Item, Location, PatientCase, UseLine
from parstudio.reports.charges_write import write_charge_file
from parstudio.services.billing.scope import chosen_places, may_see_identifiers, refuse_viewers
from parstudio.services.core.database import Database


def charge_capture(
    db: Database,
    *,
    period: DayRange,
    location_codes: Sequence[str] = (),
    department: str | None = None,
) -> ChargeCapture:
    """The billable items used on cases at the chosen locations in the period (local days),
    voided lines left out, oldest use first. Viewers see case identifiers masked."""
    since, until = period.bounds()
    with db.reading() as session:
        places, scope = chosen_places(session, location_codes=location_codes, department=department)
        query = (
            select(UseLine, PatientCase, Item, Location.code, Location.name)
            .join(PatientCase, PatientCase.id == UseLine.case_id)
            .join(Item, Item.id == UseLine.item_id)
            .join(Location, Location.id == UseLine.location_id)
            .where(
                Item.billable.is_(True),
                UseLine.voided.is_(False),
                UseLine.used_at >= since,
                UseLine.used_at < until,
                UseLine.location_id.in_(list(places)),
            )
            .order_by(UseLine.used_at, UseLine.id)
        )
        shown = may_see_identifiers(db)
        lines = tuple(
            ChargeLine(
                case_identifier=case.identifier if shown else masked(case.id),
                case_opened_at=case.opened_at,
                location_code=code,
                location_name=name,
                procedure=case.procedure,
                physician=case.physician,
                item_code=item.code,
                description=item.description,
                unit=item.unit,
                charge_code=item.charge_code or None,
                quantity=use.quantity,
                unit_price=item.charge_price,
                lot=use.lot,
                serial=use.serial,
                used_at=use.used_at,
                used_by=use.used_by,
            )
            for use, case, item, code, name in session.execute(query)
        )
    return ChargeCapture(period=period, scope=scope, lines=lines)


def export_charges(
    db: Database,
    *,
    path: Path | str,
    period: DayRange,
    location_codes: Sequence[str] = (),
    department: str | None = None,
) -> ChargeCapture:
    """Write the charge file (.xlsx or .csv by the path's extension); refused for viewers."""
    refuse_viewers(db, "the charge file")
    found = charge_capture(db, period=period, location_codes=location_codes, department=department)
    write_charge_file(path, found)
    return found


def write_charge_capture(db: Database, *, path: Path | str, capture: ChargeCapture) -> None:
    """Write a charge capture already read (as on screen); refused for viewers."""
    refuse_viewers(db, "the charge file")
    write_charge_file(path, capture)
