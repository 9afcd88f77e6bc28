"""The proposal beside an exported worksheet, worked out a few locations at a time.

The worksheet's rows come in location order, so the proposal of each group of locations is
made when its first row is written and let go when the rows move past it: a department of
200,000 settings never holds its whole proposal (every line with its explanation) at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from parstudio.domain.orders import ProposalLine
from parstudio.models import Location, ParSetting
from parstudio.services.core.database import Database
from parstudio.services.ordering.proposals import propose_orders

# Settings per group: large enough that the per-call reads (open supply, orders, seasons) are
# few, small enough that a group's lines stay a small part of the memory.
GROUP_SETTINGS = 20_000


class ProposalByLocation:
    """Proposal lines of the exported locations, made group by group as the rows reach them."""

    def __init__(self, db: Database, location_ids: Sequence[int] | None) -> None:
        self._db = db
        self._groups = _groups(db, location_ids)
        self._group_of = {code: n for n, group in enumerate(self._groups) for code in group[1]}
        self._current = -1
        self._lines: dict[int, ProposalLine] = {}

    def get(self, setting_id: int, location_code: str) -> ProposalLine | None:
        """The proposal line of one setting of a location (None: the proposal has no line)."""
        group = self._group_of.get(location_code)
        if group is None:
            return None
        if group != self._current:
            self._lines = {}  # let the last group's lines go before making the next
            ids = self._groups[group][0]
            # Every line's explanation is written out: worded as the lines are made.
            proposal = propose_orders(self._db, location_ids=ids, explain=True)
            self._lines = {line.setting_id: line for line in proposal.lines}
            self._current = group
        return self._lines.get(setting_id)


def _groups(db: Database, location_ids: Sequence[int] | None) -> list[tuple[list[int], set[str]]]:
    """The exported locations in groups of about GROUP_SETTINGS settings, in code order."""
    query = (
        select(Location.id, Location.code, func.count(ParSetting.id))
        .outerjoin(ParSetting, ParSetting.location_id == Location.id)
        .where(Location.active.is_(True))
        .group_by(Location.id, Location.code)
        .order_by(Location.code)
    )
    if location_ids is not None:
        query = query.where(Location.id.in_(location_ids))
    groups: list[tuple[list[int], set[str]]] = []
    size = 0
    with db.reading() as session:
        for location_id, code, settings in session.execute(query):
            if not groups or (size + settings > GROUP_SETTINGS and groups[-1][0]):
                groups.append(([], set()))
                size = 0
            groups[-1][0].append(location_id)
            groups[-1][1].add(code)
            size += settings
    return groups
