"""Interface texts of the 布控拦截 pages (zh is the default and must stay as it was; en for `lang=en`).

Registered by `zhifa.interception.pages` with `add_messages(zh=ZH, en=EN)`. Labels of codes that live in
data (plate colours, sources, statuses, outcomes) are the `(zh, en)` maps below, used through `labels_for`.
"""

from __future__ import annotations

from zhifa.interception.model import FORWARDED_LABELS_ZH, OUTCOME_LABELS_ZH, TASK_STATUS_LABELS_ZH
from zhifa.web.i18n import labels, labels_from

COLOR = {"blue": ("蓝", "Blue"), "yellow": ("黄", "Yellow"), "black": ("黑", "Black"), "white": ("白", "White"),
         "green": ("绿", "Green"), "yellow_green": ("黄绿", "Yellow-green"), "blue_white": ("蓝白", "Blue-white")}
SOURCE = {"manual": ("人工", "Manual"), "detector": ("检测线索", "Detection lead"), "forwarded": ("抄告", "Forwarded"),
          "credit": ("信用", "Credit")}
EFFECTIVE = {"active": ("生效", "Active"), "expired": ("已过期", "Expired"), "revoked": ("已撤销", "Revoked"),
             "pending": ("未生效", "Not yet active")}
OUTCOME_EN = {"intercepted": "Intercepted", "not_seen": "Not seen", "released": "Released", "false_hit": "False hit"}
TASK_STATUS_EN = {"open": "Open", "answered": "Answered", "withdrawn": "Withdrawn"}
FORWARDED_EN = {"received": "Received", "assigned": "Assigned", "handling": "Being handled", "closed": "Closed"}


def labels_for(lang: str) -> dict[str, dict[str, str]]:
    """The code → label maps the templates use (`labels.color`, `labels.outcome`, …), in `lang`."""
    return {"color": labels(COLOR, lang), "source": labels(SOURCE, lang), "effective": labels(EFFECTIVE, lang),
            "outcome": labels_from(OUTCOME_LABELS_ZH, OUTCOME_EN, lang),
            "task_status": labels_from(TASK_STATUS_LABELS_ZH, TASK_STATUS_EN, lang),
            "forwarded": labels_from(FORWARDED_LABELS_ZH, FORWARDED_EN, lang)}


