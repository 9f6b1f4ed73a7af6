"""Shell completion of item and project keys, chain codes, people's, unit and enterprise names.

Read from the SQLite file by ``chainlead.store.completion``; a PostgreSQL
``--db``, a missing file or any error completes nothing rather than printing
a traceback into the shell.
"""

from __future__ import annotations

import typer  # already loaded by the CLI; typer reads these annotations

LIMIT = 50


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


def _prefixed(file: str | None, what: str, incomplete: str) -> list[str]:
    """Values starting with ``incomplete`` in any case, kept in the case typed."""
    if file is None:
        return []
    from chainlead.store.completion import prefixed

    return _as_typed(incomplete, prefixed(file, what, incomplete.strip().upper(), LIMIT))


def _as_typed(incomplete: str, values: list[str]) -> list[str]:
    """Keys are case-insensitive: keep the case the user started typing in."""
    return [incomplete + value[len(incomplete) :] for value in values]


def item_keys(file: str | None, incomplete: str) -> list[str]:
    """Up to ``LIMIT`` item keys starting with ``incomplete`` (any case), in key order."""
    return _prefixed(file, "item", incomplete)


def chain_codes(file: str | None, incomplete: str) -> list[str]:
    """Up to ``LIMIT`` chain codes starting with ``incomplete`` (any case)."""
    return _prefixed(file, "chain", incomplete)


def unit_names(file: str | None, incomplete: str) -> list[str]:
    """Up to ``LIMIT`` unit names and short names starting with ``incomplete`` (any case
    or width)."""
    if file is None:
        return []
    from chainlead.store.completion import short_names

    return short_names(file, "unit", incomplete, LIMIT)


def enterprise_names(file: str | None, incomplete: str) -> list[str]:
    """Up to ``LIMIT`` enterprise names and short names starting with ``incomplete``
    (any case or width)."""
    if file is None:
        return []
    from chainlead.store.completion import short_names

    return short_names(file, "enterprise", incomplete, LIMIT)


def complete_item_key(ctx: typer.Context, incomplete: str) -> list[str]:
    """``autocompletion=`` for an item-key argument: ``IC-1<TAB>``."""
    return item_keys(_database_file(ctx), incomplete)


def complete_unit(ctx: typer.Context, incomplete: str) -> list[str]:
    """``autocompletion=`` for a unit name: ``--unit 发<TAB>``, ``unit show``."""
    return unit_names(_database_file(ctx), incomplete)


def complete_enterprise(ctx: typer.Context, incomplete: str) -> list[str]:
    """``autocompletion=`` for an enterprise name: ``--enterprise 中<TAB>``."""
    return enterprise_names(_database_file(ctx), incomplete)


def complete_chain_code(ctx: typer.Context, incomplete: str) -> list[str]:
    """``autocompletion=`` for a chain-code argument or ``--chain`` option."""
    return chain_codes(_database_file(ctx), incomplete)


def person_names(file: str | None, incomplete: str) -> list[str]:
    """Up to ``LIMIT`` people's names starting with ``incomplete`` (as typed), by name."""
    if file is None:
        return []
    from chainlead.store.completion import prefixed

    return prefixed(file, "person", incomplete, LIMIT)


def complete_person_name(ctx: typer.Context, incomplete: str) -> list[str]:
    """``autocompletion=`` for a person's name: ``--owner``, ``--chair``, ``person show``."""
    return person_names(_database_file(ctx), incomplete)


def project_keys(file: str | None, incomplete: str) -> list[str]:
    """Up to ``LIMIT`` chain project keys starting with ``incomplete`` (any case)."""
    return _prefixed(file, "project", incomplete)


def complete_project_key(ctx: typer.Context, incomplete: str) -> list[str]:
    """``autocompletion=`` for a project key: ``project show IC-P<TAB>``, ``--project``."""
    return project_keys(_database_file(ctx), incomplete)
