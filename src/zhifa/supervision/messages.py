"""Interface texts of the supervision pages (zh is the default and must stay as it was; en for `lang=en`).

Registered by `zhifa.supervision.pages` with `add_messages(zh=ZH, en=EN)`. The bulletin PDF stays Chinese
(an official document) and uses none of these.
"""

from __future__ import annotations

from zhifa.supervision.model import SOURCE_LABELS_ZH, STATUS_LABELS_ZH
from zhifa.web.i18n import pick

STATUS_EN = {"assigned": "Assigned", "accepted": "Being handled", "completed": "Completed",
             "closed": "Closed after callback"}
SOURCE_EN = {"complaint": "Complaint", "inspection": "Inspection", "opinion_incident": "Public-opinion incident",
             "instruction": "Instruction from above", "overdue_case": "Overdue case"}
# the accountability measures are stored as their Chinese names (service.MEASURES); these are their English names
MEASURE_EN = {"诫勉谈话": "Admonishment talk", "通报批评": "Criticism by circular", "政务警告": "Administrative warning",
              "政务记过": "Administrative demerit", "政务降级": "Administrative demotion", "免职": "Removal from post",
              "开除公职": "Dismissal from public office", "党内警告": "Party warning",
              "党内严重警告": "Serious Party warning", "移交司法": "Transfer to judicial organs"}


def status_labels(lang: str) -> dict[str, str]:
    return {str(k): pick(lang, v, STATUS_EN.get(str(k), "")) for k, v in STATUS_LABELS_ZH.items()}


def source_labels(lang: str) -> dict[str, str]:
    return {str(k): pick(lang, v, SOURCE_EN.get(str(k), "")) for k, v in SOURCE_LABELS_ZH.items()}


def measure_label(lang: str, measure: str) -> str:
    return pick(lang, measure, MEASURE_EN.get(measure, ""))


