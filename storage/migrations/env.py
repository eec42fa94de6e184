from __future__ import annotations

from alembic import context

from storage.schema import metadata

# The migrations are written by hand and `upgrade` never compares them with the metadata, so this
# does not import storage.tables: a Plein built from a shorter feature list keeps only its own
# tables on the metadata. Whatever compares (the drift test) imports storage.tables first.

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
