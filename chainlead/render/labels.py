"""The one label table of the reports, in English and Chinese.

Every heading, column name, figure name, light, status and meeting kind the
reports print comes from here; data (names, titles, units) is printed as
entered. A label may hold ``{placeholders}`` filled by ``Labels.__call__``.
"""

from __future__ import annotations

from typing import NamedTuple

from chainlead.vocabulary import LANGS

LABELS: dict[str, dict[str, str]] = {
    "en": {
        # titles and sections
        "monthly_title": "Monthly report",
        "overdue_title": "Overdue items",
        "month_heading": "{month}",
        "prepared": "Prepared {today}",
        "as_of_note": "Figures for {month}; open work and lights as of {today}.",
        "current_month_note": "{month} is still running: figures up to {as_of}.",
        "one_chain_note": "Chain {code} only.",
        "overview": "District overview",
        "trend": "Twelve-month trend",
        "chains": "Chains",
        "units": "Responsible institutions",
        "page": "Page",
        # overview
        "figure": "Figure",
        "this_month": "This month",
        "last_month": "Last month",
        "change": "Change",
        "chains_active": "Chains active",
        "meetings": "Scheduling meetings held / expected",
        "open_at_start": "Open at the start of the month",
        "raised": "Raised",
        "resolved": "Resolved",
        "resolved_split": "{on_time} on time, {late} late",
        "dropped": "Dropped",
        "reopened": "Reopened",
        "open_at_end": "Open at the end of the month",
        "overdue_at_end": "Overdue at the end of the month",
        "on_time_rate": "On-time resolution rate",
        "median_days_to_resolve": "Median days to resolve",
        "days_value": "{n} d",
        "unchanged": "=",
        # trend
        "month": "Month",
        "trend_raised": "Raised",
        "trend_resolved": "Resolved",
        "trend_open": "Open at month end",
        # chain panel
        "chain_leader": "Chain leader",
        "responsible": "Responsible",
        "team": "Working team",
        "team_size": "{n} members",
        "archived": "archived {day}",
        "chain_light": "Light",
        "chain_month_counts": "{raised} raised, {resolved} resolved ({on_time} on time)",
        "chain_now_counts": "{open} open: {red} red, {yellow} yellow, {green} green; "
        "{attention} need the chain leader",
        "now": "Now",
        "meeting_line": "{kind} {key}, held {day}",
        "chair": "Chair",
        "attendees": "Attendees",
        "summary": "Summary",
        "decisions": "Decisions",
        "fulfilment": "Decisions carried out",
        "fulfilment_value": "{rate} ({done} of {total}) by {by}",
        "by_meeting": "{key} on {day}",
        "by_today": "today, {day}",
        "no_action": "no action yet",
        "key_figures": "Key figures",
        "figure_name": "Figure",
        "value": "Value",
        "no_meeting": "No scheduling meeting recorded for {month}.",
        "not_expected": "Not expected to meet in {month}.",
        "items_raised": "Items raised this month",
        "items_resolved": "Items resolved this month",
        "items_open": "Open items",
        "items_attention": "Needs the chain leader (blocked, or over {days} days overdue)",
        "nothing": "None.",
        "more": "… and {n} more: {command}",
        # item columns
        "key": "Key",
        "item": "Item",
        "enterprise": "Enterprise",
        "unit": "Responsible unit",
        "owner": "Owner",
        "status": "Status",
        "light": "Light",
        "due": "Due",
        "raised_on": "Raised",
        "resolved_on": "Resolved",
        "days": "Days",
        "how": "How it was resolved",
        "time_limit": "Time limit",
        "days_over": "{n} d over",
        "days_left": "{n} d left",
        "due_today": "due today",
        "days_early": "{n} d early",
        "days_late": "{n} d late",
        "on_the_day": "on the day",
        "now_status": "now {status}",
        # institutions
        "institution": "Institution",
        "open_now": "Open now",
        "resolved_month": "Resolved this month",
        "on_time": "On time",
        "overdue_now": "Overdue now",
        "longest_overdue": "Longest overdue",
        # moved time limits (reports.time_limits)
        "extensions_row": "Extensions",
        "chain_limit_counts": "{extensions} approved, {days} d added; "
        "{on_time} of {resolved} resolved by the first limit",
        "units_limits": "Moved time limits",
        "extensions_col": "Extensions",
        "days_added": "Days added",
        "on_time_original": "On time (first limit)",
        # overdue report
        "chain": "Chain",
        "escalate_to": "Chain leader",
        "escalate": "escalate",
        "overdue_total": "{n} overdue items",
        "overdue_none": "No overdue items.",
        "unit_total": "{n} overdue",
        # lights
        "light_red": "red",
        "light_yellow": "yellow",
        "light_green": "green",
        "light_on_time": "on time",
        "light_late": "late",
        "light_none": "-",
        "light_suspended": "suspended",
        # statuses
        "status_open": "open",
        "status_in_progress": "in progress",
        "status_blocked": "blocked",
        "status_resolved": "resolved",
        "status_closed": "closed",
        "status_dropped": "dropped",
        # meeting kinds
        "kind_scheduling": "Scheduling meeting",
        "kind_breakfast": "Breakfast meeting",
        "kind_salon": "Salon",
        "kind_visit": "Visit",
        "kind_other": "Meeting",
        "yes": "yes",
        "no": "no",
    },
    "zh": {
        "monthly_title": "产业链链长制月度报告",
        "overdue_title": "逾期堵点清单",
        "month_heading": "{year}年{mon}月",
        "prepared": "编制日期：{today}",
        "as_of_note": "统计月份：{month}；在办事项与状态灯截至{today}。",
        "current_month_note": "{month}尚未结束：数据截至{as_of}。",
        "one_chain_note": "仅含产业链{code}。",
        "overview": "全区概况",
        "trend": "近十二个月趋势",
        "chains": "各产业链情况",
        "units": "责任单位督办情况",
        "page": "页",
        "figure": "指标",
        "this_month": "本月",
        "last_month": "上月",
        "change": "变化",
        "chains_active": "在册产业链",
        "meetings": "月度调度（已开／应开）",
        "open_at_start": "月初未解决堵点",
        "raised": "新增堵点",
        "resolved": "已解决",
        "resolved_split": "按期{on_time}项，超期{late}项",
        "dropped": "不再推进",
        "reopened": "重新打开",
        "open_at_end": "月末未解决堵点",
        "overdue_at_end": "月末逾期",
        "on_time_rate": "按期解决率",
        "median_days_to_resolve": "解决用时中位数",
        "days_value": "{n}天",
        "unchanged": "持平",
        "month": "月份",
        "trend_raised": "新增",
        "trend_resolved": "解决",
        "trend_open": "月末未解决",
        "chain_leader": "链长",
        "responsible": "责任人",
        "team": "工作专班",
        "team_size": "{n}人",
        "archived": "已于{day}归档",
        "chain_light": "状态灯",
        "chain_month_counts": "新增{raised}项，解决{resolved}项（按期{on_time}项）",
        "chain_now_counts": "在办{open}项：红灯{red}项、黄灯{yellow}项、绿灯{green}项；"
        "需链长协调{attention}项",
        "now": "当前",
        "meeting_line": "{kind} {key}，{day}召开",
        "chair": "主持",
        "attendees": "参会",
        "summary": "会议摘要",
        "decisions": "议定事项",
        "fulfilment": "决议落实率",
        "fulfilment_value": "{rate}（{done}/{total}项，截至{by}）",
        "by_meeting": "{key}召开日{day}",
        "by_today": "{day}",
        "no_action": "尚未交办",
        "key_figures": "主要指标",
        "figure_name": "指标",
        "value": "数值",
        "no_meeting": "{month}未记录月度调度会。",
        "not_expected": "{month}不需召开月度调度会。",
        "items_raised": "本月新增堵点",
        "items_resolved": "本月已解决堵点",
        "items_open": "在办堵点",
        "items_attention": "需链长协调（受阻，或逾期超过{days}天）",
        "nothing": "无。",
        "more": "……另有{n}项：{command}",
        "key": "编号",
        "item": "堵点",
        "enterprise": "企业",
        "unit": "责任单位",
        "owner": "经办人",
        "status": "状态",
        "light": "状态灯",
        "due": "办结时限",
        "raised_on": "提出日期",
        "resolved_on": "解决日期",
        "days": "用时（天）",
        "how": "解决方式",
        "time_limit": "时限",
        "days_over": "逾期{n}天",
        "days_left": "剩余{n}天",
        "due_today": "今日到期",
        "days_early": "提前{n}天",
        "days_late": "超期{n}天",
        "on_the_day": "当日办结",
        "now_status": "现{status}",
        "institution": "责任单位",
        "open_now": "在办",
        "resolved_month": "本月解决",
        "on_time": "按期率",
        "overdue_now": "当前逾期",
        "longest_overdue": "最长逾期",
        "extensions_row": "延期",
        "chain_limit_counts": "批准延期{extensions}项，延长{days}天；"
        "按原定时限解决{on_time}项（共{resolved}项）",
        "units_limits": "时限调整",
        "extensions_col": "延期次数",
        "days_added": "延长天数",
        "on_time_original": "原时限按期率",
        "chain": "产业链",
        "escalate_to": "链长",
        "escalate": "提请链长",
        "overdue_total": "共{n}项逾期",
        "overdue_none": "没有逾期堵点。",
        "unit_total": "逾期{n}项",
        "light_red": "红灯",
        "light_yellow": "黄灯",
        "light_green": "绿灯",
        "light_on_time": "按期",
        "light_late": "超期",
        "light_none": "—",
        "light_suspended": "挂起",
        "status_open": "待办",
        "status_in_progress": "办理中",
        "status_blocked": "受阻",
        "status_resolved": "已解决",
        "status_closed": "已销号",
        "status_dropped": "不再推进",
        "kind_scheduling": "月度调度会",
        "kind_breakfast": "早餐会",
        "kind_salon": "沙龙",
        "kind_visit": "走访",
        "kind_other": "会议",
        "yes": "是",
        "no": "否",
    },
}