ZH = {
    # shared
    "interception.plate": "车牌", "interception.plate_no": "车牌号", "interception.color": "颜色",
    "interception.status": "状态", "interception.search": "查询", "interception.filter": "筛选",
    "interception.all": "全部", "interception.unit": "单位", "interception.priority": "优先级",
    "interception.validity": "有效期", "interception.to": "至", "interception.csv_file": "CSV 文件",
    "interception.partial": "仅导入正确行", "interception.import": "导入", "interception.auto_refresh": "每 5 秒自动刷新",
    "interception.list_join": "、", "interception.list_sep": "；", "interception.no_data": "暂无数据",
    # flash messages
    "interception.msg.bad_valid_to": "截止时间格式无效", "interception.msg.watch_added": "已布控 {plate}",
    "interception.msg.csv_unreadable": "无法读取 CSV 文件", "interception.msg.row_error": "第{n}行: {message}",
    "interception.msg.import_refused": "导入 {imported} 条，{errors} 行有误，未导入任何记录。{detail}",
    "interception.msg.import_partial": "导入 {imported} 条，{errors} 行有误。{detail}",
    "interception.msg.imported": "已导入 {n} 条", "interception.msg.revoked": "已撤销布控",
    "interception.msg.outcome": "{plate} 已反馈：{outcome}", "interception.msg.unknown_verb": "未知操作",
    "interception.msg.saved": "已保存",
    "interception.msg.whitelist_refused": "{errors} 行有误，未导入任何记录。{detail}",
    "interception.msg.whitelist_partial": "{errors} 行有误。{detail}",
    "interception.msg.whitelist_imported": "新增 {inserted} 条，更新 {updated} 条",
    # watch-list
    "interception.watch.title": "布控名单", "interception.watch.total": "共 {n} 条（每次查询均记入审计）",
    "interception.watch.reason": "事由", "interception.watch.basis_case": "依据/案号", "interception.watch.source": "来源",
    "interception.watch.revoke_reason": "撤销理由", "interception.watch.revoke": "撤销",
    "interception.watch.empty": "暂无布控", "interception.watch.add": "新增布控",
    "interception.watch.plate_color": "车牌颜色", "interception.watch.add_reason": "布控事由",
    "interception.watch.legal_basis": "法律依据", "interception.watch.case_no": "案件编号",
    "interception.watch.approver": "审批人", "interception.watch.p1": "1 紧急", "interception.watch.p2": "2 一般",
    "interception.watch.p3": "3 关注", "interception.watch.valid_to": "截止时间（必填）",
    "interception.watch.scope_stations": "限定收费站（逗号分隔，可空）",
    "interception.watch.scope_hours": "限定时段（如 22:00-06:00，可空）", "interception.watch.submit": "布控",
    "interception.watch.import": "批量导入（CSV）",
    "interception.watch.import_hint": "列：entry_id, plate, plate_color, reason, source, issued_by_unit, priority, "
                                      "valid_from, valid_to, status；可选 legal_basis, case_no, approver, "
                                      "scope_stations, scope_hours。有错误行时默认不导入任何一行。",
    # one watch-list entry
    "interception.detail.title": "布控 {plate}", "interception.detail.heading": "布控 {plate}（{color}）",
    "interception.detail.line1": "事由：{reason}；来源：{source}；单位：{unit}；优先级 {priority}",
    "interception.detail.line2": "依据：{basis}；案号：{case_no}；审批人：{approver}",
    "interception.detail.validity": "有效期：{start} 至 {end}", "interception.detail.stations": "；限定站点 {stations}",
    "interception.detail.hours": "；时段 {hours}", "interception.detail.hits": "命中记录",
    "interception.detail.time": "时间", "interception.detail.place": "地点", "interception.detail.kind": "类型",
    "interception.detail.plate_read": "识别车牌", "interception.detail.match": "匹配",
    "interception.detail.confidence": "置信度", "interception.detail.late": "迟到",
    "interception.detail.whitelist": "客运白名单", "interception.detail.gantry": "门架",
    "interception.detail.entry": "入口", "interception.detail.exit": "出口", "interception.detail.exact": "精确",
    "interception.detail.lookalike": "近似", "interception.detail.late_by": "是（{s} 秒）",
    "interception.detail.listed": "在册", "interception.detail.not_listed": "未在册",
    "interception.detail.no_hits": "暂无命中",
    # tasks panel, live view, station
    "interception.tasks.station": "收费站", "interception.tasks.eta": "预计到达", "interception.tasks.deadline": "反馈时限",
    "interception.tasks.outcome": "反馈", "interception.tasks.escalation": "升级",
    "interception.tasks.distance": "（{km} 公里）", "interception.tasks.overdue": "已超时",
    "interception.tasks.findings": "查获情况", "interception.tasks.case_no": "案件号", "interception.tasks.reason": "理由",
    "interception.tasks.reason_for": "{label}理由", "interception.tasks.empty": "暂无待处置任务",
    "interception.live.title": "实时态势", "interception.live.heading": "布控车辆实时态势",
    "interception.live.tasks": "待处置拦截任务",
    "interception.live.open_tasks": "；待处置任务 {n}",  # appended by assets/live.js to a map tooltip
    "interception.station.title": "本站拦截任务", "interception.station.heading_at": "本站拦截任务（{name}）",
    # figures
    "interception.figures.title": "拦截统计", "interception.figures.heading": "布控拦截统计",
    "interception.figures.no_late": "无一延迟", "interception.figures.late": "超时反馈 {n} 件",
    "interception.figures.by": "维度", "interception.figures.by_city": "按市",
    "interception.figures.by_station": "按收费站", "interception.figures.by_team": "按队伍",
    "interception.figures.days": "天数", "interception.figures.days_unit": "天", "interception.figures.show": "统计",
    "interception.figures.name": "名称", "interception.figures.watch_issued": "本市布控",
    "interception.figures.hit_records": "本市布控命中记录", "interception.figures.watch_count": "布控车辆",
    "interception.figures.hits": "命中", "interception.figures.tasks": "任务", "interception.figures.answered": "已反馈",
    "interception.figures.intercepted": "查获", "interception.figures.false_hits": "误报",
    "interception.figures.rate": "命中查获率", "interception.figures.median": "响应中位（分钟）",
    "interception.figures.late_col": "超时", "interception.figures.no_team": "(无队伍){unit}",
    "interception.figures.note": "任务类指标按任务下发的收费站计；“命中”为产生任务的命中次数（每次拦截一次），"
                                 "命中查获率 = 查获 / 命中。",
    "interception.figures.completion": "抄告线索办结率", "interception.figures.received": "接收",
    "interception.figures.closed": "办结", "interception.figures.on_time": "按期办结",
    "interception.figures.overdue_open": "逾期未结", "interception.figures.completion_rate": "办结率",
    "interception.figures.no_forwarded": "暂无抄告",
    # forwarded leads
    "interception.forwarded.title": "抄告线索",
    "interception.forwarded.hint": "外省、外单位抄告的线索在此分派、办理、办结；系统对接见接口文档（/docs）",
    "interception.forwarded.source_unit": "来文单位", "interception.forwarded.ref": "编号",
    "interception.forwarded.category": "类别", "interception.forwarded.vehicle": "车辆",
    "interception.forwarded.facts": "事实", "interception.forwarded.unit": "承办单位",
    "interception.forwarded.assignee": "承办人", "interception.forwarded.due": "期限",
    "interception.forwarded.actions": "操作", "interception.forwarded.unit_code": "单位代码",
    "interception.forwarded.assign": "分派", "interception.forwarded.handle": "开始办理",
    "interception.forwarded.result": "办理结果", "interception.forwarded.close": "办结",
    "interception.forwarded.empty": "暂无抄告线索",
    # passenger whitelist
    "interception.whitelist.title": "客运白名单", "interception.whitelist.heading": "客运车辆白名单",
    "interception.whitelist.total": "共 {n} 条", "interception.whitelist.enterprise": "企业",
    "interception.whitelist.route": "线路", "interception.whitelist.valid": "有效", "interception.whitelist.invalid": "无效",
    "interception.whitelist.empty": "暂无记录", "interception.whitelist.import": "导入白名单（CSV）",
    "interception.whitelist.import_hint": "列：plate, plate_color, enterprise_id, route_from, route_to, valid_from, "
                                          "valid_to。有错误行时默认不导入任何一行。",
}

