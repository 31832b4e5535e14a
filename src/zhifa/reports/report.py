"""The report: section 一 of the source document with every X filled from `figures`, for one unit and period.

Jurisdiction: a report is for one unit and everything below it. Rankings inside the report name only
units inside that scope (for a city: its counties); for a unit below the province the report adds its
own rank among the province's cities, and nothing else of other cities.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from zhifa.reports import figures as F
from zhifa.reports import messages as _messages  # noqa: F401 - registers the texts of the HTML export
from zhifa.reports.figures import Period, Scope, UnitInfo, has_data
from zhifa.shared.access import PROVINCE_CODE


@dataclass
class Seg:
    """One piece of a sentence: plain text, or a filled X (a figure value, a list of units)."""

    text: str
    figure: str | None = None
    no_data: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "figure": self.figure, "no_data": self.no_data}


@dataclass
class Section:
    key: str
    title: str
    sentences: list[list[Seg]] = field(default_factory=list)

    def text(self) -> str:
        return "".join(s.text for sent in self.sentences for s in sent)


SECTION_TITLES = (
    ("一", "专项整治行动成果丰硕"),
    ("二", "运政执法监管持续强化"),
    ("三", "超限治理能力逐步提升"),
    ("四", "路域环境治理精准发力"),
    ("五", "执法信息化转型发展稳步推进"),
    ("六", "执法监督力度持续加大"),
    ("七", "执法队伍素质明显提高"),
    ("八", "执法服务理念不断深化"),
)
SECTION_TITLES_EN = {
    "一": "Special campaigns delivered substantial results",
    "二": "Oversight of the transport market kept tightening",
    "三": "Overload control grew steadily stronger",
    "四": "Targeted clean-up of the roadside environment",
    "五": "Steady progress in the digital transformation of enforcement",
    "六": "Tighter supervision of enforcement",
    "七": "A markedly more capable enforcement workforce",
    "八": "A deepening service approach to enforcement",
}
MONTHS_SHORT_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Figures drawn as bar charts by unit (province: by city; a city: by county).
CHART_FIGURES = ("intercepted", "overload_trucks", "overload_100t", "offsite_cases", "credit_records",
                 "wim_sites_total", "exemptions_no_penalty", "complaints_and_opinion")
# Figures drawn as a monthly trend for a yearly report.
TREND_FIGURES = ("watch_entries", "intercepted", "overload_trucks")


def fmt(v: Any, lang: str = "zh") -> str:
    if not has_data(v):
        return "no data" if lang == "en" else "无数据"
    if isinstance(v, float) and not v.is_integer():
        return f"{v:.1f}"
    return str(int(v))


class Builder:
    def __init__(self, session: Session, *, unit_code: str, period: Period, units: UnitInfo,
                 lang: str = "zh") -> None:
        self.s = session
        self.period = period
        self.units = units
        self.lang = lang
        self.en = lang == "en"
        self.scope = Scope.of(unit_code, units)
        self.is_province = unit_code == PROVINCE_CODE
        self.scope_name = ("the whole province" if self.en else "全省") if self.is_province else units.name(unit_code)
        self.nd = "no data" if self.en else "无数据"  # the text of a missing value
        self.sep = ", " if self.en else "、"  # between names of units
        # Rankings inside the report: cities for the province, every unit below for a city or county.
        self.level = "city" if self.is_province else "county"
        self._vals: dict[tuple[str, str], Any] = {}
        self._ranks: dict[str, list[F.Ranked]] = {}

    # values -------------------------------------------------------------
    def val(self, fid: str, period: Period | None = None) -> Any:
        p = period or self.period
        key = (fid, p.code)
        if key not in self._vals:
            self._vals[key] = F.value(self.s, F.FIGURES[fid], self.scope, p)
        return self._vals[key]

    def rank(self, fid: str) -> list[F.Ranked]:
        if fid not in self._ranks:
            r = F.ranking(self.s, F.FIGURES[fid], self.period, self.units, level=self.level, scope=self.scope)
            if not self.is_province:
                r = [x for x in r if x.unit_code != self.scope.unit_code]
            self._ranks[fid] = r
        return self._ranks[fid]

    def province_rank(self, fid: str) -> tuple[int, int, Any] | None:
        """(rank, number of ranked cities, value) of this unit's city among the province's cities."""
        if self.is_province:
            return None
        city = self.units.city(self.scope.unit_code)
        r = F.ranking(self.s, F.FIGURES[fid], self.period, self.units, level="city")
        for x in r:
            if x.unit_code == city:
                return x.rank, len(r), x.value
        return None

    # segments -----------------------------------------------------------
    def v(self, fid: str) -> Seg:
        x = self.val(fid)
        return Seg(fmt(x, self.lang), fid, not has_data(x))

    def top(self, fid: str, n: int) -> Seg:
        r = self.rank(fid)[:n]
        if not r:
            return Seg(self.nd, fid, True)
        return Seg(self.sep.join(x.name for x in r), fid)

    def top_min(self, fid: str, n: int) -> Seg:
        r = self.rank(fid)[:n]
        if not r:
            return Seg(self.nd, fid, True)
        return Seg(fmt(min(x.value for x in r), self.lang), fid)

    def nth(self, fid: str, i: int) -> tuple[Seg, Seg]:
        r = self.rank(fid)
        if len(r) <= i:
            return Seg(self.nd, fid, True), Seg(self.nd, fid, True)
        return Seg(r[i].name, fid), Seg(fmt(r[i].value, self.lang), fid)

    def share_of_top(self, fid: str) -> Seg:
        r, total = self.rank(fid), self.val(fid)
        if not r or not has_data(total) or not total:
            return Seg(self.nd, fid, True)
        return Seg(fmt(round(100.0 * float(r[0].value) / float(total), 1), self.lang), fid)

    def own_rank(self, fid: str) -> list[Seg]:
        pr = self.province_rank(fid)
        if self.is_province:
            return []
        if pr is None:
            return [Seg(" (provincial ranking: no data)" if self.en else "（全省排名：无数据）", fid, True)]
        city = self.units.name(self.units.city(self.scope.unit_code))
        if self.en:
            return [Seg(f" ({city} ranks {pr[0]} of {pr[1]} in the province)", fid)]
        return [Seg(f"（{city}在全省排第{pr[0]}名，共{pr[1]}个）", fid)]

    def no_delay_units(self) -> Seg:
        f = F.FIGURES["intercept_answered_late"]
        rows = F.by_unit(self.s, f, self.period, self.scope)
        ok = sorted(((c, v[0]) for c, v in rows.items() if v[0] and not v[1] and c != PROVINCE_CODE),
                    key=lambda cv: (-cv[1], cv[0]))
        if not rows:
            return Seg(self.nd, f.id, True)
        if not ok:
            return Seg("(none)" if self.en else "（无）", f.id)
        return Seg(self.sep.join(self.units.name(c) for c, _ in ok[:3]), f.id)

    def yoy_seg(self, fid: str) -> list[Seg]:
        cur, prev = self.val(fid), self.val(fid, self.period.previous_year())
        ch = F.yoy(cur, prev)
        if self.en:
            if not has_data(ch):
                return [Seg("; change on the same period last year: "), Seg(self.nd, fid, True)]
            word = "down" if ch < 0 else "up"
            return [Seg(f", {word} "), Seg(fmt(abs(ch), self.lang), fid),
                    Seg(f"% on the same period of {self.period.previous_year().label_en}")]
        if not has_data(ch):
            return [Seg("，与上年同期相比："), Seg("无数据", fid, True)]
        word = "下降" if ch < 0 else "上升"
        return [Seg(f"，与{self.period.previous_year().label}同期相比{word}"), Seg(fmt(abs(ch)), fid), Seg("%")]


def T(text: str) -> Seg:
    return Seg(text)


def build(session: Session, *, unit_code: str, period: Period, units: UnitInfo | None = None,
          lang: str = "zh") -> dict[str, Any]:
    """The report as data: sections of sentences, the figure table with YoY, rankings and chart data.

    `lang="en"` writes the sentences, titles and chart labels in English (the web page in English);
    the data and the Chinese report (PDF, JSON, CLI) are the default."""
    units = units or UnitInfo.load(session)
    b = Builder(session, unit_code=unit_code, period=period, units=units, lang=lang)
    if b.en:
        secs = _sections_en(b)
    else:
        secs = _sections_zh(b)
    return _assemble(session, b, secs)


def _sections_zh(b: Builder) -> dict[str, Section]:
    period = b.period
    P, W = period.label, b.scope_name
    secs: dict[str, Section] = {k: Section(k, t) for k, t in SECTION_TITLES}

    secs["一"].sentences += [
        [T(f"{P}，{W}开展明查暗访，排查各类问题"), b.v("inspection_findings"), T("个，整改完成率达"),
         b.v("inspection_rectification_rate"), T("%，查处违法违纪人员"), b.v("accountability_total"), T("人次。")],
        [T("面向社会公众、服务管理对象等开展满意度问卷调查"), b.v("survey_responses"), T("人次；")],
        [T("工单办结后回访评价"), b.v("satisfaction_rated"), T("人次，满意率"), b.v("satisfaction_rate"), T("%，其中"),
         b.top("satisfaction_rate", 3), T("等地满意度位居前列"), *b.own_rank("satisfaction_rate"), T("。")],
    ]
    secs["二"].sentences += [
        [T(f"依托省厅综合管理服务平台，{P}累计布控车辆"), b.v("watch_entries"), T("台次，查获"), b.v("intercepted"),
         T("台次，其中"), b.top("intercepted", 3), T("查处数量最多，均在"), b.top_min("intercepted", 3), T("台以上"),
         *b.own_rank("intercepted"), T("。")],
        [b.no_delay_units(), T("对上级指令均及时处置，无一延迟。")],
        [T("办结第三类抄告信息"), b.v("forwarded_third_closed"), T("条（办结率"), b.v("forwarded_third_rate"),
         T("%），其中"), b.top("forwarded_third_rate", 4), T("办结率较高。")],
        [T("联合开展打非治违专项整治行动，共查处各类非法违法车辆"), b.v("joint_operation_vehicles"), T("台次。")],
        [T(f"{W}共查处网约车"), b.v("ride_hailing_vehicles"), T("台、不合规平台公司"), b.v("ride_hailing_platforms"),
         T("家。")],
    ]
    n1, v1 = b.nth("oversize_cases", 0)
    n2, v2 = b.nth("oversize_cases", 1)
    tp_name, tp_val = b.nth("traceback_penalties", 0)
    secs["三"].sentences += [
        [T(f"{P}，{W}累计查获违法超限超载货车"), b.v("overload_trucks"), T("台次，其中“百吨王”"), b.v("overload_100t"),
         T("台次。"), b.top("overload_100t", 4), T("查处“百吨王”数量较多，均在"), b.top_min("overload_100t", 4),
         T("台以上"), *b.own_rank("overload_100t"), T("。")],
        [T(f"{P}高速公路入口超限率为"), b.v("entry_overload_rate"), T("%。")],
        [T("公示重点货运源头"), b.v("key_sources_published"), T("家，倒查货运装载源头"), b.v("tracebacks"),
         T("家次，其中责令整改"), b.v("traceback_rectification"), T("家次，处罚"), b.v("traceback_penalties"),
         T("家次，仅"), tp_name, T("就查处"), tp_val, T("家，占比"), b.share_of_top("traceback_penalties"),
         T("%；源头罚款"), b.v("traceback_fines"), T("元。")],
        [T("各地非现场执法查处违法超限货车"), b.v("offsite_cases"), T("台次，"), b.top("offsite_cases", 5),
         T("查处违法车辆较多"), *b.own_rank("offsite_cases"), T("。")],
        [T("全年共查处违法大件运输车辆"), b.v("oversize_cases"), T("台次，其中"), n1, T("查处"), v1, T("台次，"), n2,
         T("查处"), v2, T("台次。")],
        [T(f"{P}报送严重违法失信信息"), b.v("credit_records"), T("条，涉及"), b.v("credit_vehicles"), T("台车辆、"),
         b.v("credit_drivers"), T("名从业人员、"), b.v("credit_enterprises"), T("家运输企业，其中"),
         b.top("credit_records", 3), T("报送数量较多"), *b.own_rank("credit_records"), T("。")],
    ]
    secs["四"].sentences += [[T("清理高速公路沿线广告设施"), b.v("ads_cleared"), T("处。")]]
    secs["五"].sentences += [
        [T("建成非现场执法点"), b.v("wim_sites_total"), T("个（本期新建"), b.v("wim_sites_built"),
         T("个），全部接入省厅综合管理服务平台。"), b.top("wim_sites_total", 5), T("建成非现场执法点较多；视频监控点"),
         b.v("video_points"), T("个。")],
    ]
    secs["六"].sentences += [
        [T(f"{W}共处理执法人员"), b.v("accountability_total"), T("人次，其中组织处理"),
         b.v("accountability_organisational"), T("人次、移交司法机关"), b.v("accountability_judicial"), T("人次。")],
        [T("开展"), b.v("inspection_rounds_secret"), T("轮暗访检查，发现各类问题线索"), b.v("inspection_findings"),
         T("件，整改率"), b.v("inspection_rectification_rate"), T("%。")],
        [T(f"{P}共接到网络负面舆情和投诉举报"), b.v("complaints_and_opinion"), T("起（其中负面舆情"),
         b.v("opinion_incidents"), T("起）"), *b.yoy_seg("complaints_and_opinion"), T("。有奖举报兑现奖金"),
         b.v("complaint_rewards"), T("元。")],
    ]
    secs["七"].sentences += [
        [T("组织开展了"), b.v("training_sessions"), T("期执法业务培训，累计培训业务骨干"), b.v("training_trainees"),
         T("人次。")],
    ]
    secs["八"].sentences += [
        [T(f"{W}共实行轻微免罚"), b.v("exemptions_no_penalty"), T("次，减轻处罚"), b.v("exemptions_reduced"), T("次。")],
        [T("开展超限检测站逾期未处理车辆排查清理，对"), b.v("held_vehicles_overdue"), T("台滞留车辆实行“一对一”服务。")],
        [T("清理规范限高限宽设施"), b.v("barriers_removed"), T("处，对依法保留的"), b.v("barriers_kept"),
         T("处设施全部审批备案、安装公示牌，接收群众投诉举报信息"), b.v("barrier_reports"), T("条，已处置完成"),
         b.v("barrier_reports_handled"), T("条，处置率"), b.v("barrier_reports_rate"), T("%。")],
    ]
    return secs


def _sections_en(b: Builder) -> dict[str, Section]:
    """The same sentences as `_sections_zh`, in English (same figures, same order)."""
    P, W = b.period.label_en, b.scope_name
    Wc = W[:1].upper() + W[1:]
    secs: dict[str, Section] = {k: Section(k, SECTION_TITLES_EN[k]) for k, _ in SECTION_TITLES}

    secs["一"].sentences += [
        [T(f"In {P}, {W} carried out open and secret inspections and found "), b.v("inspection_findings"),
         T(" problems of all kinds; the rectification rate reached "), b.v("inspection_rectification_rate"),
         T("%, and "), b.v("accountability_total"), T(" officers were held accountable for violations of law or discipline. ")],
        [T("Satisfaction surveys of the public and of those served and regulated collected "), b.v("survey_responses"),
         T(" responses; ")],
        [T("callbacks after completed work orders rated satisfaction "), b.v("satisfaction_rated"),
         T(" times, with a satisfaction rate of "), b.v("satisfaction_rate"), T("%; "), b.top("satisfaction_rate", 3),
         T(" ranked highest for satisfaction"), *b.own_rank("satisfaction_rate"), T(". ")],
    ]
    secs["二"].sentences += [
        [T(f"In {P}, the provincial department's integrated management and service platform was used to watch-list "),
         b.v("watch_entries"), T(" vehicles and intercept "), b.v("intercepted"), T("; "),
         b.top("intercepted", 3), T(" intercepted the most, each at least "), b.top_min("intercepted", 3),
         T(" vehicles"), *b.own_rank("intercepted"), T(". ")],
        [b.no_delay_units(), T(" handled every instruction from above promptly, without a single delay. ")],
        [b.v("forwarded_third_closed"), T(" third-class forwarded leads were closed (completion rate "),
         b.v("forwarded_third_rate"), T("%), with the highest completion rates in "), b.top("forwarded_third_rate", 4),
         T(". ")],
        [T("Joint operations against illegal operation handled "), b.v("joint_operation_vehicles"),
         T(" unlawful vehicles of all kinds. ")],
        [T(f"{Wc} handled "), b.v("ride_hailing_vehicles"), T(" ride-hailing vehicles and "),
         b.v("ride_hailing_platforms"), T(" non-compliant platform companies. ")],
    ]
    n1, v1 = b.nth("oversize_cases", 0)
    n2, v2 = b.nth("oversize_cases", 1)
    tp_name, tp_val = b.nth("traceback_penalties", 0)
    secs["三"].sentences += [
        [T(f"In {P}, {W} handled "), b.v("overload_trucks"), T(" overloaded trucks, of which "), b.v("overload_100t"),
         T(" were trucks of 100 t or more. "), b.top("overload_100t", 4),
         T(" handled the most trucks of 100 t or more, each at least "), b.top_min("overload_100t", 4), T(" vehicles"),
         *b.own_rank("overload_100t"), T(". ")],
        [T(f"The highway entry overload rate in {P} was "), b.v("entry_overload_rate"), T("%. ")],
        [b.v("key_sources_published"), T(" key loading sources were published and "), b.v("tracebacks"),
         T(" trace-backs to loading sources were made, leading to "), b.v("traceback_rectification"),
         T(" rectification orders and "), b.v("traceback_penalties"), T(" penalties; "), tp_name,
         T(" alone accounted for "), tp_val, T(" of them, "), b.share_of_top("traceback_penalties"),
         T("% of the total; fines on loading sources came to "), b.v("traceback_fines"), T(" yuan. ")],
        [T("Off-site enforcement handled "), b.v("offsite_cases"), T(" overloaded trucks; "), b.top("offsite_cases", 5),
         T(" handled the most"), *b.own_rank("offsite_cases"), T(". ")],
        [T("Over the period "), b.v("oversize_cases"), T(" oversize-transport violations were handled, of which "), n1,
         T(" handled "), v1, T(" and "), n2, T(" handled "), v2, T(". ")],
        [T(f"In {P}, "), b.v("credit_records"), T(" serious-dishonesty records were reported, involving "),
         b.v("credit_vehicles"), T(" vehicles, "), b.v("credit_drivers"), T(" drivers and "),
         b.v("credit_enterprises"), T(" transport enterprises; "), b.top("credit_records", 3),
         T(" reported the most"), *b.own_rank("credit_records"), T(". ")],
    ]
    secs["四"].sentences += [[b.v("ads_cleared"), T(" advertising facilities along expressways were cleared. ")]]
    secs["五"].sentences += [
        [b.v("wim_sites_total"), T(" off-site enforcement points are in service ("), b.v("wim_sites_built"),
         T(" built in this period), all connected to the provincial department's integrated platform. "),
         b.top("wim_sites_total", 5), T(" have built the most; there are "), b.v("video_points"), T(" video points. ")],
    ]
    secs["六"].sentences += [
        [T(f"{Wc} held "), b.v("accountability_total"), T(" officers accountable: "),
         b.v("accountability_organisational"), T(" through organisational handling and "),
         b.v("accountability_judicial"), T(" transferred to judicial organs. ")],
        [b.v("inspection_rounds_secret"), T(" rounds of secret inspections found "), b.v("inspection_findings"),
         T(" problems, with a rectification rate of "), b.v("inspection_rectification_rate"), T("%. ")],
        [T(f"In {P}, "), b.v("complaints_and_opinion"),
         T(" complaints and negative public-opinion incidents were received (of which "), b.v("opinion_incidents"),
         T(" public-opinion incidents)"), *b.yoy_seg("complaints_and_opinion"),
         T(". Rewards paid for tip-offs came to "), b.v("complaint_rewards"), T(" yuan. ")],
    ]
    secs["七"].sentences += [
        [b.v("training_sessions"), T(" enforcement training sessions were held, training "), b.v("training_trainees"),
         T(" key staff in total. ")],
    ]
    secs["八"].sentences += [
        [T(f"{Wc} applied the minor-violation exemption "), b.v("exemptions_no_penalty"),
         T(" times and reduced penalties "), b.v("exemptions_reduced"), T(" times. ")],
        [T("Vehicles held at overload check stations past their deadline were reviewed and cleared, with one-to-one "
           "service for "), b.v("held_vehicles_overdue"), T(" held vehicles. ")],
        [b.v("barriers_removed"), T(" height/width barriers were cleaned up; all "), b.v("barriers_kept"),
         T(" barriers kept by law have been approved, filed and given signboards. "), b.v("barrier_reports"),
         T(" reports about barriers were received from the public and "), b.v("barrier_reports_handled"),
         T(" handled, a handling rate of "), b.v("barrier_reports_rate"), T("%. ")],
    ]
    return secs


def _assemble(session: Session, b: Builder, secs: dict[str, Section]) -> dict[str, Any]:
    period, unit_code, en = b.period, b.scope.unit_code, b.en
    prev = period.previous_year()
    table = []
    for f in F.FIGURES.values():
        cur, old = b.val(f.id), b.val(f.id, prev)
        table.append({"id": f.id, "label": f.label, "label_en": f.label_en, "unit": f.unit, "section": f.section,
                      "table": f.table, "available": F.table_of(f, session) is not None, "value": _j(cur), "previous": _j(old),
                      "yoy": _j(F.yoy(cur, old)), "doc": f.doc, "unit_en": f.unit_en, "section_en": f.section_en,
                      "doc_en": f.doc_en})
    charts = []
    for fid in CHART_FIGURES:
        r = b.rank(fid)
        f = F.FIGURES[fid]
        title = f"{f.label_en} ({f.unit_en})" if en else f"{f.label}（{f.unit}）"
        charts.append({"id": fid, "title": title, "names": [x.name for x in r[:12]],
                       "values": [x.value for x in r[:12]], "no_data": not r})
    trend = None
    if period.kind == "year":
        months = [Period("month", period.year, m) for m in range(1, 13)]
        trend = {"months": list(MONTHS_SHORT_EN) if en else [f"{m}月" for m in range(1, 13)], "series": [
            {"id": fid, "name": F.FIGURES[fid].label_in(b.lang), "values": [_j(b.val(fid, m)) for m in months]}
            for fid in TREND_FIGURES]}
    if en:
        where = "the whole province" if b.is_province else b.scope_name
        title = f"Review of integrated transport law enforcement in {period.label_en}: {where}"
    else:
        title = f"{b.scope_name if not b.is_province else '全省'}{period.label}交通运输综合执法工作回顾"
    return {
        "unit_code": unit_code, "unit_name": ("Whole province" if b.is_province else b.scope_name) if en else b.scope_name,
        "period": period.code, "period_label": period.label_in(b.lang),
        "previous_period": prev.code, "is_province": b.is_province,
        "title": title,
        "sections": [{"key": s.key, "title": s.title, "text": s.text(),
                      "sentences": [[g.as_dict() for g in sent] for sent in s.sentences]} for s in secs.values()],
        "figures": table, "charts": charts, "trend": trend,
        "no_data": sorted({g.figure for s in secs.values() for sent in s.sentences for g in sent
                           if g.no_data and g.figure}),
    }


def _j(v: Any) -> Any:
    return None if not has_data(v) else v


# ---------------------------------------------------------------- PDF (server-side SVG charts)


def svg_bars(title: str, names: list[str], values: list[float], *, width: int = 520, bar_h: int = 16,
             lang: str = "zh") -> str:
    """A horizontal bar chart as SVG (WeasyPrint runs no JavaScript)."""
    if not names:
        h = 40
        nd = fmt(F.NO_DATA, lang)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}">'
                f'<text x="4" y="16" font-size="12" font-family="Noto Sans CJK SC">{html.escape(title)}</text>'
                f'<text x="4" y="34" font-size="11" fill="#888" font-family="Noto Sans CJK SC">{nd}</text></svg>')
    left, top = 130, 24
    h = top + len(names) * (bar_h + 4) + 6
    mx = max(float(v) for v in values) or 1.0
    span = width - left - 50
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" font-family="Noto Sans CJK SC">',
             f'<text x="4" y="15" font-size="12" font-weight="bold">{html.escape(title)}</text>']
    for i, (n, v) in enumerate(zip(names, values, strict=True)):
        y = top + i * (bar_h + 4)
        w = max(1.0, span * float(v) / mx)
        parts.append(f'<text x="{left - 6}" y="{y + bar_h - 4}" font-size="11" text-anchor="end">{html.escape(n)}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#1f4e8c"/>')
        parts.append(f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 4}" font-size="11">{html.escape(fmt(v, lang))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def render_html(data: dict[str, Any], *, for_pdf: bool = False, lang: str = "zh") -> str:
    """A standalone HTML document of the report (the CLI's html format and the PDF's source).

    The PDF is an official document and always Chinese; the HTML export follows `lang` (give it data
    built with the same `lang`)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from zhifa.web.deps import TEMPLATES_DIR
    from zhifa.web.i18n import translator

    lang = "zh" if for_pdf or lang != "en" else "en"
    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=select_autoescape(["html"]))
    charts = [{"title": c["title"], "uri": svg_data_uri(svg_bars(c["title"], c["names"], c["values"], lang=lang))}
              for c in data["charts"]]
    return env.get_template("reports/standalone.html").render(r=data, charts=charts, for_pdf=for_pdf, lang=lang,
                                                             t=translator(lang))


def render_pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(data, for_pdf=True)).write_pdf()
