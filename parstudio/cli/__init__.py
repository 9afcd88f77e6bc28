"""The ``parstudio`` command line: opens the app, or runs a command over the same services."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from parstudio.cli.options import database_url
from parstudio.cli.parser import build_parser
from parstudio.cli.qt_libraries import require_display_libraries
from parstudio.domain.errors import ParStudioError, PermissionDenied
from parstudio.services.core.urls import demo_database_url, describe_url, normalise_url

# The services (SQLAlchemy) are imported by the commands that use them: with no command the app
# shows its window before SQLAlchemy is imported.

Handler = Callable[[argparse.Namespace], int]


def _open_app(args: argparse.Namespace) -> int:
    require_display_libraries()  # before Qt is loaded: it would abort with a developer's message
    from parstudio.ui.shell.app import run_app

    if args.demo:
        # The window shows at once; the demo is built behind it, with a progress window.
        return run_app(demo_database_url(), demo=True)
    return run_app(normalise_url(args.database) if args.database else None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = getattr(args, "handler", _open_app)
    try:
        return handler(args)
    except ParStudioError as exc:
        uses_database = args.command and getattr(args, "uses_database", True)
        where = describe_url(database_url(args)) if uses_database else ""
        print(f"parstudio: {exc}", file=sys.stderr)
        if isinstance(exc, PermissionDenied) and not args.user:
            print("(this database has user accounts: sign in with --user LOGIN)", file=sys.stderr)
        if where and "database" not in str(exc).lower():
            print(f"(database: {where})", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
