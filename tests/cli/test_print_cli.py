"""`parstudio print` on the demo department: the week's paper, read back from the PDFs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from parstudio.cli import main
from parstudio.demo.department import build_demo
from parstudio.domain.orders import ApprovedLine
from parstudio.domain.quarterly_review import Quarter, QuarterlyReport
from parstudio.models import Item, Location, ParSetting
from parstudio.services.core.database import open_database
from parstudio.services.ordering import orders, proposals
from parstudio.services.review import quarterly as quarterly_review_service
from parstudio.services.review.period_usage import SettingFilter
from tests.support.pdfs import barcodes, page_sizes, texts
from tests.support.quarterly import report as stand_in_report

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo_week(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo department with this week's proposal approved."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    db = open_database(str(path))
    try:
        build_demo(db, today=TODAY)
        proposal = proposals.propose_orders(db)
        orders.approve_lines(
            db,
            lines=[
                ApprovedLine(line.setting_id, line.packs, line.packs, line.count_line_id)
                for line in proposal.to_order
            ],
            order_date=TODAY,
        )
    finally:
        db.close()
    return path


def _print(demo_week: Path, out: Path, *args: str) -> list[Path]:
    assert main(["--database", str(demo_week), "print", *args, "--out", str(out)]) == 0
    return sorted(out.iterdir())


def test_order_sheets_one_per_supplier(demo_week: Path, tmp_path: Path) -> None:
    files = _print(demo_week, tmp_path, "order-sheets", "--paper", "letter")
    # This week's purchase orders, numbered after the demo's year of rush orders.
    db = open_database(str(demo_week))
    try:
        drafts = [o.number for o in orders.list_orders(db, open_only=True) if o.number[:3] == "PO-"]
    finally:
        db.close()
    assert len(drafts) == 3
    assert [f.name for f in files] == [f"order-sheet-{n}.pdf" for n in sorted(drafts)]
    suppliers = set()
    for file in files:
        pdf = file.read_bytes()
        assert set(page_sizes(pdf)) == {(612.0, 792.0)}
        pages = texts(pdf)
        suppliers.add(pages[0].split("SUPPLIER\n")[1].splitlines()[0])
        assert "Imaging department, level B1, room B1.114" in pages[0]
        assert "Order total" in pages[-1]
    assert suppliers == {"Medline Industries", "Owens & Minor", "Bracco Diagnostics"}


def test_storeroom_pick_list_and_a_chosen_order(demo_week: Path, tmp_path: Path) -> None:
    files = _print(demo_week, tmp_path, "pick-lists", "--order", "TR-2026-00001")
    assert [f.name for f in files] == ["pick-list-TR-2026-00001.pdf"]
    text = "\n".join(texts(files[0].read_bytes()))
    assert "STORE · Imaging central storeroom" in text
    assert "To CT1 · CT room 1" in text and "PICKED BY" in text


def test_count_sheets_and_labels_scan_back_to_the_right_items(
    demo_week: Path, tmp_path: Path
) -> None:
    db = open_database(str(demo_week))
    with db.reading() as session:
        in_bin_order = list(
            session.scalars(
                select(Item.code)
                .join(ParSetting, ParSetting.item_id == Item.id)
                .join(Location, Location.id == ParSetting.location_id)
                .where(Location.code == "MRI1", ParSetting.active.is_(True))
            )
        )
    db.close()
    count = _print(demo_week, tmp_path / "count", "count-sheets", "--location", "MRI1")
    assert [f.name for f in count] == ["count-sheet-MRI1.pdf"]
    pdf = count[0].read_bytes()
    scanned = [text for page in barcodes(pdf) for _kind, text in page]
    assert sorted(scanned) == sorted(in_bin_order)
    assert "Blind count" in texts(pdf)[0]  # MRI1 counts blind in the demo

    labels = _print(
        demo_week, tmp_path / "labels", "labels", "--location", "MRI1", "--barcode", "qr"
    )
    assert [f.name for f in labels] == ["location-labels.pdf", "shelf-labels-MRI1.pdf"]
    shelf = labels[1].read_bytes()
    found = barcodes(shelf)
    assert {kind for page in found for kind, _text in page} == {"QRCode"}
    assert sorted(text for page in found for _kind, text in page) == sorted(in_bin_order)
    places = [text for page in barcodes(labels[0].read_bytes()) for _kind, text in page]
    assert places[0] == "MRI1" and len(places) > 10


def test_bad_choices_are_explained(
    demo_week: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--database", str(demo_week), "print"]
    assert main([*base, "labels", "--out", str(tmp_path), "--paper", "A5"]) == 2
    assert "Unknown paper size “A5”: use a4 or letter." in capsys.readouterr().err
    assert main([*base, "count-sheets", "--out", str(tmp_path), "--location", "NOPE"]) == 2
    assert "There is no location NOPE." in capsys.readouterr().err
    assert main([*base, "order-sheets", "--out", str(tmp_path), "--order", "PO-1-2"]) == 2
    assert "There is no purchase order numbered PO-1-2." in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # nothing half-written


# The quarterly review report of the demo department's year of history.


def test_quarterly_review_of_the_demo_department(demo_week: Path, tmp_path: Path) -> None:
    files = _print(demo_week, tmp_path, "quarterly-review", "--quarter", "2026-Q3")
    assert [f.name for f in files] == ["quarterly-review-2026-Q3.pdf"]
    pdf = files[0].read_bytes()
    pages = texts(pdf)
    assert set(page_sizes(pdf)) == {(595.3, 841.9)}
    first = pages[0]
    assert "Quarterly review — Q3 2026 (Jul–Sep)" in first
    assert "USAGE VALUE Q3 2026 (JUL–SEP)" in first and "CONSIGNMENT (VENDOR-OWNED)" in first
    whole = "\n".join(pages)
    for heading in (
        "Usage by location",
        "All locations",
        "Stockouts",
        "Waste",
        "Rush orders",
        "Stock value on hand",
        "Top movers",
        "Settings most out of line",
    ):
        assert heading in whole, heading
    assert "CT1 — CT room 1" in whole
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_a_quarterly_review_of_one_location_names_it(demo_week: Path, tmp_path: Path) -> None:
    files = _print(
        demo_week,
        tmp_path,
        "quarterly-review",
        "--quarter",
        "2026-Q3",
        "--location",
        "CT1",
        "--paper",
        "letter",
    )
    assert len(files) == 1
    assert files[0].name.startswith("quarterly-review-2026-Q3-") and "CT1" in files[0].name
    pdf = files[0].read_bytes()
    assert set(page_sizes(pdf)) == {(612.0, 792.0)}
    text = "\n".join(texts(pdf))
    assert "CT1 — CT room 1" in text and "MRI1 — " not in text


# The command's wiring, with the service stood in for: which quarter and filter it is asked for.


def test_quarterly_review_options_reach_the_service(
    demo_week: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[Quarter, SettingFilter | None]] = []

    def quarterly_review(
        db: object,
        *,
        quarter: Quarter,
        wanted: SettingFilter | None = None,
        today: date | None = None,
    ) -> QuarterlyReport:
        asked.append((quarter, wanted))
        return stand_in_report(quarter=quarter, scope="Imaging · cost centre 4100")

    monkeypatch.setattr(quarterly_review_service, "quarterly_review", quarterly_review)

    files = _print(
        demo_week,
        tmp_path,
        "quarterly-review",
        "--quarter",
        "2026 q2",
        "--department",
        "Imaging",
        "--cost-centre",
        "4100",
        "--location",
        "CT1",
        "--location",
        "MRI1",
    )
    assert asked == [
        (Quarter(2026, 2), SettingFilter("Imaging", "4100", ("CT1", "MRI1"))),
    ]
    assert [f.name for f in files] == ["quarterly-review-2026-Q2-Imaging_cost_centre_4100.pdf"]
    assert "Quarterly review — Q2 2026 (Apr–Jun)" in texts(files[0].read_bytes())[0]

    asked.clear()
    _print(demo_week, tmp_path / "default", "quarterly-review")
    assert asked == [(Quarter.last_complete(date.today()), None)]


def test_bad_quarterly_review_choices_are_explained(
    demo_week: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--database", str(demo_week), "print", "--out", str(tmp_path)]
    assert main([*base, "quarterly-review", "--quarter", "2026-Q5"]) == 2
    assert "“2026-Q5” is not a quarter; write it as 2026-Q3." in capsys.readouterr().err
    assert main([*base, "labels", "--quarter", "2026-Q3"]) == 2
    assert "--quarter only applies to quarterly-review, not labels." in capsys.readouterr().err
    assert main([*base, "count-sheets", "--cost-centre", "4100"]) == 2
    assert "--cost-centre only applies to quarterly-review" in capsys.readouterr().err
    assert main([*base, "quarterly-review", "--order", "PO-2026-00001"]) == 2
    assert "--order only applies to order-sheets and pick-lists" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
