"""double taps: when a member's last click moved them, and with which score

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 16:20:00

A second tap within a second lands on the prompt the first one brought up; these two columns
let any replica recognise it (DESIGN.md, "Double taps").
"""

from collections.abc import Sequence

import sqlalchemy as sa

import storage.types
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("participants") as table:
        table.add_column(
            sa.Column("moved_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        table.add_column(sa.Column("moved_score", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("participants") as table:
        table.drop_column("moved_score")
        table.drop_column("moved_at")
