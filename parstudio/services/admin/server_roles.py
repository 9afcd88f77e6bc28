"""Roles the PostgreSQL server itself enforces: one group role per PAR Studio role, a login each.

PAR Studio checks every write against the signed-in role, but a workstation's server login
could otherwise write anything with a SQL client. With server roles set up, each person
connects with their own server login, a member of `parstudio_manager`, `parstudio_clerk` or
`parstudio_viewer`, and the server grants each group only what that role may do: a clerk's
login cannot change a PAR setting, nobody's can change or delete the audit trail (only the
tables' owner, the administrator, can), and an account's login may change only its own row
of the accounts table. See docs/users-and-roles.md ("Roles the server enforces").
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

from parstudio.domain.errors import ValidationError
from parstudio.domain.roles import CLERK_COLUMNS, CLERK_TABLES, Role

__all__ = [
    "GROUP_ROLES",
    "change_own_server_password",
    "grant_server_login",
    "may_manage_server_roles",
    "server_roles_set_up",
    "set_up_server_roles",
]

GROUP_ROLES = {
    Role.MANAGER: "parstudio_manager",
    Role.CLERK: "parstudio_clerk",
    Role.VIEWER: "parstudio_viewer",
}
_AUDIT = "audit_entry"
_SCHEMA_TABLE = "alembic_version"
# What anyone may change of their own account row: their password, and the wrong-password count.
_OWN_ACCOUNT = (
    "password_hash",
    "updated_at",
    "updated_by",
    "version",
    "failed_sign_ins",
    "locked_until",
)


def _is_postgres(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def may_manage_server_roles(connection: Connection) -> bool:
    """Whether the server login connected may create roles (a superuser, or CREATEROLE)."""
    if not _is_postgres(connection):
        return False
    return bool(
        connection.execute(
            text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        ).scalar()
    )


def server_roles_set_up(connection: Connection) -> bool:
    """Whether this server has PAR Studio's group roles."""
    if not _is_postgres(connection):
        return False
    return bool(
        connection.execute(
            text("SELECT count(*) FROM pg_roles WHERE rolname = ANY(:names)"),
            {"names": list(GROUP_ROLES.values())},
        ).scalar()
        == len(GROUP_ROLES)
    )


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(name)


