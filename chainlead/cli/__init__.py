"""The ``chainlead`` command: one typer app per noun, joined here.

``ChainleadGroup.main`` is the one place that turns errors into a line on
stderr and an exit code; nothing else prints a traceback.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from typing import Annotated, Any

import typer
from typer._click import exceptions as click_exceptions

from chainlead import __version__
from chainlead.cli.lazy import Lazy, LazyGroup, build_command, help_text, module_app, noun_group
from chainlead.cli.runtime import GLOBALS
from chainlead.errors import EXIT_INTERNAL, EXIT_USAGE, ChainleadError

# Where each sub-command lives, in the order ``chainlead --help`` lists them.
# A module is imported, and its commands built, only when one of them is used,
# so ``--version``, ``--help`` and shell completion stay fast however many
# commands there are. TOP_LEVEL modules have ``register(root)`` adding
# commands to the root (init, demo, export, import); NOUNS have an ``app``,
# whose help line is repeated here for ``chainlead --help`` (a test keeps
# the two the same).
TOP_LEVEL: tuple[str, ...] = ("chainlead.cli.database", "chainlead.cli.snapshot")
NOUNS: dict[str, str] = {
    "config": "chainlead.cli.config",
    "chain": "chainlead.cli.chain",
    "team": "chainlead.cli.team",
    "schedule": "chainlead.cli.schedule",
    "bottleneck": "chainlead.cli.bottleneck",
    "report": "chainlead.cli.report",
    "db": "chainlead.cli.database",
}
NOUN_HELP: dict[str, str] = {
    "config": "Where settings live and which are in force.",
    "chain": "The district's key industrial chains: add, list, show, edit, archive.",
    "team": "A chain's special working team: add, remove, list members.",
    "schedule": "Monthly scheduling meetings and other meeting entries.",
    "bottleneck": "Bottleneck items: enterprises' problems tracked until resolved.",
    "report": "Monthly and overdue reports for leaders.",
    "db": "The database itself: path, check, backup, upgrade.",
}


def fail(text: str, code: int) -> None:
    """Print one line on stderr and exit."""
    line = " ".join(str(text).split("\n")).strip()
    sys.stderr.write(f"chainlead: error: {line}\n")
    sys.stderr.flush()
    sys.exit(code)


class ChainleadGroup(LazyGroup):
    """The root command: nouns and top-level commands are built on first use."""

    _top_level: dict[str, Lazy] | None = None

    def lazy_names(self) -> list[str]:
        return list(self._top_level_entries()) + list(NOUNS)

    def lazy_entry(self, name: str) -> Lazy | None:
        if name in NOUNS:
            module = NOUNS[name]
            return Lazy(
                help=lambda: NOUN_HELP.get(name) or help_text(module_app(module).info.help),
                build=lambda: noun_group(module_app(module)),
            )
        return self._top_level_entries().get(name)

    def _top_level_entries(self) -> dict[str, Lazy]:
        """What the TOP_LEVEL modules' ``register(root)`` add to the root."""
        if self._top_level is None:
            holder = typer.Typer()
            for module in TOP_LEVEL:
                importlib.import_module(module).register(holder)
            found: dict[str, Lazy] = {}
            for info in holder.registered_commands:
                name = info.name or typer.main.get_command_name(info.callback.__name__)
                found[name] = Lazy(
                    help=lambda info=info: (
                        help_text(info.help) or help_text(inspect.getdoc(info.callback))
                    ),
                    build=lambda info=info: build_command(info, app),
                    hidden=bool(info.hidden),
                )
            for group in holder.registered_groups:
                found[group.name] = Lazy(
                    help=lambda group=group: help_text(group.typer_instance.info.help),
                    build=lambda group=group: noun_group(group.typer_instance),
                )
            self._top_level = found
        return self._top_level

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


def main() -> None:
    """Console entry point."""
    app()
