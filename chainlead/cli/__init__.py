"""The ``chainlead`` command: one typer app per noun, joined here.

``ChainleadGroup.main`` is the one place that turns errors into a line on
stderr and an exit code; nothing else prints a traceback.
"""

from __future__ import annotations

import inspect
import os
import sys
from typing import Annotated, Any, NamedTuple

import typer
from typer.models import CommandInfo

from chainlead import __version__
from chainlead.cli.complete import district_codes
from chainlead.cli.help import N_, examples_epilog, lang_given
from chainlead.cli.lazy import Lazy, LazyGroup, build_command, help_text, load, noun_group
from chainlead.cli.runtime import GLOBALS, settings_lang, settings_zone
from chainlead.errors import EXIT_INTERNAL, ChainleadError
from chainlead.i18n import _


class Sub(NamedTuple):  # a NamedTuple: quicker to define at start-up than a dataclass
    """A sub-command of ``chainlead``: where it lives and its line in ``chainlead --help``.

    ``target`` is ``module:attribute``: a noun's typer app, whose help line is
    ``help`` (the app's own ``help=`` reads it from here), or a command
    function, whose help is its docstring.
    """

    target: str
    help: str = ""


# Every sub-command, in the order ``chainlead --help`` lists them (``SECTIONS``). A module is
# imported, and its commands built, only when one of them is used, so
# ``--version``, ``--help`` and shell completion stay fast however many
# commands there are.
COMMANDS: dict[str, Sub] = {
    "bottleneck": Sub(
        "chainlead.cli.bottleneck:app",
        "Bottleneck items: enterprises' problems tracked until resolved.",
    ),
    "supervise": Sub("chainlead.cli.supervise:supervise"),
    "search": Sub("chainlead.cli.search:search"),
    "undo": Sub("chainlead.cli.undo:undo"),
    "project": Sub(
        "chainlead.cli.project:app",
        "Chain projects (建链/强链/补链/延链): add, progress, milestone, list, show, edit.",
    ),
    "enterprise": Sub(
        "chainlead.cli.enterprise:app",
        "Enterprises whose demands come to the chains: add, list, show, edit, rename.",
    ),
    "schedule": Sub(
        "chainlead.cli.schedule:app", "Monthly scheduling meetings and other meeting entries."
    ),
    "report": Sub(
        "chainlead.cli.report:app", "Monthly, overdue and follow-up reports for leaders."
    ),
    "target": Sub(
        "chainlead.cli.target:app",
        "A chain's annual targets for its key figures: set, show, list, remove.",
    ),
    "log": Sub("chainlead.cli.log:log"),
    "intake": Sub("chainlead.cli.intake:intake"),
    "batch": Sub("chainlead.cli.batch:batch"),
    "export": Sub("chainlead.cli.snapshot:export"),
    "import": Sub("chainlead.cli.snapshot:import_"),
    "init": Sub("chainlead.cli.database:init"),
    "demo": Sub("chainlead.cli.database:demo"),
    "config": Sub("chainlead.cli.config:app", "Where settings live and which are in force."),
    "chain": Sub(
        "chainlead.cli.chain:app",
        "The district's key industrial chains: add, list, show, edit, archive.",
    ),
    "team": Sub(
        "chainlead.cli.team:app", "A chain's special working team: add, remove, list members."
    ),
    "person": Sub(
        "chainlead.cli.person:app",
        "People and their roles: add, list, show, edit, rename.",
    ),
    "unit": Sub(
        "chainlead.cli.unit:app",
        "Institutions items are handed to: add, list, show, edit, rename.",
    ),
    "user": Sub(
        "chainlead.cli.user:app",
        "Logins to a shared PostgreSQL database and their roles: add, grant, revoke, list.",
    ),
    "db": Sub(
        "chainlead.cli.database:app",
        "The database itself: path, check, backup, upgrade, seal, setup-roles.",
    ),
    "district": Sub(
        "chainlead.cli.district:app",
        "The districts of a PostgreSQL city database: add, list, rename.",
    ),
}

# The headings of ``chainlead --help``, the daily work first, and the commands under each.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (N_("Daily work"), ("bottleneck", "supervise", "search", "undo", "project", "enterprise")),
    (N_("Meetings"), ("schedule",)),
    (N_("Reports"), ("report", "target", "log")),
    (N_("Data exchange"), ("intake", "batch", "export", "import")),
    (
        N_("Setup"),
        ("init", "demo", "config", "chain", "team", "person", "unit", "user", "db", "district"),
    ),
)


def fail(text: str, code: int) -> None:
    """Print one line on stderr and exit."""
    line = " ".join(str(text).split("\n")).strip()
    sys.stderr.write(_("chainlead: error: {message}").format(message=line) + "\n")
    sys.stderr.flush()
    sys.exit(code)