ZH = {
    # shared
    "supervision.unit": "单位", "supervision.title_field": "标题", "supervision.name": "名称", "supervision.date": "日期",
    "supervision.reason": "事由", "supervision.kind": "方式", "supervision.start": "开始", "supervision.end": "结束",
    "supervision.filter": "筛选", "supervision.no_data": "无数据", "supervision.list_join": "、",
    "supervision.paren": "（{x}）", "supervision.unit_option": "{name}（{code}）", "supervision.overdue": "已超期",
    "supervision.organisational": "组织处理", "supervision.judicial": "移交司法机关",
    "supervision.bad_period": "统计期间格式应为 2022Q1、2022-03 或 2022",
    # work orders
    "supervision.orders.title": "督办工单", "supervision.orders.total": "共 {n} 件",
    "supervision.orders.all_statuses": "全部状态", "supervision.orders.number": "编号",
    "supervision.orders.source": "来源", "supervision.orders.unit": "承办单位", "supervision.orders.status": "状态",
    "supervision.orders.due": "办理时限", "supervision.orders.urged": "督办", "supervision.orders.reopened": "重办",
    "supervision.orders.empty": "暂无工单", "supervision.orders.new": "交办新工单",
    "supervision.orders.time_limit": "办理时限（工作日，默认10）", "supervision.orders.description": "事项说明",
    "supervision.orders.assign": "交办",
    # one work order
    "supervision.order.escalated": "已超期，已提级督办", "supervision.order.issued_by": "交办单位",
    "supervision.order.due_note": "{due}（工作日计算，{version}）", "supervision.order.description": "说明",
    "supervision.order.result": "办理结果", "supervision.order.callback": "回访",
    "supervision.order.satisfied": "满意", "supervision.order.dissatisfied": "不满意（已重新办理）",
    "supervision.order.accept": "承办", "supervision.order.urge": "督办", "supervision.order.complete": "办结",
    "supervision.order.callback_satisfied": "回访：满意", "supervision.order.callback_dissatisfied": "回访：不满意",
    "supervision.order.note": "说明", "supervision.order.history": "办理记录", "supervision.order.reason": "：{reason}",
    # inspections
    "supervision.inspections.title": "明查暗访", "supervision.inspections.rounds": "本年检查轮次",
    "supervision.inspections.findings": "发现问题", "supervision.inspections.rectified": "已整改",
    "supervision.inspections.rate": "整改率", "supervision.inspections.secret": "暗访",
    "supervision.inspections.open": "明查", "supervision.inspections.visited": "检查单位：{units}",
    "supervision.inspections.finding": "问题", "supervision.inspections.order": "整改工单",
    "supervision.inspections.rectification": "整改", "supervision.inspections.order_link": "工单",
    "supervision.inspections.rectified_on": "已整改 {date}", "supervision.inspections.confirm": "确认整改",
    "supervision.inspections.finding_placeholder": "发现的问题",
    "supervision.inspections.record": "记录问题并下发整改", "supervision.inspections.new": "新建检查轮次",
    "supervision.inspections.units": "检查单位代码（逗号分隔）", "supervision.inspections.create": "创建",
    # interviews and accountability
    "supervision.acc.title": "约谈与问责", "supervision.acc.total": "本年处理执法人员（人次）",
    "supervision.acc.interviews": "约谈记录", "supervision.acc.subject": "对象", "supervision.acc.interviewee": "约谈对象",
    "supervision.acc.record_interview": "记录约谈", "supervision.acc.records": "问责记录",
    "supervision.acc.officer": "人员", "supervision.acc.measure": "措施", "supervision.acc.officer_name": "人员姓名",
    "supervision.acc.case_id": "关联案件编号（可选）", "supervision.acc.decided_on": "决定日期",
    "supervision.acc.record": "记录问责",
    # joint operations
    "supervision.ops.title": "联合执法", "supervision.ops.heading": "联合执法专项行动",
    "supervision.ops.count": "本年行动", "supervision.ops.vehicles_checked": "检查车辆",
    "supervision.ops.vehicles_handled": "查处车辆", "supervision.ops.operation": "行动", "supervision.ops.period": "期间",
    "supervision.ops.partners": "协作部门", "supervision.ops.areas": "区域", "supervision.ops.checked": "检查",
    "supervision.ops.handled": "查处", "supervision.ops.cases": "案件", "supervision.ops.new": "登记行动",
    "supervision.ops.partners_input": "协作部门（顿号或逗号分隔）",
    "supervision.ops.partners_placeholder": "公安交警、文化市场执法支队", "supervision.ops.area_codes": "区域单位代码",
    "supervision.ops.case_ids": "关联案件编号", "supervision.ops.register": "登记",
    # ranking
    "supervision.ranking.title": "考核排名", "supervision.ranking.heading": "考核排名 · {period}",
    "supervision.ranking.pdf": "季度通报 PDF", "supervision.ranking.change": "切换期间",
    "supervision.ranking.formula": "公式（{version}）：综合得分 = 案件办结率×{w1} + 满意率×{w2} + 工单按时办结率×{w3} "
                                   "+ (1 − 每万辆车投诉数/{cap})×{w4}；无数据的项目不计入并按其余权重归一，×100。",
    "supervision.ranking.cities": "省辖市（含济源示范区）", "supervision.ranking.counties": "省直管县（市）",
    "supervision.ranking.rank": "名次", "supervision.ranking.score": "得分", "supervision.ranking.opened": "立案",
    "supervision.ranking.closed": "结案", "supervision.ranking.completion": "办结率",
    "supervision.ranking.satisfaction": "满意率", "supervision.ranking.on_time": "按时办结率",
    "supervision.ranking.complaints": "投诉", "supervision.ranking.per_10k": "每万辆车投诉",
}

