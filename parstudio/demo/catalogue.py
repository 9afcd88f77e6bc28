"""The demo catalogue: suppliers, locations and items (with realistic barcodes) to store."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from biip.checksums import gs1_standard_check_digit

from parstudio.demo.families import FAMILIES, Family
from parstudio.domain.barcodes import hibc_check_character

CENT = Decimal("0.01")


def gs1_check_digit(digits: str) -> str:
    """The GS1 mod-10 check digit of a GTIN/UPC body (every length)."""
    return str(gs1_standard_check_digit(digits))


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


def make_hibc(labeler: str, product: str, unit_of_measure: int = 0) -> str:
    """A HIBC primary code: +, labeler code, product number, unit of measure, mod-43 check."""
    body = f"+{labeler}{product}{unit_of_measure}"
    return body + hibc_check_character(body)


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
