"""The permission table: who may write what."""

from __future__ import annotations

import pytest

from parstudio.domain.roles import Action, Role, refusal


@pytest.mark.parametrize(
    ("role", "table", "action", "columns", "status", "allowed"),
    [
        (Role.MANAGER, "par_setting", Action.UPDATE, ["par_level"], None, True),
        (Role.MANAGER, "app_user", Action.INSERT, [], None, True),
        (Role.CLERK, "scan", Action.INSERT, [], None, True),
        (Role.CLERK, "count_line", Action.UPDATE, ["quantity"], None, True),
        (Role.CLERK, "receipt", Action.INSERT, [], None, True),
        (Role.CLERK, "par_setting", Action.UPDATE, ["par_level"], None, False),
        (Role.CLERK, "item", Action.INSERT, [], None, False),
        (Role.CLERK, "supplier", Action.DELETE, [], None, False),
        (Role.CLERK, "location", Action.UPDATE, ["name"], None, False),
        (Role.CLERK, "app_user", Action.UPDATE, ["role"], None, False),
        (Role.CLERK, "purchase_order", Action.UPDATE, ["status", "sent_at"], "SENT", True),
        (Role.CLERK, "purchase_order", Action.UPDATE, ["status"], "CANCELLED", False),
        (Role.CLERK, "purchase_order", Action.UPDATE, ["notes"], None, False),
        (Role.CLERK, "purchase_order", Action.INSERT, [], None, False),
        (Role.CLERK, "order_line", Action.UPDATE, ["received_units"], None, True),
        (Role.CLERK, "order_line", Action.UPDATE, ["packs"], None, False),
        (Role.VIEWER, "scan", Action.INSERT, [], None, False),
        (None, "scan", Action.INSERT, [], None, False),
        (Role.VIEWER, "audit_entry", Action.INSERT, [], None, True),
    ],
)
def test_refusal_table(
    role: Role | None,
    table: str,
    action: Action,
    columns: list[str],
    status: str | None,
    allowed: bool,
) -> None:
    reason = refusal(role, table, action, columns=columns, new_status=status)
    assert (reason is None) is allowed
    if reason is not None:
        assert "nothing was saved" in reason.lower() or "viewer" in reason


def test_messages_name_the_records_in_users_words() -> None:
    message = refusal(Role.CLERK, "par_setting", Action.UPDATE, columns=["par_level"])
    assert message is not None and "PAR settings" in message and "manager" in message
    viewer = refusal(Role.VIEWER, "scan", Action.INSERT)
    assert viewer is not None and "viewer" in viewer and "scans" in viewer
