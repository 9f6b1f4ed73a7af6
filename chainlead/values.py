"""Parsing and checking of values typed by users or read from snapshots.

Pure and light: no database, no terminal. Each problem is an ``InvalidInput``
naming the field and the accepted form. This is the one place where text is
checked for control characters: they are refused on the way in, so nothing
stored can ever drive a terminal.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, timedelta

from chainlead.errors import CalendarUnknown, InvalidInput
from chainlead.i18n import N_, _

# The accepted forms, in English; translated where a refusal is made (``_(KEY_FORM)``).
DATE_FORM = N_("expected a date as YYYY-MM-DD, today, yesterday, +Nd, +Nw, +Nwd, -Nd or eom")
MONTH_FORM = N_("expected a month as YYYY-MM")
YEAR_MIN, YEAR_MAX = 2000, 2100  # the years a plan's dates and targets may fall in
CODE_FORM = N_("expected 1-10 letters or digits starting with a letter, e.g. IC")
KEY_FORM = N_("expected an item key such as IC-12")
MEETING_KEY_FORM = N_("expected a meeting id such as IC-M3")

# Described forms are ASCII: ``[0-9]``, never ``\d`` (which matches every
# script's digits). Typed values are folded by ``typed`` first.
_RELATIVE = re.compile(r"^([+-])([0-9]{1,4})(wd|d|w)$")
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_CODE = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
_KEY = re.compile(r"^([A-Z][A-Z0-9]{0,9})-([0-9]{1,9})$")
_MEETING_KEY = re.compile(r"^([A-Z][A-Z0-9]{0,9})-M([0-9]{1,9})$")
_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DURATION = re.compile(r"^([0-9]{1,4})([dw]?)$")
_OTHER_DIGITS = re.compile(r"[^\x00-\x7f]")
_DASHES = re.compile("[\u2010-\u2015\u2212]+")  # hyphens, en and em dashes, minus


def typed(text: str) -> str:
    """A value typed in a described form (date, month, key, span), as its form reads it.

    Full-width letters, digits and signs (``２０２６－１１``) are folded to
    ASCII by NFKC and surrounding space is removed; digits of other scripts
    (``٢٠٢٦``) are left as they are, for the ASCII patterns to refuse. The
    dashes an input method gives for a hyphen (``IC—1``, ``IC——1``, ``IC–1``,
    the minus sign ``−3d``) read as one ``-``.
    """
    return _DASHES.sub("-", unicodedata.normalize("NFKC", text)).strip()


def choice_key(text: str, *, fold: bool = True) -> str:
    """An option's choice (a status, a light, a priority) as it is matched.

    NFKC-folded and stripped as ``typed``; unless the choice is case-sensitive
    also case-folded, with a space or hyphen read as the underscore of the
    stored word (``in-progress``, ``"in progress"`` and ``ＩＮ＿ＰＲＯＧＲＥＳＳ``
    all mean ``in_progress``).
    """
    key = typed(text)
    if key in CHOICE_NAMES_ZH:
        return CHOICE_NAMES_ZH[key]
    return re.sub(r"[ -]", "_", key.casefold()) if fold else key


# Choices a district office names in Chinese, read as the stored word: the four
# kinds of chain project (``--type 强链``).
CHOICE_NAMES_ZH = {
    "建链": "build",
    "强链": "strengthen",
    "补链": "fill",
    "延链": "extend",
    # what a login may do (``chainlead user grant``)
    "链办": "admin",
    "链长": "leader",
    "工作专班": "team",
    "责任单位": "unit",
    "查看": "viewer",
}


def parse_choice(field: str, value: str, allowed: Sequence[str]) -> str:
    """The one of ``allowed`` that ``value`` names (``choice_key``), else InvalidInput
    listing them as a person types them (``in-progress``)."""
    if isinstance(value, str):
        wanted = choice_key(value)
        for option in allowed:
            if choice_key(option) == wanted:
                return option
    words = ", ".join(dict.fromkeys(option.replace("_", "-") for option in allowed))
    raise InvalidInput(field, _("expected one of {choices}").format(choices=words), value)


def ascii_digits(text: str) -> str:
    """Decimal digits of any script as ASCII digits (``٢٠٢٦-١١`` -> ``2026-11``).

    For values chainlead itself once stored in other digits: a snapshot
    exported before they were refused, and the rows migration 0003 mends.
    """
    if text.isascii():
        return text
    folded = unicodedata.normalize("NFKC", text)
    return _OTHER_DIGITS.sub(lambda m: str(unicodedata.decimal(m.group(), m.group())), folded)


def end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def parse_date(field: str, text: str, *, today: date, holidays_file: str | None = None) -> date:
    """ISO date, ``today``, ``yesterday``, ``+Nd``/``+Nw``/``+Nwd``/``-Nd``/``-Nw``/``-Nwd``
    or ``eom``.

    ``wd`` counts working days on the mainland China calendar
    (``chainlead.workdays``, with ``holidays_file`` when set); a span reaching a
    year that calendar does not know is refused.
    """
    raw = typed(text).lower()
    if raw == "today":
        return today
    if raw == "yesterday":
        return today - timedelta(days=1)
    if raw == "eom":
        return end_of_month(today)
    match = _RELATIVE.match(raw)
    if match:
        sign, amount, unit = match.groups()
        if unit == "wd":
            return _working_days(field, text, today, sign, int(amount), holidays_file)
        days = int(amount) * (7 if unit == "w" else 1)
        return today + timedelta(days=days if sign == "+" else -days)
    if _ISO_DATE.match(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise InvalidInput(
                field,
                _(
                    "not a real calendar date (a date as YYYY-MM-DD, today, yesterday, "
                    "+Nd, +Nw, +Nwd, -Nd or eom)"
                ),
                text,
            ) from None
    raise InvalidInput(field, _(DATE_FORM), text)


def _working_days(
    field: str, text: str, today: date, sign: str, amount: int, holidays_file: str | None
) -> date:
    """``today`` moved by ``amount`` working days; the calendar is imported here only."""
    from chainlead.workdays import add_working_days, load_calendar

    calendar = load_calendar(holidays_file)
    try:
        return add_working_days(today, amount if sign == "+" else -amount, calendar=calendar)
    except CalendarUnknown as gap:
        raise InvalidInput(
            field,
            _(
                "expected {sign}Nwd within the years whose holidays are known ({known}), "
                "but it reaches {year}: give a date as YYYY-MM-DD, "
                "or list {year}'s holidays and working days in holidays_file"
            ).format(sign=sign, known=gap.known, year=gap.year),
            text,
        ) from None


def check_plan_date(field: str, day: date) -> date:
    """``day`` if it falls in the years a plan may name (YEAR_MIN to YEAR_MAX)."""
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        raise InvalidInput(
            field,
            _("expected a date as YYYY-MM-DD in the years {first} to {last}").format(
                first=YEAR_MIN, last=YEAR_MAX
            ),
            day,
        )
    return day


def parse_month(field: str, text: str) -> str:
    """A real ``YYYY-MM`` month, returned normalised."""
    month = typed(text)
    match = _MONTH.match(month)
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise InvalidInput(field, _(MONTH_FORM), text)
    return month


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of a ``YYYY-MM`` month."""
    year, mon = int(month[:4]), int(month[5:7])
    first = date(year, mon, 1)
    return first, end_of_month(first)


