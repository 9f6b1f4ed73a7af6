"""``chainlead config``: where settings live and which are in force."""

from __future__ import annotations

import typer

from chainlead.cli import COMMANDS
from chainlead.cli.runtime import JsonFlag, settings

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
    from chainlead.render.formats import choose
    from chainlead.render.output import Column, render
    from chainlead.settings import SETTINGS, SettingValue

    current = settings()
    if current.holidays_file:
        from chainlead.workdays import read_holidays_file

        read_holidays_file(current.holidays_file)  # refused here, with the bad entry named
    rows = [
        SettingValue(
            key=s.key,
            value=getattr(current, s.key),
            source=current.sources[s.key],
            env=s.env,
            help=s.help,
        )
        for s in SETTINGS
    ]
    columns = (
        Column("key", "Setting"),
        Column("value", "Value"),
        Column("source", "From"),
        Column("env", "Environment"),
        Column("help", "Meaning"),
    )
    render(rows, choose(json=json), columns=columns, title="Settings in force")
