"""Settings of the whole database, as keys and values: the currency of its prices."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from parstudio.domain.money import Currency
from parstudio.models import DatabaseSetting
from parstudio.services.core.database import Database
from parstudio.services.core.store import writing

CURRENCY_CODE = "currency.code"
CURRENCY_SYMBOL = "currency.symbol"


def currency_of(session: Session) -> Currency:
    """The database's currency (US dollars when none was set)."""
    values = dict(
        session.execute(
            select(DatabaseSetting.key, DatabaseSetting.value).where(
                DatabaseSetting.key.in_([CURRENCY_CODE, CURRENCY_SYMBOL])
            )
        ).all()
    )
    if CURRENCY_CODE not in values:
        return Currency()
    return Currency(values[CURRENCY_CODE], values.get(CURRENCY_SYMBOL) or values[CURRENCY_CODE])


def get_currency(db: Database) -> Currency:
    """The database's currency."""
    with db.reading() as session:
        return currency_of(session)


def set_currency(db: Database, *, code: str, symbol: str | None = None) -> Currency:
    """Set the currency prices are shown in (a manager's change; prices are not converted)."""
    currency = Currency.parse(code, symbol)
    with writing(db) as session:
        for key, value in ((CURRENCY_CODE, currency.code), (CURRENCY_SYMBOL, currency.symbol)):
            row = session.scalar(select(DatabaseSetting).where(DatabaseSetting.key == key))
            if row is None:
                session.add(DatabaseSetting(key=key, value=value))
            else:
                row.value = value
    return currency
