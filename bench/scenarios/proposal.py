"""Proposing orders for every PAR setting of the generated department."""

from __future__ import annotations

from bench.context import Context
from bench.harness import Scenario


def scenarios(ctx: Context) -> list[Scenario]:
    from sqlalchemy import create_engine

    from parstudio.services.database import open_database
    from parstudio.services.proposals import proposal_query, propose_orders

    db = open_database(ctx.database_url)
    # The baseline is the bare join: the same SQL, run straight on the driver, every row fetched.
    engine = create_engine(ctx.database_url)
    sql = str(proposal_query(None).compile(engine, compile_kwargs={"literal_binds": True}))

    def bare_join() -> None:
        connection = engine.raw_connection()
        try:
            connection.cursor().execute(sql).fetchall()
        finally:
            connection.close()

    return [
        Scenario(
            name="propose orders for every setting",
            ours=lambda: propose_orders(db),
            baseline=bare_join,
            target="≤ 2× the bare SQL join",
            max_ratio=2.0,
        )
    ]
