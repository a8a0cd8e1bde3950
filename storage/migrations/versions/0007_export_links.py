"""export links: a leader's `eksport` gets its own expiring token

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 17:00:00

The chart's token is seen by every member (it is in the channel); the CSV, the workbook and
the profile are for leaders, behind a token only `eksport` hands out, valid for a day.
"""

from collections.abc import Sequence

import sqlalchemy as sa

import storage.types
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rounds") as table:
        table.add_column(sa.Column("export_token", sa.String(length=64), nullable=True))
        table.add_column(
            sa.Column("export_expires", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        table.create_unique_constraint("uq_rounds_export_token", ["export_token"])


def downgrade() -> None:
    with op.batch_alter_table("rounds") as table:
        table.drop_constraint("uq_rounds_export_token", type_="unique")
        table.drop_column("export_expires")
        table.drop_column("export_token")
