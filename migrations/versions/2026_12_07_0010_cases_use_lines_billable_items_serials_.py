"""cases, use lines, billable items, serials, recalled serials, lot on order lines

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 05:49:30.884551

Where stock goes (issue 23): a case (visit, encounter or procedure number only) and the items
used on it, with lot, serial and the unit cost of the day; items marked billable with a charge
code and price, or serial-tracked; a serial on receipts; recall by serial; and the lot an order
line picks, for moving a lot about to expire to a location that will use it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "patient_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=60), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("procedure", sa.String(length=120), nullable=True),
        sa.Column("physician", sa.String(length=120), nullable=True),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=100), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
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
            ["location_id"], ["location.id"], name=op.f("fk_patient_case_location_id_location")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient_case")),
        sa.UniqueConstraint("identifier", name=op.f("uq_patient_case_identifier")),
    )
    with op.batch_alter_table("patient_case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_patient_case_location_id"), ["location_id"], unique=False
        )

    op.create_table(
        "recalled_serial",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_recalled_serial_item_id_item")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recalled_serial")),
        sa.UniqueConstraint("item_id", "serial", name=op.f("uq_recalled_serial_item_id_serial")),
    )
    with op.batch_alter_table("recalled_serial", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recalled_serial_item_id"), ["item_id"], unique=False)

    op.create_table(
        "use_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("lot", sa.String(length=60), nullable=True),
        sa.Column("serial", sa.String(length=60), nullable=True),
        sa.Column("expiry", sa.Date(), nullable=True),
        sa.Column("unit_cost", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("raw", sa.String(length=400), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_by", sa.String(length=100), nullable=True),
        sa.Column("client_id", sa.String(length=36), nullable=True),
        sa.Column("voided", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_by", sa.String(length=100), nullable=True),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_use_line_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["patient_case.id"], name=op.f("fk_use_line_case_id_patient_case")
        ),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], name=op.f("fk_use_line_item_id_item")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_use_line_location_id_location")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_use_line")),
        sa.UniqueConstraint("client_id", name=op.f("uq_use_line_client_id")),
    )
    with op.batch_alter_table("use_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_use_line_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_use_line_item_id"), ["item_id"], unique=False)
        batch_op.create_index("ix_use_line_item_serial", ["item_id", "serial"], unique=False)
        batch_op.create_index("ix_use_line_location_time", ["location_id", "used_at"], unique=False)

    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("billable", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("charge_code", sa.String(length=40), nullable=True))
        batch_op.add_column(
            sa.Column("charge_price", sa.Numeric(precision=14, scale=4), nullable=True)
        )
        batch_op.add_column(
            sa.Column("serial_tracked", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    with op.batch_alter_table("order_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lot", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("expiry", sa.Date(), nullable=True))

    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("serial", sa.String(length=60), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("receipt", schema=None) as batch_op:
        batch_op.drop_column("serial")

    with op.batch_alter_table("order_line", schema=None) as batch_op:
        batch_op.drop_column("expiry")
        batch_op.drop_column("lot")

    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_column("serial_tracked")
        batch_op.drop_column("charge_price")
        batch_op.drop_column("charge_code")
        batch_op.drop_column("billable")

    with op.batch_alter_table("use_line", schema=None) as batch_op:
        batch_op.drop_index("ix_use_line_location_time")
        batch_op.drop_index("ix_use_line_item_serial")
        batch_op.drop_index(batch_op.f("ix_use_line_item_id"))
        batch_op.drop_index(batch_op.f("ix_use_line_case_id"))

    op.drop_table("use_line")
    with op.batch_alter_table("recalled_serial", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recalled_serial_item_id"))

    op.drop_table("recalled_serial")
    with op.batch_alter_table("patient_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patient_case_location_id"))

    op.drop_table("patient_case")
