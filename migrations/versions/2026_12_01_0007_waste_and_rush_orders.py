"""waste and rush orders

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 06:27:43.708719

Waste: stock taken off the shelf unused (expired, damaged, recalled), with the unit cost at the
time, for the quarterly review and for usage (discarded stock was not used). Rush: an order
placed outside the delivery schedule, as marked by the person who approved it. Scans get an
index by (count, item), which the expiry list reads for every latest line, in place of the one
by count alone.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "waste",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("reason", sa.String(length=12), nullable=False),
        sa.Column("lot", sa.String(length=60), nullable=True),
        sa.Column("expiry", sa.Date(), nullable=True),
        sa.Column("unit_cost", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=True),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_waste_quantity_positive")),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_waste_item_id_item")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_waste_location_id_location")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waste")),
    )
    with op.batch_alter_table("waste", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waste_item_id"), ["item_id"], unique=False)
        batch_op.create_index(
            "ix_waste_location_time", ["location_id", "recorded_at"], unique=False
        )

    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rush", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    op.create_index("ix_scan_count_item", "scan", ["count_id", "item_id"], unique=False)
    op.drop_index("ix_scan_count_id", table_name="scan")


def downgrade() -> None:
    op.create_index("ix_scan_count_id", "scan", ["count_id"], unique=False)
    op.drop_index("ix_scan_count_item", table_name="scan")

    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.drop_column("rush")

    with op.batch_alter_table("waste", schema=None) as batch_op:
        batch_op.drop_index("ix_waste_location_time")
        batch_op.drop_index(batch_op.f("ix_waste_item_id"))

    op.drop_table("waste")
