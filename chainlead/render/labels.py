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


# The A4 handout (HTML and PDF): masthead, running header, page numbers, the cut
# lists' words on paper, the annex and the issuing block.
LABELS["en"].update(
    {
        "handout_issue": "No. {n}",
        "handout_issuer": "{district} chain-leader working team",
        "handout_issuer_plain": "Chain-leader working team",
        "handout_date": "{day}",
        "handout_page": "Page {n} of {m}",
        "handout_more_annex": "… and {n} more, listed in the annex",
        "handout_more_cut": "… and {n} more, not listed here",
        "handout_attention": "Needs the chain leader (blocked, or over {days} days overdue)",
        "handout_attention_mark": "chain leader",
        "annex": "Annex: every item of each chain",
        "annex_open": "Open items",
        "compiled_by": "Compiled by",
        "reviewed_by": "Reviewed by",
        "signed_by": "Approved by",
        "tone_good": "better",
        "tone_bad": "worse",
        "axis_months": "Month",
        "axis_flow": "Items raised, resolved",
        "axis_open": "Open at month end",
    }
)
LABELS["zh"].update(
    {
        "handout_issue": "第{n}期",
        "handout_issuer": "{district}产业链链长制工作专班",
        "handout_issuer_plain": "产业链链长制工作专班",
        "handout_date": "{year}年{mon}月{dd}日",
        "handout_page": "第 {n} 页 共 {m} 页",
        "handout_more_annex": "另有{n}项见附件",
        "handout_more_cut": "另有{n}项未列出",
        "handout_attention": "需链长协调（受阻，或逾期超过{days}天）",
        "handout_attention_mark": "需链长协调",
        "annex": "附件：各产业链堵点清单",
        "annex_open": "在办堵点",
        "compiled_by": "编制",
        "reviewed_by": "审核",
        "signed_by": "签发",
        "tone_good": "好转",
        "tone_bad": "恶化",
        "axis_months": "月份",
        "axis_flow": "新增、解决（项）",
        "axis_open": "月末未解决（项）",
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
