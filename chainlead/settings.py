"""Settings in force: flags, then ``CHAINLEAD_*`` environment variables, then
``config.toml`` in the user config directory, then defaults.

Light on purpose: imported on every start, it must not pull in the database
stack (nor a TOML parser when there is no config file).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from chainlead.errors import InvalidInput
from chainlead.vocabulary import FOLLOWUP_DAYS, LANGS

APP_NAME = "chainlead"


@dataclass(frozen=True)
class Setting:
    key: str
    env: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "CHAINLEAD_DB", None, "database file path or postgresql+psycopg:// URL"),
    Setting("user", "CHAINLEAD_USER", None, "actor written to history (default: the OS user)"),
    Setting("district", "CHAINLEAD_DISTRICT", "", "district name shown on reports and snapshots"),
    Setting("lang", "CHAINLEAD_LANG", "en", "report language: en or zh"),
    Setting(
        "warning_days", "CHAINLEAD_WARNING_DAYS", 7, "days before the due date a light turns yellow"
    ),
    Setting(
        "escalation_days",
        "CHAINLEAD_ESCALATION_DAYS",
        30,
        "days overdue before the chain leader must step in: red this long → "
        "level 4 约谈/提请链长 chain leader (supervision ladder)",
    ),
    Setting(
        "ladder_letter_days",
        "CHAINLEAD_LADDER_LETTER_DAYS",
        "15",
        "red for N days (or Nwd working days), or red a second time → "
        "level 3 督办函 supervision letter",
    ),
    Setting(
        "ladder_leading_group_days",
        "CHAINLEAD_LADDER_LEADING_GROUP_DAYS",
        "60",
        "red for N days (or Nwd working days) → level 5 提请领导小组 leading group",
    ),
    Setting(
        "receipt_days",
        "CHAINLEAD_RECEIPT_DAYS",
        None,
        "days (N) or working days (Nwd) an institution has to sign for an assignment; "
        "unset: no limit",
    ),
    Setting(
        "urge_interval_hours",
        "CHAINLEAD_URGE_INTERVAL_HOURS",
        24,
        "hours before the same institution may be urged again on the same item",
    ),
    Setting(
        "followup_days",
        "CHAINLEAD_FOLLOWUP_DAYS",
        FOLLOWUP_DAYS,
        "days after an item is resolved by which its enterprises are asked (回访); "
        "later: report follow-ups",
    ),
    Setting(
        "project_yellow_points",
        "CHAINLEAD_PROJECT_YELLOW_POINTS",
        10,
        "percentage points a project may be behind its expected progress (序时进度) "
        "before its light turns yellow",
    ),
    Setting(
        "project_red_points",
        "CHAINLEAD_PROJECT_RED_POINTS",
        30,
        "percentage points behind its expected progress before a project's light turns red",
    ),
    Setting(
        "project_idle_months",
        "CHAINLEAD_PROJECT_IDLE_MONTHS",
        3,
        "months after its planned start a project still at 0% is red",
    ),
    # The printed report (HTML, PDF): its issue number and who issues and signs it.
    Setting(
        "report_issue",
        "CHAINLEAD_REPORT_ISSUE",
        None,
        "the report's issue number (第N期); "
        "unset: months from the first record to the report's month",
    ),
    Setting(
        "report_issuer",
        "CHAINLEAD_REPORT_ISSUER",
        None,
        'the issuing body on the report\'s masthead; unset: "<district> chain-leader working team"',
    ),
    Setting(
        "report_compiled_by",
        "CHAINLEAD_REPORT_COMPILED_BY",
        None,
        "name under 编制 (compiled by) at the report's end; unset: a line to sign",
    ),
    Setting(
        "report_reviewed_by",
        "CHAINLEAD_REPORT_REVIEWED_BY",
        None,
        "name under 审核 (reviewed by); unset: a line to sign",
    ),
    Setting(
        "report_signed_by",
        "CHAINLEAD_REPORT_SIGNED_BY",
        None,
        "name under 签发 (approved by); unset: a line to sign",
    ),
    Setting(
        "holidays_file",
        "CHAINLEAD_HOLIDAYS_FILE",
        None,
        "TOML file of extra holidays and make-up working days, for +Nwd",
    ),
    Setting(
        "report_notes",
        "CHAINLEAD_REPORT_NOTES",
        None,
        "the team's notes (存在问题 / 下步工作) for report monthly, as --notes FILE; "
        "in config.toml also [report] notes = FILE",
    ),
)


def config_path() -> Path:
    """Where ``config.toml`` lives (``CHAINLEAD_CONFIG`` overrides)."""
    explicit = os.environ.get("CHAINLEAD_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


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
    sources: dict[str, str] = field(default_factory=dict, compare=False)
    as_of: date | None = field(default=None, compare=False)  # a demo's day (cli.runtime)

    def today(self) -> date:
        """Today's date, or ``CHAINLEAD_TODAY`` when set (for tests and replays), else
        the day a demo database stands on (``as_of``)."""
        fixed = os.environ.get("CHAINLEAD_TODAY")
        if fixed:
            try:
                return date.fromisoformat(fixed)
            except ValueError:
                raise InvalidInput(
                    "CHAINLEAD_TODAY", "expected a date as YYYY-MM-DD", fixed
                ) from None
        if self.as_of is not None:
            return self.as_of
        return date.today()

    def now(self) -> datetime:
        """The current UTC time (naive), moved onto ``today()`` when it is fixed."""
        from datetime import UTC

        current = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        if os.environ.get("CHAINLEAD_TODAY"):
            return datetime.combine(self.today(), current.time())
        return current

    def day_of(self, at: datetime) -> date:
        """The day a stored time (naive UTC, as ``now()`` gives it) fell on, as
        ``today()`` counts days: the local date, or the fixed day's own."""
        if os.environ.get("CHAINLEAD_TODAY"):
            return at.date()
        from datetime import UTC

        return at.replace(tzinfo=UTC).astimezone().date()


