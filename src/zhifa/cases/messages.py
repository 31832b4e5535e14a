"""Interface texts of the case pages and the party portal, in Chinese (as before) and English.

Registered with `add_messages` when `zhifa.cases.pages` imports this module. Labels of codes (case
status, steps, audit actions, time limits, document kinds) are `{code: (zh, en)}` maps used through
`pick`; `GLOSS` gives English glosses of the legal data of the bundled rule versions (catalogue item
titles, discretion bands, exemption items and conditions), keyed by the exact Chinese text, so that a
text changed in a later version simply shows in Chinese rather than under a stale gloss.
PDF documents are legal documents and stay Chinese; these texts are for the HTML pages only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from zhifa.cases.model import PARTY_KIND_ZH, STATUS_LABELS_EN, STATUS_LABELS_ZH, TRANSITION_LABELS_ZH
from zhifa.web.i18n import add_messages, pick

STATUS_LABELS: dict[str, tuple[str, str]] = {s.value: (zh, STATUS_LABELS_EN[s]) for s, zh in STATUS_LABELS_ZH.items()}

_TRANSITION_EN = {
    "investigating": "Start investigation", "notified": "Serve notice of intended penalty",
    "legal_review": "Submit for legal review", "decided": "Make penalty decision", "served": "Serve decision",
    "enforcing": "Start enforcement", "not_penalised": "No penalty", "closed": "Close case", "archived": "Archive",
}
TRANSITION_LABELS: dict[str, tuple[str, str]] = {
    s.value: (zh, _TRANSITION_EN.get(s.value, s.value)) for s, zh in TRANSITION_LABELS_ZH.items()
}

PARTY_KIND_LABELS: dict[str, tuple[str, str]] = {
    k.value: (zh, {"person": "Natural person", "enterprise": "Legal person or other organisation"}[k.value])
    for k, zh in PARTY_KIND_ZH.items()
}

ACTION_LABELS: dict[str, tuple[str, str]] = {
    "cases.open": ("立案", "Case opened"),
    "cases.investigating": ("开始调查取证", "Investigation started"),
    "cases.notified": ("告知（送达告知书）", "Notified (notice of intended penalty served)"),
    "cases.legal_review": ("提交法制审核", "Submitted for legal review"),
    "cases.decided": ("作出处罚决定", "Penalty decision made"),
    "cases.served": ("送达决定书", "Decision served"),
    "cases.enforcing": ("进入执行", "Enforcement started"),
    "cases.not_penalised": ("不予处罚", "No penalty"),
    "cases.closed": ("结案", "Case closed"),
    "cases.archived": ("归档", "Archived"),
    "cases.document": ("生成文书", "Document issued"),
    "cases.evidence": ("添加证据", "Evidence added"),
    "cases.exemption": ("适用免罚/从轻清单", "Exemption list applied"),
    "cases.party_statement": ("当事人陈述", "Party's statement"),
    "cases.party_defence": ("当事人申辩", "Party's defence"),
    "cases.party_hearing_request": ("当事人申请听证", "Party requested a hearing"),
    "cases.payment_order": ("生成缴款订单", "Payment order created"),
    "cases.paid": ("缴款到账", "Payment received"),
    "cases.overdue": ("逾期提醒", "Overdue reminder"),
    "cases.flags": ("修改案件标记", "Case flags changed"),
}

DEADLINE_LABELS: dict[str, tuple[str, str]] = {
    "decision": ("作出决定", "Decision"),
    "defence": ("陈述申辩", "Statement and defence"),
    "payment": ("缴纳罚款", "Payment of the fine"),
}

STATEMENT_KIND_LABELS: dict[str, tuple[str, str]] = {
    "statement": ("陈述", "Statement"),
    "defence": ("申辩", "Defence"),
    "hearing_request": ("申请听证", "Hearing request"),
}

# English names of the document kinds (the Chinese names are those of cases.documents.KINDS)
DOCUMENT_KIND_EN: dict[str, str] = {
    "register": "Case registration form",
    "notice": "Notice of violation (notice of intended penalty)",
    "decision": "Administrative penalty decision",
    "service_receipt": "Proof of service",
    "closing_report": "Case closing report",
}

GLOSS: dict[str, str] = {
    # catalogue items (catalogue 2021-07-15)
    "车货总质量超限运输": "Transport with gross vehicle mass over the limit",
    "车货外廓尺寸超限运输": "Transport with vehicle and load dimensions over the limit",
    "未取得超限运输许可擅自行驶公路": "Oversize/overweight transport on public roads without a permit",
    "车货与通行证不符（大车小证）或未按许可时间路线行驶（办短跑长）":
        "Vehicle exceeds its permit, or not following the permitted time and route (travelling beyond the permitted route)",
    "未取得道路运输经营许可擅自从事道路旅客运输经营（非法营运）":
        "Passenger road transport without an operating licence (illegal passenger operation)",
    "网约车平台未取得经营许可从事经营": "Ride-hailing platform operating without a licence",
    "网约车车辆未取得《网络预约出租汽车运输证》": "Ride-hailing vehicle without a ride-hailing transport certificate",
    "网约车驾驶员未取得《网络预约出租汽车驾驶员证》": "Ride-hailing driver without a ride-hailing driver's certificate",
    "网约车平台派单车辆未取得运输证或线上线下车辆不一致":
        "Ride-hailing platform dispatching vehicles without a transport certificate, or online and actual vehicle differ",
    "破坏、干扰、屏蔽卫星定位装置（关闭动态监控）或篡改监控数据":
        "Damaging, jamming or shielding the satellite positioning device (GPS monitoring switched off) or tampering with monitoring data",
    "卫星定位装置故障不能保持在线仍从事经营，拒不改正":
        "Operating while the satellite positioning device cannot stay online, refusing to correct",
    "擅自占用、挖掘公路或在公路用地范围内设置设施（路政四违）":
        "Occupying or digging up a road, or installing facilities on road land, without approval (road-domain violation)",
    "在建筑控制区内修建建筑物、构筑物（路政四违）": "Building in the building-control zone (road-domain violation)",
    "租借、转让超限运输车辆通行证": "Lending, renting or transferring an oversize permit",
    # discretion bands
    "超限1吨以内（警告）": "Up to 1 t over the limit (warning)",
    "超限1至10吨": "1 to 10 t over the limit",
    "超限10至30吨": "10 to 30 t over the limit",
    "超限30吨以上或百吨王": "More than 30 t over the limit, or a truck of 100 t or more",
    "高≤4.2米、宽≤3米、长≤20米": "Height ≤ 4.2 m, width ≤ 3 m, length ≤ 20 m",
    "高≤4.5米、宽≤3.75米、长≤28米": "Height ≤ 4.5 m, width ≤ 3.75 m, length ≤ 28 m",
    "高>4.5米、宽>3.75米或长>28米": "Height > 4.5 m, width > 3.75 m or length > 28 m",
    "初次、配合调查": "First offence, cooperated with the investigation",
    "情节较重": "Serious circumstances",
    "情节严重": "Very serious circumstances",
    "偏离较小": "Minor deviation",
    "偏离较大": "Major deviation",
    "初次、载客较少": "First offence, few passengers",
    "多次或载客较多": "Repeated, or many passengers",
    "一般": "Ordinary",
    "较重": "Serious",
    "初次": "First offence",
    "多次": "Repeated",
    "每次违法": "Each violation",
    "多次或篡改数据": "Repeated, or data tampered with",
    "拒不改正": "Refused to correct",
    "及时改正": "Corrected promptly",
    "逾期不改正": "Not corrected in time",
    "面积较小并自行拆除": "Small area, removed by the party",
    "拒不拆除": "Refused to remove",
    # exemption list (2022-12-27): items and conditions
    "车辆卫星定位装置未保持在线（首违不罚）":
        "Satellite positioning device not kept online (no penalty for a first minor violation)",
    "轻微外廓尺寸超限并当场卸载改正": "Slightly over the dimension limits, corrected on the spot",
    "超限1吨以内并当场卸载": "Up to 1 t over the limit, unloaded on the spot",
    "占用公路及时清除（从轻）": "Road occupation cleared promptly (mitigated)",
    "网约车驾驶员已取得资格证但未随车携带（从轻）":
        "Ride-hailing driver holds the certificate but did not carry it (mitigated)",
    "初次违法（首违）": "First violation",
    "及时改正或在责令期限内改正": "Corrected promptly or within the period ordered",
    "未造成事故、拥堵等危害后果": "No harmful consequences such as accidents or congestion",
    "未阻碍、逃避执法检查": "Did not obstruct or evade the enforcement check",
    "非经营者主观原因造成": "Not caused intentionally by the operator",
}


def document_kinds(kinds: Mapping[str, tuple[str, str, str]], lang: str) -> dict[str, str]:
    """`{kind: name}` of the case documents in the interface language (the PDFs themselves stay Chinese)."""
    return {k: pick(lang, v[0], DOCUMENT_KIND_EN.get(k, "")) for k, v in kinds.items()}


def glosser(lang: str) -> Callable[[Any], Any]:
    """A function for templates: the English gloss of a known Chinese data text, else the text itself."""

    def gloss(text: Any) -> Any:
        if lang != "en" or not isinstance(text, str):
            return text
        return GLOSS.get(text, text)

    return gloss


ZH = {
    # shared
    "cases.case": "案件",
    "cases.case_title": "案件 {code}",
    "cases.party": "当事人",
    "cases.plate": "车牌",
    "cases.plate_no": "车牌号码",
    "cases.case_code": "查询码",
    "cases.violation": "违法事项",
    "cases.fine": "罚款",
    "cases.proposed_fine": "拟处罚款",
    "cases.decided_fine": "决定罚款",
    "cases.status": "状态",
    "cases.decision_due": "决定期限",
    "cases.deadline": "期限",
    "cases.due_on": "到期日",
    "cases.overdue": "已逾期",
    "cases.overdue_short": "逾期",
    "cases.due_today": "今日到期",
    "cases.none": "暂无",
    "cases.yuan": "{n} 元",
    "cases.filter": "筛选",
    "cases.new": "新建案件",
    "cases.linked_hint": "一案双罚",
    "cases.procedure": "程序",
    "cases.summary": "简易程序",
    "cases.ordinary": "普通程序",
    "cases.act_on": "违法日期",
    "cases.facts": "违法事实",
    "cases.legal_basis": "法律依据",
    "cases.reason": "理由",
    "cases.list_sep": "、",
    "cases.colon": "：",
    "cases.version_item": "{version}（{effective_from}）",
    "cases.history": "历史版本：",
    "cases.version": "版本号",
    "cases.effective_from": "生效日期",
    "cases.source": "依据来源",
    "cases.publish": "发布",
    "cases.code": "编码",
    "cases.item": "事项",
    "cases.no_penalty": "不予处罚",
    "cases.reduced": "从轻 {p}%",
    # list
    "cases.list.title": "案件",
    "cases.list.mine": "我的案件",
    "cases.list.unit": "本单位案件",
    "cases.list.due_head": "今日到期与逾期（{today}）",
    "cases.list.nothing_due": "今日无到期事项。",
    "cases.list.due_more": "另有 {n} 项到期或逾期：查看逾期案件",
    "cases.list.only_overdue": "仅逾期",
    "cases.list.all_statuses": "全部状态",
    "cases.list.scope_mine": "我承办的",
    "cases.list.scope_unit": "本单位及下级",
    "cases.list.search": "车牌 / 查询码 / 当事人",
    "cases.list.total": "共 {n} 件",
    "cases.list.registered_at": "立案时间",
    "cases.list.empty": "暂无案件",
    # new
    "cases.new.heading": "立案登记",
    "cases.new.from_lead": "依据线索",
    "cases.new.lead_facts": "（{rule}，车牌 {plate}，{end}）：{explanation}",
    "cases.new.range": "（{min}–{max} 元）",
    "cases.new.proposed_fine": "拟处罚款（元）",
    "cases.new.band": "裁量档次（可选）",
    "cases.new.party_kind": "当事人类型",
    "cases.new.summary_on_spot": "简易程序（当场处罚）",
    "cases.new.complex": "案情复杂（须法制审核）",
    "cases.new.e_service": "当事人同意电子送达",
    "cases.new.submit": "立案",
    # review
    "cases.review.title": "法制审核",
    "cases.review.heading": "法制审核待办",
    "cases.review.submitted_at": "提交时间",
    "cases.review.empty": "暂无待审核案件",
    # catalogue
    "cases.cat.title": "违法事项与裁量基准",
    "cases.cat.heading": "违法行为事项清单与裁量基准",
    "cases.cat.in_force": "{day} 生效版本：",
    "cases.cat.in_force_tail": "（自 {effective_from}；来源：{source}）。",
    "cases.cat.law": "法律依据",
    "cases.cat.range": "法定幅度（元）",
    "cases.cat.discretion": "裁量基准",
    "cases.cat.verified_head": "核验",
    "cases.cat.verified": "已核验",
    "cases.cat.unverified": "待核验",
    "cases.cat.band": "{code}：{label} {min}–{max}",
    "cases.cat.procedure": "程序规则 {version}",
    "cases.cat.procedure_text": (
        "简易程序：自然人 ≤ {summary_person} 元，单位 ≤ {summary_enterprise} 元；听证：自然人 ≥ {hearing_person} 元，"
        "单位 ≥ {hearing_enterprise} 元（河南省）；\n立案至决定 {decision_days} 日；陈述申辩 {defence_days} 个工作日；"
        "缴款 {payment_days} 日；加处罚款每日 {surcharge}%（不超过罚款数额）；追责时效 {limitation} 年。"
    ),
    "cases.cat.publish_head": "发布新版本（事项、法定幅度、裁量档次）",
    "cases.cat.payload": "事项清单（JSON）",
    # exemptions
    "cases.ex.title": "轻微违法免罚清单",
    "cases.ex.heading": "轻微违法免罚 / 从轻清单",
    "cases.ex.current": "现行版本",
    "cases.ex.current_tail": "（自 {effective_from}；{source}）。",
    "cases.ex.effect": "效果",
    "cases.ex.applies_to": "适用违法事项",
    "cases.ex.conditions": "须同时满足的条件",
    "cases.ex.basis": "依据",
    "cases.ex.cond_sep": "；",
    "cases.ex.by_unit": "各单位适用情况",
    "cases.ex.unit": "单位",
    "cases.ex.exempted": "免予处罚",
    "cases.ex.mitigated": "从轻/减轻",
    "cases.ex.publish_head": "发布新版本",
    "cases.ex.payload": "清单内容（JSON）",
    # detail
    "cases.d.item_version": "（{code}，{version} 版）",
    "cases.d.band": "（{band} 档）",
    "cases.d.hearing_right": "听证权利",
    "cases.d.yes": "有",
    "cases.d.no": "无",
    "cases.d.requested": "（已申请）",
    "cases.d.legal_review": "法制审核",
    "cases.d.review_required": "须审核",
    "cases.d.review_not_required": "不需要",
    "cases.d.passed": "（已通过）",
    "cases.d.e_service": "电子送达",
    "cases.d.consented": "已同意",
    "cases.d.not_consented": "未同意",
    "cases.d.exemption": "免罚/从轻",
    "cases.d.payment": "缴款",
    "cases.d.paid": "已缴 {paid} 元（含加处罚款 {surcharge} 元）",
    "cases.d.due": "应缴 {due} 元",
    "cases.d.deadlines": "期限",
    "cases.d.no_deadlines": "无进行中的期限",
    "cases.d.handling": "办理",
    "cases.d.fine_yuan": "决定罚款（元）",
    "cases.d.service_channel": "送达方式",
    "cases.d.ch_electronic": "电子送达",
    "cases.d.ch_direct": "直接送达",
    "cases.d.ch_post": "邮寄送达",
    "cases.d.no_steps": "本案已无后续步骤。",
    "cases.d.exemption_head": "适用轻微违法免罚 / 从轻清单",
    "cases.d.exemption_terms": "（{effect}；{basis}）须同时满足：",
    "cases.d.apply": "适用",
    "cases.d.add_evidence": "添加证据",
    "cases.d.evidence_note": "说明",
    "cases.d.upload": "上传",
    "cases.d.documents": "文书",
    "cases.d.case_file": "导出案卷（PDF）",
    "cases.d.evidence": "证据",
    "cases.d.statements": "当事人陈述申辩",
    "cases.d.linked": "一案双罚关联案件",
    "cases.d.timeline": "办案时间线",
    "cases.d.paren": "（{text}）",
    # errors built by the pages
    "cases.err.fine_or_date": "罚款金额或违法日期格式不正确",
    "cases.err.json_or_date": "内容须为 JSON，日期须为 YYYY-MM-DD：{exc}",
    "cases.err.fine_int": "罚款金额须为整数（元）",
    "cases.err.evidence_size": "证据文件不超过 50 MB",
    "cases.err.no_document": "文书不存在",
    "cases.err.no_order": "缴款订单不存在",
    # portal
    "portal.title": "当事人服务",
    "portal.heading": "不见面执法 · 当事人服务",
    "portal.intro": "输入车牌号码和告知书上的案件查询码，查看文书、陈述申辩、在线缴款。",
    "portal.plate": "车牌号码",
    "portal.case_code": "案件查询码",
    "portal.lookup": "查询",
    "portal.too_many": "查询过于频繁，请一分钟后再试",
    "portal.not_found": "车牌号或案件查询码不正确",
    "portal.case.title": "我的案件",
    "portal.case.submitted": "已提交，执法机构将在作出决定前复核您的意见。",
    "portal.case.paid": "缴款成功，案件已结案。",
    "portal.case.payfail": "缴款未成功，请重试。",
    "portal.case.violation": "违法行为",
    "portal.case.basis": "依据",
    "portal.case.defence_due": "陈述申辩期限",
    "portal.case.payment_due": "缴款期限",
    "portal.case.payment_due_note": "（逾期每日加处罚款 3%，不超过罚款数额）",
    "portal.case.paid_amount": "已缴",
    "portal.case.documents": "执法文书",
    "portal.case.statements": "已提交的意见",
    "portal.case.defence": "陈述申辩",
    "portal.case.kind": "类型",
    "portal.case.text": "内容",
    "portal.case.submit": "提交",
    "portal.case.pay_head": "在线缴款",
    "portal.case.amount_due": "应缴金额：",
    "portal.case.pay": "扫码缴款",
    "portal.case.logout": "退出",
    "portal.pay.title": "扫码缴款",
    "portal.pay.order": "订单号 {order_no}，金额",
    "portal.pay.scan": "请使用手机银行扫描下列支付码：",
    "portal.pay.simulate": "（模拟）已扫码并完成支付",
    "portal.pay.done": "订单已支付。",
    "portal.pay.back": "返回案件",
}

EN = {
    # shared
    "cases.case": "Case",
    "cases.case_title": "Case {code}",
    "cases.party": "Party",
    "cases.plate": "Plate",
    "cases.plate_no": "Plate number",
    "cases.case_code": "Case code",
    "cases.violation": "Violation",
    "cases.fine": "Fine",
    "cases.proposed_fine": "Proposed fine",
    "cases.decided_fine": "Fine decided",
    "cases.status": "Status",
    "cases.decision_due": "Decision due",
    "cases.deadline": "Time limit",
    "cases.due_on": "Due on",
    "cases.overdue": "Overdue",
    "cases.overdue_short": "overdue",
    "cases.due_today": "Due today",
    "cases.none": "None yet",
    "cases.yuan": "{n} yuan",
    "cases.filter": "Filter",
    "cases.new": "New case",
    "cases.linked_hint": "One case, two penalties",
    "cases.procedure": "Procedure",
    "cases.summary": "Summary procedure",
    "cases.ordinary": "Ordinary procedure",
    "cases.act_on": "Date of the violation",
    "cases.facts": "Facts of the violation",
    "cases.legal_basis": "Legal basis",
    "cases.reason": "Reason",
    "cases.list_sep": ", ",
    "cases.colon": ": ",
    "cases.version_item": "{version} ({effective_from})",
    "cases.history": "All versions: ",
    "cases.version": "Version",
    "cases.effective_from": "Effective from",
    "cases.source": "Source",
    "cases.publish": "Publish",
    "cases.code": "Code",
    "cases.item": "Item",
    "cases.no_penalty": "No penalty",
    "cases.reduced": "Mitigated, {p}% less",
    # list
    "cases.list.title": "Cases",
    "cases.list.mine": "My cases",
    "cases.list.unit": "Cases of my unit",
    "cases.list.due_head": "Due today and overdue ({today})",
    "cases.list.nothing_due": "Nothing is due today.",
    "cases.list.due_more": "{n} more due or overdue: show the overdue cases",
    "cases.list.only_overdue": "Overdue only",
    "cases.list.all_statuses": "All statuses",
    "cases.list.scope_mine": "Handled by me",
    "cases.list.scope_unit": "My unit and the units below",
    "cases.list.search": "Plate / case code / party",
    "cases.list.total": "{n} cases in total",
    "cases.list.registered_at": "Opened at",
    "cases.list.empty": "No cases",
    # new
    "cases.new.heading": "Open a case",
    "cases.new.from_lead": "Based on lead",
    "cases.new.lead_facts": " ({rule}, plate {plate}, {end}): {explanation}",
    "cases.new.range": " ({min}–{max} yuan)",
    "cases.new.proposed_fine": "Proposed fine (yuan)",
    "cases.new.band": "Discretion band (optional)",
    "cases.new.party_kind": "Type of party",
    "cases.new.summary_on_spot": "Summary procedure (penalty on the spot)",
    "cases.new.complex": "Complex case (legal review required)",
    "cases.new.e_service": "The party consents to electronic service",
    "cases.new.submit": "Open case",
    # review
    "cases.review.title": "Legal review",
    "cases.review.heading": "Cases awaiting legal review",
    "cases.review.submitted_at": "Submitted at",
    "cases.review.empty": "No cases await legal review",
    # catalogue
    "cases.cat.title": "Catalogue & discretion",
    "cases.cat.heading": "Violation catalogue and discretion standards",
    "cases.cat.in_force": "Version in force on {day}: ",
    "cases.cat.in_force_tail": " (since {effective_from}; source: {source}).",
    "cases.cat.law": "Legal basis",
    "cases.cat.range": "Statutory range (yuan)",
    "cases.cat.discretion": "Discretion standard",
    "cases.cat.verified_head": "Checked",
    "cases.cat.verified": "Checked",
    "cases.cat.unverified": "To be checked",
    "cases.cat.band": "{code}: {label} {min}–{max}",
    "cases.cat.procedure": "Procedure rules {version}",
    "cases.cat.procedure_text": (
        "Summary procedure: natural persons ≤ {summary_person} yuan, organisations ≤ {summary_enterprise} yuan; "
        "hearing: natural persons ≥ {hearing_person} yuan, organisations ≥ {hearing_enterprise} yuan (Henan); "
        "opening to decision {decision_days} days; statement and defence {defence_days} working days; "
        "payment {payment_days} days; late-payment surcharge {surcharge}% a day (at most the amount of the fine); "
        "limitation period {limitation} years."
    ),
    "cases.cat.publish_head": "Publish a new version (items, statutory ranges, discretion bands)",
    "cases.cat.payload": "Catalogue items (JSON)",
    # exemptions
    "cases.ex.title": "Exemption list",
    "cases.ex.heading": "Minor-violation exemption / mitigation list",
    "cases.ex.current": "Version in force",
    "cases.ex.current_tail": " (since {effective_from}; {source}). ",
    "cases.ex.effect": "Effect",
    "cases.ex.applies_to": "Applies to violations",
    "cases.ex.conditions": "Conditions (all required)",
    "cases.ex.basis": "Legal basis",
    "cases.ex.cond_sep": "; ",
    "cases.ex.by_unit": "Use by unit",
    "cases.ex.unit": "Unit",
    "cases.ex.exempted": "No penalty",
    "cases.ex.mitigated": "Mitigated/reduced",
    "cases.ex.publish_head": "Publish a new version",
    "cases.ex.payload": "List content (JSON)",
    # detail
    "cases.d.item_version": " ({code}, version {version})",
    "cases.d.band": " (band {band})",
    "cases.d.hearing_right": "Right to a hearing",
    "cases.d.yes": "Yes",
    "cases.d.no": "No",
    "cases.d.requested": " (requested)",
    "cases.d.legal_review": "Legal review",
    "cases.d.review_required": "Required",
    "cases.d.review_not_required": "Not required",
    "cases.d.passed": " (passed)",
    "cases.d.e_service": "Electronic service",
    "cases.d.consented": "Consented",
    "cases.d.not_consented": "Not consented",
    "cases.d.exemption": "Exemption/mitigation",
    "cases.d.payment": "Payment",
    "cases.d.paid": "Paid {paid} yuan (including a late-payment surcharge of {surcharge} yuan)",
    "cases.d.due": "Due: {due} yuan",
    "cases.d.deadlines": "Time limits",
    "cases.d.no_deadlines": "No time limit is running",
    "cases.d.handling": "Next steps",
    "cases.d.fine_yuan": "Fine decided (yuan)",
    "cases.d.service_channel": "Service by",
    "cases.d.ch_electronic": "Electronic service",
    "cases.d.ch_direct": "Direct service",
    "cases.d.ch_post": "Service by post",
    "cases.d.no_steps": "This case has no further steps.",
    "cases.d.exemption_head": "Apply the minor-violation exemption / mitigation list",
    "cases.d.exemption_terms": " ({effect}; {basis}) — all of these must hold:",
    "cases.d.apply": "Apply",
    "cases.d.add_evidence": "Add evidence",
    "cases.d.evidence_note": "Description",
    "cases.d.upload": "Upload",
    "cases.d.documents": "Documents",
    "cases.d.case_file": "Export case file (PDF)",
    "cases.d.evidence": "Evidence",
    "cases.d.statements": "Party's statements and defence",
    "cases.d.linked": "Linked cases (one case, two penalties)",
    "cases.d.timeline": "Case timeline",
    "cases.d.paren": " ({text})",
    # errors built by the pages
    "cases.err.fine_or_date": "The fine or the date of the violation is not valid",
    "cases.err.json_or_date": "The content must be JSON and the date YYYY-MM-DD: {exc}",
    "cases.err.fine_int": "The fine must be a whole number of yuan",
    "cases.err.evidence_size": "Evidence files are limited to 50 MB",
    "cases.err.no_document": "Document not found",
    "cases.err.no_order": "Payment order not found",
    # portal
    "portal.title": "Party services",
    "portal.heading": "Online enforcement · Party services",
    "portal.intro": "Enter the plate number and the case code from your notice to see the documents, "
                    "submit a statement or defence, and pay online.",
    "portal.plate": "Plate number",
    "portal.case_code": "Case code",
    "portal.lookup": "Look up",
    "portal.too_many": "Too many look-ups; please try again in a minute",
    "portal.not_found": "Wrong plate number or case code",
    "portal.case.title": "My case",
    "portal.case.submitted": "Submitted. The enforcement unit will consider your statement before it decides.",
    "portal.case.paid": "Payment received; the case is closed.",
    "portal.case.payfail": "The payment did not go through; please try again.",
    "portal.case.violation": "Violation",
    "portal.case.basis": "Legal basis",
    "portal.case.defence_due": "Statement and defence by",
    "portal.case.payment_due": "Pay by",
    "portal.case.payment_due_note": " (late-payment surcharge of 3% a day, at most the amount of the fine)",
    "portal.case.paid_amount": "Paid",
    "portal.case.documents": "Enforcement documents",
    "portal.case.statements": "Your submissions",
    "portal.case.defence": "Statement and defence",
    "portal.case.kind": "Type",
    "portal.case.text": "Text",
    "portal.case.submit": "Submit",
    "portal.case.pay_head": "Pay online",
    "portal.case.amount_due": "Amount due: ",
    "portal.case.pay": "Pay by QR code",
    "portal.case.logout": "Leave",
    "portal.pay.title": "Pay by QR code",
    "portal.pay.order": "Order {order_no}, amount",
    "portal.pay.scan": "Scan this payment code with your banking app:",
    "portal.pay.simulate": "(Simulation) Scanned and paid",
    "portal.pay.done": "The order is paid.",
    "portal.pay.back": "Back to the case",
}

add_messages(zh=ZH, en=EN)
