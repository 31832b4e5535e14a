"""Interface texts of the overload-control pages (治超), in Chinese (as before) and English.

Registered with `add_messages` when `zhifa.overload.pages` imports this module. Labels of codes are
`{code: (zh, en)}` maps, turned into `{code: label}` for the interface language by `labels`. Data stays
as it is: lead explanations, site, unit and company names, plates, legal citations. The PDF notice to
the party (templates/overload/notice.html) is Chinese only and does not use these texts.
"""

from __future__ import annotations

from collections.abc import Mapping

from zhifa.leads.model import RULE_LABELS
from zhifa.overload import rules as r
from zhifa.overload.service import OVERLOAD_RULES
from zhifa.web.i18n import add_messages, pick

# short plate colour names, shown after the plate
COLOR_LABELS: dict[str, tuple[str, str]] = {
    "blue": ("蓝", "blue"),
    "yellow": ("黄", "yellow"),
    "black": ("黑", "black"),
    "white": ("白", "white"),
    "green": ("绿", "green"),
    "yellow_green": ("黄绿", "yellow-green"),
    "blue_white": ("蓝白", "blue-white"),
}
# plate colours offered when registering a held vehicle (goods vehicles)
HELD_COLORS = ("yellow", "yellow_green", "blue")

LEAD_STATUS_LABELS: dict[str, tuple[str, str]] = {
    "open": ("待研判", "To review"),
    "confirmed": ("已确认", "Confirmed"),
    "rejected": ("已驳回", "Rejected"),
}

KIND_LABELS: dict[str, tuple[str, str]] = {
    "rigid": ("货车", "Rigid truck"),
    "tractor_semitrailer": ("铰接列车", "Articulated vehicle"),
    "full_trailer": ("全挂汽车列车", "Drawbar-trailer combination"),
}

KIND_SOURCE_LABELS: dict[str, tuple[str, str]] = {
    "device": ("称重设备识别", "classified by the weighing device"),
    "registry": ("车辆登记信息", "from the vehicle register"),
    "unknown": ("未知（按最宽限值）", "unknown, most lenient limit applied"),
}

# the determination's status and the quarantine reasons of bad input (zhifa.overload.rules)
DETERMINATION_STATUS_LABELS: dict[str, tuple[str, str]] = {
    r.VIOLATION: (r.STATUS_LABELS_ZH[r.VIOLATION], "Overload"),
    r.LEGAL: (r.STATUS_LABELS_ZH[r.LEGAL], "Within the limit"),
    r.NOT_DETERMINED: (r.STATUS_LABELS_ZH[r.NOT_DETERMINED], "Not determined"),
    r.PERMITTED: (r.STATUS_LABELS_ZH[r.PERMITTED], "Holds an oversize permit"),
}
_REASON_EN = {
    r.WEIGHT_MISSING: "gross weight missing",
    r.WEIGHT_NONPOSITIVE: "gross weight zero or negative",
    r.WEIGHT_OVER_MAX: "gross weight over 300 t, impossible",
    r.UNKNOWN_AXLE_CONFIG: "axle configuration not recognised",
    r.AXLE_WEIGHTS_MISMATCH: "axle weights differ from the gross weight by more than 5%",
    r.PLATE_MISSING: "plate unread",
}
REASON_LABELS: dict[str, tuple[str, str]] = {k: (zh, _REASON_EN.get(k, "")) for k, zh in r.REASON_LABELS_ZH.items()}

# where a weighing comes from (record source)
SOURCE_LABELS: dict[str, tuple[str, str]] = {
    "wim": ("非现场", "Off-site (WIM)"),
    "entry": ("入口称重", "Entry weighing"),
    "static": ("检测站", "Check station"),
}

# outcomes of a trace-back task (the codes of zhifa.overload.service.TRACE_OUTCOMES)
TRACE_OUTCOME_LABELS: dict[str, tuple[str, str]] = {
    "rectification_order": ("责令整改", "Rectification order"),
    "penalty": ("行政处罚", "Administrative penalty"),
    "no_violation": ("未发现违法", "No violation found"),
}

# the source text of a holding rule (zhifa.overload.held.HOLDING_RULES), by version
HOLDING_RULE_SOURCE_EN = {
    "held-2021.1": "deadline for vehicles held at overload check stations (platform default, UNVERIFIED, configurable)",
}


