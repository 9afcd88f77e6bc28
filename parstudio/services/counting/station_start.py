"""Opening a scanning station's database, even while its PostgreSQL server is unreachable.

A station that starts while the server is down opens from the sheet this computer last saw
of its location (services/counting/sheet_cache.py) on the stand-in `open_offline` gives: it
keeps every scan in the journal, and checks the database and signs in when the server answers.
"""

from __future__ import annotations

from pathlib import Path

from parstudio.domain.errors import NotFoundError, ServerUnreachableError
from parstudio.services.catalog import locations
from parstudio.services.core.database import (
    Authenticator,
    Database,
    open_database,
    open_offline,
)
from parstudio.services.counting.sheet_cache import known_location_id

__all__ = ["open_station"]


def open_station(
    url: str,
    *,
    location_code: str,
    login: str | None = None,
    password: str | None = None,
    folder: Path | None = None,
    authenticate: Authenticator | None = None,
) -> tuple[Database, int]:
    """The database and the location to count; offline when only the server is missing.

    ``login`` and ``password`` are the account's (``--user``): checked at once when the server
    answers, else when it is back (through ``authenticate``, the accounts' own check unless
    another is given). Refuses a location this computer has no sheet of offline.
    """
    if authenticate is None:
        from parstudio.services.admin.users import authenticate as check_account

        authenticate = check_account
    try:
        db = open_database(url, authenticate=authenticate)
    except ServerUnreachableError as exc:
        db = open_offline(url, user_name=login, authenticate=authenticate)
        found = known_location_id(db, location_code, folder)
        if found is None:
            db.close()
            raise ServerUnreachableError(
                f"{exc} This computer has not counted “{location_code}” before, so it has no "
                "sheet to count from until the server is back."
            ) from exc
        if login is not None and password is not None:
            db.pending_sign_in = (login, password)
        return db, found
    try:
        if login is not None and password is not None:
            db.sign_in(login, password)
        location = locations.find_location(db, code=location_code)
    except BaseException:
        db.close()
        raise
    if location is None:
        db.close()
        raise NotFoundError(
            f"There is no location “{location_code}”. Check the code on the location's label."
        )
    return db, location.id
