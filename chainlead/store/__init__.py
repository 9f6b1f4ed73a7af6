"""The store: SQL statements and their row -> record mappers, one module per
table family, run through a ``chainlead.reader.Reader`` (a ``sqlite3``
connection on a SQLite file, an ORM session's transaction otherwise).

Nothing above it writes SQL for the tables it covers; the domain calls it and
keeps the rules. Light at import: no SQLAlchemy.
"""
