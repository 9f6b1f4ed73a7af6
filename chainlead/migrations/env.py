"""Alembic environment: migrations run on the connection chainlead hands over.

In a district of a city database (``--district``) the version table is the
district's own (``version_table_schema``): its schema comes first on the
connection's ``search_path``, so every table a migration makes is made there too.
"""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=None,
    render_as_batch=True,
    version_table_schema=context.config.attributes.get("district"),
)
with context.begin_transaction():
    context.run_migrations()
