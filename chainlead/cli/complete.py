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


def target_figures(file: str | None, incomplete: str) -> list[str]:
    """Figure names the meetings and targets use, starting with ``incomplete`` (any case
    or width), each followed by ``=`` for its number: ``--figure out<TAB>``."""
    if file is None or "=" in incomplete:
        return []
    import unicodedata

    from chainlead.store.annual_targets import figure_names_in_file

    def fold(text: str) -> str:
        return unicodedata.normalize("NFKC", text).casefold()

    wanted = fold(incomplete.strip())
    names = figure_names_in_file(file, 10 * LIMIT)
    return [name + "=" for name in names if fold(name).startswith(wanted)][:LIMIT]


def complete_target_figure(ctx: typer.Context, incomplete: str) -> list[str]:
    """``autocompletion=`` for a target's ``--figure``: the figure names meetings record."""
    return target_figures(_database_file(ctx), incomplete)


def link_names(file: str | None, chain: str | None, incomplete: str) -> list[str]:
    """Up to ``LIMIT`` names of ``chain``'s map links starting with ``incomplete`` (any
    case or width); with no chain, links as ``CODE:NAME``."""
    if file is None:
        return []
    from chainlead.store.completion import link_names as stored

    return stored(file, chain, incomplete, LIMIT)


def complete_link_spec(ctx: typer.Context, incomplete: str) -> list[str]:
    """``autocompletion=`` for a link named with its chain: ``--link IC:晶<TAB>``."""
    return link_names(_database_file(ctx), None, incomplete)


def complete_link_name(ctx: typer.Context, incomplete: str) -> list[str]:
    """``autocompletion=`` for a link of the command's chain (its CODE, or the item
    KEY's chain): ``chain link edit IC 晶<TAB>``, ``bottleneck edit IC-3 --link 晶<TAB>``.

    The chain is the command's first argument. Completing an option's value, click
    leaves the arguments unparsed, so they are read from the words being completed.
    """
    first = ctx.params.get("code") or ctx.params.get("chain") or ctx.params.get("key")
    if not first:
        import os

        words = os.environ.get("COMP_WORDS", "").split()
        after = words[words.index(ctx.info_name) + 1 :] if ctx.info_name in words else []
        first = next((word for word in after if not word.startswith("-")), None)
    if not first:
        return []
    code, dash, number = str(first).rpartition("-")
    chain = code if dash and number.isdigit() else str(first)
    return link_names(_database_file(ctx), chain, incomplete)


def project_keys(file: str | None, incomplete: str) -> list[str]:
    """Up to ``LIMIT`` chain project keys starting with ``incomplete`` (any case)."""
    return _prefixed(file, "project", incomplete)


def complete_project_key(ctx: typer.Context, incomplete: str) -> list[str]:
    """``autocompletion=`` for a project key: ``project show IC-P<TAB>``, ``--project``."""
    return project_keys(_database_file(ctx), incomplete)


def complete_event_kind(ctx: typer.Context, incomplete: str) -> list[str]:
    """``autocompletion=`` for ``log --kind``: the kinds of event the history writes."""
    from chainlead.domain.activity import KINDS

    return [kind for kind in KINDS if kind.startswith(incomplete.strip().lower())][:LIMIT]


def complete_access_role(ctx: typer.Context, incomplete: str) -> list[str]:
    """``autocompletion=`` for ``user grant|revoke NAME ROLE``: what a login may do."""
    from chainlead.vocabulary import ACCESS_ROLES

    return [role for role in ACCESS_ROLES if role.startswith(incomplete.strip().lower())]


def change_ids(file: str | None, incomplete: str) -> list[tuple[str, str]]:
    """The numbers of the newest change sets that can be undone, with their commands as
    help, starting with ``incomplete``."""
    if file is None:
        return []
    from chainlead.store.completion import recent_changes

    return [
        (str(n), command)
        for n, command in recent_changes(file, LIMIT)
        if str(n).startswith(incomplete.strip().lstrip("#"))
    ]


def complete_change_id(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """``autocompletion=`` for ``undo CHANGE_ID``: the change numbers, with their commands."""
    return change_ids(_database_file(ctx), incomplete)


def district_codes(ctx: typer.Context, incomplete: str) -> list[str]:
    """``--district``: the codes of the districts the SQLite file holds (one: ``main``);
    a PostgreSQL city database completes nothing (``chainlead district list`` names
    its districts)."""
    file = _database_file(ctx)
    if file is None:
        return []
    from chainlead.store.completion import district_codes as codes

    return codes(file, incomplete, LIMIT)
