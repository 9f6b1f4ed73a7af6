"""The local calendar: one time zone for every day counted and every time shown.

Times are stored as naive UTC (``Settings.now()``); a day is always the date
on the wall clock of the ``timezone`` setting (default: the system's zone).
A drop at 07:30 on 1 December in Beijing is stored as 30 November 23:30 and
falls on 1 December, like a resolution five minutes later.

- ``local_day(at, zone)``: the day a stored time fell on;
- ``day_start(day, zone)``: the stored (UTC) instant a day begins, for reads
  of stored times by day (``at >= day_start(first, zone)``);
- ``local(at)``, ``shown(at)``, ``iso(at)``: a stored time in the zone shown
  (the process's, see ``set_resolver``), for tables and for JSON.

Light: imported by the renderers and ``settings``; only the standard library.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, tzinfo

ZONE_FORM = "expected an IANA time zone such as Asia/Shanghai or UTC"

_shown: tzinfo | None = None
_resolver: Callable[[], tzinfo] | None = None


def zone_named(name: str) -> tzinfo:
    """The IANA zone ``name`` (``Asia/Shanghai``); ``ValueError`` when there is none
    by that name (a typo, a path, or no zone database on this machine)."""
    text = name.strip()
    if text.upper() in ("UTC", "ETC/UTC"):  # the servers' zone: no zone database read
        return UTC
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(name) from None


def system_zone() -> tzinfo:
    """The machine's zone: ``TZ``, else the zone ``/etc/localtime`` names, else the
    offset the system reports now (Windows, where Python has no zone names)."""
    configured = os.environ.get("TZ", "").lstrip(":")
    if configured:
        try:
            return zone_named(configured)
        except ValueError:
            pass
    try:
        link = os.readlink("/etc/localtime")
    except OSError:
        link = ""
    if "zoneinfo/" in link:
        try:
            return zone_named(link.split("zoneinfo/", 1)[1])
        except ValueError:
            pass
    return datetime.now().astimezone().tzinfo or UTC


def system_zone_name() -> str | None:
    """The IANA name of the machine's zone (``Asia/Shanghai``), or None when it has none
    (an offset only)."""
    zone = system_zone()
    return "UTC" if zone is UTC else getattr(zone, "key", None)


def local_day(at: datetime, zone: tzinfo) -> date:
    """The day in ``zone`` a stored time (naive UTC) fell on."""
    return at.replace(tzinfo=UTC).astimezone(zone).date()


def day_start(day: date, zone: tzinfo) -> datetime:
    """The stored time (naive UTC) at which ``day`` begins in ``zone``."""
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def day_end(day: date, zone: tzinfo) -> datetime:
    """The stored time (naive UTC) at which the day after ``day`` begins in ``zone``."""
    return day_start(day + timedelta(days=1), zone)


def set_zone(zone: tzinfo | None) -> None:
    """Show times in ``zone`` from now on (``None``: ask the resolver again)."""
    global _shown
    _shown = zone


def set_resolver(resolver: Callable[[], tzinfo] | None) -> None:
    """Where the zone shown comes from when nobody set it: called once, on the first
    time shown (the command line registers the ``timezone`` setting's)."""
    global _resolver, _shown
    _resolver = resolver
    _shown = None


def shown_zone() -> tzinfo:
    """The zone times are shown in: ``set_zone``'s, else the resolver's, else the
    system's."""
    global _shown
    if _shown is None:
        zone: tzinfo | None = None
        if _resolver is not None:
            try:
                zone = _resolver()
            except Exception:  # a broken setting must still let its error be printed
                zone = None
        _shown = zone or system_zone()
    return _shown


def local(at: datetime) -> datetime:
    """A stored time (naive UTC; an aware one is converted) in the zone shown."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(shown_zone())


def shown(at: datetime) -> str:
    """A stored time as a person reads it: ``2026-12-01 07:30`` in the zone shown."""
    return local(at).strftime("%Y-%m-%d %H:%M")


def iso(at: datetime) -> str:
    """A stored time for JSON: ISO 8601 with its offset, ``2026-12-01T07:30:00+08:00``
    (``Z`` for UTC, as before zones were shown)."""
    text = local(at).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
