"""Which column of a demand sheet holds which field: headers in Chinese or English.

The header row is found among the first rows (a sheet often has a title
row, or a two-row header, above it): the row whose cells name the most
fields. A header matches a field when, folded (NFKC, case, spaces, a
trailing ``*`` or ``:`` and a remark in brackets such as ``办理时限（天）``
ignored), it is one of the field's names below, or the name ``--map``
gives it:

.. code-block:: toml

    [columns]
    title = "存在困难"
    enterprise = ["单位名称", "企业"]
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from chainlead.errors import SheetRefused
from chainlead.i18n import _
from chainlead.intake.sheet import Row, column_letter
from chainlead.intake.values import as_text

# field -> the headers that name it (folded as ``fold`` does)
FIELDS: dict[str, tuple[str, ...]] = {
    "reference": (
        "诉求编号",
        "工单号",
        "工单编号",
        "问题编号",
        "事项编号",
        "台账编号",
        "reference",
        "ref",
        "referenceno",
    ),
    "enterprise": (
        "企业名称",
        "企业",
        "企业全称",
        "诉求企业",
        "提出企业",
        "反映企业",
        "enterprise",
        "company",
        "enterprisename",
    ),
    "title": (
        "诉求内容",
        "问题",
        "诉求",
        "诉求事项",
        "问题内容",
        "存在问题",
        "困难问题",
        "反映问题",
        "事项",
        "title",
        "demand",
        "issue",
    ),
    "detail": (
        "详细情况",
        "具体情况",
        "情况说明",
        "详细描述",
        "问题描述",
        "诉求详情",
        "问题详情",
        "detail",
        "details",
        "description",
    ),
    "unit": (
        "责任单位",
        "牵头单位",
        "承办单位",
        "办理单位",
        "责任部门",
        "牵头部门",
        "unit",
        "institution",
        "responsibleunit",
    ),
    "due": (
        "办理时限",
        "完成时限",
        "办结时限",
        "时限",
        "截止日期",
        "完成时间",
        "due",
        "duedate",
        "deadline",
        "timelimit",
    ),
    "raised": (
        "提出日期",
        "提出时间",
        "反映日期",
        "反映时间",
        "收集日期",
        "登记日期",
        "raised",
        "raisedon",
        "dateraised",
    ),
    "category": (
        "类别",
        "问题类别",
        "诉求类别",
        "问题类型",
        "诉求类型",
        "类型",
        "分类",
        "category",
        "type",
    ),
    "priority": ("优先级", "紧急程度", "重要程度", "priority"),
}

# Headers known and deliberately not taken: shown as such, never as "unknown". A bare
# 编号 or id is often a running number that starts again in every sheet: not a reference
# (--map names it one when it is).
IGNORED: tuple[str, ...] = (
    "序号",
    "编号",
    "id",
    "联系人",
    "联系电话",
    "联系方式",
    "手机",
    "备注",
    "办理情况",
    "办理进展",
    "进展情况",
    "状态",
    "所属产业链",
    "产业链",
    "no",
    "no.",
    "#",
    "contact",
    "phone",
    "remarks",
    "notes",
    "status",
)

LABELS: dict[str, str] = {
    "reference": "诉求编号/reference",
    "enterprise": "企业名称/enterprise",
    "title": "诉求内容/title",
    "detail": "详细情况/detail",
    "unit": "责任单位/unit",
    "due": "办理时限/due",
    "raised": "提出日期/raised",
    "category": "类别/category",
    "priority": "优先级/priority",
}

HEADER_SEARCH = 30  # the header row is looked for among the first rows
_BRACKETS = re.compile(r"[(\[（【].*?[)\]）】]")


def fold(text: str) -> str:
    """A header as it is matched: NFKC, case folded, no spaces, no trailing ``*``/``:``,
    no remark in brackets."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = "".join(folded.split())
    folded = folded.strip("*:：")
    bare = _BRACKETS.sub("", folded).strip("*:")
    return bare or folded


@dataclass(frozen=True)
class Column:
    """A column the intake takes: its position, its header as the sheet spells it."""

    field: str
    index: int
    header: str

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass(frozen=True)
class Columns:
    """The header row and what each of its columns is."""

    header_row: int  # the sheet row number of the header
    taken: dict[str, Column]  # field -> column
    ignored: tuple[str, ...]  # headers known and not taken, or not known ("D: 附件")

    def header(self, field: str) -> str:
        column = self.taken.get(field)
        return column.header if column else LABELS[field]


