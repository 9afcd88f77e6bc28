"""The demo department: a realistic imaging department with a year of counts and receipts."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from parstudio.domain.errors import ParStudioError
from parstudio.models import (
    Barcode,
    Bin,
    Count,
    CountLine,
    Item,
    Location,
    ParSetting,
    Receipt,
    Supplier,
)
from parstudio.services._history import (
    BulkWriter,
    PlannedSetting,
    StoreLine,
    Tally,
    count_times,
    counting_days,
    insert_counts,
    simulate_location,
    store_bucket_finder,
)
from parstudio.services.database import Database

DEPARTMENT = "Imaging"
HISTORY_WEEKS = 52
WEEKDAY_NUMBERS = {"MON": 0, "TUE": 1, "WED": 2, "THU": 3, "FRI": 4, "SAT": 5, "SUN": 6}
CENT = Decimal("0.01")


class DatabaseNotEmptyError(ParStudioError):
    """The demo department is only ever put into an empty database."""


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What the demo department holds."""

    suppliers: int
    items: int
    barcodes: int
    locations: int
    bins: int
    settings: int
    counts: int
    count_lines: int
    receipts: int


# --- GS1 and HIBC codes -------------------------------------------------------------------------


def gs1_check_digit(digits: str) -> str:
    """The GS1 mod-10 check digit of a GTIN/UPC body (every length)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def make_gtin14(indicator: int, company_prefix: str, reference: int) -> str:
    """A GTIN-14: indicator digit, company prefix, item reference and check digit."""
    body = f"{indicator}{company_prefix}{reference:0{12 - len(company_prefix)}d}"
    return body + gs1_check_digit(body)


def make_upc_a(company_prefix: str, reference: int) -> str | None:
    """The UPC-A (GTIN-12) of a unit, for a US company prefix (one starting with 0)."""
    if not company_prefix.startswith("0"):
        return None
    body = f"{company_prefix[1:]}{reference:0{12 - len(company_prefix)}d}"
    return body + gs1_check_digit(body)


_HIBC_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%"


def make_hibc(labeler: str, product: str, unit_of_measure: int = 0) -> str:
    """A HIBC primary code: +, labeler code, product number, unit of measure, mod-43 check."""
    body = f"+{labeler}{product}{unit_of_measure}"
    return body + _HIBC_CHARS[sum(_HIBC_CHARS.index(c) for c in body) % 43]


# --- the catalogue ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SupplierSpec:
    """A supplier of the demo department."""

    code: str
    name: str
    account_number: str
    contact_name: str
    phone: str
    email: str
    lead_time_days: int
    delivery_weekdays: str
    item_no: str  # format of its catalogue numbers, with {n}
    company_prefixes: tuple[str, ...]
    hibc_labeler: str


SUPPLIERS = (
    SupplierSpec(
        "MEDLINE",
        "Medline Industries",
        "MED-448210",
        "Dana Kowalczyk",
        "+1 800 633 5463",
        "orders@medline.example",
        2,
        "MON,WED,FRI",
        "DYND{n:05d}",
        ("0884838", "0080196"),
        "M415",
    ),
    SupplierSpec(
        "OWENS",
        "Owens & Minor",
        "OM-20931-IMG",
        "Luis Peña",
        "+1 804 723 7000",
        "imaging.orders@owens-minor.example",
        3,
        "TUE,THU",
        "OM{n:06d}",
        ("0850000", "0040197", "4046719"),
        "O220",
    ),
    SupplierSpec(
        "BRACCO",
        "Bracco Diagnostics",
        "BD-77120",
        "Søren Aalto",
        "+1 800 631 5245",
        "customer.service@bracco.example",
        5,
        "MON",
        "{n:06d}",
        ("0270111", "8034089"),
        "B104",
    ),
)


@dataclass(frozen=True, slots=True)
class Family:
    """A family of similar items: shared category, supplier, unit, pack and usage."""

    category: str
    prefix: str
    supplier: str
    unit: str
    pack_size: int
    price: str  # pack price of the first variant
    weekly: float  # units a week at a busy room
    where: str  # location codes that stock it, space-separated
    variants: tuple[str, ...]
    shelf_life_days: int | None = None
    seasonal: bool = False
    store: bool = False  # stocked in the central storeroom, so PAR lines are internal transfers
    expensed: bool = True
    consignment: bool = False


def _sizes(template: str, sizes: Sequence[object]) -> tuple[str, ...]:
    return tuple(template.format(s) for s in sizes)


_ROOMS = "CT1 CT2 MRI1 US1 IR1 XR1 NUC1"
_NEEDLES = [
    "18G × 1½″",
    "19G × 1½″",
    "20G × 1″",
    "20G × 1½″",
    "21G × 1″",
    "21G × 1½″",
    "22G × 1″",
    "22G × 1½″",
    "23G × 1″",
    "25G × ⅝″",
    "25G × 1″",
    "27G × ½″",
]

FAMILIES: tuple[Family, ...] = (
    # Syringes and needles
    Family(
        "Syringes",
        "SYR",
        "MEDLINE",
        "EA",
        100,
        "14.80",
        60,
        _ROOMS + " CART-CRASH",
        _sizes(
            "Syringe {} luer lock, sterile",
            ["1 mL", "3 mL", "5 mL", "10 mL", "20 mL", "30 mL", "60 mL"],
        ),
        store=True,
    ),
    Family(
        "Syringes",
        "SYS",
        "MEDLINE",
        "EA",
        100,
        "11.90",
        25,
        "CT1 CT2 US1 XR1 NUC1",
        _sizes("Syringe {} luer slip, sterile", ["3 mL", "5 mL", "10 mL"]),
        store=True,
    ),
    Family(
        "Syringes",
        "SYT",
        "MEDLINE",
        "EA",
        100,
        "16.40",
        10,
        "NUC1 IR1",
        _sizes("Tuberculin syringe 1 mL with needle {}", ["25G × ⅝″", "27G × ½″"]),
        store=True,
    ),
    Family(
        "Power injector",
        "PIS",
        "OWENS",
        "EA",
        50,
        "212.00",
        40,
        "CT1 CT2 MRI1 IR1",
        (
            "Power-injector syringe 200 mL, single head, with quick-fill spike",
            "Power-injector syringe 200 mL, dual head, twin pack",
            "Power-injector syringe 150 mL with fill tube",
            "Power-injector syringe kit 65/115 mL (MR), dual",
            "Power-injector patient line 250 cm, single use",
            "Power-injector transfer set, 12 h multi-patient",
        ),
    ),
    Family(
        "Needles",
        "NDL",
        "MEDLINE",
        "EA",
        100,
        "9.60",
        45,
        _ROOMS + " CART-CRASH",
        _sizes("Hypodermic needle {}, sterile", _NEEDLES),
        store=True,
    ),
    Family(
        "Needles",
        "NBF",
        "MEDLINE",
        "EA",
        100,
        "12.20",
        20,
        "CT1 CT2 NUC1 IR1 CART-CRASH",
        _sizes("Blunt fill needle {} with 5 µm filter", ["18G × 1½″", "19G × 1½″"]),
        store=True,
    ),
    Family(
        "Needles",
        "NSP",
        "OWENS",
        "EA",
        25,
        "96.00",
        3,
        "IR1 CT1",
        _sizes("Spinal needle Quincke {}", ["20G × 3½″", "22G × 3½″", "22G × 5″"]),
    ),
    Family(
        "Interventional",
        "BXN",
        "OWENS",
        "EA",
        10,
        "389.00",
        2,
        "IR1 CT1 US1",
        _sizes(
            "Core biopsy needle {} with coaxial introducer",
            ["14G × 10 cm", "16G × 10 cm", "18G × 10 cm", "18G × 16 cm"],
        ),
        consignment=True,
    ),
    # Contrast media
    Family(
        "Contrast media",
        "IOH",
        "BRACCO",
        "BT",
        10,
        "152.00",
        35,
        "CT1 CT2 IR1",
        _sizes("Iohexol 300 mgI/mL, {} bottle", ["50 mL", "100 mL", "150 mL", "200 mL"])
        + _sizes("Iohexol 350 mgI/mL, {} bottle", ["50 mL", "100 mL", "150 mL", "200 mL"]),
        shelf_life_days=1095,
        expensed=False,
    ),
    Family(
        "Contrast media",
        "IOP",
        "BRACCO",
        "BT",
        10,
        "164.00",
        20,
        "CT1 CT2 IR1 XR1",
        _sizes(
            "Iopamidol {}",
            [
                "300 mgI/mL, 50 mL",
                "300 mgI/mL, 100 mL",
                "370 mgI/mL, 50 mL",
                "370 mgI/mL, 100 mL",
                "370 mgI/mL, 200 mL",
                "370 mgI/mL, 500 mL imaging bulk",
            ],
        ),
        shelf_life_days=1095,
        expensed=False,
    ),
    Family(
        "Contrast media",
        "IOD",
        "BRACCO",
        "BT",
        10,
        "298.00",
        6,
        "IR1 CT1",
        _sizes("Iodixanol 320 mgI/mL, {} bottle", ["50 mL", "100 mL", "200 mL"]),
        shelf_life_days=1095,
        expensed=False,
    ),
    Family(
        "Contrast media",
        "GAD",
        "BRACCO",
        "EA",
        10,
        "318.00",
        25,
        "MRI1",
        (
            "Gadoterate meglumine 0.5 mmol/mL, 10 mL vial",
            "Gadoterate meglumine 0.5 mmol/mL, 15 mL vial",
            "Gadoterate meglumine 0.5 mmol/mL, 20 mL vial",
            "Gadoterate meglumine 0.5 mmol/mL, 10 mL prefilled syringe",
            "Gadoterate meglumine 0.5 mmol/mL, 15 mL prefilled syringe",
            "Gadobutrol 1 mmol/mL, 7.5 mL prefilled syringe",
            "Gadobutrol 1 mmol/mL, 10 mL prefilled syringe",
            "Gadoxetate disodium 0.25 mmol/mL, 10 mL vial",
        ),
        shelf_life_days=1095,
        expensed=False,
    ),
    Family(
        "Contrast media",
        "BAR",
        "BRACCO",
        "BT",
        12,
        "58.00",
        12,
        "XR1 CT1 CT2",
        (
            "Barium sulfate suspension 2.1 % w/v, 450 mL bottle",
            "Barium sulfate suspension 40 % w/v, 1900 mL",
            "Barium sulfate paste 60 % w/w, 355 g tube",
            "Barium sulfate suspension 105 % w/v, 355 mL",
            "Effervescent granules, 4 g sachet",
            "Iohexol oral solution 240 mgI/mL, 500 mL",
        ),
        shelf_life_days=730,
    ),
    # Nuclear medicine
    Family(
        "Radiopharmaceutical kits",
        "NUC",
        "OWENS",
        "EA",
        5,
        "420.00",
        4,
        "NUC1",
        (
            "Kit for Tc-99m sestamibi, 5 vials",
            "Kit for Tc-99m medronate (MDP), 10 vials",
            "Kit for Tc-99m macroaggregated albumin (MAA)",
            "Kit for Tc-99m pentetate (DTPA)",
            "Kit for Tc-99m sulfur colloid",
            "Kit for Tc-99m mebrofenin",
            "Kit for Tc-99m tetrofosmin",
            "Kit for Tc-99m exametazime",
        ),
        shelf_life_days=365,
        expensed=False,
    ),
    Family(
        "Nuclear medicine supplies",
        "NMS",
        "MEDLINE",
        "EA",
        50,
        "38.00",
        15,
        "NUC1",
        (
            "Absorbent pad plastic-backed 17 × 24″",
            "Syringe shield label, radioactive",
            "Lead-lined sharps container 1 qt",
            "Tungsten syringe shield liner, 3 mL",
            "Wipe test swab",
            "Xenon trap filter cartridge",
        ),
        store=True,
    ),
    # IV access and flushes
    Family(
        "IV start",
        "IVK",
        "MEDLINE",
        "EA",
        50,
        "87.50",
        40,
        _ROOMS + " CART-CRASH",
        (
            "IV start kit with CHG prep and transparent dressing",
            "IV start kit with alcohol prep and tourniquet",
            "IV start kit with tegaderm-style dressing and 2 × 2 gauze",
        ),
        seasonal=True,
        store=True,
    ),
    Family(
        "IV catheters",
        "IVC",
        "OWENS",
        "EA",
        50,
        "95.00",
        25,
        _ROOMS + " CART-CRASH",
        _sizes(
            "Safety IV catheter {}",
            [
                "Ø 14G × 45 mm",
                "Ø 16G × 45 mm",
                "Ø 18G × 32 mm",
                "Ø 20G × 25 mm",
                "Ø 22G × 25 mm",
                "Ø 24G × 19 mm",
            ],
        ),
        seasonal=True,
    ),
    Family(
        "IV extension sets",
        "EXT",
        "OWENS",
        "EA",
        100,
        "148.00",
        35,
        _ROOMS + " CART-CRASH",
        (
            "IV extension set 7″ with clamp",
            "IV extension set 30″ with needleless connector",
            "IV extension set 60″ with needleless connector",
            "T-connector extension 4″",
            "Y-type extension set with two clamps",
            "High-pressure CT extension 60″, 1200 psi",
            "High-pressure CT extension 72″ with check valve",
            "Stopcock 3-way, high pressure",
            "Needleless connector, neutral displacement",
        ),
        seasonal=True,
        store=True,
    ),
    Family(
        "Flushes",
        "FLS",
        "MEDLINE",
        "EA",
        120,
        "42.00",
        120,
        _ROOMS + " CART-CRASH",
        (
            "Saline flush 0.9 % 3 mL prefilled syringe",
            "Saline flush 0.9 % 5 mL prefilled syringe",
            "Saline flush 0.9 % 10 mL prefilled syringe",
            "Heparin lock flush 10 U/mL, 5 mL",
            "Heparin lock flush 100 U/mL, 5 mL",
        ),
        shelf_life_days=730,
        seasonal=True,
        store=True,
    ),
    Family(
        "IV fluids",
        "IVF",
        "OWENS",
        "EA",
        24,
        "46.00",
        20,
        "CT1 CT2 IR1 NUC1 CART-CRASH",
        (
            "Sodium chloride 0.9 % 100 mL bag",
            "Sodium chloride 0.9 % 250 mL bag",
            "Sodium chloride 0.9 % 500 mL bag",
            "Sodium chloride 0.9 % 1000 mL bag",
            "Lactated Ringer's 1000 mL bag",
            "Dextrose 5 % 250 mL bag",
        ),
        shelf_life_days=730,
        seasonal=True,
    ),
    Family(
        "IV administration",
        "IVA",
        "OWENS",
        "EA",
        48,
        "118.00",
        12,
        "CT1 CT2 IR1 NUC1",
        (
            "Primary IV administration set, 15 drops/mL",
            "Secondary IV set 37″",
            "Pressure monitoring tubing 48″",
            "Blood administration set with filter",
        ),
        seasonal=True,
    ),
    # PPE
    Family(
        "Gloves",
        "GLN",
        "MEDLINE",
        "BX",
        10,
        "64.00",
        18,
        _ROOMS + " CART-CRASH",
        _sizes(
            "Nitrile exam gloves, powder-free, size {}, box of 100", ["XS", "S", "M", "L", "XL"]
        ),
        seasonal=True,
        store=True,
    ),
    Family(
        "Gloves",
        "GLS",
        "MEDLINE",
        "PR",
        50,
        "48.00",
        10,
        "IR1 CT1 US1 NUC1",
        _sizes("Sterile surgical gloves, latex-free, size {}", ["6", "6½", "7", "7½", "8", "8½"]),
        store=True,
    ),
    Family(
        "Gowns",
        "GWN",
        "MEDLINE",
        "EA",
        50,
        "52.00",
        30,
        _ROOMS,
        (
            "Isolation gown, fluid-resistant, universal, yellow",
            "Isolation gown, impervious, L",
            "Isolation gown, impervious, XL",
            "Sterile surgical gown, reinforced, L",
            "Sterile surgical gown, reinforced, XL",
            "Patient exam gown, tie back, blue",
        ),
        seasonal=True,
        store=True,
    ),
    Family(
        "Masks and eye protection",
        "MSK",
        "MEDLINE",
        "BX",
        10,
        "72.00",
        6,
        _ROOMS,
        (
            "Procedure mask, ear loop, box of 50",
            "N95 respirator, size S, box of 20",
            "N95 respirator, size M/L, box of 20",
            "Face shield, full length, box of 24",
            "Surgical mask with eye shield, box of 25",
        ),
        seasonal=True,
        store=True,
    ),
    Family(
        "Head and shoe covers",
        "COV",
        "MEDLINE",
        "BX",
        10,
        "31.00",
        3,
        "IR1 CT1 NUC1",
        (
            "Bouffant cap 21″, box of 100",
            "Shoe covers, non-skid, box of 50 pairs",
            "Surgeon's cap, tie back, box of 100",
        ),
        store=True,
    ),
    Family(
        "Radiation protection",
        "LAC",
        "OWENS",
        "EA",
        50,
        "88.00",
        8,
        "XR1 IR1 CT1 NUC1",
        (
            "Lead apron cover, disposable, full length",
            "Thyroid shield cover, disposable",
            "Radiation attenuating glove, size 7½, pair",
            "Radiation attenuating glove, size 8, pair",
        ),
    ),
    # Drapes and linens
    Family(
        "Drapes",
        "DRP",
        "OWENS",
        "EA",
        20,
        "96.00",
        8,
        "IR1 CT1 CT2 US1",
        (
            "Angiography drape with femoral fenestrations",
            "Fenestrated drape 18 × 26″",
            "Sterile towel, blue, pack of 4",
            "¾ drape sheet 56 × 77″",
            "CT gantry cover, disposable",
            "C-arm drape, clip closure",
            "Mayo stand cover 23 × 54″",
            "Ultrasound probe and cable drape, sterile",
        ),
    ),
    Family(
        "Linens",
        "LIN",
        "MEDLINE",
        "EA",
        50,
        "63.00",
        90,
        _ROOMS,
        (
            "Flat sheet, white, 66 × 104″",
            "Fitted stretcher sheet, 30 × 76″",
            "Pillowcase, white, 42 × 34″",
            "Bath blanket, thermal, 66 × 90″",
            "Bath towel 22 × 44″",
            "Washcloth 12 × 12″",
            "Underpad 23 × 36″, heavy absorbency",
            "Underpad 30 × 36″, super absorbent",
            "Disposable pillow 14 × 18″",
        ),
        store=True,
    ),
    # Monitoring and respiratory
    Family(
        "Monitoring",
        "ECG",
        "MEDLINE",
        "EA",
        600,
        "118.00",
        150,
        _ROOMS + " CART-CRASH",
        (
            "ECG electrode foam, adult, radiolucent",
            "ECG electrode foam, paediatric",
            "ECG electrode, MRI-conditional",
            "ECG electrode, tab, resting",
            "SpO₂ sensor, adult, single use",
            "SpO₂ sensor, paediatric, single use",
            "Blood pressure cuff, adult, single patient",
            "Blood pressure cuff, large adult",
            "Blood pressure cuff, small adult",
        ),
        store=True,
    ),
    Family(
        "Respiratory",
        "RSP",
        "MEDLINE",
        "EA",
        50,
        "54.00",
        12,
        _ROOMS + " CART-CRASH",
        (
            "Nasal cannula, adult, 7 ft tubing",
            "Oxygen mask, non-rebreather, adult",
            "Oxygen tubing 7 ft, crush-resistant",
            "Suction canister 1200 mL",
            "Yankauer suction, bulb tip",
            "Suction tubing ¼″ × 6 ft",
            "Nebuliser kit with mouthpiece",
        ),
        seasonal=True,
        store=True,
    ),
    # Ultrasound
    Family(
        "Ultrasound",
        "USG",
        "MEDLINE",
        "BT",
        12,
        "38.00",
        20,
        "US1 IR1",
        (
            "Ultrasound gel 250 mL bottle",
            "Ultrasound gel 5 L refill",
            "Sterile ultrasound gel, 20 g packet",
            "Warmed-gel bottle 250 mL, hypoallergenic",
        ),
        store=True,
    ),
    Family(
        "Ultrasound",
        "PRC",
        "OWENS",
        "EA",
        100,
        "135.00",
        25,
        "US1 IR1",
        (
            "Probe cover, sterile, 15 × 122 cm, with gel",
            "Probe cover, non-sterile, endocavity, latex-free",
            "Needle guide kit for linear probe, sterile",
            "Probe cover, sterile, 8 × 61 cm",
        ),
    ),
    # Skin prep, dressings, sharps
    Family(
        "Skin prep",
        "PRP",
        "MEDLINE",
        "EA",
        200,
        "11.50",
        220,
        _ROOMS + " CART-CRASH",
        (
            "Alcohol prep pad, medium, 70 % isopropyl",
            "Alcohol prep pad, large",
            "CHG applicator 3 mL",
            "CHG applicator 10.5 mL",
            "Povidone-iodine swabstick, triple",
        ),
        store=True,
    ),
    Family(
        "Dressings",
        "DRS",
        "MEDLINE",
        "EA",
        100,
        "22.00",
        70,
        _ROOMS + " CART-CRASH",
        (
            "Gauze sponge 4 × 4″, non-sterile, 12-ply",
            "Gauze sponge 4 × 4″, sterile, 2-pack",
            "Gauze sponge 2 × 2″, sterile, 2-pack",
            "Transparent dressing 6 × 7 cm (tegaderm-style)",
            "Transparent dressing 10 × 12 cm (tegaderm-style)",
            "Adhesive bandage ¾ × 3″",
            "Paper tape 1″ × 10 yd",
            "Silk tape 1″ × 10 yd",
            "Cohesive bandage 2″, tan",
            "Cotton ball, medium, non-sterile",
            "Tourniquet, latex-free, 1 × 18″",
        ),
        store=True,
    ),
    Family(
        "Sharps and waste",
        "SHP",
        "MEDLINE",
        "EA",
        20,
        "68.00",
        6,
        _ROOMS + " CART-CRASH",
        (
            "Sharps container 1 qt, red",
            "Sharps container 2 gal, red",
            "Sharps container 5 qt, wall mount",
            "Sharps container 8 gal, red",
            "Biohazard bag 24 × 24″, red",
            "Pharmaceutical waste container 3 gal, blue",
        ),
        store=True,
    ),
    # Positioning and room supplies
    Family(
        "Positioning",
        "POS",
        "OWENS",
        "EA",
        1,
        "42.00",
        1,
        "CT1 CT2 MRI1 XR1 NUC1",
        (
            "Positioning sponge 45° wedge, coated",
            "Positioning sponge 15° wedge, coated",
            "Half-cylinder knee sponge",
            "Foam head holder",
            "Immobilisation strap with hook and loop",
            "Positioning block 2 × 6 × 8″",
        ),
        expensed=False,
    ),
    Family(
        "Room supplies",
        "RMS",
        "MEDLINE",
        "EA",
        12,
        "29.00",
        20,
        _ROOMS,
        (
            "Disinfectant wipes, quaternary, canister of 160",
            "Bleach disinfectant wipes, canister of 150",
            "Hand sanitiser 500 mL pump",
            "Foam earplugs, pair, bulk",
            "MR headphone hygiene covers",
            "Image receptor sleeve, disposable",
            "Lead marker set L/R with initials",
            "Cassette cover, plastic",
        ),
        store=True,
    ),
    # Interventional radiology devices
    Family(
        "Interventional",
        "IRD",
        "OWENS",
        "EA",
        5,
        "185.00",
        4,
        "IR1",
        (
            "Guidewire 0.035″ × 150 cm, J-tip",
            "Guidewire 0.035″ × 260 cm, exchange",
            "Hydrophilic guidewire 0.035″ × 180 cm, angled",
            "Micropuncture introducer set 5F",
            "Introducer sheath 4F × 11 cm",
            "Introducer sheath 5F × 11 cm",
            "Introducer sheath 6F × 11 cm",
            "Angiographic catheter 4F pigtail, 65 cm",
            "Angiographic catheter 5F Cobra 2",
            "Angiographic catheter 5F Berenstein",
            "Microcatheter 2.4F × 150 cm",
            "Drainage catheter 8.5F locking pigtail",
            "Drainage catheter 10.2F locking pigtail",
            "Drainage catheter 12F locking pigtail",
            "Vascular closure device 6F",
            "Contrast control syringe 12 mL",
            "Manifold 3-port with pressure line",
            "Haemostasis valve, rotating",
            "Torque device for 0.014–0.038″ wires",
        ),
        consignment=False,
    ),
    # Crash cart: drugs and airway
    Family(
        "Crash cart drugs",
        "DRG",
        "OWENS",
        "EA",
        10,
        "48.00",
        0.6,
        "CART-CRASH IR1 CT1",
        (
            "Epinephrine 1 mg/10 mL (0.1 mg/mL) prefilled syringe",
            "Epinephrine 1 mg/mL, 1 mL ampoule",
            "Atropine 1 mg/10 mL prefilled syringe",
            "Amiodarone 150 mg/3 mL vial",
            "Adenosine 6 mg/2 mL vial",
            "Calcium chloride 10 %, 10 mL prefilled syringe",
            "Sodium bicarbonate 8.4 %, 50 mL prefilled syringe",
            "Dextrose 50 %, 50 mL prefilled syringe",
            "Naloxone 0.4 mg/mL, 1 mL vial",
            "Lidocaine 100 mg/5 mL prefilled syringe",
            "Diphenhydramine 50 mg/mL, 1 mL vial",
            "Methylprednisolone 125 mg vial",
            "Hydrocortisone 100 mg vial",
            "Flumazenil 0.5 mg/5 mL vial",
            "Magnesium sulfate 50 %, 2 mL vial",
            "Glucagon 1 mg emergency kit",
            "Ondansetron 4 mg/2 mL vial",
            "Salbutamol 2.5 mg/2.5 mL nebule",
            "Nitroglycerin 0.4 mg sublingual spray",
            "Aspirin 81 mg chewable, unit dose",
            "Fentanyl 50 µg/mL, 2 mL ampoule",
            "Midazolam 1 mg/mL, 5 mL vial",
            "Lidocaine 1 %, 10 mL vial",
            "Heparin 1000 U/mL, 10 mL vial",
        ),
        shelf_life_days=540,
        expensed=False,
    ),
    Family(
        "Crash cart airway",
        "AWY",
        "MEDLINE",
        "EA",
        10,
        "76.00",
        0.4,
        "CART-CRASH",
        (
            "Bag-valve-mask resuscitator, adult",
            "Bag-valve-mask resuscitator, paediatric",
            "Endotracheal tube 6.0 mm, cuffed",
            "Endotracheal tube 7.0 mm, cuffed",
            "Endotracheal tube 7.5 mm, cuffed",
            "Endotracheal tube 8.0 mm, cuffed",
            "Oropharyngeal airway kit, 6 sizes",
            "Nasopharyngeal airway 28 Fr",
            "Laryngoscope blade Mac 3, disposable",
            "Laryngoscope blade Miller 2, disposable",
            "Defibrillation pads, adult, multifunction",
            "Defibrillation pads, paediatric",
            "Intraosseous needle set 15G × 25 mm",
            "Stylet, adult, malleable",
            "CO₂ detector, colourimetric",
        ),
        shelf_life_days=1460,
    ),
)

# Other makers' lines in the large generated department are bought from these too.
MORE_SUPPLIERS = (
    SupplierSpec(
        "CARDINAL",
        "Cardinal Health",
        "CAH-310044",
        "Priya Raman",
        "+1 800 964 5227",
        "orders@cardinal.example",
        2,
        "MON,TUE,WED,THU,FRI",
        "CH{n:07d}",
        ("0885380", "0050428"),
        "C230",
    ),
    SupplierSpec(
        "BBRAUN",
        "B. Braun Medical",
        "BB-55201",
        "Jörg Weiß",
        "+1 610 691 5400",
        "auftrag@bbraun.example",
        4,
        "TUE,FRI",
        "BB-{n:06d}",
        ("4022495", "0040592"),
        "B220",
    ),
    SupplierSpec(
        "BD",
        "Becton Dickinson",
        "BD-908120",
        "Aoife Ní Bhriain",
        "+1 201 847 6800",
        "orders@bd.example",
        3,
        "WED",
        "{n:06d}-BD",
        ("0382903", "0382904"),
        "B102",
    ),
)


@dataclass(frozen=True, slots=True)
class LocationSpec:
    """A location of the demo department."""

    code: str
    name: str
    cost_centre: str
    deliveries_per_week: int
    weekdays: str
    count_type: str = "ON HAND"
    blind_count: bool = False
    busy: float = 1.0  # share of a busy room's usage
    settings: tuple[int, int] = (25, 70)
    bins: int = 24


STOREROOM = LocationSpec("STORE", "Imaging central storeroom", "IMG-4400", 1, "MON", bins=120)
PAR_LOCATIONS = (
    LocationSpec("CT1", "CT room 1", "IMG-4410", 5, "MON,TUE,WED,THU,FRI", settings=(60, 70)),
    LocationSpec("CT2", "CT room 2", "IMG-4410", 3, "MON,WED,FRI", busy=0.8, settings=(50, 60)),
    LocationSpec(
        "MRI1",
        "MRI suite 1",
        "IMG-4420",
        2,
        "TUE,FRI",
        busy=0.6,
        settings=(35, 45),
        blind_count=True,
    ),
    LocationSpec("US1", "Ultrasound room 1", "IMG-4430", 2, "MON,THU", busy=0.7, settings=(30, 40)),
    LocationSpec(
        "IR1",
        "Interventional radiology suite",
        "IMG-4440",
        5,
        "MON,TUE,WED,THU,FRI",
        busy=0.7,
        settings=(62, 70),
    ),
    LocationSpec("XR1", "General X-ray room 1", "IMG-4450", 1, "WED", busy=0.9, settings=(25, 32)),
    LocationSpec(
        "CART-CRASH",
        "Crash cart, imaging corridor",
        "IMG-4400",
        1,
        "MON",
        count_type="ORDER PAR",
        busy=0.1,
        settings=(38, 45),
    ),
    LocationSpec(
        "NUC1",
        "Nuclear medicine hot lab",
        "IMG-4460",
        3,
        "MON,WED,FRI",
        count_type="ORDER QTY",
        busy=0.5,
        settings=(25, 32),
    ),
)

# Drugs and airway kit on the crash cart sit in two bins; its bulk supplies are counted.
TWO_BIN_FAMILIES = ("DRG", "AWY")
COUNTERS = ("M. Okafor", "J. Lindqvist", "S. Núñez", "A. Nguyễn", "R. Patel", "K. Müller")


@dataclass(frozen=True, slots=True)
class CatalogueItem:
    """One item of the demo catalogue, before it is stored."""

    family: Family
    supplier: str
    code: str
    description: str
    pack_price: Decimal
    supplier_item_no: str
    barcodes: tuple[str, ...]


def catalogue(
    rng: random.Random, *, copies: int = 1, suppliers: Sequence[SupplierSpec] = SUPPLIERS
) -> list[CatalogueItem]:
    """The demo items, each family variant once.

    With ``copies`` > 1 every variant comes again as other makers' lines, bought from the
    other ``suppliers`` in turn, with their own codes, prices and barcodes.
    """
    by_code = {s.code: s for s in suppliers}
    made: list[CatalogueItem] = []
    references = dict.fromkeys(by_code, 0)
    makers = ("", " — Maker B", " — Maker C", " — Maker D", " — Maker E")
    for copy in range(copies):
        for number, family in enumerate(FAMILIES):
            spec = by_code[family.supplier]
            if copy:
                spec = suppliers[(number + copy) % len(suppliers)]
            for index, variant in enumerate(family.variants):
                references[spec.code] += 1
                n = references[spec.code]
                base = Decimal(family.price) * (1 + Decimal(index) / 12)
                jitter = Decimal(str(round(rng.uniform(0.92, 1.08), 3)))
                price = (base * jitter).quantize(CENT)
                suffix = makers[copy % len(makers)] if copy < len(makers) else f" — line {copy}"
                made.append(
                    CatalogueItem(
                        family=family,
                        supplier=spec.code,
                        code=f"{family.prefix}-{len(made) + 1:05d}"
                        if copies > 1
                        else f"{family.prefix}-{index + 1:03d}",
                        description=variant + suffix,
                        pack_price=price,
                        supplier_item_no=spec.item_no.format(n=10_000 + n * 7),
                        barcodes=_barcodes(rng, spec, n, family.pack_size),
                    )
                )
    return made


def _barcodes(rng: random.Random, spec: SupplierSpec, n: int, pack_size: int) -> tuple[str, ...]:
    prefix = spec.company_prefixes[n % len(spec.company_prefixes)]
    reference = n // len(spec.company_prefixes) + 101
    gtin = make_gtin14(1 if pack_size > 1 else 0, prefix, reference)
    roll = rng.random()
    if roll < 0.2 and pack_size > 1:
        upc = make_upc_a(prefix, reference)
        if upc:
            return gtin, upc
    if roll > 0.85:
        return gtin, make_hibc(spec.hibc_labeler, f"{n:06d}", 1 if pack_size > 1 else 0)
    return (gtin,)


# --- building -----------------------------------------------------------------------------------


def is_empty(db: Database) -> bool:
    """Whether the database holds no suppliers, items, locations or counts yet."""
    with db.reading() as session:
        return all(
            not session.scalar(select(func.count()).select_from(table))
            for table in (Item, Supplier, Location, Count)
        )


def refuse_unless_empty(db: Database, what: str) -> None:
    """Raise DatabaseNotEmptyError when the database already holds data."""
    if is_empty(db):
        return
    with db.reading() as session:
        items = session.scalar(select(func.count(Item.id))) or 0
        places = session.scalar(select(func.count(Location.id))) or 0
    raise DatabaseNotEmptyError(
        f"This database already holds data ({items} items, {places} locations), so {what} "
        "was not added: it would mix with what is there. Open a new, empty database "
        "(for example with “parstudio demo”, which uses its own demo file) and try again."
    )


def build_demo(db: Database, *, seed: int = 2026, today: date | None = None) -> DemoSummary:
    """Fill an empty database with the Imaging demo department and a year of history."""
    refuse_unless_empty(db, "the demo department")
    rng = random.Random(seed)
    today = today or date.today()
    tally = Tally()
    with db.transaction() as session:
        supplier_ids = insert_suppliers(session)
        items = catalogue(rng)
        item_ids = insert_items(session, items, supplier_ids, db.user_name)
        location_ids = _insert_locations(session, db.user_name)
        bin_ids = {
            spec.code: insert_bins(session, location_ids[spec.code], spec.bins)
            for spec in (STOREROOM, *PAR_LOCATIONS)
        }
        plans, store_lines = _plan_settings(
            session, rng, items, item_ids, supplier_ids, location_ids, bin_ids, db.user_name
        )
        writer = BulkWriter(session)
        start = today - timedelta(weeks=HISTORY_WEEKS)
        end = today - timedelta(days=1)
        store_days = counting_days(start, end, [0])
        store_times = count_times(store_days, 90)
        bucket_of = store_bucket_finder(store_times)
        for line in store_lines.values():
            line.transfers.extend([0] * len(store_times))  # in place: PAR plans share the list
        for offset, spec in enumerate(PAR_LOCATIONS):
            days = counting_days(start, end, _weekday_numbers(spec.weekdays))
            times = count_times(days, 5 * offset)
            count_ids = insert_counts(session, location_ids[spec.code], times, COUNTERS)
            simulate_location(
                rng,
                writer,
                location_id=location_ids[spec.code],
                times=times,
                count_ids=count_ids,
                settings=plans[spec.code],
                bucket_of=bucket_of,
                received_by="Storeroom runner",
                tally=tally,
            )
        store_plans = _store_plans(
            session, store_lines, location_ids, bin_ids, supplier_ids, items, item_ids, db.user_name
        )
        count_ids = insert_counts(session, location_ids["STORE"], store_times, COUNTERS)
        simulate_location(
            rng,
            writer,
            location_id=location_ids["STORE"],
            times=store_times,
            count_ids=count_ids,
            settings=store_plans,
            received_by="Receiving dock",
            tally=tally,
        )
        writer.flush()
        return _summary(session)


def _weekday_numbers(text: str) -> list[int]:
    return [WEEKDAY_NUMBERS[d] for d in text.split(",") if d]


def insert_suppliers(
    session: Session, suppliers: Sequence[SupplierSpec] = SUPPLIERS
) -> dict[str, int]:
    """Insert the suppliers; returns their ids by code."""
    rows = [
        {
            "code": s.code,
            "name": s.name,
            "account_number": s.account_number,
            "contact_name": s.contact_name,
            "phone": s.phone,
            "email": s.email,
            "lead_time_days": s.lead_time_days,
            "delivery_weekdays": s.delivery_weekdays,
            "updated_by": "demo",
        }
        for s in suppliers
    ]
    ids = session.scalars(
        insert(Supplier).returning(Supplier.id, sort_by_parameter_order=True), rows
    )
    return dict(zip((s.code for s in suppliers), ids, strict=True))


def insert_items(
    session: Session, items: Sequence[CatalogueItem], supplier_ids: dict[str, int], user: str
) -> list[int]:
    """Insert items and their barcodes in bulk; returns the item ids in order."""
    rows = [
        {
            "code": c.code,
            "description": c.description,
            "unit": c.family.unit,
            "pack_size": Decimal(c.family.pack_size),
            "supplier_id": supplier_ids[c.supplier],
            "supplier_item_no": c.supplier_item_no,
            "pack_price": c.pack_price,
            "category": c.family.category,
            "expensed": c.family.expensed,
            "consignment": c.family.consignment,
            "shelf_life_days": c.family.shelf_life_days,
            "updated_by": user,
        }
        for c in items
    ]
    ids: list[int] = []
    for start in range(0, len(rows), 10_000):
        statement = insert(Item).returning(Item.id, sort_by_parameter_order=True)
        ids += session.scalars(statement, rows[start : start + 10_000])
    barcodes = [
        {"item_id": item_id, "code": code, "kind": _barcode_kind(code)}
        for item_id, c in zip(ids, items, strict=True)
        for code in c.barcodes
    ]
    for start in range(0, len(barcodes), 10_000):
        session.execute(insert(Barcode), barcodes[start : start + 10_000])
    return ids


def _barcode_kind(code: str) -> str:
    if code.startswith("+"):
        return "HIBC"
    return "GTIN" if code.isdigit() else "OTHER"


def _insert_locations(session: Session, user: str) -> dict[str, int]:
    store = {
        "code": STOREROOM.code,
        "name": STOREROOM.name,
        "kind": "STOREROOM",
        "department": DEPARTMENT,
        "cost_centre": STOREROOM.cost_centre,
        "default_count_type": "ON HAND",
        "deliveries_per_week": 1,
        "delivery_weekdays": STOREROOM.weekdays,
        "delivery_address": "Imaging department, level B1, room B1.114",
        "updated_by": user,
    }
    store_id = session.execute(insert(Location).values(store).returning(Location.id)).scalar_one()
    rows = [
        {
            "code": spec.code,
            "name": spec.name,
            "kind": "PAR LOCATION",
            "department": DEPARTMENT,
            "cost_centre": spec.cost_centre,
            "parent_id": None,
            "default_count_type": spec.count_type,
            "deliveries_per_week": spec.deliveries_per_week,
            "delivery_weekdays": spec.weekdays,
            "blind_count": spec.blind_count,
            "delivery_address": f"Imaging department, {spec.name}",
            "updated_by": user,
        }
        for spec in PAR_LOCATIONS
    ]
    ids = session.scalars(
        insert(Location).returning(Location.id, sort_by_parameter_order=True), rows
    )
    return {"STORE": store_id} | dict(zip((s.code for s in PAR_LOCATIONS), ids, strict=True))


def bin_codes(count: int) -> list[str]:
    """Bin codes in walking order: aisle letter, section, shelf (A-01-1, A-01-2…)."""
    codes = []
    for n in range(count):
        aisle, rest = divmod(n, 24)
        section, shelf = divmod(rest, 4)
        codes.append(f"{chr(ord('A') + aisle % 26)}-{section + 1:02d}-{shelf + 1}")
    return codes


def insert_bins(session: Session, location_id: int, count: int) -> list[int]:
    """Insert a location's bins in walking order; returns their ids in that order."""
    rows = [
        {"location_id": location_id, "code": code, "sort_order": i + 1}
        for i, code in enumerate(bin_codes(count))
    ]
    return list(session.scalars(insert(Bin).returning(Bin.id, sort_by_parameter_order=True), rows))


