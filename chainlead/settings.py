"""Settings in force: flags, then ``CHAINLEAD_*`` environment variables, then
``config.toml`` in the user config directory, then defaults.

Light on purpose: imported on every start, it must not pull in the database
stack (nor a TOML parser when there is no config file).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from chainlead.configpath import APP_NAME, config_path
from chainlead.errors import InvalidInput
from chainlead.i18n import N_, _
from chainlead.vocabulary import FOLLOWUP_DAYS, LANGS


@dataclass(frozen=True)
class Setting:
    key: str
    env: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "CHAINLEAD_DB", None, N_("database file path or postgresql+psycopg:// URL")),
    Setting("user", "CHAINLEAD_USER", None, N_("actor written to history (default: the OS user)")),
    Setting(
        "district", "CHAINLEAD_DISTRICT", "", N_("district name shown on reports and snapshots")
    ),
    Setting(
        "district_code",
        "CHAINLEAD_DISTRICT_CODE",
        None,
        N_(
            "the district of a PostgreSQL city database to work in, by its code "
            "(chainlead district list); unset: the database's own"
        ),
    ),
    Setting("lang", "CHAINLEAD_LANG", "en", N_("report language: en or zh")),
    Setting(
        "warning_days",
        "CHAINLEAD_WARNING_DAYS",
        7,
        N_("days before the due date a light turns yellow"),
    ),
    Setting(
        "escalation_days",
        "CHAINLEAD_ESCALATION_DAYS",
        30,
        N_(
            "days overdue before the chain leader must step in: red this long → "
            "level 4 约谈/提请链长 chain leader (supervision ladder)"
        ),
    ),
    Setting(
        "ladder_letter_days",
        "CHAINLEAD_LADDER_LETTER_DAYS",
        "15",
        N_(
            "red for N days (or Nwd working days), or red a second time → "
            "level 3 督办函 supervision letter"
        ),
    ),
    Setting(
        "ladder_leading_group_days",
        "CHAINLEAD_LADDER_LEADING_GROUP_DAYS",
        "60",
        N_("red for N days (or Nwd working days) → level 5 提请领导小组 leading group"),
    ),
    Setting(
        "receipt_days",
        "CHAINLEAD_RECEIPT_DAYS",
        None,
        N_(
            "days (N) or working days (Nwd) an institution has to sign for an assignment; "
            "unset: no limit"
        ),
    ),
    Setting(
        "urge_interval_hours",
        "CHAINLEAD_URGE_INTERVAL_HOURS",
        24,
        N_("hours before the same institution may be urged again on the same item"),
    ),
    Setting(
        "followup_days",
        "CHAINLEAD_FOLLOWUP_DAYS",
        FOLLOWUP_DAYS,
        N_(
            "days after an item is resolved by which its enterprises are asked (回访); "
            "later: report follow-ups"
        ),
    ),
    Setting(
        "project_yellow_points",
        "CHAINLEAD_PROJECT_YELLOW_POINTS",
        10,
        N_(
            "percentage points a project may be behind its expected progress (序时进度) "
            "before its light turns yellow"
        ),
    ),
    Setting(
        "project_red_points",
        "CHAINLEAD_PROJECT_RED_POINTS",
        30,
        N_("percentage points behind its expected progress before a project's light turns red"),
    ),
    Setting(
        "project_idle_months",
        "CHAINLEAD_PROJECT_IDLE_MONTHS",
        3,
        N_("months after its planned start a project still at 0 percent is red"),
    ),
    # The printed report (HTML, PDF): its issue number and who issues and signs it.
    Setting(
        "report_issue",
        "CHAINLEAD_REPORT_ISSUE",
        None,
        N_(
            "the report's issue number (第N期); "
            "unset: months from the first record to the report's month"
        ),
    ),
    Setting(
        "report_issuer",
        "CHAINLEAD_REPORT_ISSUER",
        None,
        N_(
            "the issuing body on the report's masthead; "
            'unset: "<district> chain-leader working team"'
        ),
    ),
    Setting(
        "report_compiled_by",
        "CHAINLEAD_REPORT_COMPILED_BY",
        None,
        N_("name under 编制 (compiled by) at the report's end; unset: a line to sign"),
    ),
    Setting(
        "report_reviewed_by",
        "CHAINLEAD_REPORT_REVIEWED_BY",
        None,
        N_("name under 审核 (reviewed by); unset: a line to sign"),
    ),
    Setting(
        "report_signed_by",
        "CHAINLEAD_REPORT_SIGNED_BY",
        None,
        N_("name under 签发 (approved by); unset: a line to sign"),
    ),
    Setting(
        "holidays_file",
        "CHAINLEAD_HOLIDAYS_FILE",
        None,
        N_("TOML file of extra holidays and make-up working days, for +Nwd"),
    ),
    Setting(
        "report_notes",
        "CHAINLEAD_REPORT_NOTES",
        None,
        N_(
            "the team's notes (存在问题 / 下步工作) for report monthly, as --notes FILE; "
            "in config.toml also [report] notes = FILE"
        ),
    ),
    Setting(
        "timezone",
        "CHAINLEAD_TIMEZONE",
        None,
        N_(
            "IANA time zone days are counted and times shown in, such as Asia/Shanghai; "
            "unset: the database's, else the system's"
        ),
    ),
)


def default_db_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "chainlead.db"


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "unknown"


@dataclass(frozen=True)
class Settings:
    db: str
    user: str
    district: str
    lang: str
    warning_days: int
    escalation_days: int
    ladder_letter_days: str
    ladder_leading_group_days: str
    receipt_days: str | None
    urge_interval_hours: int
    followup_days: int
    holidays_file: str | None
    project_yellow_points: int = 10
    project_red_points: int = 30
    project_idle_months: int = 3
    report_notes: str | None = None
    report_issue: int | None = None  # the printed report's masthead and issuing block
    report_issuer: str | None = None
    report_compiled_by: str | None = None
    report_reviewed_by: str | None = None
    report_signed_by: str | None = None
    timezone: str | None = None  # an IANA name; None: the system's zone
    district_code: str | None = None  # a city database's district (--district), else None
    sources: dict[str, str] = field(default_factory=dict, compare=False)
    as_of: date | None = field(default=None, compare=False)  # a demo's day (cli.runtime)

    def zone(self) -> tzinfo:
        """The zone days are counted and times shown in: ``timezone``, else the system's."""
        from chainlead.clock import system_zone, zone_named

        return zone_named(self.timezone) if self.timezone else system_zone()

    def today(self) -> date:
        """Today in ``zone()``, or ``CHAINLEAD_TODAY`` (or ``CHAINLEAD_NOW``'s day) when set,
        for tests and replays, else the day a demo database stands on (``as_of``)."""
        fixed_now = _fixed_now(self)
        if fixed_now is not None:
            from chainlead.clock import local_day

            return local_day(fixed_now, self.zone())
        fixed = os.environ.get("CHAINLEAD_TODAY")
        if fixed:
            try:
                return date.fromisoformat(fixed)
            except ValueError:
                raise InvalidInput(
                    "CHAINLEAD_TODAY", _("expected a date as YYYY-MM-DD"), fixed
                ) from None
        if self.as_of is not None:
            return self.as_of
        return datetime.now(self.zone()).date()

    def now(self) -> datetime:
        """The current time as stored (naive UTC): ``CHAINLEAD_NOW`` when set, else moved
        onto ``today()``'s day in ``zone()`` when ``CHAINLEAD_TODAY`` fixes it."""
        from datetime import UTC

        fixed_now = _fixed_now(self)
        if fixed_now is not None:
            return fixed_now
        current = datetime.now(UTC).replace(microsecond=0)
        if os.environ.get("CHAINLEAD_TODAY"):
            zone = self.zone()
            wall = datetime.combine(self.today(), current.astimezone(zone).time(), tzinfo=zone)
            return wall.astimezone(UTC).replace(tzinfo=None)
        return current.replace(tzinfo=None)

    def day_of(self, at: datetime) -> date:
        """The day a stored time (naive UTC, as ``now()`` gives it) fell on in ``zone()``."""
        from chainlead.clock import local_day

        return local_day(at, self.zone())