def load_map(path: str | Path) -> dict[str, tuple[str, ...]]:
    """``--map``: field -> the headers naming it in this sheet."""
    try:
        with Path(path).open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise SheetRefused(_("--map: no such file {path!r}").format(path=str(path))) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SheetRefused(_("--map: not a TOML file ({exc})").format(exc=exc)) from None
    except OSError as exc:
        raise SheetRefused(
            _("--map: cannot be read ({strerror})").format(strerror=exc.strerror or exc)
        ) from None
    columns = data.get("columns")
    unknown_tables = sorted(set(data) - {"columns"})
    if not isinstance(columns, dict) or unknown_tables:
        raise SheetRefused(
            _('--map: expected a [columns] table only, e.g. [columns] title = "存在困难"')
        )
    mapping: dict[str, tuple[str, ...]] = {}
    for field, given in columns.items():
        if field not in FIELDS:
            raise SheetRefused(
                f"--map: unknown field {field!r}; the fields are " + ", ".join(FIELDS)
            )
        names = (given,) if isinstance(given, str) else given
        if (
            not isinstance(names, list | tuple)
            or not names
            or not all(isinstance(n, str) and n.strip() for n in names)
        ):
            raise SheetRefused(
                _("--map: {field} must name a header, or a list of headers").format(field=field)
            )
        mapping[field] = tuple(names)
    return mapping


def _matcher(mapping: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """folded header -> field; a header named in ``--map`` wins over the built-in names."""
    known: dict[str, str] = {}
    for field, names in FIELDS.items():
        if field in mapping:
            continue  # --map says which column it is: the built-in names no longer apply
        for name in names:
            known[fold(name)] = field
    for field, names in mapping.items():
        for name in names:
            known[fold(name)] = field
    return known


def _headers(row: Row) -> list[tuple[int, str]]:
    found = []
    for index, value in enumerate(row.cells):
        try:
            text = as_text(value)
        except Exception:
            text = None
        if text and text.strip():
            found.append((index, " ".join(text.split())))
    return found


def find_columns(
    rows: Sequence[Row], *, mapping: Mapping[str, Sequence[str]] | None = None
) -> Columns:
    """The header row among the first ``HEADER_SEARCH`` rows and the columns it names.

    SheetRefused when no row names the title column, or a field is named twice.
    """
    mapping = mapping or {}
    known = _matcher(mapping)
    ignored = {fold(name) for name in IGNORED}
    best: tuple[int, Row] | None = None
    for row in rows[:HEADER_SEARCH]:
        fields = {known[fold(text)] for _, text in _headers(row) if fold(text) in known}
        if len(fields) >= 2 and "title" in fields and (best is None or len(fields) > best[0]):
            best = (len(fields), row)
    if best is None:
        looked = rows[:HEADER_SEARCH]
        for field, names in mapping.items():
            folded = {fold(name) for name in names}
            if not any(fold(text) in folded for row in looked for _, text in _headers(row)):
                shown = " or ".join(repr(n) for n in names)
                raise SheetRefused(
                    _(
                        "--map: no column {shown} for {field} in the first {HEADER_SEARCH} rows"
                    ).format(shown=shown, field=field, HEADER_SEARCH=HEADER_SEARCH)
                )
        wanted = ", ".join(LABELS[field] for field in ("title", "enterprise", "unit", "due"))
        seen = ", ".join(text for _, text in _headers(rows[0])) if rows else "nothing"
        raise SheetRefused(
            _(
                "no header row found in the first {HEADER_SEARCH} rows: expected "
                "headers such as {wanted} (first row: {seen}); name the columns "
                "with --map"
            ).format(HEADER_SEARCH=HEADER_SEARCH, wanted=wanted, seen=seen)
        )
    header = best[1]
    taken: dict[str, Column] = {}
    left: list[str] = []
    for index, text in _headers(header):
        key = fold(text)
        field = known.get(key)
        if field is None:
            if key not in ignored:
                left.append(f"{column_letter(index)} {text}")
            continue
        if field in taken:
            raise SheetRefused(
                _(
                    "row {number}: columns {letter} ({header}) and {column_letter} "
                    "({text}) both name {LABELS}; say which with --map, e.g. "
                    "[columns] {field} = {header!r}"
                ).format(
                    number=header.number,
                    letter=taken[field].letter,
                    header=taken[field].header,
                    column_letter=column_letter(index),
                    text=text,
                    LABELS=LABELS[field],
                    field=field,
                )
            )
        taken[field] = Column(field=field, index=index, header=text)
    for field, names in mapping.items():
        if field not in taken:
            shown = " or ".join(repr(n) for n in names)
            raise SheetRefused(
                _("--map: the header row (row {number}) has no column {shown} for {field}").format(
                    number=header.number, shown=shown, field=field
                )
            )
    return Columns(header_row=header.number, taken=taken, ignored=tuple(left))