def shift_month(month: str, delta: int) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    index = year * 12 + (mon - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def parse_days(field: str, text: str) -> int:
    """A span such as ``7``, ``7d`` or ``2w``, in days."""
    match = _DURATION.match(typed(text).lower())
    if not match:
        raise InvalidInput(field, _("expected a number of days such as 7d or 2w"), text)
    amount, unit = match.groups()
    return int(amount) * (7 if unit == "w" else 1)


def normalize_code(text: str, field: str = "code") -> str:
    code = typed(text).upper()
    if not _CODE.match(code):
        raise InvalidInput(field, _(CODE_FORM), text)
    return code


def parse_key(key: str, field: str = "key") -> tuple[str, int]:
    """``ic-12`` -> ("IC", 12); InvalidInput for anything that is not an item key."""
    match = _KEY.match(typed(key).upper()) if isinstance(key, str) else None
    if not match:
        raise InvalidInput(field, _(KEY_FORM), key)
    return match.group(1), int(match.group(2))


def normalize_meeting_key(text: str, field: str = "meeting") -> str:
    """``ic-m3`` -> ``IC-M3``; anything else is refused."""
    match = _MEETING_KEY.match(typed(text).upper()) if isinstance(text, str) else None
    if not match:
        raise InvalidInput(field, _(MEETING_KEY_FORM), text)
    return f"{match.group(1)}-M{int(match.group(2))}"


# The characters text may not hold: control characters (Unicode category Cc, that is
# U+0000-U+001F and U+007F-U+009F) but newlines and tabs, and lone surrogates; a
# single-line text not newlines and tabs either. One search finds the first.
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_REFUSED_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def check_text(
    field: str,
    value: str | None,
    *,
    required: bool = False,
    max_len: int = 2000,
    multiline: bool = True,
) -> str | None:
    """Refuse control characters, empty required text and over-long text.

    Returns the text with surrounding white space removed (``None`` for an
    empty optional value).
    """
    if value is None:
        if required:
            raise InvalidInput(
                field, _("must not be empty (1-{max} characters)").format(max=max_len)
            )
        return None
    refused = (_REFUSED if multiline else _REFUSED_ONE_LINE).search(value)
    if refused is not None:
        char = refused.group()
        if 0xD800 <= ord(char) <= 0xDFFF:
            raise InvalidInput(
                field, _("expected valid Unicode text; found U+{code:04X}").format(code=ord(char))
            )
        if multiline:
            said = _(
                "control characters are not accepted (newlines and tabs only as plain "
                "text); found U+{code:04X}"
            )
        else:
            said = _(
                "control characters are not accepted (no line breaks or tabs only as plain "
                "text); found U+{code:04X}"
            )
        raise InvalidInput(field, said.format(code=ord(char)))
    cleaned = value.strip()
    if not cleaned:
        if required:
            raise InvalidInput(
                field, _("must not be empty (1-{max} characters)").format(max=max_len)
            )
        return None
    if len(cleaned) > max_len:
        raise InvalidInput(
            field,
            _("must be at most {max} characters, got {n}").format(max=max_len, n=len(cleaned)),
        )
    return cleaned


def check_name(field: str, value: str | None, *, required: bool = True) -> str | None:
    """A single-line name: a person, a chain, a unit, an enterprise."""
    return check_text(field, value, required=required, max_len=200, multiline=False)


# The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters
# from 31 (digits and capitals but I, O, Z, S, V); the last is a check character.
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_FORM = N_(
    "expected an 18-character unified social credit code (统一社会信用代码, GB 32100-2015) "
    "of digits and capitals but I, O, Z, S, V, with its check character"
)


def credit_check_character(first17: str) -> str:
    """The check character of the first 17 characters of a credit code."""
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def check_credit_code(field: str, value: str | None) -> str | None:
    """A unified social credit code, upper-cased, full-width folded, its check
    character verified; None or ``''`` gives None."""
    if value is None:
        return None
    code = typed(value).strip().upper()
    if not code:
        return None
    if len(code) != 18 or any(c not in _CREDIT_CHARS for c in code):
        raise InvalidInput(field, _(CREDIT_CODE_FORM), value)
    expected = credit_check_character(code[:17])
    if code[17] != expected:
        raise InvalidInput(
            field,
            _(
                "expected a unified social credit code whose check character "
                "(GB 32100-2015) is {expected}, not {given}"
            ).format(expected=expected, given=code[17]),
            value,
        )
    return code


DISTRICT_CODE = re.compile(r"[a-z][a-z0-9_]{0,62}")
# Schemas PostgreSQL or chainlead keeps for themselves: no district is added as one.
RESERVED_CODES = ("chainlead_city", "information_schema", "public", "main")
DISTRICT_CODE_FORM = N_(
    "expected a district code: a lowercase ASCII letter, then letters, digits or _ "
    "(at most 63), such as jiangning"
)


def check_district_code(field: str, value: object) -> str:
    """A district's code as typed (full-width letters folded, case folded): the name of
    its PostgreSQL schema; InvalidInput naming ``field`` otherwise."""
    code = typed(str(value)).strip().lower() if isinstance(value, str) else ""
    if not DISTRICT_CODE.fullmatch(code) or code.startswith("pg_"):
        raise InvalidInput(field, _(DISTRICT_CODE_FORM), value)
    return code


def check_new_district_code(field: str, value: str) -> str:
    """A code for a new district: a district code (``check_district_code``) that is not
    one of the schemas PostgreSQL or chainlead keep (``RESERVED_CODES``)."""
    code = check_district_code(field, value)
    if code in RESERVED_CODES:
        raise InvalidInput(field, _("a code of your own; this one is kept by chainlead"), value)
    return code
