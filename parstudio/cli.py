"""The ``parstudio`` command line: opens the app, or runs a command over the same services."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parstudio import __version__
from parstudio.domain.errors import ParStudioError, PermissionDenied, WorksheetError
from parstudio.domain.orders import OrderStatus
from parstudio.domain.paper import PrintKind
from parstudio.domain.roles import Role
from parstudio.services.database_urls import (
    ENV_VAR,
    default_database_url,
    demo_database_url,
    describe_url,
    normalise_url,
)

if TYPE_CHECKING:
    from parstudio.services.database import Database

# The services (SQLAlchemy) are imported by the commands that use them: with no command the app
# shows its window before SQLAlchemy is imported.

PASSWORD_ENV_VAR = "PARSTUDIO_PASSWORD"
NEW_PASSWORD_ENV_VAR = "PARSTUDIO_NEW_PASSWORD"
Handler = Callable[[argparse.Namespace], int]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parstudio",
        description="PAR Studio: periodic automatic replenishment for a supply office. "
        "With no command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"PAR Studio {__version__}")
    parser.add_argument(
        "--database",
        metavar="URL",
        help=f"database file or URL (default: ${ENV_VAR}, else the local file in your data "
        "folder); postgresql+psycopg://user@host/db for a shared server",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the demo department (its own file in the data folder, built on first use)",
    )
    parser.add_argument(
        "--user",
        metavar="LOGIN",
        help="sign in as LOGIN on a database with user accounts (the password is asked, or read "
        f"from ${PASSWORD_ENV_VAR})",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser("demo", help="fill the database with a realistic demo department")
    demo.add_argument(
        "--if-empty", action="store_true", help="do nothing (and succeed) if it already has data"
    )
    demo.set_defaults(handler=_cmd_demo)
    count = commands.add_parser(
        "count", help="open the scanner count screen for one location (a scanning station)"
    )
    count.add_argument("--location", metavar="CODE", required=True, help="the location's code")
    count.set_defaults(handler=_cmd_count)
    info = commands.add_parser("info", help="show which database is used and its schema version")
    info.set_defaults(handler=_cmd_info)
    sheet_in = commands.add_parser(
        "import-worksheet",
        help="preview (default) or apply a PAR worksheet (.xlsx); counts in Count are recorded",
    )
    sheet_in.add_argument("file", metavar="FILE", help="the .xlsx worksheet to read")
    sheet_in.add_argument(
        "--apply", action="store_true", help="write the changes (all or nothing); else preview"
    )
    sheet_in.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="THEIR=OURS",
        help='read a column of yours as one of ours, e.g. --map "Qty=PAR Level"; '
        '"Notes=" ignores a column (repeatable)',
    )
    sheet_in.set_defaults(handler=_cmd_import_worksheet)
    sheet_out = commands.add_parser(
        "export-worksheet",
        help="write the PAR worksheet with the last counts and the current proposal",
    )
    sheet_out.add_argument("file", metavar="FILE", help="the .xlsx file to write")
    _location_option(sheet_out)
    sheet_out.add_argument(
        "--no-counts",
        action="store_true",
        help="leave Last Count and Last Counted blank (implies --no-proposal)",
    )
    sheet_out.add_argument(
        "--no-proposal",
        action="store_true",
        help="leave Order Packs, Order Units and Explanation blank (quicker)",
    )
    sheet_out.set_defaults(handler=_cmd_export_worksheet)
    orders_out = commands.add_parser(
        "export-orders", help="write the orders as a worksheet, one row per order line"
    )
    orders_out.add_argument("file", metavar="FILE", help="the .xlsx file to write")
    orders_out.add_argument(
        "--status",
        action="append",
        type=str.upper,
        choices=[s.value for s in OrderStatus],
        metavar="STATUS",
        help="only orders with this status (repeatable; "
        + ", ".join(s.value for s in OrderStatus)
        + "; default: every order)",
    )
    orders_out.set_defaults(handler=_cmd_export_orders)
    catalogue_out = commands.add_parser(
        "export-catalogue", help="write the item catalogue as a worksheet, one row per item"
    )
    catalogue_out.add_argument("file", metavar="FILE", help="the .xlsx file to write")
    catalogue_out.add_argument(
        "--include-inactive", action="store_true", help="also items no longer stocked"
    )
    catalogue_out.set_defaults(handler=_cmd_export_catalogue)
    propose = commands.add_parser(
        "propose", help="write the order proposal from the latest counts as a worksheet"
    )
    propose.add_argument("file", metavar="FILE", help="the .xlsx file to write")
    _location_option(propose)
    propose.set_defaults(handler=_cmd_propose)
    backup = commands.add_parser(
        "backup",
        help="copy the database to FILE (SQLite: an online copy; PostgreSQL: pg_dump, if on PATH)",
    )
    backup.add_argument("file", metavar="FILE", help="the backup file to write")
    backup.set_defaults(handler=_cmd_backup)
    restore = commands.add_parser(
        "restore",
        help="replace the database with a backup, after checking it is a PAR Studio backup",
    )
    restore.add_argument("file", metavar="FILE", help="the backup file to restore")
    restore.add_argument(
        "--yes", action="store_true", help="do not ask for confirmation before replacing"
    )
    restore.set_defaults(handler=_cmd_restore)
    _users_parser(commands)
    recompute = commands.add_parser(
        "recompute-suggestions",
        help="work out usage and suggested PAR levels again for the Review page",
    )
    _location_option(recompute)
    recompute.set_defaults(handler=_cmd_recompute)
    _print_parser(commands)
    costs = commands.add_parser(
        "cost-allocation",
        help="write usage value and spend by department, cost centre and location (.xlsx)",
        description="Write the cost allocation workbook: usage value and spend of a period by "
        "department, cost centre and location (a summary sheet), and one row per PAR setting "
        "(a detail sheet). The period defaults to the last complete quarter.",
    )
    costs.add_argument("file", metavar="FILE", help="the .xlsx file to write")
    _period_options(costs, "the last complete quarter")
    costs.add_argument("--department", metavar="NAME", help="only this department")
    costs.add_argument("--cost-centre", metavar="CODE", help="only this cost centre")
    _location_option(costs)
    costs.set_defaults(handler=_cmd_cost_allocation)
    recall = commands.add_parser(
        "recall", help="list the locations that hold a lot of an item (and print a recall list)"
    )
    recall.add_argument("item", metavar="ITEM", help="the item's code")
    recall.add_argument("lot", metavar="LOT", help="the lot number")
    recall.add_argument("--pdf", metavar="FILE", help="also write the recall list as a PDF")
    recall.add_argument("--paper", default="a4", metavar="a4|letter", help="paper size")
    recall.set_defaults(handler=_cmd_recall)
    return parser


def _users_parser(commands: Any) -> None:
    people = commands.add_parser(
        "users", help="list or manage user accounts (managing needs a manager's --user)"
    )
    actions = people.add_subparsers(dest="users_action", metavar="ACTION", required=True)
    actions.add_parser("list", help="every account with its role")
    add = actions.add_parser("add", help="add an account (the password is asked twice)")
    add.add_argument("login")
    add.add_argument("--role", required=True, choices=[role.value for role in Role])
    add.add_argument("--name", default="", help="the name shown on screen")
    role = actions.add_parser("role", help="give an account another role")
    role.add_argument("login")
    role.add_argument("role", choices=[role.value for role in Role])
    for name, text in (("deactivate", "stop an account signing in"), ("activate", "undo that")):
        actions.add_parser(name, help=text).add_argument("login")
    password = actions.add_parser("password", help="set an account's password")
    password.add_argument("login")
    people.set_defaults(handler=_cmd_users)


def _new_password(login: str) -> str:
    given = os.environ.get(NEW_PASSWORD_ENV_VAR)
    if given is not None:
        return given
    first = getpass.getpass(f"New password for {login}: ")
    if getpass.getpass("Again: ") != first:
        raise ParStudioError("The two passwords differ; nothing was changed.")
    return first


def _cmd_users(args: argparse.Namespace) -> int:
    from parstudio.services import users

    with _opened(args) as db:
        action = args.users_action
        if action == "list":
            for user in users.list_users(db):
                state = "" if user.active else "  (deactivated)"
                print(f"{user.login:<20} {user.role.label:<8} {user.display_name}{state}")
            return 0
        if action == "add":
            made = users.create_user(
                db,
                login=args.login,
                display_name=args.name,
                role=Role(args.role),
                password=_new_password(args.login),
            )
            print(f"Added {made.login} ({made.role.label}).")
        elif action == "role":
            changed = users.set_role(db, login=args.login, role=Role(args.role))
            print(f"{changed.login} is now a {changed.role.value}.")
        elif action in ("deactivate", "activate"):
            users.set_active(db, login=args.login, active=action == "activate")
            print(f"{args.login} {action}d.")
        else:
            users.change_password(db, login=args.login, new_password=_new_password(args.login))
            print(f"Password of {args.login} changed.")
        return 0


def _print_parser(commands: Any) -> None:
    printing = commands.add_parser(
        "print",
        help="write PDFs: order-sheets, pick-lists, count-sheets, labels, consignment-usage or "
        "quarterly-review",
        description="Write the paperwork as PDF files into a folder (one file per order, pick "
        "list, location; labels per location plus one file of location and bin labels; "
        "consignment usage per vendor; one quarterly review report).",
    )
    printing.add_argument(
        "kind",
        metavar="KIND",
        choices=[kind.value for kind in PrintKind],
        help="order-sheets, pick-lists, count-sheets, labels, consignment-usage or "
        "quarterly-review",
    )
    printing.add_argument("--out", metavar="DIR", required=True, help="folder to write into")
    _location_option(printing)
    printing.add_argument(
        "--order",
        action="append",
        metavar="NUMBER",
        help="only this order (repeatable; default: every open order)",
    )
    printing.add_argument("--paper", default="a4", metavar="a4|letter", help="paper size")
    printing.add_argument(
        "--labels", default="3x10", metavar="3x10|2x1in", help="label stock (labels only)"
    )
    printing.add_argument(
        "--barcode", default="code128", metavar="code128|qr", help="label barcode (labels only)"
    )
    _period_options(printing, "the last complete month (consignment-usage only)")
    printing.add_argument(
        "--quarter",
        metavar="YYYY-QN",
        help="the quarter to review, e.g. 2026-Q3 (quarterly-review only; default: the last "
        "complete quarter)",
    )
    printing.add_argument(
        "--department", metavar="NAME", help="only this department (quarterly-review only)"
    )
    printing.add_argument(
        "--cost-centre", metavar="CODE", help="only this cost centre (quarterly-review only)"
    )
    printing.set_defaults(handler=_cmd_print)


def _period_options(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--from", dest="from_month", metavar="YYYY-MM", help=f"first month (default: {default})"
    )
    parser.add_argument("--to", dest="to_month", metavar="YYYY-MM", help="last month")


def _period(args: argparse.Namespace, *, quarter: bool) -> Any:
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


def _location_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--location",
        action="append",
        metavar="CODE",
        help="only this location (repeatable; default: every location)",
    )


def _header_overrides(pairs: Sequence[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        their, equals, ours = pair.partition("=")
        if not equals or not their.strip():
            raise ParStudioError(f'--map “{pair}” should be written as "Their Header=Our Column".')
        overrides[their.strip()] = ours.strip()
    return overrides


def _database_url(args: argparse.Namespace) -> str:
    if args.demo:
        return demo_database_url()
    return normalise_url(args.database) if args.database else default_database_url()


@contextmanager
def _opened(args: argparse.Namespace) -> Iterator[Database]:
    """The command's database, closed again however the command ends."""
    from parstudio.services.database import open_database

    db = open_database(_database_url(args))
    try:
        _sign_in(db, args)
        yield db
    finally:
        db.close()