def labels(table: Mapping[str, tuple[str, str]], lang: str) -> dict[str, str]:
    """`{code: label}` in the interface language."""
    return {code: pick(lang, zh, en) for code, (zh, en) in table.items()}


def rule_labels(lang: str) -> dict[str, str]:
    """The overload rules with their labels (from zhifa.leads.model.RULE_LABELS)."""
    return {code: pick(lang, *RULE_LABELS[code]) for code in OVERLOAD_RULES}


ZH = {
    # shared pieces
    "overload.filter": "筛选",
    "overload.search": "查询",
    "overload.all": "全部",
    "overload.none": "暂无",
    "overload.next": "下一页",
    "overload.total": "共 {n} 条",
    "overload.unread": "未识别",
    "overload.status": "状态",
    "overload.time": "时间",
    "overload.plate": "号牌",
    "overload.site": "站点",
    "overload.unit": "单位",
    "overload.source": "来源",
    "overload.day_from": "起始日期",
    "overload.day_to": "截止日期",
    "overload.colon": "：",
    "overload.comma": "，",
    "overload.semicolon": "；",
    "overload.list_sep": "、",
    "overload.paren": "（{text}）",
    "overload.tag_100t": "百吨王",
    "overload.yes": "是",
    "overload.no": "否",
    # leads
    "overload.leads.title": "超限线索研判",
    "overload.leads.all_statuses": "全部状态",
    "overload.leads.category": "类别",
    "overload.leads.all_categories": "全部类别",
    "overload.leads.explanation": "说明",
    "overload.leads.proposed_fine": "拟罚款",
    "overload.leads.empty": "暂无线索",
    # lead detail
    "overload.lead.title": "超限线索 {plate}",
    "overload.lead.heading": "{rule}：{plate} {color}",
    "overload.lead.plate_unread": "号牌未识别",
    "overload.lead.when_where": "时间：{start} 至 {end}；站点：{site}；单位：{unit}",
    "overload.lead.unregistered": "该号牌未在车辆登记库中",
    "overload.lead.lookalikes": "，可能为号牌识别错误。相似的登记号牌：",
    "overload.lead.weighed_in_window": "（同一时段有称重记录）",
    "overload.lead.check_photos": "。请核对照片后再确认",
    "overload.lead.full_stop": "。",
    "overload.lead.legal_basis": "认定依据：{basis}",
    "overload.lead.rule_version": "规则版本：{version}",
    "overload.lead.worst": "最重一次：总重 {gross} 千克，限值 {limit} 千克，超限 {excess} 千克",
    "overload.lead.severe": "严重超限",
    "overload.lead.penalty": "拟处罚：",
    "overload.lead.warning": "警告",
    "overload.lead.review_reason": "研判意见：{reason}",
    "overload.lead.case": "案件：",
    "overload.lead.notice": "违法告知书：",
    "overload.lead.notice_pdf": "{party}（PDF）",
    "overload.lead.evidence": "证据",
    "overload.lead.intact": "证据完整性：各部分与其 SHA-256 摘要一致。",
    "overload.lead.tampered": "证据完整性：以下部分与生成线索时的摘要不一致，请勿据此处罚并报告系统管理员：{problems}",
    "overload.lead.record": "记录",
    "overload.lead.determination": "认定",
    "overload.lead.calibration": "检定",
    "overload.lead.photos": "照片",
    "overload.lead.record_weight": "总重 {gross} 千克，{axles} 轴",
    "overload.lead.kind_unknown": "车型未知",
    "overload.lead.lenient": "按最宽限值",
    "overload.lead.limit": "限值 {kg} 千克",
    "overload.lead.tolerance": "，扣除误差 {kg} 千克",
    "overload.lead.excess": "超限 {kg} 千克",
    "overload.lead.not_over": "未超重",
    "overload.lead.calibration_valid": "有效（至 {until}）",
    "overload.lead.calibration_invalid": "未在有效期内或未登记",
    "overload.lead.photo_missing": "（未入库）",
    "overload.lead.bundle": "证据包摘要：{sha}",
    "overload.lead.review": "研判",
    "overload.lead.reason": "意见（驳回须填写理由）",
    "overload.lead.confirm": "确认并立案",
    "overload.lead.reject": "驳回",
    # records
    "overload.records.title": "超限检测记录",
    "overload.records.site_id": "站点编号",
    "overload.records.city_code": "市级区划代码",
    "overload.records.city": "城市",
    "overload.records.severity": "程度",
    "overload.records.violation": "超限",
    "overload.records.severe": "严重超限",
    "overload.records.not_determined": "未认定（数据异常）",
    "overload.records.axles": "轴数",
    "overload.records.gross": "总重",
    "overload.records.limit": "限值",
    "overload.records.tolerance": "扣除误差",
    "overload.records.excess": "超限",
    "overload.records.excess_rate": "超限率",
    "overload.records.result": "结论",
    "overload.records.rule_version": "规则版本",
    "overload.records.severe_tag": "严重",
    "overload.records.empty": "暂无记录",
    # 100-t trucks
    "overload.t100.title": "百吨王",
    "overload.t100.heading": "百吨王（总重≥100吨）",
    "overload.t100.count": "共 {n} 次",
    "overload.t100.map": "百吨王出现位置",
    "overload.t100.extent": "河南省范围（经度110.3–116.7，纬度31.3–36.4）",
    "overload.t100.kg": "{kg}千克",
    "overload.t100.gross": "总重（千克）",
    "overload.t100.excess": "超限（千克）",
    # entry overload rate
    "overload.entry.title": "入口超限率",
    "overload.entry.heading": "高速公路入口超限率 {month}",
    "overload.entry.month": "月份",
    "overload.entry.by": "口径",
    "overload.entry.by_station": "按收费站",
    "overload.entry.by_city": "按市",
    "overload.entry.by_province": "全省",
    "overload.entry.station": "收费站",
    "overload.entry.city": "市",
    "overload.entry.province": "省",
    "overload.entry.weighed": "称重车辆",
    "overload.entry.over_limit": "超限车辆",
    "overload.entry.refused": "劝返",
    "overload.entry.rate": "入口超限率",
    "overload.entry.empty": "该月无入口称重数据",
    "overload.entry.note": "入口超限率 = 入口称重超过限定标准的货车数 ÷ 入口称重货车数；"
                           "超限车辆依《超限运输车辆行驶公路管理规定》第三十九条不予放行（劝返）。",
    # loading sources
    "overload.sources.title": "货运源头",
    "overload.sources.heading": "货运源头单位",
    "overload.sources.count": "{n} 家",
    "overload.sources.all": "全部源头",
    "overload.sources.key_only": "只看重点源头",
    "overload.sources.name": "名称",
    "overload.sources.key_source": "重点源头",
    "overload.sources.published_on": "公布日期",
    # trace-back
    "overload.trace.title": "源头倒查",
    "overload.trace.heading": "源头倒查任务",
    "overload.trace.open": "待办",
    "overload.trace.closed": "已办结",
    "overload.trace.weighed_at": "检测时间",
    "overload.trace.presumed_source": "推定源头",
    "overload.trace.confidence": "置信度",
    "overload.trace.basis": "依据",
    "overload.trace.handling_unit": "承办单位",
    "overload.trace.outcome": "结果",
    "overload.trace.not_presumed": "未能推定",
    "overload.trace.no_entry": "无入口记录",
    "overload.trace.outcome_label": "处理结果",
    "overload.trace.note": "处理情况",
    "overload.trace.fine_placeholder": "罚款（元）",
    "overload.trace.fine": "罚款",
    "overload.trace.close": "办结",
    "overload.trace.empty": "暂无任务",
    "overload.trace.by_city": "各市倒查情况",
    "overload.trace.city": "市",
    "overload.trace.done": "办结",
    "overload.trace.rectification": "责令整改",
    "overload.trace.penalty": "处罚",
    # held vehicles
    "overload.held.title": "滞留车辆",
    "overload.held.heading": "超限检测站滞留车辆",
    "overload.held.rule": "处理期限 {days} 天（{version}，{source}）",
    "overload.held.held": "滞留中",
    "overload.held.cleared": "已清理",
    "overload.held.cleared_at": "已清理 {at}",
    "overload.held.plate": "车牌",
    "overload.held.station": "检测站",
    "overload.held.held_at": "滞留时间",
    "overload.held.deadline": "期限",
    "overload.held.reason": "原因",
    "overload.held.action": "处理",
    "overload.held.overdue": "逾期",
    "overload.held.service_note": "处理及一对一服务情况",
    "overload.held.clear": "清理",
    "overload.held.register": "登记滞留车辆",
    "overload.held.color": "颜色",
    "overload.held.reason_placeholder": "超限未卸载 / 未接受处理",
    "overload.held.submit": "登记",
}