def set_up_server_roles(connection: Connection) -> None:
    """Create the group roles if missing and grant each what its PAR Studio role may do.

    Run again after an upgrade (new tables): every grant is made afresh.
    """
    if not _is_postgres(connection):
        raise ValidationError("Server roles are for a shared PostgreSQL database.")
    if not may_manage_server_roles(connection):
        raise ValidationError(
            "The server login PAR Studio connects with may not create roles; ask the database "
            "administrator to run this (as the tables' owner, with CREATEROLE)."
        )
    for name in GROUP_ROLES.values():
        exists = connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name}
        ).scalar()
        if not exists:
            connection.execute(text(f"CREATE ROLE {_quote(connection, name)} NOLOGIN"))
    groups = ", ".join(_quote(connection, name) for name in GROUP_ROLES.values())
    manager = _quote(connection, GROUP_ROLES[Role.MANAGER])
    clerk = _quote(connection, GROUP_ROLES[Role.CLERK])
    viewer = _quote(connection, GROUP_ROLES[Role.VIEWER])
    tables = set(inspect(connection).get_table_names())
    run = connection.exec_driver_sql
    run(f"GRANT USAGE ON SCHEMA public TO {groups}")
    for table in sorted(tables):
        quoted = _quote(connection, table)
        run(f"REVOKE ALL ON {quoted} FROM {groups}")
        run(f"GRANT SELECT ON {quoted} TO {groups}")
        if table == _AUDIT:
            run(f"GRANT INSERT ON {quoted} TO {groups}")  # the trail is added to, never changed
        elif table != _SCHEMA_TABLE:
            run(f"GRANT INSERT, UPDATE, DELETE ON {quoted} TO {manager}")
        if table in CLERK_TABLES:
            run(f"GRANT INSERT, UPDATE, DELETE ON {quoted} TO {clerk}")
        elif table in CLERK_COLUMNS:
            columns = ", ".join(_quote(connection, c) for c in sorted(CLERK_COLUMNS[table]))
            run(f"GRANT UPDATE ({columns}) ON {quoted} TO {clerk}")
    run(f"REVOKE UPDATE, DELETE, TRUNCATE ON {_quote(connection, _AUDIT)} FROM PUBLIC")
    run(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {groups}")
    if "app_user" in tables:
        _own_account_only(connection, clerk, viewer)
    _finished_counts_closed(connection, tables, clerk)


# A clerk's login may change a count, its lines and scans only while the count is open.
_STILL_OPEN = {
    "count": "finished_at IS NULL",
    "count_line": "NOT EXISTS (SELECT 1 FROM count f WHERE f.id = count_id "
    "AND f.finished_at IS NOT NULL)",
    "scan": "NOT EXISTS (SELECT 1 FROM count f WHERE f.id = count_id "
    "AND f.finished_at IS NOT NULL)",
}


def _finished_counts_closed(connection: Connection, tables: set[str], clerk: str) -> None:
    """Row security: a clerk's login cannot change or delete what a finished count holds."""
    run = connection.exec_driver_sql
    manager = _quote(connection, GROUP_ROLES[Role.MANAGER])
    for table, still_open in _STILL_OPEN.items():
        if table not in tables:
            continue
        quoted = _quote(connection, table)
        run(f"ALTER TABLE {quoted} ENABLE ROW LEVEL SECURITY")
        policies = ("read", "manage", "clerk_add", "clerk_change", "clerk_remove")
        for policy in policies:
            run(f"DROP POLICY IF EXISTS parstudio_{policy} ON {quoted}")
        run(f"CREATE POLICY parstudio_read ON {quoted} FOR SELECT USING (true)")
        run(
            f"CREATE POLICY parstudio_manage ON {quoted} TO {manager} "
            "USING (true) WITH CHECK (true)"
        )
        run(
            f"CREATE POLICY parstudio_clerk_add ON {quoted} FOR INSERT TO {clerk} WITH CHECK (true)"
        )
        run(
            f"CREATE POLICY parstudio_clerk_change ON {quoted} FOR UPDATE TO {clerk} "
            f"USING ({still_open}) WITH CHECK (true)"
        )
        run(
            f"CREATE POLICY parstudio_clerk_remove ON {quoted} FOR DELETE TO {clerk} "
            f"USING ({still_open})"
        )


def _own_account_only(connection: Connection, clerk: str, viewer: str) -> None:
    """A clerk's or viewer's login may change only its own account row, and only its password."""
    run = connection.exec_driver_sql
    columns = ", ".join(_OWN_ACCOUNT)
    run(f"GRANT UPDATE ({columns}) ON app_user TO {clerk}, {viewer}")
    run("ALTER TABLE app_user ENABLE ROW LEVEL SECURITY")
    for policy in ("parstudio_read", "parstudio_manage", "parstudio_own"):
        run(f"DROP POLICY IF EXISTS {policy} ON app_user")
    run("CREATE POLICY parstudio_read ON app_user FOR SELECT USING (true)")
    manager = _quote(connection, GROUP_ROLES[Role.MANAGER])
    run(f"CREATE POLICY parstudio_manage ON app_user TO {manager} USING (true) WITH CHECK (true)")
    run(
        f"CREATE POLICY parstudio_own ON app_user FOR UPDATE TO {clerk}, {viewer} "
        "USING (login = current_user) WITH CHECK (login = current_user)"
    )


def grant_server_login(
    connection: Connection,
    *,
    login: str,
    role: Role,
    active: bool = True,
    password: str | None = None,
) -> bool:
    """Give the account its own server login, a member of its role's group only.

    Returns False (and changes nothing) where roles cannot be managed here, or where the login
    is a superuser or the one connected (never demote the administrator).
    """
    if not may_manage_server_roles(connection) or not server_roles_set_up(connection):
        return False
    found = connection.execute(
        text("SELECT rolsuper, rolname = current_user FROM pg_roles WHERE rolname = :name"),
        {"name": login},
    ).first()
    if found is not None and (found[0] or found[1]):
        return False
    verb = "CREATE" if found is None else "ALTER"
    statement = f"{verb} ROLE %I {'LOGIN' if active else 'NOLOGIN'}"
    if password is not None:
        statement += " PASSWORD %L"
    _run_formatted(connection, statement, login, password)
    quoted = _quote(connection, login)
    for other in GROUP_ROLES.values():
        connection.exec_driver_sql(f"REVOKE {_quote(connection, other)} FROM {quoted}")
    connection.exec_driver_sql(f"GRANT {_quote(connection, GROUP_ROLES[role])} TO {quoted}")
    return True


def change_own_server_password(connection: Connection, *, login: str, password: str) -> bool:
    """Connected through the account's own server login: give that login the new password too.

    Any login may change its own password on the server. Returns False (and changes nothing)
    where server roles are not set up, the connection is another login (the owner's: then
    `grant_server_login` sets it), or the login is a superuser (the administrator's own).
    """
    if not _is_postgres(connection) or not server_roles_set_up(connection):
        return False
    found = connection.execute(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user AND rolname = :name"),
        {"name": login},
    ).first()
    if found is None or found[0]:
        return False
    _run_formatted(connection, "ALTER ROLE CURRENT_USER PASSWORD %L", password)
    return True


def _run_formatted(connection: Connection, statement: str, *values: str | None) -> None:
    """Run ``statement`` with its %I and %L filled in and quoted by the server's format()."""
    names = [f"v{index}" for index in range(len(values))]
    casts = "".join(f", CAST(:{name} AS text)" for name in names)
    made = connection.execute(
        text(f"SELECT format(CAST(:statement AS text){casts})"),
        {"statement": statement, **dict(zip(names, values, strict=True))},
    ).scalar_one()
    connection.exec_driver_sql(made)