def _sign_in(db: Database, args: argparse.Namespace) -> None:
    """Sign in when asked to with --user (needed to write to a database with accounts)."""
    if not args.user:
        return
    password = os.environ.get(PASSWORD_ENV_VAR)
    if password is None:
        password = getpass.getpass(f"Password for {args.user}: ")
    db.sign_in(args.user, password)


def _cmd_backup(args: argparse.Namespace) -> int:
    from parstudio.services.backup import backup_database

    with _opened(args) as db:
        written = backup_database(db, args.file)
        print(f"Backed up {db.description} to {written}.")
        return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from parstudio.services.backup import backup_revision, pg_backup_revision, restore_database
    from parstudio.services.database import open_database

    url = _database_url(args)
    source = Path(args.file).expanduser()
    revision = backup_revision(source) if url.startswith("sqlite") else pg_backup_revision(source)
    try:
        current = open_database(url, create=False)
    except ParStudioError:
        current = None  # nothing (readable) there yet: nothing to protect
    if current is not None:
        try:
            _sign_in(current, args)
            if current.has_users and current.role is not Role.MANAGER:
                raise PermissionDenied(
                    "Only a manager can restore a backup: add --user with a manager's login."
                )
        finally:
            current.close()
    print(f"{source} is a PAR Studio backup (schema {revision}).")
    if not args.yes:
        answer = input(f"Replace everything in {describe_url(url)} with it? Type yes: ")
        if answer.strip().lower() != "yes":
            print("Nothing was changed.")
            return 1
    safety = restore_database(url, source)
    print(f"Restored {describe_url(url)} from {source}.")
    if safety is not None:
        print(f"What was there before is kept in {safety}.")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from parstudio.services import demo

    with _opened(args) as db:
        if args.if_empty and not demo.is_empty(db):
            print(f"{db.description} already holds data; the demo was not added.")
            return 0
        summary = demo.build_demo(db)
        _demo_suggestions(db)
        print(f"Demo department written to {db.description}: {summary}")
        return 0