# The supervision ladder (督办).
LABELS["en"].update(
    {
        "level": "Level",
        "ladder": "Supervision ladder",
        "ladder_level": "{level} {name}",
        "ladder_open": "Open items by level now",
        "ladder_climbs": "Steps up the ladder in {month}",
        "ladder_none": "No open item is on the ladder.",
        "ladder_no_climbs": "No item climbed this month.",
        "ladder_when": "When",
        "ladder_step": "Step",
        "ladder_why": "Why",
        "ladder_supervised": "rule",
        "ladder_escalated": "by hand",
        "ladder_total": "Total",
    }
)
LABELS["zh"].update(
    {
        "level": "督办级别",
        "ladder": "督办情况",
        "ladder_level": "{level} {name}",
        "ladder_open": "当前在办堵点督办级别",
        "ladder_climbs": "{month}督办升级",
        "ladder_none": "没有在督办中的堵点。",
        "ladder_no_climbs": "本月没有升级的堵点。",
        "ladder_when": "日期",
        "ladder_step": "升级",
        "ladder_why": "依据",
        "ladder_supervised": "按规则",
        "ladder_escalated": "人工提级",
        "ladder_total": "合计",
    }
)

# The enterprises still to be asked (report follow-ups), and satisfaction (满意率).
LABELS["en"].update(
    {
        "followups_title": "Enterprises to call back",
        "followups_total": "{n} item{s} over {days} d since resolved",
        "followups_none": "Every enterprise of an item resolved over {days} d ago was asked.",
        "followups_person_total": "{n} item{s}",
        "followups_nobody": "no owner or responsible person",
        "followups_ask": "To ask",
        "followups_days": "{n} d",
        "followups_since": "Since",
        "satisfaction": "Satisfaction",
        "satisfaction_col": "Satisfied",  # the institutions' column on the terminal
        "satisfaction_counts": "{rate} ({satisfied} of {asked} follow-ups satisfied)",
    }
)
LABELS["zh"].update(
    {
        "followups_title": "待回访企业",
        "followups_total": "解决超过{days}天未回访{n}项",
        "followups_none": "解决超过{days}天的堵点均已回访。",
        "followups_person_total": "{n}项",
        "followups_nobody": "无责任人",
        "followups_ask": "待回访",
        "followups_days": "{n}天",
        "followups_since": "已过",
        "satisfaction": "满意率",
        "satisfaction_col": "满意率",
        "satisfaction_counts": "{rate}（回访{asked}次，满意及基本满意{satisfied}次）",
    }
)


