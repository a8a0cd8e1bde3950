"""campaign charts: the unit overview's chart behind a token of the campaign's own

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 10:00:00

The overview reaches owners privately with its chart, which Teams cards and the playground
show by URL like a round's chart (`/files/{token}/chart.png`); campaigns started before
this revision get a token here.
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaigns") as table:
        table.add_column(sa.Column("chart_token", sa.String(length=64), nullable=True))
        table.create_unique_constraint("uq_campaigns_chart_token", ["chart_token"])
    campaigns = sa.table("campaigns", sa.column("id"), sa.column("chart_token"))
    connection = op.get_bind()
    for (campaign_id,) in connection.execute(sa.select(campaigns.c.id)).all():
        connection.execute(
            campaigns.update()
            .where(campaigns.c.id == campaign_id)
            .values(chart_token=secrets.token_urlsafe(24))
        )


def downgrade() -> None:
    with op.batch_alter_table("campaigns") as table:
        table.drop_constraint("uq_campaigns_chart_token", type_="unique")
        table.drop_column("chart_token")
