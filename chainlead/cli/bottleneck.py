"""``chainlead bottleneck``."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Bottleneck items: enterprises' problems tracked until resolved.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
