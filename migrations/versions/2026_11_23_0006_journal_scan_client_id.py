"""scan client ids, for scans kept in a workstation's journal while the server was away

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 19:58:00.000000

A scan replayed from a workstation's local journal carries the id the workstation gave it; the
unique constraint makes a second replay of the same scan (after a send cut off halfway) a no-op.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_id", sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_scan_client_id"), ["client_id"])


def downgrade() -> None:
    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_scan_client_id"), type_="unique")
        batch_op.drop_column("client_id")
