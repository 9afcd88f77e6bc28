"""The reason a lot is thrown away for, by default: expired when at or near its expiry."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from parstudio.domain.waste import EXPIRING_DAYS, WasteReason, default_reason

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("expiry", "reason"),
    [
        (TODAY - timedelta(days=4), WasteReason.EXPIRED),
        (TODAY, WasteReason.EXPIRED),
        (TODAY + timedelta(days=EXPIRING_DAYS), WasteReason.EXPIRED),
        (TODAY + timedelta(days=EXPIRING_DAYS + 1), WasteReason.DAMAGED),
        (None, WasteReason.DAMAGED),
    ],
)
def test_default_reason(expiry: date | None, reason: WasteReason) -> None:
    assert default_reason(expiry, TODAY) is reason
