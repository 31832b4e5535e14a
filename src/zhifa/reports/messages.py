"""Interface texts of the report pages and of the report's HTML export (zh as always, en for `lang=en`).

Imported by `zhifa.reports.pages` and `zhifa.reports.report` (the CLI renders the HTML export without
the web pages). The PDF is an official document and is always rendered in Chinese.
"""

from __future__ import annotations

from zhifa.web.i18n import add_messages

ZH = {
    "rep.scope": "统计范围", "rep.period": "统计期", "rep.year": "年度", "rep.unit": "单位", "rep.show": "生成",
    "rep.kind_year": "年报", "rep.kind_quarter": "季报", "rep.kind_month": "月报", "rep.no_data": "无数据",
    "rep.trend": "月度趋势", "rep.figures": "指标明细与同比", "rep.section": "章节", "rep.figure": "指标",
    "rep.unit_measure": "计量单位", "rep.previous": "上年同期", "rep.yoy": "同比", "rep.source": "数据来源",
    "rep.missing_table": "该功能尚未建表", "rep.value": "数值", "rep.ranking": "排名", "rep.rows": "明细记录",
    "rep.province": "全省",
    "rep.scope_is": "统计范围：{v}", "rep.period_is": "统计期：{v}", "rep.missing_note": "（该功能尚未建表）",
    "rep.review": "一、{period}执法工作回顾", "rep.section_head": "（{n}）{title}。",
    "rep.value_line": "数值：", "rep.source_line": "　数据来源：",
    "rep.own_rank": "{name}在全省排第{rank}名（共{of}个）",
    # the HTML export (standalone.html)
    "rep.x.sub": "统计范围：{unit}（{code}）· 统计期：{period} · 同比基期：{base}",
    "rep.x.charts": "图表", "rep.x.figures": "指标明细（含同比）", "rep.x.unit": "单位", "rep.x.current": "本期",
    "rep.x.yoy": "同比%",
}

EN = {
    "rep.scope": "Scope", "rep.period": "Period", "rep.year": "Year", "rep.unit": "Unit", "rep.show": "Show",
    "rep.kind_year": "Yearly", "rep.kind_quarter": "Quarterly", "rep.kind_month": "Monthly",
    "rep.no_data": "No data", "rep.trend": "Monthly trend", "rep.figures": "Figures and year-over-year change",
    "rep.section": "Section", "rep.figure": "Figure", "rep.unit_measure": "Unit of measure",
    "rep.previous": "Same period last year", "rep.yoy": "YoY", "rep.source": "Source",
    "rep.missing_table": "This capability has no table yet", "rep.value": "Value", "rep.ranking": "Ranking",
    "rep.rows": "Records",
    "rep.province": "Whole province",
    "rep.scope_is": "Scope: {v}", "rep.period_is": "Period: {v}", "rep.missing_note": " (no table yet)",
    "rep.review": "1. Review of enforcement work, {period}", "rep.section_head": "({n}) {title}. ",
    "rep.value_line": "Value: ", "rep.source_line": " Source: ",
    "rep.own_rank": "{name} ranks {rank} of {of} in the province",
    "rep.x.sub": "Scope: {unit} ({code}) · Period: {period} · YoY base period: {base}",
    "rep.x.charts": "Charts", "rep.x.figures": "Figures (with year-over-year change)", "rep.x.unit": "Unit",
    "rep.x.current": "This period", "rep.x.yoy": "YoY %",
}

add_messages(zh=ZH, en=EN)
