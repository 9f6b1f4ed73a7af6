"""``chainlead schedule``."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Monthly scheduling meetings and other meeting entries.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
