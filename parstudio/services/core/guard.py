"""The one gate every write passes: role checks and the audit trail, as session event hooks.

Installed on a `Database`'s session factory, so a service cannot forget it: ORM changes are
checked and recorded in ``before_flush``/``after_flush``; ORM-enabled and Core insert, update
and delete statements run through ``Session.execute`` are checked in ``do_orm_execute`` and
summarised, one audit entry per table and kind of write, when the transaction commits.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Connection, Table, event, insert, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker
from sqlalchemy.orm.state import InstanceState
from sqlalchemy.sql import operators
from sqlalchemy.sql.dml import Insert, Update, UpdateBase
from sqlalchemy.sql.elements import BinaryExpression, BindParameter

from parstudio.domain.errors import PermissionDenied
from parstudio.domain.roles import Action, Role, refusal
from parstudio.models.base import utcnow
from parstudio.models.users import AuditEntry

_PENDING = "parstudio.audit.pending"
_BULK = "parstudio.audit.bulk"
_WROTE = "parstudio.wrote"
_REFRESHED = "parstudio.role_read"
_REREAD_NOW = "parstudio.reread_role_now"
# Bookkeeping columns: checked like any other, but not worth showing as a change.
_QUIET = frozenset({"version", "created_at", "updated_at", "updated_by", "password_hash"})
# A user may change their own password whatever their role.
_OWN_PASSWORD = frozenset({"password_hash", "updated_at", "updated_by", "version"})
_AUDIT_TABLE: Table = AuditEntry.__table__  # type: ignore[assignment]


def plain(value: Any) -> Any:
    """A value as JSON can hold it: Decimals and dates as text."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def install(
    factory: sessionmaker[Session],
    who: Callable[[], tuple[str, Role | None]],
    check_schema: Callable[[Connection], None],
    reread_role: Callable[[Connection], None] | None = None,
) -> None:
    """Check and audit every write of sessions made by ``factory``; ``who`` names the user.

    ``check_schema`` runs before a transaction that wrote anything commits, so an older app
    never writes to a database a newer one upgraded meanwhile. ``reread_role`` runs once per
    write transaction, before its first check, so a role changed or an account deactivated
    by a manager holds from the next action of a session already open.
    """

    def reread(session: Session) -> None:
        if reread_role is not None and not session.info.get(_REFRESHED):
            session.info[_REFRESHED] = True
            reread_role(session.connection())

    # Every session of the factory can be asked to do it early (`reread_role_now`).
    factory.configure(info={**(factory.kw.get("info") or {}), _REREAD_NOW: reread})

    def check(table: str, action: Action, columns: Iterable[str] = (), status: Any = None) -> None:
        _user, role = who()
        reason = refusal(
            role,
            table,
            action,
            columns=frozenset(columns),
            new_status=str(status) if status is not None else None,
        )
        if reason is not None:
            raise PermissionDenied(reason)

    @event.listens_for(factory, "before_flush")
    def before_flush(session: Session, _context: UOWTransaction, _instances: Any) -> None:
        if session.new or session.dirty or session.deleted:
            reread(session)
        session.info[_WROTE] = True
        pending: list[tuple[Any, Action, dict[str, Any]]] = session.info.setdefault(_PENDING, [])
        for obj in session.new:
            check(obj.__table__.name, Action.INSERT)
            pending.append((obj, Action.INSERT, {}))
        for obj in session.dirty:
            state: InstanceState[Any] = _state(obj)
            changes = {}
            for attr in state.mapper.column_attrs:
                history = state.attrs[attr.key].history
                if history.added or history.deleted:
                    old = history.deleted[0] if history.deleted else None
                    new = history.added[0] if history.added else None
                    if old != new or not history.deleted:
                        changes[attr.key] = (old, new)
            if not changes:
                continue
            table = obj.__table__.name
            user, role = who()
            own = table == "app_user" and getattr(obj, "login", None) == user
            if not (own and role is not None and set(changes) <= _OWN_PASSWORD):
                check(table, Action.UPDATE, changes, changes.get("status", (None, None))[1])
            pending.append((obj, Action.UPDATE, changes))
        for obj in session.deleted:
            check(obj.__table__.name, Action.DELETE)
            snapshot = {key: (value, None) for key, value in _loaded(obj).items()}
            pending.append((obj, Action.DELETE, snapshot))

    @event.listens_for(factory, "after_flush")
    def after_flush(session: Session, _context: UOWTransaction) -> None:
        pending = session.info.pop(_PENDING, None)
        if not pending:
            return
        user, _role = who()
        now = utcnow()
        rows = []
        for obj, action, changes in pending:
            if action is Action.INSERT:
                changes = {key: (None, value) for key, value in _loaded(obj).items()}
            shown = {
                key: [plain(old), plain(new)]
                for key, (old, new) in changes.items()
                if key not in _QUIET and key != "id"
            }
            rows.append(
                {
                    "at": now,
                    "user_name": user,
                    "table_name": obj.__table__.name,
                    "record_id": _record_id(obj),
                    "record_version": getattr(obj, "version", None)
                    if action is not Action.DELETE
                    else None,
                    "action": action.value,
                    "rows": 1,
                    "changes": json.dumps(shown, ensure_ascii=False, sort_keys=True),
                }
            )
        # Straight on the connection: the audit insert must not pass through these hooks again.
        session.connection().execute(insert(_AUDIT_TABLE), rows)

    @event.listens_for(factory, "do_orm_execute")
    def do_orm_execute(state: ORMExecuteState) -> Any:
        statement = state.statement
        if not isinstance(statement, UpdateBase):
            return None
        table = getattr(statement.table, "name", None)
        if table is None or table == _AUDIT_TABLE.name:
            return None
        reread(state.session)
        action = Action.INSERT if state.is_insert else Action.UPDATE if state.is_update else None
        action = action or Action.DELETE
        # Which columns an insert sets never matters (inserting is allowed or not by table), and
        # reading the keys of every row of a 20,000-row insert would cost more than the check.
        columns, status = (
            (set(), None)
            if action is Action.INSERT
            else _statement_columns(statement, state.parameters)
        )
        check(table, action, columns, status)
        state.session.info[_WROTE] = True
        params = state.parameters
        if action is Action.UPDATE:
            # Records changed by id (one, or many in one executemany as an import does): each
            # gets its own entry with old → new, so its History and a conflict message show it.
            record_id = _single_row_id(statement)
            if record_id is not None and not isinstance(params, list):
                return _audited_update(state, [record_id], who()[0])
            id_key = _row_id_parameter(statement)
            if id_key is not None and isinstance(params, list) and params:
                return _audited_update(state, [row[id_key] for row in params], who()[0])
        result = state.invoke_statement()
        if action is Action.INSERT:
            count = len(params) if isinstance(params, list) else 1
        elif isinstance(params, list):
            count = len(params)
        else:
            count = max(result.rowcount, 0)  # type: ignore[attr-defined]
        bulk: Counter[tuple[str, str]] = state.session.info.setdefault(_BULK, Counter())
        bulk[(table, action.value)] += count
        return result

    @event.listens_for(factory, "before_commit")
    def before_commit(session: Session) -> None:
        if session.info.pop(_WROTE, False) or session.new or session.dirty or session.deleted:
            check_schema(session.connection())
        bulk: Counter[tuple[str, str]] | None = session.info.pop(_BULK, None)
        if not bulk:
            return
        user, _role = who()
        now = utcnow()
        rows = [
            {
                "at": now,
                "user_name": user,
                "table_name": table,
                "record_id": None,
                "record_version": None,
                "action": action,
                "rows": count,
                "changes": None,
            }
            for (table, action), count in sorted(bulk.items())
            if count  # a statement that touched no rows changed nothing worth recording
        ]
        if rows:
            session.connection().execute(insert(_AUDIT_TABLE), rows)

    @event.listens_for(factory, "after_rollback")
    def after_rollback(session: Session) -> None:
        session.info.pop(_REFRESHED, None)
        session.info.pop(_PENDING, None)
        session.info.pop(_BULK, None)
        session.info.pop(_WROTE, None)


