"""one open round per team; drop the unused dialog_states table

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 15:50:00

Two concurrent `start` commands could open two rounds for one team; a partial unique index
now makes that impossible. A database that already has such duplicates keeps each team's
newest open round open and closes the older ones (they were opened by mistake).
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    op.execute(
        "UPDATE rounds SET status = 'closed', closed_at = opened_at "
        "WHERE status = 'open' AND id NOT IN "
        "(SELECT MAX(id) FROM rounds WHERE status = 'open' GROUP BY team_id)"
    )
    op.create_index(
        "uq_rounds_one_open_per_team",
        "rounds",
        ["team_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )
    op.drop_table("dialog_states")


def downgrade() -> None:
    op.create_table(
        "dialog_states",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("flow", sa.String(length=32), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialog_states")),
        sa.UniqueConstraint(
            "platform", "user_id", "flow", name=op.f("uq_dialog_states_platform_user_id_flow")
        ),
    )
    op.drop_index("uq_rounds_one_open_per_team", table_name="rounds")
