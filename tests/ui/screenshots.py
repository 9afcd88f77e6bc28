"""Build a small imaging department and save a PNG of each page (run by hand, not by pytest).

QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.screenshots
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings

from parstudio.services.catalog import items, locations, par_settings, suppliers
from parstudio.services.core.database import Database, open_database, sqlite_url

OUT = Path(__file__).resolve().parents[2] / "screenshots"

SUPPLIERS = [
    ("MEDLINE", "Medline Industries", "Mon, Thu", "2", "Dana Ortiz"),
    ("OM", "Owens & Minor", "Tue, Fri", "1", "Lee Chan"),
    ("GEHC", "GE HealthCare Pharmaceutical", "Wed", "5", "Sam Patel"),
    ("BAYER", "Bayer Radiology", "Mon", "4", ""),
]

ITEMS = [
    ("SYR-10", "Syringe 10 mL luer lock", "EA", "100", "MEDLINE", "18.50", "Syringes"),
    ("SYR-20", "Syringe 20 mL luer lock", "EA", "50", "MEDLINE", "14.20", "Syringes"),
    ("SYR-3", "Syringe 3 mL luer slip", "EA", "100", "MEDLINE", "9.75", "Syringes"),
    ("SYR-PF-NS10", "Saline flush prefilled 10 mL", "EA", "30", "OM", "11.40", "Syringes"),
    ("INJ-PWR-200", "Power injector syringe 200 mL", "EA", "50", "BAYER", "212.00", "Syringes"),
    (
        "CM-OMN350-100",
        "Iohexol 350 mgI/mL 100 mL (Omnipaque)",
        "BT",
        "10",
        "GEHC",
        "385.00",
        "Contrast media",
    ),
    (
        "CM-OMN300-50",
        "Iohexol 300 mgI/mL 50 mL (Omnipaque)",
        "BT",
        "10",
        "GEHC",
        "198.00",
        "Contrast media",
    ),
    (
        "CM-VIS320-100",
        "Iodixanol 320 mgI/mL 100 mL (Visipaque)",
        "BT",
        "10",
        "GEHC",
        "512.00",
        "Contrast media",
    ),
    (
        "CM-GAD-15",
        "Gadobutrol 1 mmol/mL 15 mL (Gadavist)",
        "VL",
        "10",
        "BAYER",
        "640.00",
        "Contrast media",
    ),
    ("CM-DOT-20", "Gadoterate 0.5 mmol/mL 20 mL", "VL", "10", "GEHC", "420.00", "Contrast media"),
    ("GLV-NIT-S", "Gloves nitrile exam small", "BX", "10", "OM", "62.00", "Gloves"),
    ("GLV-NIT-M", "Gloves nitrile exam medium", "BX", "10", "OM", "62.00", "Gloves"),
    ("GLV-NIT-L", "Gloves nitrile exam large", "BX", "10", "OM", "62.00", "Gloves"),
    ("GLV-STER-7", "Gloves surgical sterile size 7", "PR", "50", "MEDLINE", "48.00", "Gloves"),
    ("IV-SET-PRI", "IV administration set primary 15 drop", "EA", "48", "OM", "96.00", "IV sets"),
    ("IV-EXT-30", "IV extension set 30 in", "EA", "50", "OM", "55.00", "IV sets"),
    ("IV-CATH-20", "IV catheter 20 G 1 in", "EA", "50", "MEDLINE", "87.50", "IV sets"),
    ("IV-CATH-22", "IV catheter 22 G 1 in", "EA", "50", "MEDLINE", "87.50", "IV sets"),
    ("IV-START", "IV start kit with tegaderm", "EA", "100", "MEDLINE", "135.00", "IV sets"),
    ("INJ-TUBE-60", "Injector low-pressure tubing 60 in", "EA", "50", "BAYER", "175.00", "IV sets"),
    ("LIN-SHEET", "Flat sheet white 66 x 104", "EA", "12", "OM", "38.00", "Linens"),
    ("LIN-PILLOW", "Pillowcase disposable", "EA", "100", "OM", "21.00", "Linens"),
    ("LIN-BLANKET", "Bath blanket cotton", "EA", "12", "OM", "54.00", "Linens"),
    ("LIN-GOWN", "Patient gown snap sleeve", "EA", "50", "OM", "92.00", "Linens"),
    ("MRI-EARPLUG", "Ear plugs foam MRI safe", "PR", "200", "MEDLINE", "24.00", "MRI"),
    ("MRI-PAD-SET", "MRI positioning pad set", "EA", "1", "MEDLINE", "310.00", "MRI"),
    ("PREP-CHG", "Chlorhexidine 2% swabstick", "EA", "50", "MEDLINE", "33.00", "Skin prep"),
    ("PREP-ALC", "Alcohol prep pad medium", "EA", "200", "MEDLINE", "6.20", "Skin prep"),
    ("TAPE-PAPER-1", "Paper tape 1 in", "RL", "12", "OM", "9.60", "Dressings"),
    ("GAUZE-4X4", "Gauze sponge 4 x 4 sterile 2s", "EA", "50", "OM", "15.80", "Dressings"),
]


def build_department(db: Database) -> dict[str, int]:
    """Suppliers, 30 imaging items, a storeroom, CT and MRI, and PAR settings with bins."""
    for code, name, days, lead, contact in SUPPLIERS:
        suppliers.create_supplier(
            db,
            fields={
                "code": code,
                "name": name,
                "delivery_weekdays": days,
                "lead_time_days": lead,
                "contact_name": contact,
            },
        )
    created = {}
    for n, (code, desc, unit, pack, supplier, price, category) in enumerate(ITEMS):
        created[code] = items.create_item(
            db,
            fields={
                "code": code,
                "description": desc,
                "unit": unit,
                "pack_size": pack,
                "supplier_code": supplier,
                "pack_price": price,
                "category": category,
                "barcodes": f"0088{483800350 + n:09d}",
            },
        ).id
    store = locations.create_location(
        db,
        fields={
            "code": "STORE",
            "name": "Imaging storeroom",
            "kind": "storeroom",
            "department": "Imaging",
            "cost_centre": "4410",
        },
    )
    ct = locations.create_location(
        db,
        fields={
            "code": "CT1",
            "name": "CT scanner room 1",
            "department": "Imaging",
            "parent_code": "STORE",
            "delivery_weekdays": "Mon, Wed, Fri",
            "deliveries_per_week": "3",
        },
    )
    mri = locations.create_location(
        db,
        fields={
            "code": "MRI",
            "name": "MRI suite",
            "department": "Imaging",
            "parent_code": "STORE",
            "default_count_type": "order par",
            "delivery_weekdays": "Tue, Thu",
            "deliveries_per_week": "2",
        },
    )
    locations.create_location(
        db, fields={"code": "IR", "name": "Interventional radiology", "department": "Imaging"}
    )
    bins = ["A1", "A2", "A3", "B1", "B2", "B3", "C1", "C2"]
    for n, code in enumerate(list(created)[:22]):
        par = 4 + (n % 5) * 2
        par_settings.create_par_setting(
            db,
            location_id=ct.id,
            item_id=created[code],
            fields={
                "bin": bins[n % len(bins)],
                "par_level": str(par),
                "weekly_usage": str(par * 0.75),
                "source": "STORE" if n % 3 else "",
                "count_type": "ORDER QTY" if n % 7 == 3 else "",
            },
        )
    for n, code in enumerate(
        [
            "MRI-EARPLUG",
            "MRI-PAD-SET",
            "CM-GAD-15",
            "CM-DOT-20",
            "LIN-GOWN",
            "LIN-SHEET",
            "IV-CATH-22",
            "SYR-10",
        ]
    ):
        par_settings.create_par_setting(
            db,
            location_id=mri.id,
            item_id=created[code],
            fields={
                "bin": f"M{n + 1}",
                "method": "min/max",
                "min_level": "2",
                "max_level": str(6 + n),
                "lot_multiple": "1",
            },
        )
    return {"store": store.id, "ct": ct.id, "mri": mri.id}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="parstudio-shots-"))
    os.environ["XDG_DATA_HOME"] = str(folder / "data")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "cfg"))
    from parstudio.ui.shell.app import make_application, open_main_window

    app = make_application()
    db = open_database(sqlite_url(folder / "imaging.sqlite"), user_name="mgarcia")
    ids = build_department(db)
    window = open_main_window(db)
    window.resize(1366, 800)
    window.show()
    for name, file in (
        ("Items", "items"),
        ("Suppliers", "suppliers"),
        ("Locations", "locations"),
        ("PAR Settings", "par_settings"),
    ):
        window.show_page(name)
        if name == "PAR Settings":
            page = window.page(name)
            page.select_location(ids["ct"])
            index = page.model.index(0, page.model.COL_MIN)
            page.model.setData(index, "9")
            page.model.setData(page.model.index(0, page.model.COL_MAX), "3")
        app.processEvents()
        window.grab().save(str(OUT / f"{file}.png"))

    window.show_page("Items")
    page = window.page("Items")
    dialog = page.make_dialog(page.model.record(0))
    dialog.editors["pack_size"].widget.setText("0")
    dialog.show()
    dialog.try_save()
    app.processEvents()
    dialog.grab().save(str(OUT / "item_dialog_error.png"))
    dialog.close()

    window.page("PAR Settings").select_location(ids["mri"])
    window.show_page("PAR Settings")
    app.processEvents()
    window.grab().save(str(OUT / "par_settings_mri.png"))
    window.close()
    db.close()
    print(f"Saved screenshots to {OUT}")


if __name__ == "__main__":
    main()
