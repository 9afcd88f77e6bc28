"""The ``parstudio`` argument parser: the global options and every command's own."""

from __future__ import annotations

import argparse
from typing import Any

from parstudio import __version__
from parstudio.cli.admin_commands import (
    cmd_backup,
    cmd_count,
    cmd_demo,
    cmd_info,
    cmd_recompute,
    cmd_restore,
    cmd_users,
)
from parstudio.cli.billing_commands import add_charges_parser
from parstudio.cli.desktop_entry import cmd_install_desktop_entry
from parstudio.cli.options import PASSWORD_ENV_VAR, add_location_option, add_period_options
from parstudio.cli.order_commands import cmd_approve, cmd_currency, cmd_rebalance
from parstudio.cli.paper_commands import cmd_cost_allocation, cmd_print, cmd_recall
from parstudio.cli.simulate_commands import add_simulate_parser
from parstudio.cli.worksheet_commands import (
    cmd_export_catalogue,
    cmd_export_orders,
    cmd_export_worksheet,
    cmd_import_worksheet,
    cmd_propose,
)
from parstudio.domain.orders import OrderStatus
from parstudio.domain.paper import PrintKind
from parstudio.domain.roles import Role
from parstudio.services.core.urls import ENV_VAR


def build_parser() -> argparse.ArgumentParser:
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
    demo.set_defaults(handler=cmd_demo)
    count = commands.add_parser(
        "count", help="open the scanner count screen for one location (a scanning station)"
    )
    count.add_argument("--location", metavar="CODE", required=True, help="the location's code")
    count.add_argument(
        "--from-file",
        metavar="FILE",
        help="a handheld scanner's batch export (one barcode a line, or barcode,quantity[,time])"
        ": preview it, or record it with --apply, instead of opening the count screen",
    )
    count.add_argument(
        "--apply", action="store_true", help="with --from-file: record the scans; else preview"
    )
    count.add_argument(
        "--group-separator",
        metavar="TEXT",
        help="with --from-file: what the scanner wrote for the GS1 group separator (e.g. ~)",
    )
    count.set_defaults(handler=cmd_count)
    info = commands.add_parser(
        "info",
        help="show the version, the data folder, the log file, the database and its schema",
    )
    info.set_defaults(handler=cmd_info)
    desktop = commands.add_parser(
        "install-desktop-entry",
        help="add PAR Studio, with its icon, to your Linux desktop's application menu",
    )
    desktop.add_argument(
        "--remove", action="store_true", help="take the desktop entry and its icons away again"
    )
    desktop.set_defaults(handler=cmd_install_desktop_entry, uses_database=False)
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
    sheet_in.set_defaults(handler=cmd_import_worksheet)
    sheet_out = commands.add_parser(
        "export-worksheet",
        help="write the PAR worksheet with the last counts and the current proposal",
    )
    sheet_out.add_argument("file", metavar="FILE", help="the .xlsx file to write")
    add_location_option(sheet_out)
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
    sheet_out.set_defaults(handler=cmd_export_worksheet)
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
    orders_out.set_defaults(handler=cmd_export_orders)
    catalogue_out = commands.add_parser(
        "export-catalogue", help="write the item catalogue as a worksheet, one row per item"
    )
    catalogue_out.add_argument("file", metavar="FILE", help="the .xlsx file to write")
    catalogue_out.add_argument(
        "--include-inactive", action="store_true", help="also items no longer stocked"
    )
    catalogue_out.set_defaults(handler=cmd_export_catalogue)
    propose = commands.add_parser(
        "propose", help="write the order proposal from the latest counts as a worksheet"
    )
    propose.add_argument("file", metavar="FILE", help="the .xlsx file to write")
    add_location_option(propose)
    propose.set_defaults(handler=cmd_propose)
    approve = commands.add_parser(
        "approve",
        help="turn the current proposal into draft orders and transfers, as the Approve button "
        "does (for a scheduled run)",
    )
    add_location_option(approve)
    approve.add_argument(
        "--dry-run", action="store_true", help="show what would be ordered; save nothing"
    )
    approve.set_defaults(handler=cmd_approve)
    rebalance = commands.add_parser(
        "rebalance",
        help="suggest moves between locations: expiring lots to where they are used in time, "
        "surplus above PAR to a shortage (--accept makes them transfers)",
    )
    add_location_option(rebalance)
    rebalance.add_argument(
        "--out", metavar="FILE", help="also write the suggestions to FILE (.xlsx or .csv)"
    )
    rebalance.add_argument(
        "--accept",
        action="store_true",
        help="make every suggestion a draft transfer, as suggested (a manager only; without "
        "it nothing is saved)",
    )
    rebalance.set_defaults(handler=cmd_rebalance)
    currency = commands.add_parser(
        "currency", help="show the currency prices are in, or set it (ISO code and symbol)"
    )
    currency.add_argument("code", nargs="?", metavar="CODE", help="ISO 4217 code, e.g. EUR")
    currency.add_argument("symbol", nargs="?", metavar="SYMBOL", help="e.g. €")
    currency.set_defaults(handler=cmd_currency)
    backup = commands.add_parser(
        "backup",
        help="copy the database to FILE (SQLite: an online copy; PostgreSQL: pg_dump, if on PATH)",
    )
    backup.add_argument("file", metavar="FILE", help="the backup file to write")
    backup.set_defaults(handler=cmd_backup)
    restore = commands.add_parser(
        "restore",
        help="replace the database with a backup, after checking it is a PAR Studio backup",
    )
    restore.add_argument("file", metavar="FILE", help="the backup file to restore")
    restore.add_argument(
        "--yes", action="store_true", help="do not ask for confirmation before replacing"
    )
    restore.set_defaults(handler=cmd_restore)
    _users_parser(commands)
    recompute = commands.add_parser(
        "recompute-suggestions",
        help="work out usage and suggested PAR levels again for the Review page",
    )
    add_location_option(recompute)
    recompute.set_defaults(handler=cmd_recompute)
    _print_parser(commands)
    add_simulate_parser(commands)
    costs = commands.add_parser(
        "cost-allocation",
        help="write usage value and spend by department, cost centre and location (.xlsx)",
        description="Write the cost allocation workbook: usage value and spend of a period by "
        "department, cost centre and location (a summary sheet), and one row per PAR setting "
        "(a detail sheet). The period defaults to the last complete quarter.",
    )
    costs.add_argument("file", metavar="FILE", help="the .xlsx file to write")
    add_period_options(costs, "the last complete quarter")
    costs.add_argument("--department", metavar="NAME", help="only this department")
    costs.add_argument("--cost-centre", metavar="CODE", help="only this cost centre")
    add_location_option(costs)
    costs.set_defaults(handler=cmd_cost_allocation)
    add_charges_parser(commands)
    recall = commands.add_parser(
        "recall", help="list the locations that hold a lot of an item (and print a recall list)"
    )
    recall.add_argument("item", metavar="ITEM", help="the item's code")
    recall.add_argument("lot", metavar="LOT", help="the lot number")
    recall.add_argument("--pdf", metavar="FILE", help="also write the recall list as a PDF")
    recall.add_argument("--paper", default="a4", metavar="a4|letter", help="paper size")
    recall.set_defaults(handler=cmd_recall)
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
    for name, text in (
        ("deactivate", "stop an account signing in"),
        ("activate", "undo that"),
        ("unlock", "let an account locked by wrong passwords sign in again now"),
    ):
        actions.add_parser(name, help=text).add_argument("login")
    password = actions.add_parser("password", help="set an account's password")
    password.add_argument("login")
    actions.add_parser(
        "server-roles",
        help="PostgreSQL: set up the roles the server enforces and a server login per account",
    )
    people.set_defaults(handler=cmd_users)


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
    add_location_option(printing)
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
    add_period_options(printing, "the last complete month (consignment-usage only)")
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
    printing.set_defaults(handler=cmd_print)