EN = {
    # shared
    "interception.plate": "Plate", "interception.plate_no": "Plate number", "interception.color": "Colour",
    "interception.status": "Status", "interception.search": "Search", "interception.filter": "Filter",
    "interception.all": "All", "interception.unit": "Unit", "interception.priority": "Priority",
    "interception.validity": "Valid", "interception.to": "to", "interception.csv_file": "CSV file",
    "interception.partial": "Import only the valid rows", "interception.import": "Import",
    "interception.auto_refresh": "Refreshes every 5 seconds",
    "interception.list_join": ", ", "interception.list_sep": "; ", "interception.no_data": "No data yet",
    # flash messages
    "interception.msg.bad_valid_to": "The end time is not a valid date and time",
    "interception.msg.watch_added": "{plate} is now watch-listed",
    "interception.msg.csv_unreadable": "The CSV file cannot be read", "interception.msg.row_error": "row {n}: {message}",
    "interception.msg.import_refused": "Rows with errors: {errors}; nothing was imported. {detail}",
    "interception.msg.import_partial": "Imported: {imported}; rows with errors: {errors}. {detail}",
    "interception.msg.imported": "Imported: {n}", "interception.msg.revoked": "Watch-list entry revoked",
    "interception.msg.outcome": "Outcome for {plate} reported: {outcome}",
    "interception.msg.unknown_verb": "Unknown action", "interception.msg.saved": "Saved",
    "interception.msg.whitelist_refused": "Rows with errors: {errors}; nothing was imported. {detail}",
    "interception.msg.whitelist_partial": "Rows with errors: {errors}. {detail}",
    "interception.msg.whitelist_imported": "Added: {inserted}; updated: {updated}",
    # watch-list
    "interception.watch.title": "Watch-list",
    "interception.watch.total": "Entries: {n} (every search is recorded in the audit log)",
    "interception.watch.reason": "Reason", "interception.watch.basis_case": "Legal basis / case no.",
    "interception.watch.source": "Source", "interception.watch.revoke_reason": "Reason for revoking",
    "interception.watch.revoke": "Revoke", "interception.watch.empty": "No watch-list entries",
    "interception.watch.add": "Add a vehicle to the watch-list", "interception.watch.plate_color": "Plate colour",
    "interception.watch.add_reason": "Reason for watch-listing", "interception.watch.legal_basis": "Legal basis",
    "interception.watch.case_no": "Case number", "interception.watch.approver": "Approved by",
    "interception.watch.p1": "1 urgent", "interception.watch.p2": "2 normal", "interception.watch.p3": "3 for attention",
    "interception.watch.valid_to": "Valid until (required)",
    "interception.watch.scope_stations": "Only at these toll stations (comma-separated, optional)",
    "interception.watch.scope_hours": "Only during these hours (e.g. 22:00-06:00, optional)",
    "interception.watch.submit": "Watch-list", "interception.watch.import": "Bulk import (CSV)",
    "interception.watch.import_hint": "Columns: entry_id, plate, plate_color, reason, source, issued_by_unit, priority, "
                                      "valid_from, valid_to, status; optional: legal_basis, case_no, approver, "
                                      "scope_stations, scope_hours. If any row has an error, by default no row is "
                                      "imported.",
    # one watch-list entry
    "interception.detail.title": "Watch-list entry {plate}",
    "interception.detail.heading": "Watch-list entry {plate} ({color})",
    "interception.detail.line1": "Reason: {reason}; source: {source}; unit: {unit}; priority {priority}",
    "interception.detail.line2": "Legal basis: {basis}; case no.: {case_no}; approved by: {approver}",
    "interception.detail.validity": "Valid: {start} to {end}", "interception.detail.stations": "; only at {stations}",
    "interception.detail.hours": "; hours {hours}", "interception.detail.hits": "Hits",
    "interception.detail.time": "Time", "interception.detail.place": "Place", "interception.detail.kind": "Kind",
    "interception.detail.plate_read": "Plate read", "interception.detail.match": "Match",
    "interception.detail.confidence": "Confidence", "interception.detail.late": "Late",
    "interception.detail.whitelist": "Passenger whitelist", "interception.detail.gantry": "Gantry",
    "interception.detail.entry": "Entry", "interception.detail.exit": "Exit", "interception.detail.exact": "Exact",
    "interception.detail.lookalike": "Look-alike", "interception.detail.late_by": "yes ({s} s)",
    "interception.detail.listed": "Listed", "interception.detail.not_listed": "Not listed",
    "interception.detail.no_hits": "No hits yet",
    # tasks panel, live view, station
    "interception.tasks.station": "Toll station", "interception.tasks.eta": "Expected arrival",
    "interception.tasks.deadline": "Outcome due", "interception.tasks.outcome": "Outcome",
    "interception.tasks.escalation": "Escalation", "interception.tasks.distance": " ({km} km)",
    "interception.tasks.overdue": "Overdue", "interception.tasks.findings": "What was found",
    "interception.tasks.case_no": "Case no.", "interception.tasks.reason": "Reason",
    "interception.tasks.reason_for": "Reason ({label})", "interception.tasks.empty": "No open interception tasks",
    "interception.live.title": "Live view", "interception.live.heading": "Watch-listed vehicles, live",
    "interception.live.tasks": "Open interception tasks",
    "interception.live.open_tasks": "; open tasks: {n}",
    "interception.station.title": "Interception tasks at this station",
    "interception.station.heading_at": "Interception tasks at this station ({name})",
    # figures
    "interception.figures.title": "Interception figures",
    "interception.figures.heading": "Watch-list and interception figures",
    "interception.figures.no_late": "No late outcome", "interception.figures.late": "Outcomes reported late: {n}",
    "interception.figures.by": "Group by", "interception.figures.by_city": "By city",
    "interception.figures.by_station": "By toll station", "interception.figures.by_team": "By team",
    "interception.figures.days": "Days", "interception.figures.days_unit": "days", "interception.figures.show": "Show",
    "interception.figures.name": "Name", "interception.figures.watch_issued": "Entries issued by the city",
    "interception.figures.hit_records": "Records hitting the city's entries",
    "interception.figures.watch_count": "Watch-listed vehicles", "interception.figures.hits": "Hits",
    "interception.figures.tasks": "Tasks", "interception.figures.answered": "Answered",
    "interception.figures.intercepted": "Intercepted", "interception.figures.false_hits": "False hits",
    "interception.figures.rate": "Hit-to-interception rate",
    "interception.figures.median": "Median response (minutes)", "interception.figures.late_col": "Late",
    "interception.figures.no_team": "(no team) {unit}",
    "interception.figures.note": "Task figures count at the toll station the task was sent to; “hits” are the hits "
                                 "that created tasks (one per interception attempt); hit-to-interception rate = "
                                 "intercepted / hits.",
    "interception.figures.completion": "Completion of forwarded leads", "interception.figures.received": "Received",
    "interception.figures.closed": "Closed", "interception.figures.on_time": "Closed on time",
    "interception.figures.overdue_open": "Overdue, still open", "interception.figures.completion_rate": "Completion rate",
    "interception.figures.no_forwarded": "No forwarded leads yet",
    # forwarded leads
    "interception.forwarded.title": "Forwarded leads",
    "interception.forwarded.hint": "Leads forwarded by other provinces and authorities are assigned, handled and "
                                   "closed here; for system-to-system exchange see the API documentation (/docs)",
    "interception.forwarded.source_unit": "Sent by", "interception.forwarded.ref": "Reference",
    "interception.forwarded.category": "Category", "interception.forwarded.vehicle": "Vehicle",
    "interception.forwarded.facts": "Facts", "interception.forwarded.unit": "Handling unit",
    "interception.forwarded.assignee": "Assignee", "interception.forwarded.due": "Due",
    "interception.forwarded.actions": "Actions", "interception.forwarded.unit_code": "Unit code",
    "interception.forwarded.assign": "Assign", "interception.forwarded.handle": "Start handling",
    "interception.forwarded.result": "Result", "interception.forwarded.close": "Close",
    "interception.forwarded.empty": "No forwarded leads",
    # passenger whitelist
    "interception.whitelist.title": "Passenger whitelist",
    "interception.whitelist.heading": "Whitelist of licensed passenger vehicles",
    "interception.whitelist.total": "Entries: {n}", "interception.whitelist.enterprise": "Operator",
    "interception.whitelist.route": "Route", "interception.whitelist.valid": "Valid",
    "interception.whitelist.invalid": "Not valid", "interception.whitelist.empty": "No entries",
    "interception.whitelist.import": "Import the whitelist (CSV)",
    "interception.whitelist.import_hint": "Columns: plate, plate_color, enterprise_id, route_from, route_to, "
                                          "valid_from, valid_to. If any row has an error, by default no row is "
                                          "imported.",
}
