"""Interface texts of the lead pages (线索研判), in Chinese (as before) and English.

Registered with `add_messages` when `zhifa.leads.pages` imports this module. Labels of codes are
`{code: (zh, en)}` maps used through `pick` (see `labels`). Lead explanations and evidence values are
data written by the detectors and stay as they are.
"""

from __future__ import annotations

from zhifa.web.i18n import add_messages

# names of the evidence fields the detectors write
EVIDENCE_LABELS: dict[str, tuple[str, str]] = {
    "kind": ("证据类型", "Kind of evidence"),
    "source": ("来源", "Source"),
    "parts": ("证据记录", "Evidence records"),
    "legal_basis": ("法律依据", "Legal basis"),
    "worst": ("最重一次", "Worst occurrence"),
    "proposed_penalty": ("拟处罚", "Proposed penalty"),
    "bundle_sha256": ("证据包摘要", "Evidence bundle digest"),
    "records": ("记录", "Records"),
    "permits": ("许可", "Permits"),
    "table": ("数据表", "Data table"),
    "sites": ("站点", "Sites"),
    "gps_before": ("此前定位", "GPS fix before"),
    "gps_after": ("此后定位", "GPS fix after"),
    "article": ("条款", "Article"),
}

# coded evidence values shown with a name
EVIDENCE_VALUE_LABELS: dict[str, tuple[str, str]] = {
    "overload_evidence": ("超限检测证据", "Overload measurement evidence"),
    "entry": ("入口称重", "Entry weighing"),
    "wim": ("非现场", "Off-site (WIM)"),
    "static": ("检测站", "Check station"),
}



ZH = {
    "leads.title": "线索研判",
    "leads.total": "共 {n} 条",
    "leads.rule": "规则",
    "leads.all_rules": "全部规则",
    "leads.status": "状态",
    "leads.all_statuses": "全部状态",
    "leads.unit_code": "单位代码",
    "leads.plate": "车牌号",
    "leads.day": "日期",
    "leads.filter": "筛选",
    "leads.vehicle": "车辆",
    "leads.time": "时间",
    "leads.unit": "单位",
    "leads.score": "评分",
    "leads.explanation": "说明",
    "leads.empty": "暂无线索",
    "leads.next": "下一页",
    "leads.prev": "上一页",
    "leads.bad_day": "日期格式无效（应为 YYYY-MM-DD）",
    "leads.detail.title": "线索 {id}",
    "leads.detail.site": "站点 {site}",
    "leads.detail.rule_version": "规则版本",
    "leads.detail.case": "案件",
    "leads.detail.review_reason": "研判意见",
    "leads.detail.reviewed": "（{by}，{at}）",
    "leads.detail.evidence": "证据",
    "leads.detail.overload_page": "查看超限线索研判页",
    "leads.detail.sep": "，",
    "leads.detail.more": "… 共 {n} 项",
    "leads.detail.trajectory": "查看当日轨迹",
    "leads.review.head": "研判",
    "leads.review.confirm": "确认",
    "leads.review.reject": "驳回",
    "leads.review.reason": "意见 / 驳回理由",
    "leads.review.follow_up": "确认后处置",
    "leads.review.none": "暂不处置",
    "leads.review.case": "立案（{code}）",
    "leads.review.watch": "布控",
    "leads.review.party": "当事人",
    "leads.review.party_kind": "当事人类型",
    "leads.review.person": "个人",
    "leads.review.enterprise": "单位",
    "leads.review.fine": "拟罚款（元）",
    "leads.review.submit": "提交",
    "leads.msg.case": "已立案 {ref}",
    "leads.msg.watch": "已布控 {ref}",
    "leads.msg.saved": "已保存",
}

EN = {
    "leads.title": "Lead review",
    "leads.total": "{n} leads in total",
    "leads.rule": "Rule",
    "leads.all_rules": "All rules",
    "leads.status": "Status",
    "leads.all_statuses": "All statuses",
    "leads.unit_code": "Unit code",
    "leads.plate": "Plate",
    "leads.day": "Date",
    "leads.filter": "Filter",
    "leads.vehicle": "Vehicle",
    "leads.time": "Time",
    "leads.unit": "Unit",
    "leads.score": "Score",
    "leads.explanation": "Explanation",
    "leads.empty": "No leads",
    "leads.next": "Next page",
    "leads.prev": "Previous page",
    "leads.bad_day": "Invalid date (expected YYYY-MM-DD)",
    "leads.detail.title": "Lead {id}",
    "leads.detail.site": "site {site}",
    "leads.detail.rule_version": "Rule version",
    "leads.detail.case": "Case",
    "leads.detail.review_reason": "Review opinion",
    "leads.detail.reviewed": " ({by}, {at})",
    "leads.detail.evidence": "Evidence",
    "leads.detail.overload_page": "Open the overload lead review page",
    "leads.detail.sep": ", ",
    "leads.detail.more": "… {n} items in total",
    "leads.detail.trajectory": "Trajectory of that day",
    "leads.review.head": "Review",
    "leads.review.confirm": "Confirm",
    "leads.review.reject": "Reject",
    "leads.review.reason": "Opinion / reason for rejection",
    "leads.review.follow_up": "After confirming",
    "leads.review.none": "No further action for now",
    "leads.review.case": "Open a case ({code})",
    "leads.review.watch": "Watch-list the vehicle",
    "leads.review.party": "Party",
    "leads.review.party_kind": "Type of party",
    "leads.review.person": "Person",
    "leads.review.enterprise": "Organisation",
    "leads.review.fine": "Proposed fine (yuan)",
    "leads.review.submit": "Submit",
    "leads.msg.case": "Case opened: {ref}",
    "leads.msg.watch": "Watch-listed: {ref}",
    "leads.msg.saved": "Saved",
}

add_messages(zh=ZH, en=EN)