def _demo_suggestions(db: Any) -> None:
    """Work out the demo's usage and suggestions, so its Review page has something to show."""
    from parstudio.services import review

    review.refresh_profiles(db)


def _cmd_recall(args: argparse.Namespace) -> int:
    from parstudio.domain.paper import PaperSize, PrintOptions
    from parstudio.services import expiry, printing

    paper = {"a4": PaperSize.A4, "letter": PaperSize.LETTER}.get(args.paper.lower())
    if paper is None:
        raise ParStudioError(f"--paper {args.paper} is not known: give a4 or letter.")
    with _opened(args) as db:
        found = expiry.recall_search(db, item_code=args.item, lot=args.lot)
    status = "on the recall list" if found.on_recall_list else "not on the recall list"
    print(f"{found.item_code} {found.description}, lot {found.lot} ({status})")
    for holding in found.holdings:
        source = "latest count" if holding.source == "count" else "receipt since count"
        print(
            f"  {holding.location_code:<12} {holding.location_name:<30} "
            f"{holding.quantity.normalize():>8f}  {holding.seen_on.isoformat()}  {source}"
        )
    if not found.holdings:
        print("  No location holds this lot by the latest counts and receipts.")
    else:
        print(f"  {found.summary}")
    if args.pdf:
        document = printing.recall_list_document(found, PrintOptions(paper=paper))
        Path(args.pdf).write_bytes(document.pdf)
        print(f"Wrote {args.pdf}.")
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    from parstudio.services.database import head_revision, schema_revision

    with _opened(args) as db:
        print(f"Database: {db.description}")
        print(f"Schema: {schema_revision(db)} (this PAR Studio knows up to {head_revision()})")
        return 0