def reread_role_now(session: Session) -> None:
    """Re-read the signed-in user's role now rather than at the transaction's first write.

    For a service that locks rows before it writes: the role is read (once per transaction,
    as always) before the locks are taken, so they are not held over that round trip.
    """
    reread: Callable[[Session], None] | None = session.info.get(_REREAD_NOW)
    if reread is not None:
        reread(session)


def _state(obj: Any) -> InstanceState[Any]:
    from sqlalchemy import inspect

    return inspect(obj)  # type: ignore[no-any-return]


def _record_id(obj: Any) -> int | None:
    """The record's id; after a flush a new record has it though it has no identity key yet."""
    state = _state(obj)
    key = state.mapper.primary_key[0].key
    value = state.dict.get(key) if key else None
    if value is None and state.identity:
        value = state.identity[0]
    return int(value) if value is not None else None


def _loaded(obj: Any) -> dict[str, Any]:
    """The column values already in memory (never loads anything)."""
    state = _state(obj)
    return {
        attr.key: state.dict[attr.key]
        for attr in state.mapper.column_attrs
        if attr.key in state.dict
    }


def _row_id_bind(statement: UpdateBase) -> BindParameter[Any] | None:
    """The parameter of an update limited to one row by its id (``WHERE id = :param``)."""
    where = getattr(statement, "whereclause", None)
    if (
        isinstance(where, BinaryExpression)
        and where.operator is operators.eq
        and isinstance(where.left, Column)
        and where.left.primary_key
        and isinstance(where.right, BindParameter)
    ):
        return where.right
    return None


