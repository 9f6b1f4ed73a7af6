"""``chainlead export`` and ``chainlead import``: TOML snapshots."""

from __future__ import annotations

import typer


def register(root: typer.Typer) -> None:
    """Add export and import to the root command."""