def _cmd_count(args: argparse.Namespace) -> int:
    from parstudio.domain.errors import NotFoundError
    from parstudio.services import locations

    with _opened(args) as db:
        location = locations.find_location(db, code=args.location)
        if location is None:
            raise NotFoundError(
                f"There is no location “{args.location}”. Check the code on the location's label."
            )
        from parstudio.ui.count_window import run_count_window
        from parstudio.ui.sign_in import needs_sign_in, sign_in_if_needed

        if needs_sign_in(db):
            # A scanning station signs in like the app does (or with --user).
            from parstudio.ui.app import make_application

            make_application()
            if not sign_in_if_needed(db):
                return 1
        return run_count_window(db, location.id)


def _cmd_import_worksheet(args: argparse.Namespace) -> int:
    from parstudio.services import worksheets

    overrides = _header_overrides(args.map)
    with _opened(args) as db:
        action = worksheets.apply_import if args.apply else worksheets.preview_import
        try:
            preview = action(db, path=args.file, header_overrides=overrides)
        except WorksheetError as exc:
            print(f"parstudio: {exc} Nothing was imported.", file=sys.stderr)
            return 1
        print(preview.summary_text(), file=sys.stdout if preview.is_valid else sys.stderr)
        return 0 if preview.is_valid else 1


def _cmd_export_worksheet(args: argparse.Namespace) -> int:
    from parstudio.services import worksheets

    with _opened(args) as db:
        rows = worksheets.export_worksheet(
            db,
            path=args.file,
            location_codes=args.location,
            include_counts=not args.no_counts,
            include_proposal=not (args.no_counts or args.no_proposal),
        )
        print(f"Wrote {rows} PAR settings to {args.file}.")
        return 0


def _cmd_export_orders(args: argparse.Namespace) -> int:
    from parstudio.services import worksheets

    statuses = [OrderStatus(s) for s in args.status] if args.status else None
    with _opened(args) as db:
        rows = worksheets.export_orders(db, path=args.file, statuses=statuses)
        print(f"Wrote {rows} order lines to {args.file}.")
        return 0


def _cmd_export_catalogue(args: argparse.Namespace) -> int:
    from parstudio.services import worksheets

    with _opened(args) as db:
        rows = worksheets.export_catalogue(
            db, path=args.file, include_inactive=args.include_inactive
        )
        print(f"Wrote {rows} items to {args.file}.")
        return 0