def _fixed_now(current: Settings) -> datetime | None:
    """``CHAINLEAD_NOW`` as a stored time (naive UTC), for tests and replays: an ISO
    time with its offset, or without one read in ``current.zone()``."""
    fixed = os.environ.get("CHAINLEAD_NOW")
    if not fixed:
        return None
    from datetime import UTC

    try:
        at = datetime.fromisoformat(fixed.strip())
    except ValueError:
        raise InvalidInput(
            "CHAINLEAD_NOW", _("expected an ISO time such as 2026-12-01T07:30:00+08:00"), fixed
        ) from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=current.zone())
    return at.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def _read_config(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    import tomllib

    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            _("config file {path}").format(path=path),
            _("expected valid TOML ({error})").format(error=exc),
        ) from None
    except OSError as exc:
        raise InvalidInput(
            _("config file {path}").format(path=path),
            _("expected a readable file ({error})").format(error=exc.strerror),
        ) from None
    report = data.pop("report", None)
    if isinstance(report, dict):  # [report] key = ... is the setting report_key
        data.update({f"report_{key}": value for key, value in report.items()})
    elif report is not None:
        data["report"] = report
    known = {s.key for s in SETTINGS}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InvalidInput(
            _("config file {path}").format(path=path),
            _("known keys are {keys}").format(keys=", ".join(sorted(known))),
            unknown[0],
        )
    return data


