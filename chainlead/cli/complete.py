"""Shell completion of item keys and chain codes.

Completion runs on every <TAB>, so it stays off the database stack: plain
``sqlite3``, read-only, one indexed range query on the unique key (no
SQLAlchemy, no migrations check). A PostgreSQL ``--db``, a missing file or
any error completes nothing rather than printing a traceback into the shell.
"""

from __future__ import annotations

import typer  # already loaded by the CLI; typer reads these annotations

LIMIT = 50
_TOP = "\U0010ffff"  # sorts after every character: the prefix range is [p, p + _TOP)


def _database_file(ctx: typer.Context | None) -> str | None:
    """The SQLite file the command line points at (``--db``, env, config, default)."""
    from chainlead.settings import load_settings

    flag = ctx.find_root().params.get("db") if ctx is not None else None
    try:
        db = load_settings({"db": flag}).db
    except Exception:  # a broken config file: complete nothing, quietly
        return None
    if db.startswith("sqlite:///"):
        return db[len("sqlite:///") :]
    if "://" in db:
        return None
    return db


def _prefixed(file: str | None, sql: str, prefix: str) -> list[str]:
    if file is None:
        return []
    import sqlite3
    from pathlib import Path
    from urllib.parse import quote

    path = Path(file).expanduser()
    if not path.is_file():
        return []
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.absolute()))}?mode=ro", uri=True, timeout=1)
        try:
            rows = conn.execute(sql, (prefix, prefix + _TOP, LIMIT)).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []
    return [row[0] for row in rows]


def _as_typed(incomplete: str, values: list[str]) -> list[str]:
    """Keys are case-insensitive: keep the case the user started typing in."""
    return [incomplete + value[len(incomplete) :] for value in values]


def item_keys(file: str | None, incomplete: str) -> list[str]:
    """Up to ``LIMIT`` item keys starting with ``incomplete`` (any case), in key order."""
    sql = "SELECT key FROM item WHERE key >= ? AND key < ? ORDER BY key LIMIT ?"
    return _as_typed(incomplete, _prefixed(file, sql, incomplete.strip().upper()))


def chain_codes(file: str | None, incomplete: str) -> list[str]:
    """Up to ``LIMIT`` chain codes starting with ``incomplete`` (any case)."""
    sql = "SELECT code FROM chain WHERE code >= ? AND code < ? ORDER BY code LIMIT ?"
    return _as_typed(incomplete, _prefixed(file, sql, incomplete.strip().upper()))


def complete_item_key(ctx: typer.Context, incomplete: str) -> list[str]:
    """``autocompletion=`` for an item-key argument: ``IC-1<TAB>``."""
    return item_keys(_database_file(ctx), incomplete)


def complete_chain_code(ctx: typer.Context, incomplete: str) -> list[str]:
    """``autocompletion=`` for a chain-code argument or ``--chain`` option."""
    return chain_codes(_database_file(ctx), incomplete)