def _cmd_propose(args: argparse.Namespace) -> int:
    from parstudio.services import worksheets

    with _opened(args) as db:
        rows = worksheets.export_proposal(db, path=args.file, location_codes=args.location)
        print(f"Wrote the proposal ({rows} lines) to {args.file}.")
        return 0


def _cmd_recompute(args: argparse.Namespace) -> int:
    from parstudio.services import locations, review

    with _opened(args) as db:
        location_ids = None
        if args.location:
            known = {loc.code.lower(): loc.id for loc in locations.list_locations(db)}
            unknown = [code for code in args.location if code.lower() not in known]
            if unknown:
                raise ParStudioError(f"No location has the code {', '.join(unknown)}.")
            location_ids = [known[code.lower()] for code in args.location]
        summary = review.refresh_profiles(db, location_ids=location_ids)
        print(
            f"Worked out usage and suggestions of {summary.settings} settings from history up "
            f"to {summary.through:%d %b %Y}: {summary.with_history} with usage, "
            f"{summary.seasonal} with a season"
            + (f", {summary.skipped} skipped (impossible figures)" if summary.skipped else "")
            + "."
        )
        return 0


def _cmd_cost_allocation(args: argparse.Namespace) -> int:
    from parstudio.services.cost_allocation import export_cost_allocation
    from parstudio.services.period_usage import SettingFilter

    period = _period(args, quarter=True)
    wanted = SettingFilter(
        department=args.department,
        cost_centre=args.cost_centre,
        location_codes=tuple(args.location or ()),
    )
    with _opened(args) as db:
        found = export_cost_allocation(db, path=args.file, period=period, wanted=wanted)
    totals = found.totals
    print(
        f"Wrote the cost allocation {found.period.label} ({found.scope}) to {args.file}: "
        f"usage value {totals.usage_value:,.2f}, spend {totals.spend:,.2f} "
        f"(of which consignment {totals.consignment:,.2f}), {totals.settings} PAR settings."
    )
    if found.note:
        print(found.note[0].upper() + found.note[1:])
    return 0


def _cmd_print(args: argparse.Namespace) -> int:
    from parstudio.domain.paper import (
        BarcodeSymbology,
        LabelStock,
        PaperSize,
        PrintKind,
        PrintOptions,
    )
    from parstudio.domain.quarterly_review import Quarter
    from parstudio.services import printing

    options = PrintOptions(
        paper=PaperSize.parse(args.paper),
        stock=LabelStock.parse(args.labels),
        symbology=BarcodeSymbology.parse(args.barcode),
    )
    quarter = Quarter.parse(args.quarter) if args.quarter else None
    with _opened(args) as db:
        made = printing.documents(
            db,
            kind=PrintKind(args.kind),
            options=options,
            location_codes=args.location,
            order_numbers=args.order,
            period=_period(args, quarter=False),
            quarter=quarter,
            department=args.department,
            cost_centre=args.cost_centre,
        )
    if not made and args.kind == PrintKind.CONSIGNMENT_USAGE:
        print("Nothing to print: no consignment item was used in the period.")
        return 0
    if not made:
        print(f"Nothing to print: no {args.kind.replace('-', ' ')} match.")
        return 0
    for path, document in zip(printing.write_documents(made, args.out), made, strict=True):
        print(f"{path} ({document.pages} page{'s' if document.pages != 1 else ''})")
    return 0


def _open_app(args: argparse.Namespace) -> int:
    from parstudio.ui.app import run_app

    url = None
    if args.demo:
        from parstudio.services.database import open_database

        url = demo_database_url()
        db = open_database(url)
        try:
            from parstudio.services import demo

            if demo.is_empty(db):
                print("Building the demo department (first run only)…")
                demo.build_demo(db)
                _demo_suggestions(db)
        finally:
            db.close()
    elif args.database:
        url = normalise_url(args.database)
    return run_app(url)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    handler: Handler = getattr(args, "handler", _open_app)
    try:
        return handler(args)
    except ParStudioError as exc:
        where = describe_url(_database_url(args)) if args.command else ""
        print(f"parstudio: {exc}", file=sys.stderr)
        if isinstance(exc, PermissionDenied) and not args.user:
            print("(this database has user accounts: sign in with --user LOGIN)", file=sys.stderr)
        if where and "database" not in str(exc).lower():
            print(f"(database: {where})", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
