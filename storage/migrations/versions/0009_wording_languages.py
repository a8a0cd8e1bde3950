"""wording languages: a profile's local wording in more than one language

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 10:00:00

A team that adapts its wording in Danish and English (or a template that has both) keeps
both, so an English round shows the English local text, never the Danish.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("profile_competences") as table:
        table.add_column(sa.Column("translations", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("profile_competences") as table:
        table.drop_column("translations")
