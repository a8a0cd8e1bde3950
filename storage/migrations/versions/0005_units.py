"""organisation units: units, owners, member teams, campaigns and their rounds

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 09:00:00

A unit's teams share one target profile; a campaign opens one round in each at once
(DESIGN.md, "Organisation units"). `unit_teams.team_id` is unique: a team is in at most one
unit.
"""

from collections.abc import Sequence

import sqlalchemy as sa

import storage.types
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _when(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def _fk(column: str, table: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("id", ID, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("profile", sa.JSON(), nullable=False),
        _when("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
        sa.UniqueConstraint("key", name=op.f("uq_units_key")),
    )
    op.create_table(
        "unit_owners",
        sa.Column("id", ID, nullable=False),
        sa.Column("unit_id", ID, nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        _fk("unit_id", "unit_owners", "units"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_owners")),
        sa.UniqueConstraint(
            "unit_id", "platform", "user_id", name=op.f("uq_unit_owners_unit_id_platform_user_id")
        ),
    )
    op.create_table(
        "unit_teams",
        sa.Column("id", ID, nullable=False),
        sa.Column("unit_id", ID, nullable=False),
        sa.Column("team_id", ID, nullable=False),
        _fk("unit_id", "unit_teams", "units"),
        _fk("team_id", "unit_teams", "teams"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_teams")),
        sa.UniqueConstraint("team_id", name=op.f("uq_unit_teams_team_id")),
    )
    op.create_table(
        "campaigns",
        sa.Column("id", ID, nullable=False),
        sa.Column("unit_id", ID, nullable=False),
        sa.Column("opened_by", sa.String(length=255), nullable=True),
        _when("opened_at"),
        _when("deadline"),
        _when("closed_at", nullable=True),
        sa.Column("min_respondents", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        _fk("unit_id", "campaigns", "units"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
    )
    op.create_index("ix_campaigns_unit", "campaigns", ["unit_id", "opened_at"])
    op.create_table(
        "campaign_rounds",
        sa.Column("round_id", ID, nullable=False),
        sa.Column("campaign_id", ID, nullable=False),
        _fk("round_id", "campaign_rounds", "rounds"),
        _fk("campaign_id", "campaign_rounds", "campaigns"),
        sa.PrimaryKeyConstraint("round_id", name=op.f("pk_campaign_rounds")),
    )
    op.create_index(
        op.f("ix_campaign_rounds_campaign_id"), "campaign_rounds", ["campaign_id"]
    )


def downgrade() -> None:
    op.drop_table("campaign_rounds")
    op.drop_table("campaigns")
    op.drop_table("unit_teams")
    op.drop_table("unit_owners")
    op.drop_table("units")
