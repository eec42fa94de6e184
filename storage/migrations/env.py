from __future__ import annotations

from alembic import context

import storage.tables  # noqa: F401  (registers every table on the metadata)
from storage.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit("run migrations with 'plein db upgrade' (it passes the configured database)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
