"""The store: SQL statements and their row -> record mappers, one module per
table family, run through a ``chainlead.store.connection.Reader`` (a ``sqlite3``
connection on a SQLite file, a SQLAlchemy Core connection on PostgreSQL).

Nothing above it writes SQL for the tables it covers; the domain calls it and
keeps the rules. Light at import: no SQLAlchemy.
"""