def _coerce(setting: Setting, value: Any, origin: str) -> Any:
    name = f"{setting.key} ({origin})"
    if setting.key in ("warning_days", "escalation_days"):
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise InvalidInput(
                name, _("expected a whole number of days from 0 to 3650"), value
            ) from None
        if not 0 <= number <= 3650:
            raise InvalidInput(name, _("expected a whole number of days from 0 to 3650"), value)
        return number
    if setting.key == "urge_interval_hours":
        try:
            hours = int(value)
        except (TypeError, ValueError):
            raise InvalidInput(
                name, _("expected a whole number of hours from 0 to 8760"), value
            ) from None
        if not 0 <= hours <= 8760:
            raise InvalidInput(name, _("expected a whole number of hours from 0 to 8760"), value)
        return hours
    if setting.key == "followup_days":
        try:
            days = int(value)
        except (TypeError, ValueError):
            raise InvalidInput(
                name, _("expected a whole number of days from 0 to 365"), value
            ) from None
        if not 0 <= days <= 365:
            raise InvalidInput(name, _("expected a whole number of days from 0 to 365"), value)
        return days
    if setting.key in ("project_yellow_points", "project_red_points", "project_idle_months"):
        low, high, what = (
            (1, 120, "months")
            if setting.key == "project_idle_months"
            else (0, 100, "percentage points")
        )
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or not low <= number <= high:
            raise InvalidInput(
                name, f"expected a whole number of {what} from {low} to {high}", value
            )
        return number
    if setting.key == "report_issue":
        try:
            issue = int(value)
        except (TypeError, ValueError):
            issue = None
        if issue is None or isinstance(value, bool) or not 1 <= issue <= 9999:
            raise InvalidInput(name, _("expected a whole number from 1 to 9999"), value)
        return issue
    if (
        setting.key.startswith("report_")
        and setting.key != "report_notes"
        and isinstance(value, str)
    ):
        if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value):
            raise InvalidInput(name, _("expected text without control characters"), value)
        return value.strip() or None
    if setting.key in ("ladder_letter_days", "ladder_leading_group_days"):
        spec = str(value).strip().lower()
        digits = spec.removesuffix("wd")
        if not digits.isascii() or not digits.isdigit() or not 1 <= int(digits) <= 3650:
            raise InvalidInput(
                name, _("expected N days or Nwd working days (1-3650), such as 15 or 10wd"), value
            )
        return str(int(digits)) + ("wd" if spec.endswith("wd") else "")
    if setting.key == "receipt_days":
        spec = str(value).strip().lower()
        if not spec:
            return None
        digits = spec.removesuffix("wd")
        if not digits.isascii() or not digits.isdigit() or int(digits) > 365:
            raise InvalidInput(
                name, _("expected N days or Nwd working days (0-365), such as 2wd"), value
            )
        return spec
    if not isinstance(value, str):
        raise InvalidInput(name, _("expected a string"), value)
    if setting.key in ("holidays_file", "report_notes"):
        # Checked when it is read (a +Nwd span, config show, a report): not on every start.
        return str(Path(value).expanduser()) if value.strip() else None
    if setting.key == "district_code":
        from chainlead.values import check_district_code

        return check_district_code("--district" if origin == "flag" else name, value)
    if setting.key == "timezone":
        if not value.strip():
            return None
        from chainlead.clock import ZONE_FORM, zone_named

        try:
            zone_named(value)
        except ValueError:
            raise InvalidInput(name, ZONE_FORM, value) from None
        return value.strip()
    if setting.key == "lang":
        from chainlead.values import typed

        if typed(value).lower() not in LANGS:
            raise InvalidInput(name, _("expected en or zh"), value)
        return typed(value).lower()  # ｚｈ as an input method types it
    return value


