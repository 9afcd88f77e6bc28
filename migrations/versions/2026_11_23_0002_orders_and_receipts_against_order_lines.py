"""orders and receipts against order lines

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 18:05:13.437616
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "purchase_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("source_location_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("expected_date", sa.Date(), nullable=True),
        sa.Column("approved_by", sa.String(length=100), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["location.id"],
            name=op.f("fk_purchase_order_source_location_id_location"),
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["supplier.id"], name=op.f("fk_purchase_order_supplier_id_supplier")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_order")),
        sa.UniqueConstraint("number", name=op.f("uq_purchase_order_number")),
    )
    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_purchase_order_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_purchase_order_supplier_id"), ["supplier_id"], unique=False
        )

    op.create_table(
        "order_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("par_setting_id", sa.Integer(), nullable=True),
        sa.Column("count_line_id", sa.Integer(), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("packs", sa.Integer(), nullable=False),
        sa.Column("proposed_packs", sa.Integer(), nullable=False),
        sa.Column("pack_size", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("pack_price", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("received_units", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("overridden_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["count_line_id"],
            ["count_line.id"],
            name=op.f("fk_order_line_count_line_id_count_line"),
        ),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_order_line_item_id_item")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_order_line_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["purchase_order.id"],
            name=op.f("fk_order_line_order_id_purchase_order"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["par_setting_id"],
            ["par_setting.id"],
            name=op.f("fk_order_line_par_setting_id_par_setting"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_line")),
    )
    with op.batch_alter_table("order_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_order_line_count_line_id"), ["count_line_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_order_line_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_order_line_order_id"), ["order_id"], unique=False)
        batch_op.create_index("ix_order_line_setting", ["par_setting_id"], unique=False)

    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("order_line_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_receipt_order_line_id"), ["order_line_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_receipt_order_line_id_order_line"),
            "order_line",
            ["order_line_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_receipt_order_line_id_order_line"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_receipt_order_line_id"))
        batch_op.drop_column("order_line_id")

    with op.batch_alter_table("order_line", schema=None) as batch_op:
        batch_op.drop_index("ix_order_line_setting")
        batch_op.drop_index(batch_op.f("ix_order_line_order_id"))
        batch_op.drop_index(batch_op.f("ix_order_line_item_id"))
        batch_op.drop_index(batch_op.f("ix_order_line_count_line_id"))

    op.drop_table("order_line")
    with op.batch_alter_table("purchase_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_order_supplier_id"))
        batch_op.drop_index(batch_op.f("ix_purchase_order_status"))

    op.drop_table("purchase_order")
