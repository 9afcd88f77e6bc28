"""Field specifications: one description of every editable field, shared by forms, grids and import.

A field spec knows its label, its kind and how to turn what a user typed (or a worksheet cell
held) into a value, with an error message that names the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from parstudio.domain.enums import WEEKDAYS, CountType, LocationKind, Method, Rounding
from parstudio.domain.errors import ValidationError


class Kind(StrEnum):
    """What sort of value a field holds."""

    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"
    BOOL = "bool"
    CHOICE = "choice"
    WEEKDAYS = "weekdays"
    LIST = "list"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One editable field: its name, label, kind and limits."""

    name: str
    label: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: Decimal | None = None
    positive: bool = False
    max_length: int | None = None
    help: str = ""

    def parse(self, raw: Any) -> Any:
        """Turn raw user input into this field's value, or raise a ValidationError naming it."""
        if isinstance(raw, str):
            raw = raw.strip()
        if raw is None or raw == "":
            if self.required:
                raise ValidationError(f"{self.label} is required.", field=self.name)
            if self.kind is Kind.BOOL:
                return False
            if self.kind in (Kind.WEEKDAYS, Kind.LIST):
                return ()
            return None
        parser = _PARSERS[self.kind]
        value = parser(self, raw)
        self._check_limits(value)
        return value

    def _check_limits(self, value: Any) -> None:
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            if self.positive and value <= 0:
                raise ValidationError(f"{self.label} must be more than 0.", field=self.name)
            if self.minimum is not None and value < self.minimum:
                raise ValidationError(
                    f"{self.label} must be at least {self.minimum}.", field=self.name
                )
        if self.max_length is not None and isinstance(value, str) and len(value) > self.max_length:
            raise ValidationError(
                f"{self.label} is too long (at most {self.max_length} characters).",
                field=self.name,
            )