def load_settings(overrides: dict[str, Any] | None = None) -> Settings:
    """Resolve every setting and remember where each value came from."""
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    path = config_path()
    from_file = _read_config(path)
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for setting in SETTINGS:
        if setting.key in overrides:
            values[setting.key] = _coerce(setting, overrides[setting.key], "flag")
            sources[setting.key] = "flag"
        elif os.environ.get(setting.env):
            values[setting.key] = _coerce(setting, os.environ[setting.env], setting.env)
            sources[setting.key] = f"env {setting.env}"
        elif setting.key in from_file:
            values[setting.key] = _coerce(setting, from_file[setting.key], str(path))
            sources[setting.key] = f"config {path}"
            if setting.key in ("holidays_file", "report_notes") and values[setting.key]:
                # A relative path in config.toml is beside config.toml.
                values[setting.key] = str(path.parent / values[setting.key])
        else:
            values[setting.key] = setting.default
            sources[setting.key] = "default"
    if values["project_yellow_points"] > values["project_red_points"]:
        raise InvalidInput(
            "project_yellow_points",
            _("expected no more points than project_red_points ({points})").format(
                points=values["project_red_points"]
            ),
            values["project_yellow_points"],
        )
    if values["timezone"] is None:  # the system's, named for config show when it has a name
        from chainlead.clock import system_zone_name

        values["timezone"] = system_zone_name()
    if values["db"] is None:
        values["db"] = str(default_db_path())
    if values["user"] is None:
        values["user"] = _os_user()
    return Settings(**values, sources=sources)


def with_recorded_zone(current: Settings) -> Settings:
    """``current``, counting days in the zone its SQLite database records (the demo
    records Asia/Shanghai) when the ``timezone`` setting is left at its default."""
    if current.sources.get("timezone") != "default":
        return current
    from chainlead.store.calendar import recorded_zone

    name = recorded_zone(current.db)
    if not name or name == current.timezone:
        return current
    from dataclasses import replace

    from chainlead.clock import zone_named

    try:
        zone_named(name)
    except ValueError:  # a zone this machine does not know: keep the system's
        return current
    return replace(current, timezone=name, sources={**current.sources, "timezone": "database"})


def with_zone(current: Settings, name: str) -> Settings:
    """``current``, counting days in the zone ``name`` when the ``timezone`` setting is
    left at its default (the demo's data is Beijing's)."""
    if current.sources.get("timezone") != "default":
        return current
    from dataclasses import replace

    return replace(current, timezone=name)


@dataclass(frozen=True)
class SettingValue:
    """One setting in force, for ``config show``."""

    key: str
    value: Any
    source: str
    env: str
    help: str
