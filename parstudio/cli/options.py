"""Options the commands share: the period, locations, --map, the database and signing in."""

from __future__ import annotations

import argparse
import getpass
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from parstudio.domain.errors import ParStudioError
from parstudio.services.core.urls import default_database_url, demo_database_url, normalise_url

if TYPE_CHECKING:
    from parstudio.services.core.database import Database

PASSWORD_ENV_VAR = "PARSTUDIO_PASSWORD"
NEW_PASSWORD_ENV_VAR = "PARSTUDIO_NEW_PASSWORD"


def add_period_options(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--from", dest="from_month", metavar="YYYY-MM", help=f"first month (default: {default})"
    )
    parser.add_argument("--to", dest="to_month", metavar="YYYY-MM", help="last month")


def chosen_period(args: argparse.Namespace, *, quarter: bool) -> Any:
    """The months --from and --to name, or the default period (None)."""
    from datetime import date

    from parstudio.domain.report_period import (
        last_complete_month,
        last_complete_quarter,
        parse_month,
        period_between,
    )

    if args.from_month is None and args.to_month is None:
        return None
    today = date.today()
    return period_between(
        parse_month(args.from_month, what="--from month") if args.from_month else None,
        parse_month(args.to_month, what="--to month") if args.to_month else None,
        today=today,
        default=last_complete_quarter(today) if quarter else last_complete_month(today),
    )


def add_location_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--location",
        action="append",
        metavar="CODE",
        help="only this location (repeatable; default: every location)",
    )


def header_overrides(pairs: Sequence[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        their, equals, ours = pair.partition("=")
        if not equals or not their.strip():
            raise ParStudioError(f'--map “{pair}” should be written as "Their Header=Our Column".')
        overrides[their.strip()] = ours.strip()
    return overrides


def database_url(args: argparse.Namespace) -> str:
    if args.demo:
        return demo_database_url()
    return normalise_url(args.database) if args.database else default_database_url()


@contextmanager
def opened(args: argparse.Namespace) -> Iterator[Database]:
    """The command's database, closed again however the command ends."""
    from parstudio.services.admin.users import authenticate
    from parstudio.services.core.database import open_database

    db = open_database(database_url(args), authenticate=authenticate)
    try:
        sign_in(db, args)
        yield db
    finally:
        db.close()


def sign_in(db: Database, args: argparse.Namespace) -> None:
    """Sign in when asked to with --user (needed to write to a database with accounts)."""
    if not args.user:
        return
    db.sign_in(args.user, sign_in_password(args))


def sign_in_password(args: argparse.Namespace) -> str:
    """The --user account's password: from the environment, else asked."""
    password = os.environ.get(PASSWORD_ENV_VAR)
    if password is None:
        password = getpass.getpass(f"Password for {args.user}: ")
    return password
