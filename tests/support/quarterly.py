"""A quarterly review report built by hand, for the tests of its PDF and of printing it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from parstudio.domain.quarterly_review import (
    ALL_DEPARTMENTS,
    Mover,
    Quarter,
    QuarterlyReport,
    RushOrder,
    StockoutLine,
    StockValue,
    UsageComparison,
    summarise_waste,
)
from parstudio.domain.review import ReviewLine
from parstudio.domain.waste import WasteReason, WasteRecord

Q3 = Quarter(2026, 3)
MADE_ON = date(2026, 10, 2)
LONG = (
    "Catheter, central venous, triple lumen, 7 Fr × 20 cm, polyurethane, antimicrobial, "
    "with guidewire and dilator"
)
LOCATIONS = (("CT1", "CT room 1"), ("MRI1", "MRI suite"), ("STORE", "Imaging storeroom"))
REASONS = (WasteReason.EXPIRED, WasteReason.DAMAGED, WasteReason.RECALLED)


def waste(count: int) -> tuple[WasteRecord, ...]:
    records = []
    for n in range(count):
        code, _name = LOCATIONS[n % 3]
        records.append(
            WasteRecord(
                id=n + 1,
                location_id=n % 3 + 1,
                location_code=code,
                item_id=n + 100,
                item_code=f"ITM-{n:04d}",
                description=LONG if n == 0 else f"Syringe 10 mL luer lock {n}",
                unit="EA",
                quantity=Decimal(n % 7 + 1),
                reason=REASONS[n % 3],
                lot=f"L{n:05d}",
                expiry=date(2026, 9, 1),
                unit_cost=None if n % 10 == 9 else Decimal("2.35"),
                note=None,
                recorded_at=datetime(2026, 7, 1, 12, tzinfo=UTC) + timedelta(hours=17 * n),
                recorded_by="anna",
            )
        )
    return tuple(records)


def review_line(n: int, current: Decimal | None) -> ReviewLine:
    return ReviewLine(
        setting_id=n,
        version=1,
        location_code="CT1",
        item_code=f"IOH-{n}",
        description=LONG if n == 1 else f"Iohexol 350 mgI/mL {n * 50} mL",
        unit="EA",
        method="PAR",
        level="PAR" if n % 2 else "Max",
        current=current,
        suggested=Decimal(30 + n),
        other=Decimal(28 + n),
        weeks_used=26,
        average=Decimal("7.5"),
        peak=Decimal(12),
        sd=Decimal("2.1"),
        adjusted_average=Decimal("7.8"),
        season="",
        stockouts=1,
    )


def report(waste_lines: int = 120, **changes: object) -> QuarterlyReport:
    """A filtered report with every section filled, and enough waste lines to span pages."""
    records = waste(waste_lines)
    made = QuarterlyReport(
        quarter=Q3,
        scope="Imaging · cost centre 4100",
        made_on=MADE_ON,
        settings=1234,
        usage=(
            UsageComparison(
                "CT1 — CT room 1", Decimal("12500.40"), Decimal("11111.00"), Decimal(0), True
            ),
            UsageComparison(
                "MRI1 — MRI suite", Decimal("8300.00"), Decimal("9000.00"), Decimal(8000), False
            ),
            UsageComparison(
                "US1 — Ultrasound room 1",
                Decimal("0.00"),
                Decimal("0.00"),
                Decimal(0),
                True,
                year_before_known=False,
            ),
            UsageComparison(
                "All locations", Decimal("20800.40"), Decimal("20111.00"), Decimal(8000), False
            ),
        ),
        unpriced_settings=3,
        stockouts=(
            StockoutLine("CT1", "GAUZE-10", "Gauze swabs 10 × 10 cm", 3, 13, date(2026, 9, 14)),
            StockoutLine("MRI1", "CVC-7", LONG, 1, 12, date(2026, 8, 2)),
        ),
        waste=records,
        waste_by_reason=summarise_waste(records),
        rush_orders=(
            RushOrder(
                "PO-2026-00107",
                "PURCHASE",
                date(2026, 8, 6),
                date(2026, 8, 8),
                "Bracco Diagnostics",
                "CT1",
                Decimal("1480.00"),
                "delivery on Saturday, outside the schedule (Mon, Wed, Fri)",
            ),
            RushOrder(
                "TR-2026-00033",
                "Transfer",  # as the service writes it; PURCHASE above as the enum value
                date(2026, 9, 1),
                None,
                "STORE",
                "CT1, MRI1",
                Decimal("212.50"),
                "marked rush",
            ),
        ),
        stock_value=(
            StockValue("CT1", "CT room 1", Decimal("45210.75"), Decimal("3100.00"), 2),
            StockValue("MRI1", "MRI suite", Decimal("18000.00"), Decimal(0), 0),
        ),
        movers=(
            Mover(
                "CT1",
                "IOH-350",
                "Iohexol 350 mgI/mL 100 mL",
                "EA",
                Decimal(420),
                Decimal("5250.00"),
                Decimal(373),
            ),
            Mover(
                "MRI1",
                "GAD-15",
                "Gadobutrol 15 mL",
                "EA",
                Decimal(96),
                Decimal("4032.00"),
                Decimal(0),
            ),
        ),
        out_of_line=(
            review_line(1, Decimal(10)),
            review_line(2, None),
            review_line(3, Decimal(40)),
        ),
        suggestions_through=date(2026, 9, 27),
    )
    return replace(made, **changes)  # type: ignore[arg-type]


def empty() -> QuarterlyReport:
    """A report of the whole department with every section empty."""
    return report(
        waste_lines=0,
        scope=ALL_DEPARTMENTS,
        usage=(
            UsageComparison(
                "All locations",
                Decimal(0),
                Decimal(0),
                Decimal(0),
                True,
                last_quarter_known=False,
                year_before_known=False,
            ),
        ),
        unpriced_settings=0,
        stockouts=(),
        rush_orders=(),
        stock_value=(),
        movers=(),
        out_of_line=(),
        suggestions_through=None,
    )
