"""``chainlead config``: where settings live and which are in force."""

from __future__ import annotations

import typer

from chainlead.cli import COMMANDS
from chainlead.cli.runtime import JsonFlag, settings
from chainlead.i18n import _

app = typer.Typer(
    help=COMMANDS["config"].help,
    no_args_is_help=True,
    rich_markup_mode=None,
)


@app.command("path")
def path() -> None:
    """Print the path of config.toml (it need not exist yet).

    \b
    Example:
      chainlead config path
    """
    from chainlead.settings import config_path

    typer.echo(str(config_path()))


@app.command("show")
def show(json: JsonFlag = False) -> None:
    """Show every setting in force and where its value came from.

    \b
    Example:
      CHAINLEAD_LANG=zh chainlead config show
    """
    from chainlead.render.formats import Format, choose
    from chainlead.render.output import Column, render
    from chainlead.settings import SETTINGS, SettingValue

    current = settings()
    if current.holidays_file:
        from chainlead.workdays import read_holidays_file

        read_holidays_file(current.holidays_file)  # refused here, with the bad entry named
    fmt = choose(json=json)
    people = fmt is Format.table  # JSON keeps the English, as scripts read it
    rows = [
        SettingValue(
            key=s.key,
            value=getattr(current, s.key),
            source=_source(current.sources[s.key]) if people else current.sources[s.key],
            env=s.env,
            help=_(s.help) if people else s.help,
        )
        for s in SETTINGS
    ]
    columns = (
        Column("key", _("Setting")),
        Column("value", _("Value")),
        Column("source", _("From")),
        Column("env", _("Environment")),
        Column("help", _("Meaning")),
    )
    render(rows, fmt, columns=columns, title=_("Settings in force"))


def _source(source: str) -> str:
    """Where a setting's value came from, in words: flag, default, env X, config PATH."""
    if source == "flag":
        return _("flag")
    if source == "default":
        return _("default")
    how, _space, where = source.partition(" ")
    if how == "env":
        return _("env {name}").format(name=where)
    if how == "config":
        return _("config {path}").format(path=where)
    return source
