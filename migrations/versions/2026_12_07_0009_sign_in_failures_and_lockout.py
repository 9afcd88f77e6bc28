"""sign-in failures and lockout on the user account; restore markers

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 03:30:00.000000

Each account counts its wrong passwords in a row and, after several, is locked until a time
(a short wait first, then 15 minutes); a right password resets both, a manager unlocks it.
A restore writes a marker into the database it restored, so the workstations that had the
database open learn what happened at their next save instead of writing over it blind.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_sign_ins", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "restore_marker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=36), nullable=False),
        sa.Column("restored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("restored_by", sa.String(length=100), nullable=True),
        sa.Column("backup_name", sa.String(length=260), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restore_marker")),
        sa.UniqueConstraint("token", name=op.f("uq_restore_marker_token")),
    )


def downgrade() -> None:
    op.drop_table("restore_marker")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_sign_ins")