# The district scoreboard (一览表), key figures' totals, red list (红灯清单),
# institution ranking (责任单位排名), the team's notes, and the time bases the
# tables' headings name (render.report_scoreboard).
LABELS["en"].update(
    {
        "base_month_end": "at month end ({day})",
        "base_to_date": "to date ({day})",
        "base_now": "now, on {day}",
        "base_year": "year to date ({first} to {last})",
        "base_both": "month {month}; open work {now}",
        "sb_title": "District scoreboard",
        "sb_title_chain": "Scoreboard",
        "sb_base": "{month} {base}; lights and ladder {now}",
        "sb_chain": "Chain",
        "sb_leader": "Chain leader",
        "sb_meeting": "Meeting",
        "sb_open_at_start": "Open at start",
        "sb_raised": "New",
        "sb_resolved": "Resolved",
        "sb_done_year": "Done rate, year",
        "sb_done_all": "Done rate, all",
        "sb_on_time": "On time",
        "sb_lights": "Red yellow green",
        "sb_escalated": "On the ladder",
        "sb_satisfaction": "Satisfied",
        "sb_held": "held",
        "sb_missed": "missed",
        "sb_not_due": "–",
        "sb_total": "District total",
        "sb_archived": "archived {day}",
        "sb_missed_line": "No scheduling meeting in {month}: {chains}.",
        "sb_missed_none": "Every active chain held its scheduling meeting in {month}.",
        "sb_chain_name": "{name} ({code})",
        "sb_list_sep": ", ",
        "sb_note": "Done rate = items resolved ÷ items raised (dropped items aside), from "
        "1 January and since records began; on the ladder = open items under supervision "
        "(督办) now.",
        "kf_title": "Key figures, district totals",
        "kf_title_chain": "Key figures",
        "kf_base": "by month, as the chains' meetings reported them",
        "kf_unit": "Unit",
        "kf_this_month": "{month}",
        "kf_last_month": "Month before",
        "kf_year": "Year to date",
        "kf_last_year": "Same month last year",
        "kf_chains": "Chains",
        "kf_none": "No key figures reported for {month} or the month before.",
        "red_title": "Red list",
        "red_count": "{n} items",
        "red_none": "No red items.",
        "red_days": "Days over",
        "red_level": "Supervision",
        "red_no_level": "–",
        "red_more": "… and {n} more red items, not listed here.",
        "rank_title": "Institution ranking",
        "rank_rank": "Rank",
        "rank_raised": "Raised",
        "rank_resolved": "Resolved",
        "rank_done": "Done rate",
        "rank_made": "Resolutions",
        "rank_on_time": "On-time rate",
        "rank_rule": "Ranked by done rate (items raised this year and resolved ÷ items "
        "raised this year, dropped items aside), then by the on-time rate of the year's "
        "resolutions, then by more items resolved, then by name; no two share a place; "
        "a rate with nothing to count comes last.",
        "notes_problems": "Problems",
        "notes_next_steps": "Next steps",
        "notes_none": "None given.",
    }
)
# Excel workbooks (render.xlsx, render.report_xlsx): sheet names, titles, column heads.
LABELS["en"].update(
    {
        "xlsx_ledger": "Bottleneck ledger",
        "xlsx_summary": "Summary",
        "xlsx_exported": "Exported {at}",
        "xlsx_page_of": "Page {page} of {pages}",
        "xlsx_chain_name": "Chain name",
        "xlsx_items": "Items",
        "xlsx_total": "Total",
        "xlsx_priority": "Priority",
        "xlsx_priority_low": "low",
        "xlsx_priority_normal": "normal",
        "xlsx_priority_high": "high",
        "xlsx_priority_urgent": "urgent",
        "xlsx_category": "Category",
        "xlsx_source": "Source",
        "xlsx_first_due": "First time limit",
        "xlsx_days_open": "Days open",
        "xlsx_days_over": "Days over (negative: left)",
        "xlsx_urges": "Urges",
        "xlsx_suspended_on": "Suspended on",
        "xlsx_link": "Chain link",
        "xlsx_days_to_resolve": "Days to resolve",
        "xlsx_scoreboard": "Scoreboard",
        "xlsx_on_time_count": "Resolved on time",
        "xlsx_chain_ledger": "{code} {name}: items open now and resolved in {month}",
        "xlsx_longest_key": "Longest overdue item",
    }
)
LABELS["zh"].update(
    {
        "base_month_end": "月末（{day}）",
        "base_to_date": "截至{day}",
        "base_now": "截至{day}",
        "base_year": "本年累计（{first}至{last}）",
        "base_both": "当月数据{month}；在办事项{now}",
        "sb_title": "全区产业链一览表",
        "sb_title_chain": "产业链一览表",
        "sb_base": "{month}{base}；状态灯与督办{now}",
        "sb_chain": "产业链",
        "sb_leader": "链长",
        "sb_meeting": "调度会",
        "sb_open_at_start": "月初在办",
        "sb_raised": "新增",
        "sb_resolved": "解决",
        "sb_done_year": "本年办结率",
        "sb_done_all": "累计办结率",
        "sb_on_time": "按期率",
        "sb_lights": "红/黄/绿灯",
        "sb_escalated": "督办中",
        "sb_satisfaction": "满意率",
        "sb_held": "已开",
        "sb_missed": "未开",
        "sb_not_due": "–",
        "sb_total": "全区合计",
        "sb_archived": "{day}撤销",
        "sb_missed_line": "{month}未召开调度会：{chains}。",
        "sb_missed_none": "{month}各产业链均已召开调度会。",
        "sb_chain_name": "{name}（{code}）",
        "sb_list_sep": "、",
        "sb_note": "办结率＝已办结数÷受理数（撤销事项除外），分本年累计与历年累计；"
        "督办中＝在督办层级上的在办堵点。",
        "kf_title": "全区主要指标",
        "kf_title_chain": "主要指标",
        "kf_base": "按月，各链调度会报送",
        "kf_unit": "单位",
        "kf_this_month": "{month}",
        "kf_last_month": "上月",
        "kf_year": "本年累计",
        "kf_last_year": "上年同月",
        "kf_chains": "报送链数",
        "kf_none": "{month}及上月均无报送的主要指标。",
        "red_title": "红灯清单",
        "red_count": "共{n}项",
        "red_none": "没有红灯堵点。",
        "red_days": "超期天数",
        "red_level": "督办级别",
        "red_no_level": "–",
        "red_more": "……另有{n}项红灯堵点未列出。",
        "rank_title": "责任单位排名",
        "rank_rank": "名次",
        "rank_raised": "受理",
        "rank_resolved": "办结",
        "rank_done": "办结率",
        "rank_made": "本年解决",
        "rank_on_time": "按期率",
        "rank_rule": "排名规则：按办结率（本年受理且已办结数÷本年受理数，撤销事项除外）"
        "从高到低；相同时按本年解决事项的按期率从高到低；仍相同时办结数多者在前；"
        "再相同按单位名称排序；不并列；无可计算比率者排在最后。",
        "notes_problems": "存在问题",
        "notes_next_steps": "下步工作",
        "notes_none": "无。",
    }
)
LABELS["zh"].update(
    {
        "xlsx_ledger": "堵点台账",
        "xlsx_summary": "汇总",
        "xlsx_exported": "导出时间：{at}",
        "xlsx_page_of": "第 {page} 页 共 {pages} 页",
        "xlsx_chain_name": "产业链名称",
        "xlsx_items": "堵点数",
        "xlsx_total": "合计",
        "xlsx_priority": "优先级",
        "xlsx_priority_low": "低",
        "xlsx_priority_normal": "一般",
        "xlsx_priority_high": "高",
        "xlsx_priority_urgent": "紧急",
        "xlsx_category": "类别",
        "xlsx_source": "来源",
        "xlsx_first_due": "原定时限",
        "xlsx_days_open": "已办天数",
        "xlsx_days_over": "逾期天数（负数为剩余）",
        "xlsx_urges": "催办次数",
        "xlsx_suspended_on": "挂起日期",
        "xlsx_link": "产业链环节",
        "xlsx_days_to_resolve": "解决用时（天）",
        "xlsx_scoreboard": "一览表",
        "xlsx_on_time_count": "按期解决",
        "xlsx_chain_ledger": "{code} {name}：当前在办及{month}解决的堵点",
        "xlsx_longest_key": "最长逾期堵点",
    }
)


class Labels(NamedTuple):
    """Labels of one language: ``labels("raised")``, ``labels.light("red")``."""

    lang: str

    def __call__(self, name: str, /, **values: object) -> str:
        text = LABELS[self.lang][name]
        return text.format(**values) if values else text

    def light(self, value: str) -> str:
        return self(f"light_{value}")

    def status(self, value: str) -> str:
        return self(f"status_{value}")

    def kind(self, value: str) -> str:
        return self(f"kind_{value}") if f"kind_{value}" in LABELS[self.lang] else value

    def month(self, month: str) -> str:
        """A ``YYYY-MM`` month as a heading: ``2026-10`` or ``2026年10月``."""
        return self("month_heading", month=month, year=month[:4], mon=int(month[5:7]))


def labels_for(lang: str) -> Labels:
    """The labels of ``lang`` (en or zh)."""
    if lang not in LANGS:
        from chainlead.errors import InvalidInput

        raise InvalidInput("--lang", "expected en or zh", lang)
    return Labels(lang)
