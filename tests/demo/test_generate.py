"""The large-department generator, at a small size, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from biip.gtin import Gtin
from sqlalchemy import func, select

from parstudio.demo.catalogue import gs1_check_digit
from parstudio.demo.department import DatabaseNotEmptyError
from parstudio.demo.generate import generate_department
from parstudio.domain.errors import ValidationError
from parstudio.models import Barcode, Count, CountLine, Item, Location, ParSetting, Receipt
from parstudio.services.core.database import Database, open_database, sqlite_url

TODAY = date(2026, 11, 25)
SIZE = {"items": 200, "locations": 5, "settings": 600, "weeks": 8, "count_every_weeks": 1}


def _rows(db: Database, table: type) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_small_department_has_the_requested_sizes(db: Database) -> None:
    messages: list[str] = []
    summary = generate_department(db, seed=3, today=TODAY, progress=messages.append, **SIZE)
    assert (summary.items, summary.locations, summary.settings) == (200, 5, 600)
    assert _rows(db, Item) == 200
    assert _rows(db, Location) == 5
    assert _rows(db, ParSetting) == 600
    assert _rows(db, Count) == summary.counts
    assert _rows(db, CountLine) == summary.count_lines
    assert _rows(db, Receipt) == summary.receipts
    assert _rows(db, Barcode) == summary.barcodes
    assert messages and messages[-1].startswith("Done in")
    with db.reading() as session:
        per_location = session.execute(
            select(Count.location_id, func.count(Count.id), func.max(Count.started_at)).group_by(
                Count.location_id
            )
        ).all()
        stores = session.scalars(select(Location.code).where(Location.kind == "STOREROOM")).all()
    assert stores == ["CS-STORE"]
    # Weekly counts over 8 weeks, plus yesterday's, for every location.
    assert len(per_location) == 5
    for _location, counts, latest in per_location:
        assert 8 <= counts <= 9
        assert latest.date() == TODAY - timedelta(days=1)
    # Nearly every setting is counted each week (two-bin lines only when a bin is empty).
    assert summary.count_lines > 0.7 * 600 * 8


def test_generated_codes_are_unique_and_gtins_valid(db: Database) -> None:
    generate_department(db, seed=3, today=TODAY, **SIZE)
    with db.reading() as session:
        item_codes = session.scalars(select(Item.code)).all()
        barcodes = session.execute(select(Barcode.code, Barcode.kind, Barcode.item_id)).all()
        location_codes = session.scalars(select(Location.code)).all()
    assert len(set(item_codes)) == len(item_codes) == 200
    assert len(set(location_codes)) == 5
    assert len({code for code, _, _ in barcodes}) == len(barcodes)
    gtins = [code for code, kind, _ in barcodes if kind == "GTIN"]
    fourteen = {item for code, kind, item in barcodes if kind == "GTIN" and len(code) == 14}
    assert len(fourteen) == 200  # every item has its GTIN-14
    for code in gtins:
        assert code[-1] == gs1_check_digit(code[:-1])
        assert Gtin.parse(code).payload == code[:-1]


def test_the_same_seed_generates_the_same_department(db: Database, tmp_path: Path) -> None:
    other = open_database(sqlite_url(tmp_path / "second" / "gen.sqlite"), user_name="tester")
    try:
        first = generate_department(db, seed=5, today=TODAY, **SIZE)
        second = generate_department(other, seed=5, today=TODAY, **SIZE)
        assert replace(first, seconds=0) == replace(second, seconds=0)
        query = select(Item.code, Item.description, Item.pack_price).order_by(Item.id)
        lines = select(CountLine.item_id, CountLine.quantity).order_by(CountLine.id).limit(300)
        with db.reading() as one, other.reading() as two:
            assert one.execute(query).all() == two.execute(query).all()
            assert one.execute(lines).all() == two.execute(lines).all()
    finally:
        other.close()


def test_impossible_sizes_and_a_full_database_are_refused(db: Database) -> None:
    with pytest.raises(ValidationError, match="do not fit"):
        generate_department(db, items=10, locations=3, settings=100, weeks=1, today=TODAY)
    with pytest.raises(ValidationError, match="storeroom and a PAR location"):
        generate_department(db, items=10, locations=1, settings=5, weeks=1, today=TODAY)
    generate_department(db, items=50, locations=3, settings=60, weeks=1, today=TODAY)
    with pytest.raises(DatabaseNotEmptyError, match="generated department was not added"):
        generate_department(db, items=50, locations=3, settings=60, weeks=1, today=TODAY)