def _single_row_id(statement: UpdateBase) -> Any:
    """The id of the one row an update is limited to (``WHERE id = :value``), if it is."""
    bind = _row_id_bind(statement)
    return None if bind is None else bind.value


def _row_id_parameter(statement: UpdateBase) -> str | None:
    """The parameter an executemany update takes each row's id from (``WHERE id = :name``)."""
    bind = _row_id_bind(statement)
    return None if bind is None or bind.value is not None else str(bind.key)


_ID_BATCH = 1000


def _rows_by_id(
    connection: Connection, table: Table, ids: list[Any], names: set[str]
) -> dict[Any, Any]:
    key = table.primary_key.columns.values()[0]
    # Only the columns the update sets (and the version): an import changes a few of many.
    columns = [key, *(c for c in table.columns if c.name in names and c is not key)]
    found: dict[Any, Any] = {}
    for start in range(0, len(ids), _ID_BATCH):
        chunk = ids[start : start + _ID_BATCH]
        for row in connection.execute(select(*columns).where(key.in_(chunk))).mappings():
            found[row[key.name]] = row
    return found


def _audited_update(state: ORMExecuteState, record_ids: list[Any], user: str) -> Any:
    """Run an update of rows by id, recording each row's changed columns old → new."""
    statement = state.statement
    assert isinstance(statement, UpdateBase)
    table: Table = statement.table  # type: ignore[assignment]
    connection = state.session.connection()
    names, _status = _statement_columns(statement, state.parameters)
    names |= {"version"}
    before = _rows_by_id(connection, table, record_ids, names)
    result = state.invoke_statement()
    after = _rows_by_id(connection, table, record_ids, names)
    at = utcnow()
    entries = []
    for record_id, new in after.items():
        old = before.get(record_id)
        if old is None:
            continue
        changes = {
            name: [plain(old[name]), plain(new[name])]
            for name in new
            if old[name] != new[name] and name not in _QUIET
        }
        entries.append(
            {
                "at": at,
                "user_name": user,
                "table_name": table.name,
                "record_id": int(record_id),
                "record_version": new.get("version"),
                "action": Action.UPDATE.value,
                "rows": 1,
                "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
            }
        )
    if entries:
        connection.execute(insert(_AUDIT_TABLE), entries)
    return result


def _statement_columns(statement: UpdateBase, parameters: Any) -> tuple[set[str], Any]:
    """The columns an insert or update sets, and the order status it sets if any."""
    columns: set[str] = set()
    status: Any = None
    if isinstance(statement, Insert | Update):
        for key, value in (statement._values or {}).items():
            name = getattr(key, "key", key)
            columns.add(str(name))
            if name == "status":
                status = getattr(value, "value", value)
    rows = parameters if isinstance(parameters, list) else [parameters] if parameters else []
    for row in rows:
        columns.update(str(key) for key in row)
        if "status" in row:
            status = row["status"]
    return columns, status