def _text(spec: FieldSpec, raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


def _decimal(spec: FieldSpec, raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise ValidationError(f"{spec.label} must be a number, not “{raw}”.", field=spec.name)
    try:
        value = Decimal(str(raw).replace(",", "")) if not isinstance(raw, Decimal) else raw
    except InvalidOperation as exc:
        raise ValidationError(
            f"{spec.label} must be a number, not “{raw}”.", field=spec.name
        ) from exc
    if not value.is_finite():
        raise ValidationError(f"{spec.label} must be a number, not “{raw}”.", field=spec.name)
    return tidy(value)


def tidy(value: Decimal) -> Decimal:
    """A decimal without needless trailing zeros or exponent: 10.00 → 10, 2.50 → 2.5."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _int(spec: FieldSpec, raw: Any) -> int:
    value = _decimal(spec, raw)
    if value != value.to_integral_value():
        raise ValidationError(f"{spec.label} must be a whole number, not “{raw}”.", field=spec.name)
    return int(value)


def _bool(spec: FieldSpec, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "yes", "y", "true", "x", "✓", "on"):
        return True
    if text in ("0", "no", "n", "false", "off", "-"):
        return False
    raise ValidationError(f"{spec.label} must be yes or no, not “{raw}”.", field=spec.name)


def _choice(spec: FieldSpec, raw: Any) -> str:
    text = " ".join(str(raw).split()).upper()
    squashed = text.replace(" ", "")
    for choice in spec.choices:
        if squashed == choice.replace(" ", ""):
            return choice
    allowed = ", ".join(spec.choices)
    raise ValidationError(f"{spec.label} must be one of {allowed}, not “{raw}”.", field=spec.name)


def _weekdays(spec: FieldSpec, raw: Any) -> tuple[str, ...]:
    if isinstance(raw, tuple | list):
        parts = [str(p) for p in raw]
    else:
        parts = str(raw).replace(";", ",").replace(" ", ",").split(",")
    days = []
    for part in (p.strip().upper()[:3] for p in parts if p.strip()):
        if part not in WEEKDAYS:
            raise ValidationError(
                f"{spec.label}: “{part}” is not a weekday (use Mon, Tue, … Sun).", field=spec.name
            )
        if part not in days:
            days.append(part)
    return tuple(sorted(days, key=WEEKDAYS.index))


def _list(spec: FieldSpec, raw: Any) -> tuple[str, ...]:
    if isinstance(raw, tuple | list):
        parts = [str(p) for p in raw]
    else:
        parts = str(raw).replace(";", ",").replace("\n", ",").split(",")
    seen: list[str] = []
    for part in (p.strip() for p in parts):
        if part and part not in seen:
            seen.append(part)
    return tuple(seen)


_PARSERS = {
    Kind.TEXT: _text,
    Kind.INT: _int,
    Kind.DECIMAL: _decimal,
    Kind.BOOL: _bool,
    Kind.CHOICE: _choice,
    Kind.WEEKDAYS: _weekdays,
    Kind.LIST: _list,
}

ZERO = Decimal(0)
_COUNT_TYPES: tuple[str, ...] = tuple(CountType)

SUPPLIER_FIELDS = (
    FieldSpec("code", "Code", required=True, max_length=40),
    FieldSpec("name", "Name", required=True, max_length=200),
    FieldSpec("account_number", "Account number", max_length=60),
    FieldSpec("contact_name", "Contact", max_length=120),
    FieldSpec("phone", "Phone", max_length=60),
    FieldSpec("email", "E-mail", max_length=200),
    FieldSpec("lead_time_days", "Lead time (days)", Kind.INT, minimum=ZERO),
    FieldSpec("delivery_weekdays", "Delivery days", Kind.WEEKDAYS),
    FieldSpec("notes", "Notes"),
)

ITEM_FIELDS = (
    FieldSpec("code", "Item code", required=True, max_length=60),
    FieldSpec("description", "Description", required=True, max_length=300),
    FieldSpec("unit", "Unit of issue", max_length=12, help="EA, BX, PR, CS…"),
    FieldSpec("pack_size", "Pack size", Kind.DECIMAL, positive=True, help="units per order pack"),
    FieldSpec("supplier_code", "Supplier"),
    FieldSpec("supplier_item_no", "Supplier item no.", max_length=60),
    FieldSpec("pack_price", "Pack price", Kind.DECIMAL, minimum=ZERO),
    FieldSpec("category", "Category", max_length=80),
    FieldSpec("barcodes", "Barcodes", Kind.LIST, help="GTIN, UPC or other codes, comma-separated"),
    FieldSpec("expensed", "Expensed (not inventoried)", Kind.BOOL),
    FieldSpec(
        "consignment",
        "Consignment",
        Kind.BOOL,
        help="the vendor owns the stock until it is used: billed on use, not in stock value",
    ),
    FieldSpec("shelf_life_days", "Shelf life (days)", Kind.INT, positive=True),
    FieldSpec(
        "billable",
        "Billable",
        Kind.BOOL,
        help="charged to the patient: used on a case, it goes on the charge file",
    ),
    FieldSpec("charge_code", "Charge code", max_length=40, help="the billing office's code"),
    FieldSpec(
        "charge_price",
        "Charge price",
        Kind.DECIMAL,
        minimum=ZERO,
        help="charged to the patient per unit of issue",
    ),
    FieldSpec(
        "serial_tracked",
        "Serial-tracked",
        Kind.BOOL,
        help="each unit carries a serial, asked for when it is used on a case",
    ),
)

LOCATION_FIELDS = (
    FieldSpec("code", "Code", required=True, max_length=40),
    FieldSpec("name", "Name", required=True, max_length=200),
    FieldSpec("kind", "Kind", Kind.CHOICE, choices=tuple(LocationKind)),
    FieldSpec("department", "Department", max_length=120),
    FieldSpec("cost_centre", "Cost centre", max_length=40),
    FieldSpec("parent_code", "Part of"),
    FieldSpec("default_count_type", "Default count type", Kind.CHOICE, choices=_COUNT_TYPES),
    FieldSpec("deliveries_per_week", "Deliveries per week", Kind.INT, minimum=Decimal(1)),
    FieldSpec("delivery_weekdays", "Delivery days", Kind.WEEKDAYS),
    FieldSpec("blind_count", "Blind count (hide expected quantities)", Kind.BOOL),
    FieldSpec("scan_adds_one", "A scan adds one (otherwise: type the quantity)", Kind.BOOL),
    FieldSpec("delivery_address", "Delivery address"),
)

PAR_FIELDS = (
    FieldSpec("bin", "Bin", max_length=40),
    FieldSpec("method", "Method", Kind.CHOICE, choices=tuple(Method)),
    FieldSpec("count_type", "Count type", Kind.CHOICE, choices=_COUNT_TYPES),
    FieldSpec("par_level", "PAR level", Kind.DECIMAL, minimum=ZERO),
    FieldSpec("min_level", "Min", Kind.DECIMAL, minimum=ZERO),
    FieldSpec("max_level", "Max", Kind.DECIMAL, minimum=ZERO),
    FieldSpec("moq", "MOQ (packs)", Kind.INT, positive=True),
    FieldSpec("lot_multiple", "Lot multiple (packs)", Kind.INT, positive=True),
    FieldSpec("rounding", "Rounding", Kind.CHOICE, choices=tuple(Rounding)),
    FieldSpec("storage_capacity", "Storage capacity", Kind.DECIMAL, minimum=ZERO),
    FieldSpec("weekly_usage", "Weekly usage", Kind.DECIMAL, minimum=ZERO),
    FieldSpec("open_demand", "Open demand", Kind.DECIMAL, minimum=ZERO),
    FieldSpec("open_supply", "Open supply", Kind.DECIMAL, minimum=ZERO),
    FieldSpec("source", "Replenished from", help="a supplier code, or a storeroom code"),
    FieldSpec(
        "issue_pack",
        "Issue pack",
        Kind.DECIMAL,
        positive=True,
        help="on a storeroom's setting: units per pick for transfers (blank: 1)",
    ),
)


def spec_by_name(specs: tuple[FieldSpec, ...]) -> dict[str, FieldSpec]:
    """Index field specs by name."""
    return {spec.name: spec for spec in specs}


def parse_fields(
    specs: tuple[FieldSpec, ...], raw: Mapping[str, Any], *, partial: bool
) -> dict[str, Any]:
    """Parse the raw values given; with ``partial`` only those present, else every field."""
    by_name = spec_by_name(specs)
    unknown = set(raw) - set(by_name)
    if unknown:
        raise ValidationError(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    names = list(raw) if partial else list(by_name)
    return {name: by_name[name].parse(raw.get(name)) for name in names}


def check_par_levels(values: Mapping[str, Any]) -> None:
    """Refuse PAR-setting levels that contradict each other, naming the field to fix."""
    method = values.get("method") or Method.PAR
    min_level, max_level = values.get("min_level"), values.get("max_level")
    if min_level is not None and max_level is not None and min_level > max_level:
        raise ValidationError(
            f"Min ({tidy(min_level)}) must not be more than Max ({tidy(max_level)}).",
            field="min_level",
        )
    if method == Method.MIN_MAX and (min_level is None or max_level is None):
        missing = "min_level" if min_level is None else "max_level"
        raise ValidationError("A MIN/MAX line needs both Min and Max.", field=missing)
    capacity, par = values.get("storage_capacity"), values.get("par_level")
    if capacity is not None and par is not None and par > capacity:
        raise ValidationError(
            f"PAR level ({tidy(par)}) is more than fits in storage ({tidy(capacity)}).",
            field="par_level",
        )
