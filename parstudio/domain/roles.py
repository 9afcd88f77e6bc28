"""Roles and what each may write: the one table of permissions every write is checked against."""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum


class Role(StrEnum):
    """What a signed-in person may do."""

    MANAGER = "manager"
    CLERK = "clerk"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        """The role as shown on screen."""
        return self.value.capitalize()


class Action(StrEnum):
    """The kind of write being checked or audited."""

    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"


# Tables a clerk writes freely: counting, scanning, receiving.
# Use on a case is recorded by whoever scans it, as counting is.
CLERK_TABLES = frozenset(
    {"count", "count_line", "scan", "receipt", "waste", "patient_case", "use_line"}
)
# Columns of other tables a clerk may update: sending and receiving orders.
CLERK_COLUMNS: dict[str, frozenset[str]] = {
    "purchase_order": frozenset({"status", "sent_at", "updated_at", "updated_by", "version"}),
    "order_line": frozenset({"received_units"}),
}
# Order statuses a clerk may set: sent, partly or fully received (not approve, not cancel).
CLERK_ORDER_STATUSES = frozenset({"SENT", "PARTIAL", "RECEIVED"})
# Tables no role writes through the permission check: the audit log writes itself.
UNCHECKED_TABLES = frozenset({"audit_entry", "alembic_version"})

# Words for what a table holds, for messages and the audit log.
TABLE_LABELS: dict[str, str] = {
    "supplier": "suppliers",
    "item": "items",
    "barcode": "barcodes",
    "location": "locations",
    "bin": "bins",
    "par_setting": "PAR settings",
    "count": "counts",
    "count_line": "count lines",
    "scan": "scans",
    "recalled_lot": "recalled lots",
    "recalled_serial": "recalled serials",
    "patient_case": "cases",
    "use_line": "use on cases",
    "receipt": "receipts",
    "waste": "waste",
    "purchase_order": "orders",
    "order_line": "order lines",
    "app_user": "users",
    "usage_profile": "usage profiles",
    "par_season": "seasonal PAR levels",
    "par_review_decision": "review decisions",
    "audit_entry": "the audit log",
    "database_setting": "database settings",
}


def table_label(table: str) -> str:
    """What a table holds, in the supply office's words."""
    return TABLE_LABELS.get(table, table.replace("_", " "))


def refusal(
    role: Role | None,
    table: str,
    action: Action,
    *,
    columns: Collection[str] = (),
    new_status: str | None = None,
) -> str | None:
    """Why ``role`` may not make this write (a message for the user), or None if it may."""
    if table in UNCHECKED_TABLES or role is Role.MANAGER:
        return None
    what = table_label(table)
    if role is None:
        return f"Sign in to change {what}; nothing was saved."
    if role is Role.VIEWER:
        return f"You are signed in as a viewer, who can look but not change {what}."
    if table in CLERK_TABLES:
        return None
    allowed = CLERK_COLUMNS.get(table)
    if allowed is not None and action is Action.UPDATE and set(columns) <= allowed:
        if new_status is None or new_status in CLERK_ORDER_STATUSES:
            return None
        return f"Only a manager can mark an order {new_status.lower()}; nothing was saved."
    return (
        f"Only a manager can change {what}; a clerk counts, scans, receives and sends orders. "
        "Nothing was saved."
    )
