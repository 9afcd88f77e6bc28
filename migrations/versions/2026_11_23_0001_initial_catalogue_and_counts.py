"""initial catalogue and counts

Revision ID: 0001
Revises:
Create Date: 2026-11-23 18:00:48.007430
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "location",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("department", sa.String(length=120), nullable=True),
        sa.Column("cost_centre", sa.String(length=40), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("default_count_type", sa.String(length=20), nullable=False),
        sa.Column("deliveries_per_week", sa.Integer(), nullable=False),
        sa.Column("delivery_weekdays", sa.String(length=40), nullable=False),
        sa.Column("blind_count", sa.Boolean(), nullable=False),
        sa.Column("scan_adds_one", sa.Boolean(), nullable=False),
        sa.Column("delivery_address", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
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
            ["parent_id"], ["location.id"], name=op.f("fk_location_parent_id_location")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location")),
        sa.UniqueConstraint("code", name=op.f("uq_location_code")),
    )
    op.create_table(
        "supplier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("account_number", sa.String(length=60), nullable=True),
        sa.Column("contact_name", sa.String(length=120), nullable=True),
        sa.Column("phone", sa.String(length=60), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("lead_time_days", sa.Integer(), nullable=False),
        sa.Column("delivery_weekdays", sa.String(length=40), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
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
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supplier")),
        sa.UniqueConstraint("code", name=op.f("uq_supplier_code")),
    )
    op.create_table(
        "bin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_bin_location_id_location")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bin")),
        sa.UniqueConstraint("location_id", "code", name=op.f("uq_bin_location_id_code")),
    )
    with op.batch_alter_table("bin", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bin_location_id"), ["location_id"], unique=False)

    op.create_table(
        "count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("counted_by", sa.String(length=100), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_count_location_id_location")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count")),
    )
    with op.batch_alter_table("count", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_count_location_id"), ["location_id"], unique=False)

    op.create_table(
        "item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=12), nullable=False),
        sa.Column("pack_size", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=True),
        sa.Column("supplier_item_no", sa.String(length=60), nullable=True),
        sa.Column("pack_price", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("category", sa.String(length=80), nullable=True),
        sa.Column("expensed", sa.Boolean(), nullable=False),
        sa.Column("consignment", sa.Boolean(), nullable=False),
        sa.Column("shelf_life_days", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
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
        sa.CheckConstraint("pack_size > 0", name=op.f("ck_item_pack_size_positive")),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["supplier.id"], name=op.f("fk_item_supplier_id_supplier")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item")),
        sa.UniqueConstraint("code", name=op.f("uq_item_code")),
    )
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_item_supplier_id"), ["supplier_id"], unique=False)

    op.create_table(
        "barcode",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_barcode_item_id_item"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_barcode")),
        sa.UniqueConstraint("code", name=op.f("uq_barcode_code")),
    )
    with op.batch_alter_table("barcode", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_barcode_item_id"), ["item_id"], unique=False)

    op.create_table(
        "count_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("count_type", sa.String(length=20), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=True),
        sa.Column("lot", sa.String(length=60), nullable=True),
        sa.Column("expiry", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["count_id"],
            ["count.id"],
            name=op.f("fk_count_line_count_id_count"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_count_line_item_id_item")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_count_line_location_id_location")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_count_line")),
    )
    with op.batch_alter_table("count_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_count_line_count_id"), ["count_id"], unique=False)
        batch_op.create_index(
            "ix_count_line_item_location_time",
            ["item_id", "location_id", "recorded_at"],
            unique=False,
        )

    op.create_table(
        "par_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("bin_id", sa.Integer(), nullable=True),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("count_type", sa.String(length=20), nullable=True),
        sa.Column("par_level", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("min_level", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("max_level", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("moq", sa.Integer(), nullable=True),
        sa.Column("lot_multiple", sa.Integer(), nullable=True),
        sa.Column("rounding", sa.String(length=4), nullable=False),
        sa.Column("storage_capacity", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("weekly_usage", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("open_demand", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("open_supply", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("source_supplier_id", sa.Integer(), nullable=True),
        sa.Column("source_location_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
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
        sa.CheckConstraint(
            "lot_multiple IS NULL OR lot_multiple >= 1",
            name=op.f("ck_par_setting_lot_multiple_positive"),
        ),
        sa.CheckConstraint("moq IS NULL OR moq >= 1", name=op.f("ck_par_setting_moq_positive")),
        sa.ForeignKeyConstraint(["bin_id"], ["bin.id"], name=op.f("fk_par_setting_bin_id_bin")),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_par_setting_item_id_item")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_par_setting_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["source_location_id"],
            ["location.id"],
            name=op.f("fk_par_setting_source_location_id_location"),
        ),
        sa.ForeignKeyConstraint(
            ["source_supplier_id"],
            ["supplier.id"],
            name=op.f("fk_par_setting_source_supplier_id_supplier"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_par_setting")),
        sa.UniqueConstraint(
            "location_id", "item_id", name=op.f("uq_par_setting_location_id_item_id")
        ),
    )
    with op.batch_alter_table("par_setting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_par_setting_item_id"), ["item_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_par_setting_location_id"), ["location_id"], unique=False
        )

    op.create_table(
        "receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_by", sa.String(length=100), nullable=True),
        sa.Column("lot", sa.String(length=60), nullable=True),
        sa.Column("expiry", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_receipt_item_id_item")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_receipt_location_id_location")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt")),
    )
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.create_index(
            "ix_receipt_item_location_time", ["item_id", "location_id", "received_at"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.drop_index("ix_receipt_item_location_time")

    op.drop_table("receipt")
    with op.batch_alter_table("par_setting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_par_setting_location_id"))
        batch_op.drop_index(batch_op.f("ix_par_setting_item_id"))

    op.drop_table("par_setting")
    with op.batch_alter_table("count_line", schema=None) as batch_op:
        batch_op.drop_index("ix_count_line_item_location_time")
        batch_op.drop_index(batch_op.f("ix_count_line_count_id"))

    op.drop_table("count_line")
    with op.batch_alter_table("barcode", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_barcode_item_id"))

    op.drop_table("barcode")
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_supplier_id"))

    op.drop_table("item")
    with op.batch_alter_table("count", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_count_location_id"))

    op.drop_table("count")
    with op.batch_alter_table("bin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bin_location_id"))

    op.drop_table("bin")
    op.drop_table("supplier")
    op.drop_table("location")