EN = {
    # shared
    "supervision.unit": "Unit", "supervision.title_field": "Title", "supervision.name": "Name", "supervision.date": "Date",
    "supervision.reason": "Reason", "supervision.kind": "Type", "supervision.start": "Start", "supervision.end": "End",
    "supervision.filter": "Filter", "supervision.no_data": "No data", "supervision.list_join": ", ",
    "supervision.paren": " ({x})", "supervision.unit_option": "{name} ({code})", "supervision.overdue": "Overdue",
    "supervision.organisational": "Organisational handling", "supervision.judicial": "Transferred to judicial organs",
    "supervision.bad_period": "The period must look like 2022Q1, 2022-03 or 2022",
    # work orders
    "supervision.orders.title": "Work orders", "supervision.orders.total": "Orders: {n}",
    "supervision.orders.all_statuses": "All statuses", "supervision.orders.number": "Number",
    "supervision.orders.source": "Source", "supervision.orders.unit": "Handling unit", "supervision.orders.status": "Status",
    "supervision.orders.due": "Due", "supervision.orders.urged": "Urged", "supervision.orders.reopened": "Reopened",
    "supervision.orders.empty": "No work orders", "supervision.orders.new": "Assign a new work order",
    "supervision.orders.time_limit": "Time limit (working days, default 10)",
    "supervision.orders.description": "Description", "supervision.orders.assign": "Assign",
    # one work order
    "supervision.order.escalated": "Overdue, escalated", "supervision.order.issued_by": "Assigned by",
    "supervision.order.due_note": "{due} (counted in working days, {version})",
    "supervision.order.description": "Description", "supervision.order.result": "Result",
    "supervision.order.callback": "Callback", "supervision.order.satisfied": "Satisfied",
    "supervision.order.dissatisfied": "Dissatisfied (reopened)", "supervision.order.accept": "Accept",
    "supervision.order.urge": "Urge", "supervision.order.complete": "Complete",
    "supervision.order.callback_satisfied": "Callback: satisfied",
    "supervision.order.callback_dissatisfied": "Callback: dissatisfied", "supervision.order.note": "Note",
    "supervision.order.history": "History", "supervision.order.reason": ": {reason}",
    # inspections
    "supervision.inspections.title": "Open and secret inspections",
    "supervision.inspections.rounds": "Inspection rounds this year", "supervision.inspections.findings": "Findings",
    "supervision.inspections.rectified": "Rectified", "supervision.inspections.rate": "Rectification rate",
    "supervision.inspections.secret": "Secret", "supervision.inspections.open": "Open",
    "supervision.inspections.visited": "Units inspected: {units}", "supervision.inspections.finding": "Finding",
    "supervision.inspections.order": "Rectification order", "supervision.inspections.rectification": "Rectification",
    "supervision.inspections.order_link": "Order", "supervision.inspections.rectified_on": "Rectified {date}",
    "supervision.inspections.confirm": "Confirm rectification",
    "supervision.inspections.finding_placeholder": "What was found",
    "supervision.inspections.record": "Record the finding and order rectification",
    "supervision.inspections.new": "New inspection round",
    "supervision.inspections.units": "Codes of the units to inspect (comma-separated)",
    "supervision.inspections.create": "Create",
    # interviews and accountability
    "supervision.acc.title": "Interviews & accountability",
    "supervision.acc.total": "Officers held accountable this year (person-times)",
    "supervision.acc.interviews": "Interviews", "supervision.acc.subject": "Interviewee",
    "supervision.acc.interviewee": "Interviewee", "supervision.acc.record_interview": "Record the interview",
    "supervision.acc.records": "Accountability records", "supervision.acc.officer": "Officer",
    "supervision.acc.measure": "Measure", "supervision.acc.officer_name": "Officer's name",
    "supervision.acc.case_id": "Related case number (optional)", "supervision.acc.decided_on": "Decided on",
    "supervision.acc.record": "Record the decision",
    # joint operations
    "supervision.ops.title": "Joint operations", "supervision.ops.heading": "Joint enforcement operations",
    "supervision.ops.count": "Operations this year", "supervision.ops.vehicles_checked": "Vehicles checked",
    "supervision.ops.vehicles_handled": "Vehicles with violations dealt with", "supervision.ops.operation": "Operation",
    "supervision.ops.period": "Period", "supervision.ops.partners": "Partner agencies", "supervision.ops.areas": "Areas",
    "supervision.ops.checked": "Checked", "supervision.ops.handled": "Dealt with", "supervision.ops.cases": "Cases",
    "supervision.ops.new": "Register an operation",
    "supervision.ops.partners_input": "Partner agencies (separated by commas)",
    "supervision.ops.partners_placeholder": "Traffic police, cultural market enforcement",
    "supervision.ops.area_codes": "Unit codes of the areas", "supervision.ops.case_ids": "Related case numbers",
    "supervision.ops.register": "Register",
    # ranking
    "supervision.ranking.title": "Rankings", "supervision.ranking.heading": "Rankings · {period}",
    "supervision.ranking.pdf": "Quarterly bulletin (PDF)", "supervision.ranking.change": "Change period",
    "supervision.ranking.formula": "Formula ({version}): score = case completion rate × {w1} + satisfaction rate × {w2} "
                                   "+ on-time work-order rate × {w3} + (1 − complaints per 10,000 vehicles / {cap}) × "
                                   "{w4}; items without data are left out and the other weights renormalised, × 100.",
    "supervision.ranking.cities": "Prefecture-level cities (incl. Jiyuan demonstration zone)",
    "supervision.ranking.counties": "Counties (cities) directly administered by the province",
    "supervision.ranking.rank": "Rank", "supervision.ranking.score": "Score", "supervision.ranking.opened": "Cases opened",
    "supervision.ranking.closed": "Cases closed", "supervision.ranking.completion": "Completion rate",
    "supervision.ranking.satisfaction": "Satisfaction rate", "supervision.ranking.on_time": "On-time order rate",
    "supervision.ranking.complaints": "Complaints", "supervision.ranking.per_10k": "Complaints per 10,000 vehicles",
}
