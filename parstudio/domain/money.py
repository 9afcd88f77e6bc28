"""Money as the database shows it: amounts with the currency it is set to (ISO code, symbol)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from parstudio.domain.errors import ValidationError

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Currency:
    """The currency of every price in a database; US dollars until someone sets another."""

    code: str = "USD"
    symbol: str = "$"

    @classmethod
    def parse(cls, code: str, symbol: str | None = None) -> Currency:
        """A currency from an ISO 4217 code (three letters) and a symbol (default: the code)."""
        clean = code.strip().upper()
        if len(clean) != 3 or not clean.isascii() or not clean.isalpha():
            raise ValidationError(
                f"“{code}” is not a currency code: use the three letters of ISO 4217 "
                "(EUR, USD, GBP, CHF…).",
                field="currency",
            )
        mark = (symbol if symbol is not None else clean).strip()
        if not mark or len(mark) > 4:
            raise ValidationError(
                "A currency symbol is one to four characters (€, $, £, CHF).", field="symbol"
            )
        return cls(clean, mark)

    def amount(self, value: Decimal | None) -> str:
        """An amount with the symbol, two decimals and thousands separators ("€1,234.50")."""
        if value is None:
            return ""
        text = f"{value.quantize(CENT):,}"
        sign, digits = ("−", text[1:]) if text.startswith("-") else ("", text)
        space = " " if len(self.symbol) > 1 else ""
        return f"{sign}{self.symbol}{space}{digits}"
