"""How an audit entry words its record and its changes."""

from __future__ import annotations

from datetime import UTC, datetime

from parstudio.domain.audit import AuditRecord, FieldChange


def entry(table: str, record_id: int | None, name: str | None) -> AuditRecord:
    at = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    return AuditRecord(1, at, "anna", table, record_id, 2, "update", 1, (), record_name=name)


def test_a_record_is_named_as_people_call_it() -> None:
    assert entry("par_setting", 26, "GLS-003 at CT1").title == "PAR setting GLS-003 at CT1"
    assert entry("purchase_order", 3, "PO-2026-00012").title == "Order PO-2026-00012"
    assert entry("par_setting", 26, None).title == "PAR settings #26"  # deleted since
    assert entry("par_setting", None, None).title == "PAR settings"  # a bulk write


def test_a_time_in_a_change_is_shown_to_the_minute_in_local_time() -> None:
    sent = datetime(2026, 12, 7, 3, 50, 50, 65130, tzinfo=UTC)
    change = FieldChange("sent_at", None, sent.isoformat())
    local = sent.astimezone().strftime("%Y-%m-%d %H:%M")
    assert change.describe() == f"sent at (blank) → {local}"
    assert FieldChange("lot", "2026-T1", "x").old_to_new() == "2026-T1 → x"
