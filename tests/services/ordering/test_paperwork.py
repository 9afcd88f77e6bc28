"""The paperwork's data, read from the database on both backends, and the PDFs made from it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from parstudio.domain.errors import NotFoundError, ValidationError
from parstudio.domain.orders import ApprovedLine, OrderKind
from parstudio.domain.paper import PrintKind, PrintOptions
from parstudio.domain.roles import Role
from parstudio.services.admin import users
from parstudio.services.catalog import items, locations, par_settings, suppliers
from parstudio.services.core import settings
from parstudio.services.core.database import Database
from parstudio.services.counting import counts
from parstudio.services.ordering import orders, paperwork, printing, proposals
from tests.support.pdfs import barcodes, texts


@pytest.fixture
def office(db: Database) -> dict[str, int]:
    """A storeroom with walking-order bins feeding two rooms, and a supplier for the rest."""
    suppliers.create_supplier(
        db,
        fields={"code": "MED", "name": "Medline", "account_number": "MED-1", "phone": "555-0100"},
    )
    store = locations.create_location(
        db,
        fields={
            "code": "STORE",
            "name": "Storeroom",
            "kind": "STOREROOM",
            "department": "Imaging",
            "delivery_address": "Level B1\nRoom B1.114",
            "cost_centre": "IMG-4400",
        },
    )
    # Walking order is not alphabetical: Z-01 comes first.
    locations.set_bins(db, location_id=store.id, codes=["Z-01", "A-01", "M-01"])
    ct = locations.create_location(
        db, fields={"code": "CT1", "name": "CT room 1", "department": "Imaging"}
    )
    mri = locations.create_location(
        db,
        fields={
            "code": "MRI1",
            "name": "MRI suite 1",
            "department": "Imaging",
            "blind_count": True,
        },
    )
    ids: dict[str, int] = {"store": store.id, "ct": ct.id, "mri": mri.id}
    for code, description, store_bin in (
        ("GLV-S", "Gloves S", "A-01"),
        ("GLV-M", "Gloves M", "Z-01"),
        ("GAU-4", "Gauze 4 × 4″ é", "M-01"),
    ):
        item = items.create_item(
            db,
            fields={
                "code": code,
                "description": description,
                "pack_size": "100",
                "supplier_code": "MED",
                "supplier_item_no": f"M-{code}",
                "pack_price": "7.25",
            },
        )
        ids[code] = item.id
        par_settings.create_par_setting(
            db,
            location_id=store.id,
            item_id=item.id,
            fields={"bin": store_bin, "method": "MIN/MAX", "min_level": "100", "max_level": "900"},
        )
        for room in ("ct", "mri"):
            setting = par_settings.create_par_setting(
                db,
                location_id=ids[room],
                item_id=item.id,
                fields={"bin": store_bin, "par_level": "200", "source": "STORE"},
            )
            ids[f"{room}-{code}"] = setting.id
    syringe = items.create_item(
        db,
        fields={"code": "SYR-10", "description": "Syringe 10 mL µ", "supplier_code": "MED"},
    )
    ids["SYR-10"] = syringe.id
    ids["ct-SYR-10"] = par_settings.create_par_setting(
        db, location_id=ct.id, item_id=syringe.id, fields={"bin": "C-01", "par_level": "30"}
    ).id
    for room in ("ct", "mri", "store"):
        wanted = {ids[c]: Decimal(0) for c in ("GLV-S", "GLV-M", "GAU-4")}
        if room == "ct":
            wanted[syringe.id] = Decimal(5)
        counts.record_count(db, location_id=ids[room], quantities=wanted)
    proposal = proposals.propose_orders(db)
    made = orders.approve_lines(
        db,
        lines=[
            ApprovedLine(line.setting_id, line.packs, line.packs, line.count_line_id)
            for line in proposal.to_order
        ],
        order_date=date(2026, 11, 23),
    )
    for order in made:
        ids[order.kind.value] = order.id
    return ids


def test_order_sheet_has_supplier_department_and_lines(
    db: Database, office: dict[str, int]
) -> None:
    sheet = paperwork.order_sheet(db, order_id=office[OrderKind.PURCHASE.value])
    assert sheet.supplier.name == "Medline" and sheet.supplier_account == "MED-1"
    assert sheet.supplier.lines == ("555-0100",)
    # Lines for the storeroom and CT1 go to the department's storeroom address.
    assert sheet.department.name == "Imaging"
    assert sheet.department.lines == ("Level B1", "Room B1.114", "Cost centre IMG-4400")
    by_code = {(line.item_code, line.location_code): line for line in sheet.lines}
    assert by_code["SYR-10", "CT1"].packs == 25  # PAR 30 − 5 on hand, packs of 1
    assert by_code["GLV-M", "STORE"].supplier_item_no == "M-GLV-M"
    assert by_code["GLV-M", "STORE"].pack_size == Decimal(100)
    assert sheet.total == sum((line.total or Decimal(0) for line in sheet.lines), Decimal(0))


def test_order_sheet_names_the_approver_and_carries_the_currency(
    db: Database, office: dict[str, int]
) -> None:
    order_id = office[OrderKind.PURCHASE.value]
    sheet = paperwork.order_sheet(db, order_id=order_id)
    assert sheet.approved_by == "tester"  # no account of that login: the login itself
    assert (sheet.currency.code, sheet.currency.symbol) == ("USD", "$")
    users.create_user(
        db, login="tester", display_name="Tess Ter", role=Role.MANAGER, password="x" * 12
    )
    settings.set_currency(db, code="eur", symbol="€")
    sheet = paperwork.order_sheet(db, order_id=order_id)
    assert sheet.approved_by == "Tess Ter"
    assert sheet.currency.amount(Decimal("1234.5")) == "€1,234.50"
    assert settings.get_currency(db).code == "EUR"
    with pytest.raises(ValidationError, match="not a currency code"):
        settings.set_currency(db, code="euro")
    assert settings.get_currency(db).code == "EUR"  # nothing half-written


def test_pick_list_walks_the_storeroom_bins_for_each_destination(
    db: Database, office: dict[str, int]
) -> None:
    pick = paperwork.pick_list(db, order_id=office[OrderKind.TRANSFER.value])
    assert (pick.storeroom_code, pick.department) == ("STORE", "Imaging")
    assert [group.location_code for group in pick.groups] == ["CT1", "MRI1"]
    for group in pick.groups:
        assert [(line.bin, line.item_code) for line in group.lines] == [
            ("Z-01", "GLV-M"),
            ("A-01", "GLV-S"),
            ("M-01", "GAU-4"),
        ]
        # Picked in units of issue (packs of 1), not the supplier's boxes of 100.
        assert all(line.units == 200 and line.pack_size == 1 for line in group.lines)


def test_the_wrong_kind_of_order_is_refused(db: Database, office: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match="storeroom transfer, not a purchase order"):
        paperwork.order_sheet(db, order_id=office[OrderKind.TRANSFER.value])
    with pytest.raises(NotFoundError, match="PO-1999-00001"):
        paperwork.order_sheets(db, numbers=["PO-1999-00001"])


def test_count_sheet_in_bin_order_and_blind(db: Database, office: dict[str, int]) -> None:
    ct = paperwork.count_sheet(db, location_id=office["ct"])
    # CT1's bins were made as its settings named them, so that is its walking order.
    assert [(line.bin, line.item_code) for line in ct.lines] == [
        ("A-01", "GLV-S"),
        ("Z-01", "GLV-M"),
        ("M-01", "GAU-4"),
        ("C-01", "SYR-10"),
    ]
    assert ct.lines[0].expected == Decimal(200) and not ct.blind
    mri = paperwork.count_sheet(db, location_id=office["mri"])
    assert mri.blind and all(line.expected is None for line in mri.lines)
    store = paperwork.count_sheet(db, location_id=office["store"])
    assert [line.item_code for line in store.lines] == ["GLV-M", "GLV-S", "GAU-4"]
    assert store.lines[0].expected == Decimal(900)  # Max of a MIN/MAX line


def test_labels_for_settings_items_and_places(db: Database, office: dict[str, int]) -> None:
    shelf = paperwork.shelf_labels(db, setting_ids=[office["ct-GLV-S"], office["ct-SYR-10"]])
    assert [(label.code, label.facts) for label in shelf] == [
        ("GLV-S", ("PAR 200 EA", "Bin A-01", "CT1")),
        ("SYR-10", ("PAR 30 EA", "Bin C-01", "CT1")),
    ]
    assert [label.barcode_value for label in shelf] == ["GLV-S", "SYR-10"]
    store = paperwork.shelf_labels(db, location_codes=["STORE"])
    assert store[0].facts[0] == "Min 100 · Max 900 EA"
    assert [label.code for label in paperwork.item_labels(db, item_ids=[office["SYR-10"]])] == [
        "SYR-10"
    ]
    places = paperwork.location_labels(db, location_codes=["STORE"])
    assert [label.barcode_value for label in places] == ["STORE", "Z-01", "A-01", "M-01"]


def test_every_kind_prints_with_scannable_barcodes(db: Database, office: dict[str, int]) -> None:
    options = PrintOptions()
    sheets = printing.documents(db, kind=PrintKind.ORDER_SHEETS, options=options)
    assert [d.filename for d in sheets] == ["order-sheet-PO-2026-00001.pdf"]
    assert "Medline" in texts(sheets[0].pdf)[0]
    picks = printing.documents(db, kind=PrintKind.PICK_LISTS, options=options)
    assert [d.filename for d in picks] == ["pick-list-TR-2026-00001.pdf"]
    counted = printing.documents(
        db, kind=PrintKind.COUNT_SHEETS, options=options, location_codes=["CT1"]
    )
    assert [d.pages for d in counted] == [1]
    assert [text for _kind, text in barcodes(counted[0].pdf)[0]] == [
        "GLV-S",
        "GLV-M",
        "GAU-4",
        "SYR-10",
    ]
    labels = printing.documents(db, kind=PrintKind.LABELS, options=options, location_codes=["CT1"])
    assert [d.filename for d in labels] == ["shelf-labels-CT1.pdf", "location-labels.pdf"]
    with pytest.raises(ValidationError, match="--order only applies"):
        printing.documents(db, kind=PrintKind.LABELS, options=options, order_numbers=["X"])


def test_an_order_prints_as_its_kind_of_paper(db: Database, office: dict[str, int]) -> None:
    options = PrintOptions()
    purchase = printing.document_for_order(
        db, order_id=office[OrderKind.PURCHASE.value], options=options
    )
    transfer = printing.document_for_order(
        db, order_id=office[OrderKind.TRANSFER.value], options=options
    )
    assert purchase.filename == "order-sheet-PO-2026-00001.pdf"
    assert "PURCHASE ORDER" in texts(purchase.pdf)[0]
    assert transfer.filename == "pick-list-TR-2026-00001.pdf"
    assert "PICK LIST" in texts(transfer.pdf)[0]
    with pytest.raises(ValidationError, match="no labels"):
        printing.shelf_labels_for(db, setting_ids=[], options=options)


def test_documents_are_written_whole(tmp_path: Path, db: Database, office: dict[str, int]) -> None:
    made = printing.documents(db, kind=PrintKind.PICK_LISTS, options=PrintOptions())
    paths = printing.write_documents(made, tmp_path / "new" / "folder")
    assert [p.name for p in paths] == ["pick-list-TR-2026-00001.pdf"]
    assert paths[0].read_bytes() == made[0].pdf
    assert sorted(p.name for p in paths[0].parent.iterdir()) == ["pick-list-TR-2026-00001.pdf"]
