"""flex PAR seasons, usage profiles, review decisions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 18:34:45.388401

Seasonal levels of a PAR setting (recurring month/day ranges), each setting's usage profile as
last computed for the review screen, and the decisions taken in the review.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "par_review_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("par_setting_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("old_value", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("new_value", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("old_min", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("new_min", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("formula", sa.String(length=20), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["par_setting_id"],
            ["par_setting.id"],
            name=op.f("fk_par_review_decision_par_setting_id_par_setting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_par_review_decision")),
    )
    with op.batch_alter_table("par_review_decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_par_review_decision_decided_at"), ["decided_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_par_review_decision_par_setting_id"), ["par_setting_id"], unique=False
        )

    op.create_table(
        "par_season",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("par_setting_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("start_month", sa.Integer(), nullable=False),
        sa.Column("start_day", sa.Integer(), nullable=False),
        sa.Column("end_month", sa.Integer(), nullable=False),
        sa.Column("end_day", sa.Integer(), nullable=False),
        sa.Column("factor", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("par_level", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("min_level", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("max_level", sa.Numeric(precision=14, scale=4), nullable=True),
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
            "end_month BETWEEN 1 AND 12", name=op.f("ck_par_season_end_month_valid")
        ),
        sa.CheckConstraint(
            "factor IS NULL OR factor > 0", name=op.f("ck_par_season_factor_positive")
        ),
        sa.CheckConstraint(
            "start_month BETWEEN 1 AND 12", name=op.f("ck_par_season_start_month_valid")
        ),
        sa.ForeignKeyConstraint(
            ["par_setting_id"],
            ["par_setting.id"],
            name=op.f("fk_par_season_par_setting_id_par_setting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_par_season")),
    )
    with op.batch_alter_table("par_season", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_par_season_par_setting_id"), ["par_setting_id"], unique=False
        )

    op.create_table(
        "usage_profile",
        sa.Column("par_setting_id", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("history_through", sa.Date(), nullable=False),
        sa.Column("history_weeks", sa.Integer(), nullable=False),
        sa.Column("weeks_used", sa.Integer(), nullable=False),
        sa.Column("average", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("peak", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("sd", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("adjusted_average", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("by_deliveries", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("by_coverage", sa.Numeric(precision=14, scale=4), nullable=False),
        sa.Column("seasons", sa.String(length=200), nullable=False),
        sa.Column("season_summary", sa.String(length=200), nullable=False),
        sa.Column("p_value", sa.Float(), nullable=True),
        sa.Column("stockouts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["par_setting_id"],
            ["par_setting.id"],
            name=op.f("fk_usage_profile_par_setting_id_par_setting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("par_setting_id", name=op.f("pk_usage_profile")),
    )


def downgrade() -> None:
    op.drop_table("usage_profile")
    with op.batch_alter_table("par_season", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_par_season_par_setting_id"))

    op.drop_table("par_season")
    with op.batch_alter_table("par_review_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_par_review_decision_par_setting_id"))
        batch_op.drop_index(batch_op.f("ix_par_review_decision_decided_at"))

    op.drop_table("par_review_decision")