def _read_config(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    import tomllib

    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"config file {path}", f"expected valid TOML ({exc})") from None
    except OSError as exc:
        raise InvalidInput(
            f"config file {path}", f"expected a readable file ({exc.strerror})"
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
            f"config file {path}", "known keys are " + ", ".join(sorted(known)), unknown[0]
        )
    return data


def _coerce(setting: Setting, value: Any, origin: str) -> Any:
    name = f"{setting.key} ({origin})"
    if setting.key in ("warning_days", "escalation_days"):
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise InvalidInput(
                name, "expected a whole number of days from 0 to 3650", value
            ) from None
        if not 0 <= number <= 3650:
            raise InvalidInput(name, "expected a whole number of days from 0 to 3650", value)
        return number
    if setting.key == "urge_interval_hours":
        try:
            hours = int(value)
        except (TypeError, ValueError):
            raise InvalidInput(
                name, "expected a whole number of hours from 0 to 8760", value
            ) from None
        if not 0 <= hours <= 8760:
            raise InvalidInput(name, "expected a whole number of hours from 0 to 8760", value)
        return hours
    if setting.key == "followup_days":
        try:
            days = int(value)
        except (TypeError, ValueError):
            raise InvalidInput(
                name, "expected a whole number of days from 0 to 365", value
            ) from None
        if not 0 <= days <= 365:
            raise InvalidInput(name, "expected a whole number of days from 0 to 365", value)
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
            raise InvalidInput(name, "expected a whole number from 1 to 9999", value)
        return issue
    if (
        setting.key.startswith("report_")
        and setting.key != "report_notes"
        and isinstance(value, str)
    ):
        if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value):
            raise InvalidInput(name, "expected text without control characters", value)
        return value.strip() or None
    if setting.key in ("ladder_letter_days", "ladder_leading_group_days"):
        spec = str(value).strip().lower()
        digits = spec.removesuffix("wd")
        if not digits.isascii() or not digits.isdigit() or not 1 <= int(digits) <= 3650:
            raise InvalidInput(
                name, "expected N days or Nwd working days (1-3650), such as 15 or 10wd", value
            )
        return str(int(digits)) + ("wd" if spec.endswith("wd") else "")
    if setting.key == "receipt_days":
        spec = str(value).strip().lower()
        if not spec:
            return None
        digits = spec.removesuffix("wd")
        if not digits.isascii() or not digits.isdigit() or int(digits) > 365:
            raise InvalidInput(
                name, "expected N days or Nwd working days (0-365), such as 2wd", value
            )
        return spec
    if not isinstance(value, str):
        raise InvalidInput(name, "expected a string", value)
    if setting.key in ("holidays_file", "report_notes"):
        # Checked when it is read (a +Nwd span, config show, a report): not on every start.
        return str(Path(value).expanduser()) if value.strip() else None
    if setting.key == "lang" and value not in LANGS:
        raise InvalidInput(name, "expected en or zh", value)
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
            f"expected no more points than project_red_points ({values['project_red_points']})",
            values["project_yellow_points"],
        )
    if values["db"] is None:
        values["db"] = str(default_db_path())
    if values["user"] is None:
        values["user"] = _os_user()
    return Settings(**values, sources=sources)


@dataclass(frozen=True)
class SettingValue:
    """One setting in force, for ``config show``."""

    key: str
    value: Any
    source: str
    env: str
    help: str
