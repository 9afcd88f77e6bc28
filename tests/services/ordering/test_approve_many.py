"""Approving a big proposal: a few queries for all its lines, every line ordered once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event, func, select

from parstudio.demo.generate import generate_department
from parstudio.models import OrderLine
from parstudio.services.core.database import Database
from parstudio.services.ordering import orders, proposals

TODAY = date(2026, 11, 25)


def test_a_department_is_approved_in_a_few_queries_not_a_few_a_line(db: Database) -> None:
    generate_department(db, seed=3, today=TODAY, items=100, locations=4, settings=200, weeks=4)
    proposal = proposals.propose_orders(db, on=TODAY)
    lines = proposal.as_proposed()
    assert len(lines) >= 40
    sent: list[str] = []

    def keep(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        created = orders.approve_lines(db, lines=lines, order_date=TODAY)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    # Settings and items are read a few hundred at a time (they were read one by one: two
    # queries a line); what is left grows with the orders, not the lines.
    reads = [s for s in sent if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) < 10 + 6 * len(created)
    assert sum(order.line_count for order in created) == len(lines)
    wanted = {line.setting_id: line.explanation for line in lines}
    with db.reading() as session:
        query = select(OrderLine.par_setting_id, OrderLine.explanation)
        written = {setting_id: text for setting_id, text in session.execute(query)}
        assert session.scalar(select(func.count()).select_from(OrderLine)) == len(lines)
    assert written == wanted