@dataclass(frozen=True, slots=True)
class Levels:
    """Levels and modifiers of one PAR setting, in units of issue."""

    method: str
    par: int
    min_level: int
    max_level: int
    values: dict[str, Any]


def longest_gap(weekdays: Sequence[int]) -> int:
    """The most days between two deliveries on these weekdays (Fri → Mon is 3)."""
    days = sorted(set(weekdays)) or [0]
    return max((b - a) % 7 or 7 for a, b in zip(days, days[1:] + days[:1], strict=True))


def size_levels(
    rng: random.Random, weekly: float, gap_days: int, pack_size: int, *, min_max: bool
) -> Levels:
    """Levels sized from a weekly usage and the longest wait for a delivery, with the odd
    MOQ, lot multiple, rounding and storage cap."""
    per_delivery = weekly * gap_days / 7
    # Cover a delivery's usage, its noise (about 1.65 σ) and a margin the office adds on top.
    cover = per_delivery * rng.uniform(1.15, 1.35) + 1.65 * math.sqrt(per_delivery)
    values: dict[str, Any] = {}
    if min_max:
        low = max(2, math.ceil(cover))
        high = max(low + 1, math.ceil(low + per_delivery * rng.uniform(1.2, 2.0)))
        par = 0
        values.update(
            method="MIN/MAX", par_level=None, min_level=Decimal(low), max_level=Decimal(high)
        )
    else:
        par = max(2, math.ceil(cover))
        low = high = 0
        values.update(method="PAR", par_level=Decimal(par), min_level=None, max_level=None)
    top = high or par
    roll = rng.random()
    if roll < 0.08:
        values["moq"] = rng.choice((2, 3, 5))
    elif roll < 0.14:
        values["lot_multiple"] = rng.choice((2, 4, 6))
        if rng.random() < 0.5:
            values["rounding"] = "DOWN"
    if rng.random() < 0.1:
        values["storage_capacity"] = Decimal(top + max(pack_size, math.ceil(top * 0.5)))
    return Levels(values.get("method", "PAR"), par, low, high, values)


