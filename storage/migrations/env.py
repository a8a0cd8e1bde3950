"""Alembic environment: always run on a connection handed in by `storage.migrate`."""

from alembic import context

from storage.models import Base

connection = context.config.attributes["connection"]


def _ours(_object: object, name: str | None, type_: str, *_: object) -> bool:
    """slack_sdk's installation tables are created by migration 0002, not by our models."""
    return not (type_ == "table" and name is not None and name.startswith("slack_"))


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=_ours,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
