"""Keys for shell completion, read straight from a SQLite file.

Completion runs on every <TAB>, so it stays off the database stack: plain
``sqlite3``, read-only, one indexed range query on a unique column (no
migrations check). A missing file or any error gives nothing rather than a
traceback in the shell.
"""

from __future__ import annotations

from typing import Any

# What can be completed: the unique column that holds it. Keys are stored in
# upper case, so a prefix is matched in upper case; names as they are.
COLUMNS = {
    "item": ("item", '"key"'),
    "chain": ("chain", "code"),
    "person": ("person", "name"),
    "project": ("project", '"key"'),
}
_TOP = "\U0010ffff"  # sorts after every character: the prefix range is [p, p + _TOP)


def _read(file: str, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` in the SQLite file ``file``, opened read-only; none when the
    file is missing or cannot be read (completion then offers nothing)."""
    import sqlite3
    from pathlib import Path
    from urllib.parse import quote

    path = Path(file).expanduser()
    if not path.is_file():
        return []
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.absolute()))}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def prefixed(file: str, what: str, prefix: str, limit: int) -> list[str]:
    """Up to ``limit`` values of ``what`` starting with ``prefix``, in order."""
    table, column = COLUMNS[what]
    sql = f"SELECT {column} FROM {table} WHERE {column} >= ? AND {column} < ? ORDER BY 1 LIMIT ?"
    return [row[0] for row in _read(file, sql, (prefix, prefix + _TOP, limit))]


def district_codes(file: str, incomplete: str, limit: int) -> list[str]:
    """The district codes starting with ``incomplete`` (lower case): a SQLite file holds
    one district, ``main``."""
    prefix = incomplete.strip().lower()
    sql = "SELECT code FROM district WHERE code >= ? AND code < ? ORDER BY 1 LIMIT ?"
    return [row[0] for row in _read(file, sql, (prefix, prefix + _TOP, limit))]


def short_names(file: str, table: str, incomplete: str, limit: int) -> list[str]:
    """Names and short names of a ``unit`` or ``enterprise`` table starting with
    ``incomplete`` once both are folded (NFKC and case: ``ｆａ`` finds ``FA...``), in
    order; a small table, read whole."""
    if table not in ("unit", "enterprise"):
        raise ValueError(table)
    import unicodedata

    rows = _read(file, f"SELECT name, short FROM {table}")

    def fold(text: str) -> str:
        return unicodedata.normalize("NFKC", text).casefold()

    wanted = fold(incomplete.strip())
    found = {value for row in rows for value in row if value and fold(value).startswith(wanted)}
    return sorted(found)[:limit]


def link_names(file: str, chain: str | None, incomplete: str, limit: int) -> list[str]:
    """The names of a chain's map links starting with ``incomplete`` once folded, in map
    order; with no ``chain``, every link as ``CODE:NAME`` (``IC:晶圆制造``)."""
    import unicodedata

    rows = _read(
        file,
        "SELECT c.code, l.name FROM chain_link l JOIN chain c ON c.id = l.chain_id "
        "ORDER BY c.code, l.position",
    )

    def fold(text: str) -> str:
        return unicodedata.normalize("NFKC", text).casefold()

    wanted = fold(incomplete.strip())
    if chain is None:
        values = [f"{code}:{name}" for code, name in rows]
    else:
        values = [name for code, name in rows if code == chain.strip().upper()]
    return [value for value in values if fold(value).startswith(wanted)][:limit]


def recent_changes(file: str, limit: int) -> list[tuple[int, str]]:
    """The newest change sets that stand (not undone, not an undo): (number, command)."""
    rows = _read(
        file,
        "SELECT id, command FROM change_set WHERE undone_by_id IS NULL "
        "AND kind IN ('command', 'batch') ORDER BY id DESC LIMIT ?",
        (limit,),
    )
    return [(int(n), str(command)) for n, command in rows]
