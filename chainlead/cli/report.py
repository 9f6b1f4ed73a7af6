"""``chainlead report``."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Monthly and overdue reports for leaders.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
