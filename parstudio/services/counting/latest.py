"""The latest finished count of a PAR setting: one lookup for proposals, exports and expiry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from parstudio.domain.enums import CountType
from parstudio.models import Count, CountLine, ParSetting


def latest_count_line_id(*, on_hand_only: bool = False, before: datetime | None = None) -> Any:
    """The id of each PAR setting's latest line among finished counts (an open count is not in);
    with ``on_hand_only`` of on-hand counts only, with ``before`` recorded before then.

    A scalar subquery correlated to ParSetting: a lookup per setting walks the (item, location,
    time) index backwards, which is far quicker on years of history than ranking every count
    line with a window function.
    """
    query = (
        select(CountLine.id)
        .join(Count, Count.id == CountLine.count_id)
        .where(
            CountLine.item_id == ParSetting.item_id,
            CountLine.location_id == ParSetting.location_id,
            Count.finished_at.is_not(None),
        )
    )
    if on_hand_only:
        query = query.where(CountLine.count_type == CountType.ON_HAND)
    if before is not None:
        query = query.where(CountLine.recorded_at < before)
    return (
        query.order_by(CountLine.recorded_at.desc(), CountLine.id.desc())
        .limit(1)
        .correlate(ParSetting)
        .scalar_subquery()
    )
