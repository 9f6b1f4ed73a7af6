"""Where ``config.toml`` lives: apart from ``chainlead.settings`` so that the help can
look for a configured language without loading every setting."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "chainlead"


def config_path() -> Path:
    """Where ``config.toml`` lives (``CHAINLEAD_CONFIG`` overrides)."""
    explicit = os.environ.get("CHAINLEAD_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"
