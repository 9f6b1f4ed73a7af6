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


# The Word bulletin (report monthly --docx): its masthead, sections and sentences.
LABELS["en"].update(
    {
        "docx_title": "Chain-leader system monthly bulletin",
        "docx_title_of": "{district}: {title}",
        "docx_issue": "No. {n}, {year}",
        "docx_date": "{day}",
        "docx_page": "Page {page} of {pages}",
        "docx_s1": "1. Overview",
        "docx_s2": "2. Progress by chain",
        "docx_s3": "3. Problems",
        "docx_s4": "4. Next steps",
        "docx_sub": "{section}.{n} ",
        "docx_meetings": "In {month}, {held} of the {expected} scheduling meetings expected "
        "were held.",
        "docx_missed": " Did not meet: {names}.",
        "docx_flow": "{raised} items were raised this month ({raised_prev} last month) and "
        "{resolved} resolved ({resolved_prev} last month): {on_time} on time and {late} late, "
        "an on-time rate of {rate} ({rate_prev} last month); {dropped} dropped, {reopened} "
        "reopened.",
        "docx_stock": "{open_at_start} items were open at the start of the month and "
        "{open_at_end} at its end, {overdue_at_end} of them overdue; the median time to "
        "resolve was {median}.",
        "docx_now": "As of {today}, {open} items are open: {red} red, {yellow} yellow and "
        "{green} green; {attention} need the chain leader.",
        "docx_chain_people": "Chain leader: {leader}. Responsible: {responsible}. "
        "Working team: {team} members.",
        "docx_meeting": "{kind} {key} was held on {day}{chair}.",
        "docx_visit": "{kind} {key} on {day}{chair}.",
        "docx_visit_chair": ", led by {chair}",
        "docx_chair": ", chaired by {chair}",
        "docx_no_meeting": "No scheduling meeting was held in {month}.",
        "docx_chain_figures": "This month {raised} items were raised and {resolved} resolved "
        "({on_time} on time). Now {open} are open: {red} red, {yellow} yellow, {green} green; "
        "{attention} need the chain leader.",
        "docx_raised": "Items raised",
        "docx_resolved": "Items resolved, and how",
        "docx_raised_line": "{key} {title} ({details})",
        "docx_due_on": "due {day}",
        "docx_more": "… and {n} more not listed here ({total} in all).",
        "docx_on_time_col": "On time",
        "docx_red_list": "Red items (overdue)",
        "docx_attention_line": "{key} {title} ({status}; {unit}; {over})",
        "docx_escalations": "Climbs up the supervision ladder",
        "docx_on_ladder": "Open items on the supervision ladder now: {total}.",
        "docx_ranking": "Institutions ranked",
        "docx_attention": "For the chain leaders to coordinate",
        "docx_due_soon": "Falling due within {days} days",
        "docx_due_soon_line": "{key} {title} ({chain}; {unit}; due {day})",
        "docx_meet_next": "Scheduling meetings to hold",
        "docx_meet_next_line": "Chains that did not hold their scheduling meeting in {month}: "
        "{names}.",
        "docx_nothing_pressing": "Nothing needs the chain leaders' attention.",
        "docx_scoreboard": "Table {n}. The chains at a glance",
        "docx_scoreboard_note": "Raised and resolved in {month}; open items and lights now, "
        "on {today}",
        "docx_total": "District total",
        "docx_meeting_col": "Meeting",
        "docx_met": "held",
        "docx_not_met": "missed",
        "docx_no_meeting_due": "–",
        "docx_done": "办结率 (items raised since 1 January {year} and resolved): {rate} "
        "({resolved} of {raised}); since records began {rate_all}. {escalated} open items "
        "are on the supervision ladder.",
        "docx_missed_line": "Did not hold their scheduling meeting: {names}.",
        "docx_open_start_col": "Open at start",
        "docx_on_time_rate_col": "On-time rate",
        "docx_done_year_col": "办结率 (year)",
        "docx_done_all_col": "办结率 (all)",
        "docx_done_counts_col": "Resolved / raised",
        "docx_lights_col": "Red / yellow / green",
        "docx_escalated_col": "Escalated",
        "docx_unit_col": "Unit",
        "docx_year_to_date": "Year to date",
        "docx_last_year": "Same month last year",
        "docx_chains_col": "Chains",
        "docx_key_figures": "Table {n}. Key figures reported at the meetings",
        "docx_key_figures_note": "Summed over the chains; {month}, the month before, "
        "the year to date and the same month a year before",
        "docx_red_count": "{n} items are past their time limit as of {today}, most days "
        "over first:",
        "docx_red_table": "Table {n}. Red items",
        "docx_red_table_note": "Open and past the time limit now, on {today}",
        "docx_days_over_col": "Days over",
        "docx_rank_col": "Rank",
        "docx_ranking_table": "Table {n}. Responsible institutions ranked",
        "docx_ranking_table_note": "Items raised in the year to the month's end; open and "
        "overdue now, on {today}",
        "docx_rule": "Ranked by {rule}. The year counts from {first}; a rate with nothing to "
        "count (–) ranks last.",
        "docx_rule_then": ", then ",
        "docx_rule_done_rate": "办结率 of the year (resolved ÷ raised, higher first)",
        "docx_rule_on_time_rate": "the year's on-time rate (higher first)",
        "docx_rule_resolved": "more items resolved",
        "docx_rule_unit": "name",
        "docx_sep": "; ",
        "docx_list_sep": ", ",
    }
)
LABELS["zh"].update(
    {
        "docx_title": "产业链链长制工作月报",
        "docx_issue": "{year}年第{n}期",
        "docx_date": "{year}年{mon}月{dom}日",
        "docx_page": "第 {page} 页 共 {pages} 页",
        "docx_s1": "一、总体情况",
        "docx_s2": "二、各产业链推进情况",
        "docx_s3": "三、存在问题",
        "docx_s4": "四、下步工作",
        "docx_sub": "（{cn}）",
        "docx_title_of": "{district}{title}",
        "docx_meetings": "{month}，应召开月度调度会{expected}场，实际召开{held}场。",
        "docx_missed": "{names}未召开。",
        "docx_flow": "本月新增堵点{raised}项（上月{raised_prev}项），解决{resolved}项"
        "（上月{resolved_prev}项），其中按期解决{on_time}项、超期解决{late}项，"
        "按期解决率{rate}（上月{rate_prev}）；不再推进{dropped}项，重新打开{reopened}项。",
        "docx_stock": "月初在办堵点{open_at_start}项，月末在办{open_at_end}项，"
        "其中逾期{overdue_at_end}项；解决用时中位数{median}。",
        "docx_now": "截至{today}，在办堵点{open}项，其中红灯{red}项、黄灯{yellow}项、"
        "绿灯{green}项，需链长协调{attention}项。",
        "docx_chain_people": "链长：{leader}；责任人：{responsible}；工作专班{team}人。",
        "docx_meeting": "{day}召开{kind}（{key}）{chair}。",
        "docx_visit": "{day}开展{kind}（{key}）{chair}。",
        "docx_visit_chair": "，{chair}带队",
        "docx_chair": "，{chair}主持",
        "docx_no_meeting": "{month}未召开月度调度会。",
        "docx_chain_figures": "本月新增堵点{raised}项，解决{resolved}项（按期{on_time}项）；"
        "当前在办{open}项，其中红灯{red}项、黄灯{yellow}项、绿灯{green}项，"
        "需链长协调{attention}项。",
        "docx_raised": "本月新增堵点",
        "docx_resolved": "本月解决堵点及解决方式",
        "docx_raised_line": "{key} {title}（{details}）",
        "docx_due_on": "时限{day}",
        "docx_more": "……另有{n}项未列出（共{total}项）。",
        "docx_on_time_col": "是否按期",
        "docx_red_list": "红灯堵点（已逾期）",
        "docx_attention_line": "{key} {title}（{status}；{unit}；{over}）",
        "docx_escalations": "督办升级情况",
        "docx_on_ladder": "当前在督办中的在办堵点共{total}项。",
        "docx_ranking": "责任单位排名",
        "docx_attention": "提请链长协调事项",
        "docx_due_soon": "{days}天内到期事项",
        "docx_due_soon_line": "{key} {title}（{chain}；{unit}；{day}到期）",
        "docx_meet_next": "月度调度会",
        "docx_meet_next_line": "{month}未召开月度调度会的产业链：{names}。",
        "docx_nothing_pressing": "暂无需链长协调的事项。",
        "docx_scoreboard": "表{n}  各产业链推进情况一览表",
        "docx_scoreboard_note": "（新增、解决为{month}数；在办及状态灯截至{today}）",
        "docx_total": "全区合计",
        "docx_meeting_col": "调度会",
        "docx_met": "已开",
        "docx_not_met": "未开",
        "docx_no_meeting_due": "—",
        "docx_done": "{year}年以来新增堵点{raised}项，已办结{resolved}项，办结率{rate}；"
        "有记录以来累计办结率{rate_all}。当前在督办中的堵点{escalated}项。",
        "docx_missed_line": "本月未召开调度会：{names}。",
        "docx_open_start_col": "月初在办",
        "docx_on_time_rate_col": "按期率",
        "docx_done_year_col": "年度办结率",
        "docx_done_all_col": "累计办结率",
        "docx_done_counts_col": "办结/新增",
        "docx_lights_col": "红/黄/绿灯",
        "docx_escalated_col": "督办",
        "docx_unit_col": "单位",
        "docx_year_to_date": "本年累计",
        "docx_last_year": "去年同月",
        "docx_chains_col": "产业链数",
        "docx_key_figures": "表{n}  调度会主要指标（全区合计）",
        "docx_key_figures_note": "（{month}、上月、本年累计及去年同月，按产业链加总）",
        "docx_red_count": "截至{today}，已超过办结时限的堵点共{n}项，按逾期天数排列如下：",
        "docx_red_table": "表{n}  红灯堵点清单",
        "docx_red_table_note": "（在办且已逾期，截至{today}）",
        "docx_days_over_col": "逾期天数",
        "docx_rank_col": "名次",
        "docx_ranking_table": "表{n}  责任单位办结情况排名",
        "docx_ranking_table_note": "（本年新增堵点截至月末的办结情况；在办、逾期截至{today}）",
        "docx_rule": "排名规则：按{rule}排列。年度自{first}起计；无可计比率（—）者排后。",
        "docx_rule_then": "，相同时按",
        "docx_rule_done_rate": "年度办结率（办结数÷新增数，高者在前）",
        "docx_rule_on_time_rate": "本年按期率（高者在前）",
        "docx_rule_resolved": "办结数（多者在前）",
        "docx_rule_unit": "单位名称",
        "docx_sep": "；",
        "docx_list_sep": "、",
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