def click_error(exc: Exception) -> tuple[str, int] | None:
    """The line and exit code for one of click's exceptions (a usage error...), else None.

    typer keeps click's exception classes in a private package, so they are
    known here by what click documents them to carry, not by class: a
    ``format_message()`` and an ``exit_code``, and on a usage error the
    ``ctx`` of the command used wrongly. That holds for typer's copy of click
    and for click itself, wherever a typer release puts them.
    ``chainlead.cli.refusals`` words the line as every other refusal is.
    """
    message = getattr(exc, "format_message", None)
    code = getattr(exc, "exit_code", None)
    if not callable(message) or not isinstance(code, int):
        return None
    from chainlead.cli.refusals import usage_line

    return usage_line(exc) or message(), code


def refusal(exc: Exception) -> tuple[str, int] | None:
    """The line and exit code ``exc`` is refused with: a refusal of chainlead's, an
    answer of no, a usage error; None for an error nobody expected (``internal``)."""
    if isinstance(exc, typer.Abort):
        return _("aborted"), 1
    if isinstance(exc, ChainleadError):
        return exc.message, exc.exit_code
    return click_error(exc)


def internal(exc: Exception) -> tuple[str, int]:
    """The line an unexpected error is reported with, and its exit code."""
    line = _("internal error ({name}); run again with CHAINLEAD_DEBUG=1 for details")
    return line.format(name=type(exc).__name__), EXIT_INTERNAL


class ChainleadGroup(LazyGroup):
    """The root command: the sub-commands of ``COMMANDS``, each built on first use."""

    _entries: dict[str, Lazy] | None = None

    def lazy_entries(self) -> dict[str, Lazy]:
        if self._entries is None:
            self._entries = {name: self.entry(name, sub) for name, sub in COMMANDS.items()}
        return self._entries

    @staticmethod
    def entry(name: str, sub: Sub) -> Lazy:
        def build() -> Any:
            found = load(sub.target)
            if isinstance(found, typer.Typer):
                return noun_group(found, name)
            return build_command(CommandInfo(name=name, callback=found), app)

        return Lazy(
            help=lambda: sub.help or help_text(inspect.getdoc(load(sub.target))),
            build=build,
        )

    def command_sections(self, ctx: typer.Context) -> list[tuple[str, list[str]]]:
        return [(title, list(names)) for title, names in SECTIONS]

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        """As the lazy group's, with ``--lang`` read first: ``chainlead --help --lang zh``
        prints its help in Chinese, whichever option comes first."""
        if GLOBALS.batch is None:  # a batch's lines keep the batch's language
            GLOBALS.lang = lang_given(args)
        return super().parse_args(ctx, args)

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        GLOBALS.argv = tuple(sys.argv[1:] if args is None else args)
        try:
            result = super().main(
                args=args,
                prog_name=prog_name or "chainlead",
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except BrokenPipeError:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(1)
        except Exception as exc:
            found = refusal(exc)
            if found is None and os.environ.get("CHAINLEAD_DEBUG"):
                raise
            fail(*(found or internal(exc)))
        sys.exit(result if isinstance(result, int) else 0)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"chainlead {__version__}\n")
        raise typer.Exit()


app = typer.Typer(
    cls=ChainleadGroup,
    name="chainlead",
    help="Track industrial chains, their monthly scheduling meetings and bottleneck items.",
    epilog=examples_epilog(""),
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
            "default: the OS user]. On a shared PostgreSQL database: your login's "
            "person; another name only for the chain office (admin).",
            show_default=False,
        ),
    ] = None,
    district: Annotated[
        str | None,
        typer.Option(
            "--district",
            help="The district of a PostgreSQL city database to work in, by its code "
            "[env CHAINLEAD_DISTRICT_CODE; default: the database's own].",
            show_default=False,
            autocompletion=district_codes,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="Language of everything printed: en or zh [env CHAINLEAD_LANG; default: en].",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Track industrial chains, their monthly scheduling meetings and bottleneck items."""
    if GLOBALS.batch is not None:  # a line of a batch: the batch's database, actor, language
        from chainlead.cli.batch import refuse_globals

        refuse_globals(db=db, actor=actor, lang=lang, district=district)
        return
    GLOBALS.db = db
    GLOBALS.user = actor
    GLOBALS.lang = lang
    GLOBALS.district = district
    from chainlead import clock
    from chainlead.i18n import set_resolver

    set_resolver(settings_lang)
    clock.set_resolver(settings_zone)


def main() -> None:
    """Console entry point."""
    app()
