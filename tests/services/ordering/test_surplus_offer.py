"""The proposal setting "Offer surplus elsewhere before ordering from a supplier", on both
databases: off by default; on, a line bought from a supplier names the surplus at another PAR
location, changes nothing by itself, and can be switched to a transfer from there."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import select

from parstudio.domain.errors import PermissionDenied, ValidationError
from parstudio.domain.orders import ApprovedLine, OrderKind, ProposalLine
from parstudio.domain.roles import Role
from parstudio.models import Order, OrderLine
from parstudio.services.admin import users
from parstudio.services.catalog import items, locations, par_settings, suppliers
from parstudio.services.core import settings
from parstudio.services.core.database import Database, open_database
from parstudio.services.ordering import orders, proposals
from tests.services.ordering.test_rebalance import TODAY, count


@pytest.fixture
def two_rooms(db: Database) -> dict[str, int]:
    """OR-2 holds 16 against a PAR of 10; CT-1 holds 2 of 10 and orders from Medline."""
    suppliers.create_supplier(db, fields={"code": "MED", "name": "Medline"})
    ids = {
        code: locations.create_location(db, fields={"code": code, "name": code}).id
        for code in ("OR-2", "CT-1")
    }
    ids["item"] = items.create_item(
        db,
        fields={
            "code": "SUT-3",
            "description": "Suture 3-0",
            "supplier_code": "MED",
            "pack_size": "2",
            "pack_price": "10",
        },
    ).id
    for code in ("OR-2", "CT-1"):
        ids[f"s{code}"] = par_settings.create_par_setting(
            db, location_id=ids[code], item_id=ids["item"], fields={"par_level": "10"}
        ).id
    count(db, ids["OR-2"], ids["item"], 1, "16")
    count(db, ids["CT-1"], ids["item"], 1, "2")
    return ids


def _ct_line(db: Database, ids: dict[str, int]) -> ProposalLine:
    proposal = proposals.propose_orders(db, location_ids=[ids["CT-1"]], on=TODAY)
    (line,) = proposal.to_order
    return line


def test_off_by_default_and_nothing_is_offered(db: Database, two_rooms: dict[str, int]) -> None:
    assert settings.offers_surplus(db) is False
    line = _ct_line(db, two_rooms)
    assert line.offers == () and not any("above PAR" in w for w in line.warnings)


def test_on_the_line_names_the_surplus_and_changes_nothing(
    db: Database, two_rooms: dict[str, int]
) -> None:
    settings.set_offers_surplus(db, on=True)
    assert settings.offers_surplus(db) is True
    line = _ct_line(db, two_rooms)
    assert line.packs == 4  # PAR 10 − 2 = 8 EA → 4 packs of 2: still ordered, as before
    assert [(o.source_code, o.units) for o in line.offers] == [("OR-2", 6)]
    assert "OR-2 has 6 EA above PAR: Rebalance can move them" in line.warnings[-1]
    assert "OR-2 has 6 EA above PAR" in line.explanation
    settings.set_offers_surplus(db, on=False)
    assert _ct_line(db, two_rooms).offers == ()


def test_a_switched_line_becomes_a_transfer_from_the_surplus_and_the_rest_bought(
    db: Database, two_rooms: dict[str, int]
) -> None:
    settings.set_offers_surplus(db, on=True)
    line = _ct_line(db, two_rooms)
    offer = line.offers[0]
    made = orders.approve_lines(
        db,
        lines=[
            ApprovedLine(line.setting_id, 1, line.packs, line.count_line_id, line.explanation),
            ApprovedLine(
                line.setting_id,
                6,
                6,
                line.count_line_id,
                "Taken from the surplus at OR-2",
                from_location_id=offer.source_location_id,
            ),
        ],
        order_date=TODAY,
    )
    kinds = {order.kind: order for order in made}
    assert set(kinds) == {OrderKind.PURCHASE, OrderKind.TRANSFER}
    assert kinds[OrderKind.TRANSFER].source_code == "OR-2"
    with db.reading() as session:
        transfer = session.scalars(
            select(OrderLine).where(OrderLine.order_id == kinds[OrderKind.TRANSFER].id)
        ).one()
        bought = session.scalars(
            select(OrderLine).where(OrderLine.order_id == kinds[OrderKind.PURCHASE].id)
        ).one()
    assert (transfer.location_id, transfer.packs, transfer.pack_size) == (
        two_rooms["CT-1"],
        6,
        Decimal(1),
    )
    assert (bought.packs, bought.pack_size) == (1, Decimal(2))


def test_taking_more_than_the_surplus_is_refused_and_nothing_written(
    db: Database, two_rooms: dict[str, int]
) -> None:
    settings.set_offers_surplus(db, on=True)
    line = _ct_line(db, two_rooms)
    with pytest.raises(ValidationError, match="below its PAR"):
        orders.approve_lines(
            db,
            lines=[
                ApprovedLine(
                    line.setting_id,
                    7,
                    7,
                    line.count_line_id,
                    from_location_id=line.offers[0].source_location_id,
                )
            ],
        )
    with db.reading() as session:
        assert session.scalars(select(Order)).all() == []


@pytest.fixture
def clerk(db: Database, db_url: str) -> Iterator[Database]:
    users.create_user(db, login="anna", display_name="Anna", role=Role.MANAGER, password="p" * 9)
    users.create_user(db, login="carl", display_name="Carl", role=Role.CLERK, password="p" * 9)
    other = open_database(db_url, authenticate=users.authenticate)
    other.sign_in("carl", "p" * 9)
    yield other
    other.close()


def test_only_a_manager_turns_it_on(db: Database, clerk: Database) -> None:
    with pytest.raises(PermissionDenied):
        settings.set_offers_surplus(clerk, on=True)
    assert settings.offers_surplus(db) is False


def test_a_storeroom_line_is_not_offered_a_room_s_surplus(
    db: Database, two_rooms: dict[str, int]
) -> None:
    store = locations.create_location(
        db, fields={"code": "STORE", "name": "Storeroom", "kind": "STOREROOM"}
    ).id
    par_settings.create_par_setting(
        db, location_id=store, item_id=two_rooms["item"], fields={"par_level": "40"}
    )
    count(db, store, two_rooms["item"], 1, "4")
    settings.set_offers_surplus(db, on=True)
    proposal = proposals.propose_orders(db, location_ids=[store], on=TODAY)
    (line,) = proposal.to_order
    assert line.source_kind is OrderKind.PURCHASE and line.offers == ()