def _plan_settings(
    session: Session,
    rng: random.Random,
    items: Sequence[CatalogueItem],
    item_ids: Sequence[int],
    supplier_ids: dict[str, int],
    location_ids: dict[str, int],
    bin_ids: dict[str, list[int]],
    user: str,
) -> tuple[dict[str, list[PlannedSetting]], dict[int, StoreLine]]:
    plans: dict[str, list[PlannedSetting]] = {}
    store_lines: dict[int, StoreLine] = {}
    rows: list[dict[str, Any]] = []
    skipped = {"CT1": 7, "US1": 3, "MRI1": 11}  # lines left out of the latest count
    for spec in PAR_LOCATIONS:
        gap = longest_gap(_weekday_numbers(spec.weekdays))
        pool = [i for i, c in enumerate(items) if spec.code in c.family.where.split()]
        size = min(len(pool), rng.randint(*spec.settings))
        chosen = sorted(rng.sample(pool, size), key=lambda i: (items[i].family.category, i))
        plans[spec.code] = []
        for position, index in enumerate(chosen):
            item = items[index]
            family = item.family
            two_bin = family.prefix in TWO_BIN_FAMILIES
            busy = 1.0 if two_bin and spec.count_type == "ORDER PAR" else spec.busy
            weekly = family.weekly * busy * rng.uniform(0.5, 1.5)
            count_type = spec.count_type
            override: str | None = None
            if spec.count_type == "ORDER PAR" and not two_bin:
                override = "ON HAND"  # bulk supplies on the cart are counted, not two-bin
            elif spec.code in ("CT1", "CT2") and family.category == "Contrast media":
                override = "ORDER QTY" if rng.random() < 0.5 else None  # contrast requisition
            elif spec.code == "XR1" and family.prefix == "LAC":
                override = "NOT COUNTED"
            count_type = override or count_type
            min_max = count_type == "ON HAND" and rng.random() < 0.25
            levels = size_levels(rng, weekly, gap, family.pack_size, min_max=min_max)
            from_store = family.store
            row = {
                "location_id": location_ids[spec.code],
                "item_id": item_ids[index],
                "bin_id": bin_ids[spec.code][position % len(bin_ids[spec.code])],
                "count_type": override,
                "par_level": None,
                "min_level": None,
                "max_level": None,
                "moq": None,
                "lot_multiple": None,
                "rounding": "UP",
                "storage_capacity": None,
                "source_supplier_id": None if from_store else supplier_ids[item.supplier],
                "source_location_id": location_ids["STORE"] if from_store else None,
                "updated_by": user,
            } | levels.values
            rows.append(row)
            plan = PlannedSetting(
                item_id=item_ids[index],
                count_type=count_type,
                method=levels.method,
                par=levels.par,
                min_level=levels.min_level,
                max_level=levels.max_level,
                weekly_usage=weekly,
                seasonal=family.seasonal,
                shelf_life_days=family.shelf_life_days,
                skip_last=position == skipped.get(spec.code, -1),
            )
            if from_store:
                line = store_lines.setdefault(index, StoreLine(item_id=item_ids[index]))
                line.weekly_usage += weekly
                plan.transfers = line.transfers
            plans[spec.code].append(plan)
    session.execute(insert(ParSetting), rows)
    return plans, store_lines


