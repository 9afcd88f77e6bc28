"""issue pack and database settings

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 03:30:00.000000

A storeroom's issue pack (par_setting.issue_pack, on the storeroom's own PAR setting of an item):
the quantity a transfer from that storeroom is picked in, in units of issue; blank means 1.
The database's own settings as keys and values (database_setting): the currency that money on
orders and order sheets is shown in, as an ISO code and a symbol.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("par_setting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("issue_pack", sa.Numeric(precision=14, scale=4), nullable=True)
        )
    op.create_table(
        "database_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_database_setting")),
        sa.UniqueConstraint("key", name=op.f("uq_database_setting_key")),
    )


def downgrade() -> None:
    op.drop_table("database_setting")
    with op.batch_alter_table("par_setting", schema=None) as batch_op:
        batch_op.drop_column("issue_pack")
