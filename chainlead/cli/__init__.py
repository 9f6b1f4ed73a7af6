"""The ``chainlead`` command: one typer app per noun, joined here.

``ChainleadGroup.main`` is the one place that turns errors into a line on
stderr and an exit code; nothing else prints a traceback.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer._click import exceptions as click_exceptions
from typer.core import TyperGroup

from chainlead import __version__
from chainlead.cli import (
    bottleneck,
    chain,
    config,
    database,
    report,
    schedule,
    snapshot,
    team,
)
from chainlead.cli.runtime import GLOBALS
from chainlead.errors import EXIT_INTERNAL, EXIT_USAGE, ChainleadError


def fail(text: str, code: int) -> None:
    """Print one line on stderr and exit."""
    line = " ".join(str(text).split("\n")).strip()
    sys.stderr.write(f"chainlead: error: {line}\n")
    sys.stderr.flush()
    sys.exit(code)


class ChainleadGroup(TyperGroup):
    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            result = super().main(
                args=args,
                prog_name=prog_name or "chainlead",
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except click_exceptions.NoArgsIsHelpError as exc:
            sys.stdout.write(exc.ctx.get_help() + "\n" if exc.ctx else "")
            sys.exit(0)
        except click_exceptions.UsageError as exc:
            hint = f" (see `{exc.ctx.command_path} --help`)" if exc.ctx else ""
            fail(exc.format_message() + hint, EXIT_USAGE)
        except click_exceptions.ClickException as exc:
            fail(exc.format_message(), exc.exit_code)
        except typer.Abort:
            fail("aborted", 1)
        except ChainleadError as exc:
            fail(exc.message, exc.exit_code)
        except BrokenPipeError:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(1)
        except Exception as exc:
            if os.environ.get("CHAINLEAD_DEBUG"):
                raise
            fail(
                f"internal error ({type(exc).__name__}); run again with CHAINLEAD_DEBUG=1 "
                "for details",
                EXIT_INTERNAL,
            )
        sys.exit(result if isinstance(result, int) else 0)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"chainlead {__version__}\n")
        raise typer.Exit()


app = typer.Typer(
    cls=ChainleadGroup,
    name="chainlead",
    help="Track industrial chains, their monthly scheduling meetings and bottleneck items.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database file or postgresql+psycopg:// URL [env CHAINLEAD_DB; "
            "default: the user data directory].",
            show_default=False,
        ),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--as",
            help="Who is making the change, for the history [env CHAINLEAD_USER; "
            "default: the OS user].",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Track industrial chains, their monthly scheduling meetings and bottleneck items."""
    GLOBALS.db = db
    GLOBALS.user = actor


database.register(app)
snapshot.register(app)
app.add_typer(config.app, name="config")
app.add_typer(chain.app, name="chain")
app.add_typer(team.app, name="team")
app.add_typer(schedule.app, name="schedule")
app.add_typer(bottleneck.app, name="bottleneck")
app.add_typer(report.app, name="report")
app.add_typer(database.app, name="db")


def main() -> None:
    """Console entry point."""
    app()