EN = {
    # shared pieces
    "overload.filter": "Filter",
    "overload.search": "Show",
    "overload.all": "All",
    "overload.none": "None",
    "overload.next": "Next page",
    "overload.total": "{n} in total",
    "overload.unread": "unread",
    "overload.status": "Status",
    "overload.time": "Time",
    "overload.plate": "Plate",
    "overload.site": "Site",
    "overload.unit": "Unit",
    "overload.source": "Source",
    "overload.day_from": "From date",
    "overload.day_to": "To date",
    "overload.colon": ": ",
    "overload.comma": ", ",
    "overload.semicolon": "; ",
    "overload.list_sep": ", ",
    "overload.paren": " ({text})",
    "overload.tag_100t": "100 t or more",
    "overload.yes": "Yes",
    "overload.no": "No",
    # leads
    "overload.leads.title": "Overload leads",
    "overload.leads.all_statuses": "All statuses",
    "overload.leads.category": "Category",
    "overload.leads.all_categories": "All categories",
    "overload.leads.explanation": "Explanation",
    "overload.leads.proposed_fine": "Proposed fine (yuan)",
    "overload.leads.empty": "No leads",
    # lead detail
    "overload.lead.title": "Overload lead {plate}",
    "overload.lead.heading": "{rule}: {plate} {color}",
    "overload.lead.plate_unread": "plate unread",
    "overload.lead.when_where": "Time: {start} to {end}; site: {site}; unit: {unit}",
    "overload.lead.unregistered": "This plate is not in the vehicle register",
    "overload.lead.lookalikes": "; the plate may have been misread. Similar registered plates: ",
    "overload.lead.weighed_in_window": " (weighed in the same period)",
    "overload.lead.check_photos": ". Check the photos before confirming",
    "overload.lead.full_stop": ".",
    "overload.lead.legal_basis": "Legal basis: {basis}",
    "overload.lead.rule_version": "Rule version: {version}",
    "overload.lead.worst": "Heaviest weighing: gross {gross} kg, limit {limit} kg, over the limit by {excess} kg",
    "overload.lead.severe": "Severe overload",
    "overload.lead.penalty": "Proposed penalty: ",
    "overload.lead.warning": "warning",
    "overload.lead.review_reason": "Review comment: {reason}",
    "overload.lead.case": "Case: ",
    "overload.lead.notice": "Notice of intended penalty: ",
    "overload.lead.notice_pdf": "{party} (PDF)",
    "overload.lead.evidence": "Evidence",
    "overload.lead.intact": "Evidence integrity: every part matches its SHA-256 digest.",
    "overload.lead.tampered": "Evidence integrity: the parts below no longer match the digests taken when the lead "
                              "was created. Do not impose a penalty on this evidence; report it to the system "
                              "administrator: {problems}",
    "overload.lead.record": "Record",
    "overload.lead.determination": "Determination",
    "overload.lead.calibration": "Calibration",
    "overload.lead.photos": "Photos",
    "overload.lead.record_weight": "gross {gross} kg, {axles} axles",
    "overload.lead.kind_unknown": "vehicle kind unknown",
    "overload.lead.lenient": "most lenient limit applied",
    "overload.lead.limit": "limit {kg} kg",
    "overload.lead.tolerance": ", less {kg} kg tolerance",
    "overload.lead.excess": "over the limit by {kg} kg",
    "overload.lead.not_over": "not over the limit",
    "overload.lead.calibration_valid": "valid (until {until})",
    "overload.lead.calibration_invalid": "expired or not registered",
    "overload.lead.photo_missing": " (not stored)",
    "overload.lead.bundle": "Evidence bundle digest: {sha}",
    "overload.lead.review": "Review",
    "overload.lead.reason": "Comment (a reason is required to reject)",
    "overload.lead.confirm": "Confirm and open a case",
    "overload.lead.reject": "Reject",
    # records
    "overload.records.title": "Overload records",
    "overload.records.site_id": "Site ID",
    "overload.records.city_code": "City division code",
    "overload.records.city": "City",
    "overload.records.severity": "Severity",
    "overload.records.violation": "Overload",
    "overload.records.severe": "Severe overload",
    "overload.records.not_determined": "Not determined (bad data)",
    "overload.records.axles": "Axles",
    "overload.records.gross": "Gross (kg)",
    "overload.records.limit": "Limit (kg)",
    "overload.records.tolerance": "Tolerance (kg)",
    "overload.records.excess": "Excess (kg)",
    "overload.records.excess_rate": "Excess rate",
    "overload.records.result": "Result",
    "overload.records.rule_version": "Rule version",
    "overload.records.severe_tag": "Severe",
    "overload.records.empty": "No records",
    # 100-t trucks
    "overload.t100.title": "Trucks of 100 t or more",
    "overload.t100.heading": "Trucks of 100 t or more (gross weight ≥ 100 t)",
    "overload.t100.count": "Weighings: {n}",
    "overload.t100.map": "Where trucks of 100 t or more were weighed",
    "overload.t100.extent": "Henan province (longitude 110.3–116.7, latitude 31.3–36.4)",
    "overload.t100.kg": "{kg} kg",
    "overload.t100.gross": "Gross (kg)",
    "overload.t100.excess": "Excess (kg)",
    # entry overload rate
    "overload.entry.title": "Entry overload rate",
    "overload.entry.heading": "Expressway entry overload rate {month}",
    "overload.entry.month": "Month",
    "overload.entry.by": "Group by",
    "overload.entry.by_station": "By toll station",
    "overload.entry.by_city": "By city",
    "overload.entry.by_province": "Whole province",
    "overload.entry.station": "Toll station",
    "overload.entry.city": "City",
    "overload.entry.province": "Province",
    "overload.entry.weighed": "Weighed",
    "overload.entry.over_limit": "Over the limit",
    "overload.entry.refused": "Turned back",
    "overload.entry.rate": "Entry overload rate",
    "overload.entry.empty": "No entry weighing data for this month",
    "overload.entry.note": "Entry overload rate = trucks over the legal limit at entry weighing ÷ trucks weighed at "
                           "entry. Trucks over the limit are not let through (they are turned back) under Article 39 "
                           "of the Regulations on Overload Transport Vehicles on Highways "
                           "(《超限运输车辆行驶公路管理规定》).",
    # loading sources
    "overload.sources.title": "Loading sources",
    "overload.sources.heading": "Loading source companies",
    "overload.sources.count": "Companies: {n}",
    "overload.sources.all": "All loading sources",
    "overload.sources.key_only": "Key loading sources only",
    "overload.sources.name": "Name",
    "overload.sources.key_source": "Key loading source",
    "overload.sources.published_on": "Published on",
    # trace-back
    "overload.trace.title": "Trace-back",
    "overload.trace.heading": "Trace-back tasks",
    "overload.trace.open": "Open",
    "overload.trace.closed": "Closed",
    "overload.trace.weighed_at": "Weighed at",
    "overload.trace.presumed_source": "Presumed loading source",
    "overload.trace.confidence": "Confidence",
    "overload.trace.basis": "Basis",
    "overload.trace.handling_unit": "Handling unit",
    "overload.trace.outcome": "Outcome",
    "overload.trace.not_presumed": "could not be presumed",
    "overload.trace.no_entry": "no entry record",
    "overload.trace.outcome_label": "Outcome",
    "overload.trace.note": "Action taken",
    "overload.trace.fine_placeholder": "Fine (yuan)",
    "overload.trace.fine": "Fine",
    "overload.trace.close": "Close",
    "overload.trace.empty": "No tasks",
    "overload.trace.by_city": "Trace-back by city",
    "overload.trace.city": "City",
    "overload.trace.done": "Closed",
    "overload.trace.rectification": "Rectification orders",
    "overload.trace.penalty": "Penalties",
    # held vehicles
    "overload.held.title": "Held vehicles",
    "overload.held.heading": "Vehicles held at overload check stations",
    "overload.held.rule": "Deadline {days} days ({version}, {source})",
    "overload.held.held": "Held",
    "overload.held.cleared": "Cleared",
    "overload.held.cleared_at": "Cleared {at}",
    "overload.held.plate": "Plate",
    "overload.held.station": "Check station",
    "overload.held.held_at": "Held since",
    "overload.held.deadline": "Deadline",
    "overload.held.reason": "Reason",
    "overload.held.action": "Handling",
    "overload.held.overdue": "Overdue",
    "overload.held.service_note": "Action taken and one-to-one service given",
    "overload.held.clear": "Clear",
    "overload.held.register": "Register a held vehicle",
    "overload.held.color": "Plate colour",
    "overload.held.reason_placeholder": "Over the limit, not unloaded / did not accept the penalty",
    "overload.held.submit": "Register",
}

add_messages(zh=ZH, en=EN)
