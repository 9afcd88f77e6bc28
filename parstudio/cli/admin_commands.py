"""The housekeeping commands: users, backup, restore, info, demo, recompute-suggestions, count."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path

from parstudio.cli.options import NEW_PASSWORD_ENV_VAR, database_url, opened, sign_in
from parstudio.domain.errors import ParStudioError, PermissionDenied
from parstudio.domain.roles import Role
from parstudio.services.core.urls import describe_url


def _new_password(login: str) -> str:
    given = os.environ.get(NEW_PASSWORD_ENV_VAR)
    if given is not None:
        return given
    first = getpass.getpass(f"New password for {login}: ")
    if getpass.getpass("Again: ") != first:
        raise ParStudioError("The two passwords differ; nothing was changed.")
    return first


def cmd_users(args: argparse.Namespace) -> int:
    from parstudio.services.admin import users

    with opened(args) as db:
        action = args.users_action
        if action == "list":
            for user in users.list_users(db):
                state = "" if user.active else "  (deactivated)"
                if user.locked():
                    assert user.locked_until is not None
                    state += f"  (locked until {user.locked_until.astimezone():%H:%M})"
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
        elif action == "server-roles":
            given = users.set_up_server_logins(db)
            print(
                "The server now enforces PAR Studio's roles (parstudio_manager, parstudio_clerk, "
                "parstudio_viewer)."
            )
            if given:
                print(f"Server logins given or updated: {', '.join(given)}.")
                print("Set each one's password with: parstudio --user LOGIN users password LOGIN")
        elif action == "unlock":
            users.unlock_user(db, login=args.login)
            print(f"{args.login} can sign in again.")
        else:
            users.change_password(db, login=args.login, new_password=_new_password(args.login))
            print(f"Password of {args.login} changed.")
        return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from parstudio.services.admin.backup import backup_database

    with opened(args) as db:
        written = backup_database(db, args.file)
        print(f"Backed up {db.description} to {written}.")
        return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from parstudio.services.admin.backup import (
        backup_revision,
        pg_backup_revision,
        restore_database,
    )
    from parstudio.services.admin.users import authenticate
    from parstudio.services.core.database import open_database

    url = database_url(args)
    source = Path(args.file).expanduser()
    revision = backup_revision(source) if url.startswith("sqlite") else pg_backup_revision(source)
    try:
        current = open_database(url, create=False, authenticate=authenticate)
    except ParStudioError:
        current = None  # nothing (readable) there yet: nothing to protect
    restored_by = None
    if current is not None:
        try:
            sign_in(current, args)
            if current.has_users and current.role is not Role.MANAGER:
                raise PermissionDenied(
                    "Only a manager can restore a backup: add --user with a manager's login."
                )
            restored_by = current.user_name
        finally:
            current.close()
    print(f"{source} is a PAR Studio backup (schema {revision}).")
    if not args.yes:
        answer = input(f"Replace everything in {describe_url(url)} with it? Type yes: ")
        if answer.strip().lower() != "yes":
            print("Nothing was changed.")
            return 1
    safety = restore_database(url, source, restored_by=restored_by)
    print(f"Restored {describe_url(url)} from {source}.")
    if safety is not None:
        print(f"What was there before is kept in {safety}.")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from parstudio import __version__
    from parstudio.services.core.schema import head_revision, schema_revision
    from parstudio.services.core.urls import data_folder, log_file

    # Where things are first: they help most when the database will not open.
    print(f"PAR Studio {__version__}")
    print(f"Data folder: {data_folder()}")
    print(f"Log file: {log_file()}")
    with opened(args) as db:
        print(f"Database: {db.description}")
        print(f"Schema: {schema_revision(db)} (this PAR Studio knows up to {head_revision()})")
        return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from parstudio.demo import department as demo
    from parstudio.demo.first_run import demo_suggestions

    with opened(args) as db:
        if args.if_empty and not demo.is_empty(db):
            print(f"{db.description} already holds data; the demo was not added.")
            return 0
        summary = demo.build_demo(db)
        demo_suggestions(db)
        print(f"Demo department written to {db.description}: {summary}")
        return 0


def cmd_recompute(args: argparse.Namespace) -> int:
    from parstudio.services.catalog import locations
    from parstudio.services.review import suggestions as review

    with opened(args) as db:
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


def cmd_count(args: argparse.Namespace) -> int:
    if args.from_file:
        from parstudio.cli.count_commands import cmd_count_file

        return cmd_count_file(args)
    from parstudio.cli.options import sign_in_password
    from parstudio.services.admin.users import authenticate
    from parstudio.services.counting.station_start import open_station

    password = sign_in_password(args) if args.user else None
    db, location_id = open_station(
        database_url(args),
        location_code=args.location,
        login=args.user,
        password=password,
        authenticate=authenticate,
    )
    try:
        from parstudio.cli.qt_libraries import require_display_libraries

        require_display_libraries()
        from parstudio.ui.counting.station import run_count_window
        from parstudio.ui.shell.sign_in import needs_sign_in, sign_in_if_needed

        if not db.opened_offline and needs_sign_in(db):
            # A scanning station signs in like the app does (or with --user).
            from parstudio.ui.shell.app import make_application

            make_application()
            if not sign_in_if_needed(db):
                return 1
        return run_count_window(db, location_id)
    finally:
        db.close()
