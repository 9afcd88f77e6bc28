"""Proposing orders for every PAR setting of the generated department."""

from __future__ import annotations

from bench.context import Context
from bench.harness import Scenario


def scenarios(ctx: Context) -> list[Scenario]:
    from parstudio.services.core.database import open_database
    from parstudio.services.ordering.proposals import proposal_query, propose_orders

    db = open_database(ctx.database_url)
    query = proposal_query(None)

    def bare_join() -> None:
        # The same SELECT run by SQLAlchemy Core, every row fetched with its values as Decimal
        # and datetime, as anything that reads these rows needs them.
        with db.engine.connect() as connection:
            connection.execute(query).all()

    return [
        Scenario(
            name="propose orders for every setting",
            ours=lambda: propose_orders(db),
            baseline=bare_join,
            target="≤ 1.5× the bare SQL join",
            max_ratio=1.5,
        )
    ]
