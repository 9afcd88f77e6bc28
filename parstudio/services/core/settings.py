"""Settings of the whole database, as keys and values: the currency of its prices, and
whether proposals offer surplus at other locations."""

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


OFFER_SURPLUS = "proposal.offer_surplus"
"""On: a proposal line bought from a supplier names the locations with surplus of the item."""


def offers_surplus(db: Database) -> bool:
    """Whether proposals offer surplus at other locations before ordering (off by default)."""
    with db.reading() as session:
        value = session.scalar(
            select(DatabaseSetting.value).where(DatabaseSetting.key == OFFER_SURPLUS)
        )
    return value == "on"


def set_offers_surplus(db: Database, *, on: bool) -> bool:
    """Turn the proposal's offer of surplus elsewhere on or off (a manager's change)."""
    with writing(db) as session:
        row = session.scalar(select(DatabaseSetting).where(DatabaseSetting.key == OFFER_SURPLUS))
        if row is None:
            session.add(DatabaseSetting(key=OFFER_SURPLUS, value="on" if on else "off"))
        else:
            row.value = "on" if on else "off"
    return on
