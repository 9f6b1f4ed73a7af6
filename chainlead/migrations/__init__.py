"""Versioned schema changes (alembic revisions in ``versions/``).

``REVISIONS`` lists every revision in order; it is what the start-up check
compares a database against without importing alembic. A test keeps it in
step with the revision files. Revisions are never edited once released.
"""

REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
)
HEAD = REVISIONS[-1]