def _store_plans(
    session: Session,
    store_lines: dict[int, StoreLine],
    location_ids: dict[str, int],
    bin_ids: dict[str, list[int]],
    supplier_ids: dict[str, int],
    items: Sequence[CatalogueItem],
    item_ids: Sequence[int],
    user: str,
) -> list[PlannedSetting]:
    """MIN/MAX lines at the storeroom for what it supplies, sized from the PAR lines' usage."""
    plans: list[PlannedSetting] = []
    rows: list[dict[str, Any]] = []
    bins = bin_ids["STORE"]
    for position, (index, line) in enumerate(sorted(store_lines.items())):
        family = items[index].family
        low = max(1, math.ceil(line.weekly_usage * 1.6))
        high = low + max(family.pack_size, math.ceil(line.weekly_usage * 2))
        rows.append(
            {
                "location_id": location_ids["STORE"],
                "item_id": item_ids[index],
                "bin_id": bins[position % len(bins)],
                "method": "MIN/MAX",
                "min_level": Decimal(low),
                "max_level": Decimal(high),
                "lot_multiple": None,
                "source_supplier_id": supplier_ids[items[index].supplier],
                "updated_by": user,
            }
        )
        # Other departments draw on the storeroom too, beyond its transfers to Imaging.
        plans.append(
            PlannedSetting(
                item_id=line.item_id,
                count_type="ON HAND",
                method="MIN/MAX",
                par=0,
                min_level=low,
                max_level=high,
                weekly_usage=line.weekly_usage * 0.2,
                seasonal=family.seasonal,
                extra_demand=line.transfers,
            )
        )
    session.execute(insert(ParSetting), rows)
    return plans


def _summary(session: Session) -> DemoSummary:
    def rows(table: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)

    return DemoSummary(
        suppliers=rows(Supplier),
        items=rows(Item),
        barcodes=rows(Barcode),
        locations=rows(Location),
        bins=rows(Bin),
        settings=rows(ParSetting),
        counts=rows(Count),
        count_lines=rows(CountLine),
        receipts=rows(Receipt),
    )
