"""Options several command groups share that need the vocabulary: kept apart from
``cli.runtime``, which every start-up imports (``--version`` reads no vocabulary)."""

from __future__ import annotations

from typing import Annotated

import typer

from chainlead.vocabulary import Lang

LangOpt = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        help="Language of labels and headings: en or zh [env CHAINLEAD_LANG; default: en].",
        case_sensitive=False,
        show_default=False,
    ),
]
