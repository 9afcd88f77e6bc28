"""scans, recalled lots, one count line per item

Every scan of a count is kept as received (undo restores quantity_before); an open count
is one whose finished_at is NULL.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 18:09:19.650028
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recalled_lot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("lot", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_recalled_lot_item_id_item")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recalled_lot")),
        sa.UniqueConstraint("item_id", "lot", name=op.f("uq_recalled_lot_item_id_lot")),
    )
    with op.batch_alter_table("recalled_lot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recalled_lot_item_id"), ["item_id"], unique=False)

    op.create_table(
        "scan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("raw", sa.String(length=400), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("lot", sa.String(length=60), nullable=True),
        sa.Column("expiry", sa.Date(), nullable=True),
        sa.Column("serial", sa.String(length=60), nullable=True),
        sa.Column("quantity_before", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("quantity_after", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=True),
        sa.Column("undone", sa.Boolean(), nullable=False),
        sa.Column("flag", sa.String(length=12), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["count_id"], ["count.id"], name=op.f("fk_scan_count_id_count"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_scan_item_id_item")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scan")),
    )
    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scan_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_scan_count_id"), ["count_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_scan_item_id"), ["item_id"], unique=False)

    # A scanned count keeps one line per item, updated scan by scan; counts recorded before
    # this revision already had one line per item (record_count takes a mapping by item).
    with op.batch_alter_table("count_line", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_count_line_count_id_item_id"), ["count_id", "item_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("count_line", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_count_line_count_id_item_id"), type_="unique")

    with op.batch_alter_table("scan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scan_item_id"))
        batch_op.drop_index(batch_op.f("ix_scan_count_id"))
        batch_op.drop_index(batch_op.f("ix_scan_code"))

    op.drop_table("scan")
    with op.batch_alter_table("recalled_lot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recalled_lot_item_id"))

    op.drop_table("recalled_lot")
