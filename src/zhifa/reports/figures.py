"""The statistics layer (R1): every figure of section 一 of the source document as one named definition.

A figure is a `Figure`: id, Chinese label, unit of measure, the section of the document it fills, the
table it reads, and one measure (count / sum / count distinct, or a rate of two measures) over the rows
of that table that fall in a unit scope and a period. The same definition gives the value, the value
per unit (for rankings: "查处数量最多的是 …"), the value for the same period a year earlier (YoY), and
the rows behind it (drill-down, paginated).

No data versus zero (decided here, used everywhere):
- NO_DATA when the figure's table is not declared in the metadata (the capability does not exist yet,
  e.g. roads, training) — detected from `Base.metadata`, never by catching errors;
- NO_DATA when the table holds no row of the capability (the figure's *base*: the table filtered by the
  capability predicate, without the figure's own predicate) in the scope and period: the capability was
  not in use there, and "0" would claim it was;
- NO_DATA for a rate whose denominator is 0;
- otherwise the value, which may be 0 (e.g. overload determinations exist but none of 100 t).

Tables are read as SQLAlchemy Core `Table` objects from `Base.metadata`, so every query is plain SQL
that runs on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, ColumnElement, Date, Table, and_, case, distinct, func, select, true
from sqlalchemy.orm import Session

from zhifa.db.base import Base
from zhifa.shared.access import PROVINCE_CODE, descendants
from zhifa.shared.clock import TZ
from zhifa.shared.errors import ValidationFailed

# ---------------------------------------------------------------- no data


class _NoData:
    """The value of a figure that cannot be computed (see module docstring). Falsy, prints as 无数据."""

    _instance: _NoData | None = None

    def __new__(cls) -> _NoData:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NO_DATA"

    def __str__(self) -> str:
        return "无数据"


NO_DATA: Any = _NoData()
Value = int | float | Any  # int, float or NO_DATA


def has_data(v: Any) -> bool:
    return v is not NO_DATA


# ---------------------------------------------------------------- period

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


@dataclass(frozen=True)
class Period:
    """A calendar year, quarter or month; `start` inclusive, `end` exclusive."""

    kind: str  # year | quarter | month
    year: int
    part: int = 0  # quarter 1–4 or month 1–12

    @classmethod
    def parse(cls, text: str) -> Period:
        """'2022', '2022Q1', '2022-03' / '2022M03'."""
        s = (text or "").strip().upper()
        if m := re.fullmatch(r"(\d{4})", s):
            p = cls("year", int(m.group(1)))
        elif m := re.fullmatch(r"(\d{4})Q([1-4])", s):
            p = cls("quarter", int(m.group(1)), int(m.group(2)))
        elif m := re.fullmatch(r"(\d{4})(?:-|M)(\d{1,2})", s):
            p = cls("month", int(m.group(1)), int(m.group(2)))
            if not 1 <= p.part <= 12:
                raise ValidationFailed(f"月份无效：{text}", en=f"Invalid month: {text}")
        else:
            raise ValidationFailed(f"统计期无效：{text}（应为 2022、2022Q1 或 2022-03）", en=f"Invalid period: {text} (use 2022, 2022Q1 or 2022-03)")
        if not 2000 <= p.year <= 2100:
            raise ValidationFailed(f"年份无效：{text}", en=f"Invalid year: {text}")
        return p

    @property
    def start(self) -> date:
        if self.kind == "year":
            return date(self.year, 1, 1)
        if self.kind == "quarter":
            return date(self.year, 3 * (self.part - 1) + 1, 1)
        return date(self.year, self.part, 1)

    @property
    def end(self) -> date:
        if self.kind == "year":
            return date(self.year + 1, 1, 1)
        if self.kind == "quarter":
            return date(self.year + 1, 1, 1) if self.part == 4 else date(self.year, 3 * self.part + 1, 1)
        return date(self.year + 1, 1, 1) if self.part == 12 else date(self.year, self.part + 1, 1)

    @property
    def start_dt(self) -> datetime:
        return datetime.combine(self.start, datetime.min.time(), tzinfo=TZ)

    @property
    def end_dt(self) -> datetime:
        return datetime.combine(self.end, datetime.min.time(), tzinfo=TZ)

    def previous_year(self) -> Period:
        """The same period a year earlier (同期), for year-over-year change."""
        return Period(self.kind, self.year - 1, self.part)

    @property
    def code(self) -> str:
        if self.kind == "year":
            return str(self.year)
        if self.kind == "quarter":
            return f"{self.year}Q{self.part}"
        return f"{self.year}-{self.part:02d}"

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"{self.year}年"
        if self.kind == "quarter":
            return f"{self.year}年第{'一二三四'[self.part - 1]}季度"
        return f"{self.year}年{self.part}月"

    @property
    def label_en(self) -> str:
        if self.kind == "year":
            return str(self.year)
        if self.kind == "quarter":
            return f"Q{self.part} {self.year}"
        return f"{MONTHS_EN[self.part - 1]} {self.year}"

    def label_in(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label


# ---------------------------------------------------------------- unit scope


@dataclass(frozen=True)
class UnitInfo:
    """The unit tree as the statistics need it: names, levels, enforcement parents, cities."""

    names: Mapping[str, str]
    levels: Mapping[str, str]
    parents: Mapping[str, str | None]
    city_of: Mapping[str, str | None]

    @classmethod
    def load(cls, session: Session) -> UnitInfo:
        from zhifa.org.orm import Unit

        names, levels, parents, city = {}, {}, {}, {}
        for u in session.execute(select(Unit.unit_code, Unit.name, Unit.level, Unit.parent_code, Unit.city_code)):
            names[u.unit_code], levels[u.unit_code] = u.name, u.level
            parents[u.unit_code], city[u.unit_code] = u.parent_code, u.city_code
        return cls(names, levels, parents, city)

    @classmethod
    def from_tree(cls, tree: Any) -> UnitInfo:
        return cls(tree.names, tree.levels, tree.parents, tree.city_of)

    def name(self, code: str | None) -> str:
        return self.names.get(code or "", code or "")

    def city(self, code: str | None) -> str | None:
        """The city-level unit a unit belongs to for statistics (province-level rows: None).

        Directly administered counties (省直管县) rank on their own, as the document does (巩义、滑县 …)."""
        if not code or code == PROVINCE_CODE:
            return None
        level = self.levels.get(code)
        if level in ("city", "province"):
            return code if level == "city" else None
        if self.parents.get(code) == PROVINCE_CODE:  # directly administered
            return code
        return self.city_of.get(code) or self.parents.get(code) or code

    def cities(self) -> list[str]:
        """Ranking units: the cities and the directly administered counties."""
        out = [c for c, lv in self.levels.items() if lv == "city"]
        out += [c for c, lv in self.levels.items() if lv == "county" and self.parents.get(c) == PROVINCE_CODE]
        return sorted(out)


@dataclass(frozen=True)
class Scope:
    """A unit and every unit below it; `codes` None = the whole province."""

    unit_code: str
    codes: frozenset[str] | None

    @classmethod
    def of(cls, unit_code: str, units: UnitInfo) -> Scope:
        if unit_code == PROVINCE_CODE:
            return cls(unit_code, None)
        if unit_code not in units.names:
            raise ValidationFailed(f"单位不存在：{unit_code}", en=f"Unit not found: {unit_code}")
        return cls(unit_code, descendants(unit_code, units.parents))


# ---------------------------------------------------------------- definitions

Where = Callable[[Table], Sequence[ColumnElement[bool]]]


def _none(_: Table) -> Sequence[ColumnElement[bool]]:
    return ()


@dataclass(frozen=True)
class Measure:
    """count(*) | sum(column) | count(distinct column) over rows matching `where`."""

    agg: str = "count"  # count | sum | distinct
    column: str | None = None
    where: Where = _none

    def expr(self, t: Table) -> ColumnElement[Any]:
        """The aggregate over the rows matching `where` (CASE inside the aggregate: SQLite and PostgreSQL)."""
        parts = list(self.where(t))
        cond = and_(*parts) if parts else None
        if self.agg == "count":
            return func.count() if cond is None else func.count(case((cond, 1)))
        col = t.c[self.column]  # type: ignore[index]
        arg = col if cond is None else case((cond, col))
        if self.agg == "sum":
            return func.coalesce(func.sum(arg), 0)
        return func.count(distinct(arg))


# English names of the units of measure (the Chinese counters have no one-word equivalent).
UNIT_EN = {
    "件": "items", "%": "%", "轮": "rounds", "人次": "people", "名": "people", "台次": "vehicles", "台": "vehicles",
    "个": "count", "条": "records", "家": "enterprises", "家次": "enterprises", "元": "yuan", "处": "facilities",
    "起": "incidents", "期": "sessions", "次": "times",
}
_CN_NUM = "一二三四五六七八九十"


def section_en(section: str) -> str:
    """'一（一）（六）' -> '1.1, 1.6' (the numbering of the source document in Arabic numerals)."""
    m = re.fullmatch(r"([一二三四五六七八九十])((?:（[一二三四五六七八九十]）)*)", section)
    if not m:
        return section
    head = str(_CN_NUM.index(m.group(1)) + 1)
    subs = [str(_CN_NUM.index(x) + 1) for x in re.findall(r"（(.)）", m.group(2))]
    return ", ".join(f"{head}.{x}" for x in subs) if subs else head


@dataclass(frozen=True)
class Figure:
    id: str
    label: str  # Chinese label
    label_en: str
    unit: str  # 台次, 条, %, 家, 人次 …
    section: str  # e.g. "一（二）"
    table: str
    date_col: str  # the column that places a row in a period
    unit_col: str  # the column that places a row in a unit
    measure: Measure = field(default_factory=Measure)
    base: Where = _none  # the capability's rows (NO_DATA when none)
    denominator: Measure | None = None  # a rate: 100 * measure / denominator
    doc: str = ""
    cumulative: bool = False  # rows up to the end of the period, not only inside it
    doc_en: str = ""

    @property
    def unit_en(self) -> str:
        return UNIT_EN.get(self.unit, self.unit)

    @property
    def section_en(self) -> str:
        return section_en(self.section)

    def label_in(self, lang: str) -> str:
        return self.label_en if lang == "en" and self.label_en else self.label

    def unit_in(self, lang: str) -> str:
        return self.unit_en if lang == "en" else self.unit

    def section_in(self, lang: str) -> str:
        return self.section_en if lang == "en" else self.section

    def doc_in(self, lang: str) -> str:
        return self.doc_en if lang == "en" and self.doc_en else self.doc

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    def columns_needed(self) -> set[str]:
        cols = {self.date_col, self.unit_col}
        for m in (self.measure, self.denominator):
            if m is not None and m.column:
                cols.add(m.column)
        return cols


FIGURES: dict[str, Figure] = {}


def define(f: Figure) -> Figure:
    assert f.id not in FIGURES, f.id
    FIGURES[f.id] = f
    return f


def _eq(col: str, value: Any) -> Where:
    return lambda t: (t.c[col] == value,)


def _in(col: str, values: Iterable[Any]) -> Where:
    vals = list(values)
    return lambda t: (t.c[col].in_(vals),)


def _and(*parts: Where) -> Where:
    return lambda t: tuple(c for p in parts for c in p(t))


RH_VEHICLE_CODES = ("RH-VEHICLE-LIC", "RH-DRIVER-LIC")
RH_PLATFORM_CODES = ("RH-PLATFORM-LIC", "RH-PLATFORM-DISPATCH")
OVERSIZE_CODES = ("OVS-NOPERMIT", "OVS-AGAINST")
HANDLED_COMPLAINT = ("resolved", "closed", "rejected")

# 一（一） / （六） inspections and accountability
define(Figure("inspection_findings", "排查发现问题线索", "Inspection findings", "件", "一（一）（六）",
              "inspection_findings", "found_on", "unit_code",
              doc="明查暗访发现的问题（inspection_findings，按发现日期、发现地单位）。",
              doc_en="Problems found by open and secret inspections (inspection_findings, by date found and unit where found)."))
define(Figure("inspection_rectification_rate", "问题整改率", "Rectification rate", "%", "一（一）（六）",
              "inspection_findings", "found_on", "unit_code",
              measure=Measure(where=_eq("rectified", True)), denominator=Measure(),
              doc="期内发现的问题中已整改的比例。",
              doc_en="Share of the problems found in the period that have been rectified."))
define(Figure("inspection_rounds_secret", "暗访检查轮次", "Secret inspection rounds", "轮", "一（六）",
              "inspection_rounds", "start", "unit_code", measure=Measure(where=_eq("kind", "secret")),
              doc="期内开始的暗访（kind=secret）轮次，按组织单位。",
              doc_en="Secret inspection rounds (kind=secret) started in the period, by organising unit."))
define(Figure("accountability_total", "处理执法人员", "Officers held accountable", "人次", "一（一）（六）",
              "accountability", "decided_on", "unit_code", doc="组织处理与移交司法合计（按决定日期）。",
              doc_en="Organisational handling and transfers to judicial organs together (by decision date)."))
define(Figure("accountability_organisational", "组织处理", "Organisational handling", "人次", "一（六）",
              "accountability", "decided_on", "unit_code", measure=Measure(where=_eq("kind", "organisational"))))
define(Figure("accountability_judicial", "移交司法机关", "Transferred to judicial organs", "人次", "一（六）",
              "accountability", "decided_on", "unit_code", measure=Measure(where=_eq("kind", "judicial"))))
define(Figure("survey_responses", "满意度问卷调查", "Satisfaction survey responses", "人次", "一（一）",
              "training_survey_responses", "submitted_at", "unit_code",
              doc="面向社会公众、服务管理对象的满意度测评答卷（training_survey_responses，按被测评单位）。",
              doc_en="Satisfaction survey answers from the public and from those served and regulated (training_survey_responses, by unit assessed)."))
define(Figure("satisfaction_rated", "满意度回访评价", "Satisfaction callbacks", "人次", "一（一）",
              "work_orders", "closed_at", "unit_code", measure=Measure(where=lambda t: (t.c.satisfaction.is_not(None),)),
              doc="工单办结后回访并评价满意度的人次（问卷调查的平台内对应）。",
              doc_en="Callbacks after a completed work order in which satisfaction was rated (the platform's counterpart of the survey)."))
define(Figure("satisfaction_rate", "回访满意率", "Satisfaction rate", "%", "一（一）",
              "work_orders", "closed_at", "unit_code", measure=Measure(where=_eq("satisfaction", "satisfied")),
              denominator=Measure(where=lambda t: (t.c.satisfaction.is_not(None),))))

# 一（二） transport market
define(Figure("watch_entries", "布控车辆", "Vehicles watch-listed", "台次", "一（二）", "watchlist", "created_at",
              "issued_by_unit", doc="期内新建的布控条目（watchlist，按布控单位）。",
              doc_en="Watch-list entries created in the period (watchlist, by issuing unit)."))
define(Figure("intercepted", "查获", "Intercepted", "台次", "一（二）", "intercept_tasks", "answered_at", "unit_code",
              measure=Measure(where=_eq("outcome", "intercepted")),
              base=lambda t: (t.c.status == "answered",),
              doc="拦截任务反馈结果为查获（outcome=intercepted）的台次，按收费站所属单位、反馈时间。",
              doc_en="Interception tasks answered with the outcome intercepted (outcome=intercepted), by the toll station's unit and time of answer."))
define(Figure("intercept_answered_late", "逾期反馈的拦截任务", "Interception tasks answered late", "个", "一（二）",
              "intercept_tasks", "answered_at", "unit_code", measure=Measure(where=_eq("answered_late", True)),
              base=lambda t: (t.c.status == "answered",),
              doc="反馈晚于处置时限的拦截任务；为 0 的单位即“无一延迟”。",
              doc_en="Interception tasks answered after their deadline; a unit with 0 had 'not a single delay'."))
define(Figure("forwarded_third_closed", "办结第三类抄告信息", "Third-class forwarded leads closed", "条", "一（二）",
              "forwarded_leads", "received_at", "unit_code", measure=Measure(where=_eq("status", "closed")),
              base=_eq("category", "third_class"),
              doc="期内接收的第三类抄告（category=third_class）中已办结的条数。",
              doc_en="Third-class forwarded leads (category=third_class) received in the period that have been closed."))
define(Figure("forwarded_third_rate", "第三类抄告办结率", "Third-class forwarded leads completion rate", "%",
              "一（二）", "forwarded_leads", "received_at", "unit_code", measure=Measure(where=_eq("status", "closed")),
              base=_eq("category", "third_class"), denominator=Measure()))
define(Figure("joint_operation_vehicles", "联合执法查处车辆", "Vehicles handled in joint operations", "台次", "一（二）",
              "joint_operations", "start", "unit_code", measure=Measure("sum", "vehicles_handled"),
              doc="期内开始的联合执法专项行动登记的查处车辆数之和。",
              doc_en="Sum of the vehicles handled recorded by joint operations started in the period."))
define(Figure("ride_hailing_vehicles", "查处网约车", "Ride-hailing vehicles handled", "台", "一（二）",
              "cases", "registered_at", "unit_code", measure=Measure("distinct", "plate", _in("catalogue_code", RH_VEHICLE_CODES)),
              base=_in("catalogue_code", RH_VEHICLE_CODES + RH_PLATFORM_CODES),
              doc="网约车车辆/驾驶员无证案件涉及的车辆（按号牌去重）。",
              doc_en="Vehicles in cases of unlicensed ride-hailing vehicles or drivers (distinct plates)."))
define(Figure("ride_hailing_platforms", "查处不合规平台公司", "Non-compliant platforms", "家", "一（二）",
              "cases", "registered_at", "unit_code",
              measure=Measure("distinct", "party_name", _in("catalogue_code", RH_PLATFORM_CODES)),
              base=_in("catalogue_code", RH_VEHICLE_CODES + RH_PLATFORM_CODES),
              doc="平台类网约车案件（无许可经营、违规派单）的当事平台（按名称去重）。",
              doc_en="Platforms that are parties to ride-hailing platform cases (operating without licence, improper dispatching), distinct by name."))

# 一（三） overload
_VIOL = _eq("status", "violation")
define(Figure("overload_trucks", "查获违法超限超载货车", "Overloaded trucks handled", "台次", "一（三）",
              "overload_determinations", "measured_at", "unit_code", measure=Measure(where=_VIOL),
              doc="超限认定为违法（status=violation）的货车台次，按测量时间、站点单位。",
              doc_en="Trucks with an overload determination of violation (status=violation), by time of measurement and the site's unit."))
define(Figure("overload_100t", "其中“百吨王”", "Of which trucks of 100 t or more", "台次", "一（三）", "overload_determinations",
              "measured_at", "unit_code", measure=Measure(where=_and(_VIOL, _eq("is_100t", True)))))
define(Figure("entry_overload_rate", "高速公路入口超限率", "Highway entry overload rate", "%", "一（三）",
              "overload_entry_stats", "day", "unit_code", measure=Measure("sum", "over_limit"),
              denominator=Measure("sum", "weighed"), doc="入口称重超限车辆 / 称重车辆。",
              doc_en="Vehicles over the limit at entry weighing / vehicles weighed."))
define(Figure("offsite_cases", "非现场执法查处违法超限货车", "Off-site enforcement cases", "台次", "一（三）",
              "overload_determinations", "measured_at", "unit_code", measure=Measure(where=_eq("source", "wim")),
              base=_VIOL, doc="非现场执法点（WIM）认定的违法超限货车台次。",
              doc_en="Overloaded trucks determined at off-site enforcement points (WIM)."))
define(Figure("key_sources_published", "公示重点货运源头", "Key loading sources published", "家", "一（三）",
              "enterprises", "published_on", "unit_code", measure=Measure(where=_eq("key_source", True)),
              base=_eq("kind", "loading_source"), doc="期内公布的重点货运源头单位。",
              doc_en="Key loading sources published in the period."))
define(Figure("tracebacks", "倒查货运装载源头", "Trace-backs to loading sources", "家次", "一（三）",
              "overload_traceback_tasks", "created_at", "unit_code", doc="期内生成的倒查任务（按源头所在单位）。",
              doc_en="Trace-back tasks created in the period (by the loading source's unit)."))
define(Figure("traceback_rectification", "责令整改", "Rectification orders", "家次", "一（三）",
              "overload_traceback_tasks", "created_at", "unit_code",
              measure=Measure(where=_eq("outcome", "rectification_order"))))
define(Figure("traceback_penalties", "处罚源头", "Penalties on sources", "家次", "一（三）",
              "overload_traceback_tasks", "created_at", "unit_code", measure=Measure(where=_eq("outcome", "penalty"))))
define(Figure("traceback_fines", "源头罚款", "Fines on sources", "元", "一（三）", "overload_traceback_tasks",
              "created_at", "unit_code", measure=Measure("sum", "fine_yuan", _eq("outcome", "penalty"))))
define(Figure("oversize_cases", "查处违法大件运输车辆", "Oversize-transport violations handled", "台次", "一（三）",
              "cases", "registered_at", "unit_code", measure=Measure(where=_in("catalogue_code", OVERSIZE_CODES)),
              doc="大件运输类案件（未取得许可、车证不符/办短跑长），按立案时间。",
              doc_en="Oversize-transport cases (no permit, vehicle exceeds its permit, travelling beyond the permitted route), by date the case was opened."))
define(Figure("credit_records", "报送严重违法失信信息", "Serious-dishonesty records reported", "条", "一（三）",
              "credit_listings", "entered_on", "unit_code", doc="期内列入的严重违法失信记录。",
              doc_en="Serious-dishonesty listings entered in the period."))
define(Figure("credit_vehicles", "涉及车辆", "Vehicles involved", "台", "一（三）", "credit_listings", "entered_on",
              "unit_code", measure=Measure("distinct", "subject_id", _eq("subject_kind", "truck"))))
define(Figure("credit_drivers", "涉及从业人员", "Drivers involved", "名", "一（三）", "credit_listings", "entered_on",
              "unit_code", measure=Measure("distinct", "subject_id", _eq("subject_kind", "driver"))))
define(Figure("credit_enterprises", "涉及运输企业", "Enterprises involved", "家", "一（三）", "credit_listings",
              "entered_on", "unit_code", measure=Measure("distinct", "subject_id", _eq("subject_kind", "enterprise"))))

# 一（四） road administration (roads slice: tables looked up by name; NO_DATA until they exist)
define(Figure("ads_cleared", "清理广告设施", "Advertising facilities cleared", "处", "一（四）",
              "road_ads", "cleared_on", "unit_code", measure=Measure(where=_eq("status", "cleared")),
              doc="高速公路沿线广告设施清理（roads 切片 road_ads，按清理日期；已清理 status=cleared）。",
              doc_en="Advertising facilities cleared along expressways (roads slice, road_ads, by date cleared; cleared = status=cleared)."))

# 一（五） information: off-site enforcement points
define(Figure("wim_sites_built", "建成非现场执法点", "Off-site enforcement points built", "个", "一（五）", "sites",
              "built_on", "unit_code", base=_eq("kind", "wim"), doc="期内建成（built_on）的非现场执法点。",
              doc_en="Off-site enforcement points built (built_on) in the period."))
define(Figure("wim_sites_total", "非现场执法点总数", "Off-site enforcement points in service", "个", "一（五）",
              "sites", "built_on", "unit_code", base=_eq("kind", "wim"), cumulative=True,
              doc="统计期末已建成的非现场执法点。",
              doc_en="Off-site enforcement points built by the end of the period."))
define(Figure("video_points", "视频监控点", "Video points", "个", "一（五）", "sites", "built_on", "unit_code",
              base=_eq("kind", "video"), cumulative=True))

# 一（六） complaints and public opinion
define(Figure("complaints_and_opinion", "网络负面舆情和投诉举报", "Complaints and negative public opinion", "起",
              "一（六）", "complaints", "created_at", "unit_code",
              measure=Measure(where=lambda t: ((t.c.category == "enforcement_conduct") | (t.c.opinion_incident == true()),)),
              doc="涉执法行为的投诉举报与网络负面舆情（category=enforcement_conduct 或 opinion_incident）。",
              doc_en="Complaints about officers' conduct and negative public-opinion incidents (category=enforcement_conduct or opinion_incident)."))
define(Figure("opinion_incidents", "网络负面舆情", "Negative public opinion", "起", "一（六）", "complaints",
              "created_at", "unit_code", measure=Measure(where=_eq("opinion_incident", True))))
define(Figure("complaint_rewards", "有奖举报兑现奖金", "Rewards paid", "元", "一（六）", "complaints", "created_at",
              "unit_code", measure=Measure("sum", "reward_yuan")))

# 一（七） training (training slice; NO_DATA until its tables exist)
define(Figure("training_sessions", "执法业务培训", "Training sessions", "期", "一（七）", "training_sessions",
              "starts_on", "unit_code", doc="期内开班的培训（training 切片 training_sessions，按主办单位）。",
              doc_en="Training sessions starting in the period (training slice, training_sessions, by organising unit)."))
define(Figure("training_trainees", "培训业务骨干", "Trainees", "人次", "一（七）", "training_attendance",
              "completed_on", "unit_code", doc="期内完成培训的人次（training_attendance，按学员单位）。",
              doc_en="Trainees who completed training in the period (training_attendance, by the trainee's unit)."))

# 一（八） service
define(Figure("exemptions_no_penalty", "轻微免罚", "Minor-violation exemptions", "次", "一（八）", "case_exemptions",
              "applied_at", "unit_code", measure=Measure(where=_eq("effect", "no_penalty"))))
define(Figure("exemptions_reduced", "减轻处罚", "Reduced penalties", "次", "一（八）", "case_exemptions", "applied_at",
              "unit_code", measure=Measure(where=_eq("effect", "reduced"))))
define(Figure("held_vehicles_overdue", "逾期未处理滞留车辆", "Vehicles held past their deadline", "台", "一（八）",
              "held_vehicles", "held_at", "unit_code", measure=Measure(where=_eq("overdue", True)),
              doc="期内滞留、超过处理期限仍未清理的车辆（held_vehicles.overdue，O8；无滞留记录时为无数据）。",
              doc_en="Vehicles held in the period and still not cleared after the deadline (held_vehicles.overdue, O8; no data when there are no held-vehicle records)."))
define(Figure("barriers_removed", "清理规范限高限宽设施", "Height/width barriers cleaned up", "处", "一（八）",
              "barriers", "removed_on", "unit_code", doc="期内清理拆除的限高限宽设施。",
              doc_en="Height/width barriers removed in the period."))
define(Figure("barriers_kept", "依法保留并审批备案、安装公示牌", "Barriers kept with approval and signboard", "处",
              "一（八）", "barriers", "registered_on", "unit_code", cumulative=True,
              measure=Measure(where=lambda t: (t.c.status == "approved", t.c.approval_no.is_not(None), t.c.signboard == true())),
              doc="统计期末依法保留、已审批备案且有公示牌的设施。",
              doc_en="Barriers kept by law, approved and filed, and with a signboard, at the end of the period."))
define(Figure("barrier_reports", "接收限高限宽投诉举报", "Barrier reports received", "条", "一（八）", "complaints",
              "created_at", "unit_code", base=_eq("category", "barrier")))
define(Figure("barrier_reports_handled", "已处置完成", "Barrier reports handled", "条", "一（八）", "complaints",
              "created_at", "unit_code", base=_eq("category", "barrier"),
              measure=Measure(where=_in("status", HANDLED_COMPLAINT))))
define(Figure("barrier_reports_rate", "处置率", "Barrier reports handled rate", "%", "一（八）", "complaints",
              "created_at", "unit_code", base=_eq("category", "barrier"),
              measure=Measure(where=_in("status", HANDLED_COMPLAINT)), denominator=Measure()))


# ---------------------------------------------------------------- evaluation

_loaded = False


def ensure_models() -> None:
    """Import every slice's orm (including slices written later: roads, training) into the metadata."""
    global _loaded
    if _loaded:
        return
    from zhifa.db.registry import load_all_models

    load_all_models()
    for extra in ("zhifa.training.orm", "zhifa.roads.orm"):
        if importlib.util.find_spec(extra.rsplit(".", 1)[0]) is not None and importlib.util.find_spec(extra):
            importlib.import_module(extra)
    _loaded = True


_DB_TABLES: dict[tuple[str, str], tuple[float, bool]] = {}
_DB_TTL_S = 60.0


def db_has_table(session: Session, name: str) -> bool:
    """Whether the database holds the table (a slice declared later may not be migrated yet); cached 60 s."""
    import time

    from sqlalchemy import inspect

    bind = session.get_bind()
    key = (str(bind.engine.url), name)
    hit = _DB_TABLES.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < _DB_TTL_S:
        return hit[1]
    ok = bool(inspect(session.connection()).has_table(name))
    _DB_TABLES[key] = (now, ok)
    return ok


def table_of(f: Figure, session: Session | None = None) -> Table | None:
    """The figure's table if the metadata declares it with every column the figure reads (and, given a
    session, the database holds it): otherwise the capability does not exist here and the figure is NO_DATA."""
    ensure_models()
    t = Base.metadata.tables.get(f.table)
    if t is None or not f.columns_needed() <= set(t.c.keys()):
        return None
    if session is not None and not db_has_table(session, f.table):
        return None
    return t


def available(f: Figure) -> bool:
    return table_of(f) is not None


def _bounds(col: Column[Any], period: Period, cumulative: bool) -> list[ColumnElement[bool]]:
    is_date = isinstance(col.type, Date)
    lo, hi = (period.start, period.end) if is_date else (period.start_dt, period.end_dt)
    if cumulative:
        return [col.is_not(None), col < hi]
    return [col >= lo, col < hi]


def _filters(f: Figure, t: Table, scope: Scope | None, period: Period) -> list[ColumnElement[bool]]:
    conds = _bounds(t.c[f.date_col], period, f.cumulative)
    conds += list(f.base(t))
    if scope is not None and scope.codes is not None:
        conds.append(t.c[f.unit_col].in_(sorted(scope.codes)))
    return conds


def _mwhere(m: Measure, t: Table) -> ColumnElement[bool]:
    parts = list(m.where(t))
    return and_(*parts) if parts else true()


def _ratio(num: float, den: float) -> Value:
    return NO_DATA if not den else round(100.0 * float(num) / float(den), 1)


def value(session: Session, f: Figure, scope: Scope | None, period: Period) -> Value:
    """The figure for one scope and period (None scope = the province)."""
    t = table_of(f, session)
    if t is None:
        return NO_DATA
    conds = _filters(f, t, scope, period)
    cols = [func.count(), f.measure.expr(t)]
    if f.denominator is not None:
        cols.append(f.denominator.expr(t))
    row = session.execute(select(*cols).select_from(t).where(*conds)).one()
    if not row[0]:
        return NO_DATA
    if f.denominator is not None:
        return _ratio(row[1] or 0, row[2] or 0)
    return _num(row[1])


def _num(v: Any) -> int | float:
    if v is None:
        return 0
    fv = float(v)
    return int(fv) if fv.is_integer() else fv


def by_unit(session: Session, f: Figure, period: Period, scope: Scope | None = None) -> dict[str, tuple[Any, ...]]:
    """Per unit code: (base rows, measure[, denominator])."""
    t = table_of(f, session)
    if t is None:
        return {}
    u = t.c[f.unit_col]
    cols: list[Any] = [u, func.count()]
    for m in (f.measure, f.denominator):
        if m is not None:
            cols.append(m.expr(t))
    stmt = select(*cols).select_from(t).where(*_filters(f, t, scope, period)).group_by(u)
    return {r[0]: tuple(r[1:]) for r in session.execute(stmt)}


def by_city(session: Session, f: Figure, period: Period, units: UnitInfo, scope: Scope | None = None) -> dict[str, Value]:
    """The figure per ranking unit (city or directly administered county). Distinct measures are summed
    over the units of a city, which counts a plate twice only when two units of one city both handled it."""
    acc: dict[str, list[float]] = {}
    for code, vals in by_unit(session, f, period, scope).items():
        city = units.city(code)
        if city is None:
            continue
        a = acc.setdefault(city, [0.0] * len(vals))
        for i, v in enumerate(vals):
            a[i] += float(v or 0)
    out: dict[str, Value] = {}
    for city, a in acc.items():
        if not a[0]:
            continue
        out[city] = _ratio(a[1], a[2]) if f.denominator is not None else _num(a[1])
    return out


@dataclass(frozen=True)
class Ranked:
    unit_code: str
    name: str
    value: Any
    rank: int


def ranking(session: Session, f: Figure, period: Period, units: UnitInfo, *, top: int | None = None,
            level: str = "city", scope: Scope | None = None) -> list[Ranked]:
    """Units by the figure, largest first (ties by code); `level` city (cities and directly administered
    counties) or county (every unit that holds rows)."""
    if level == "city":
        vals = by_city(session, f, period, units, scope)
    else:
        vals = {}
        for code, v in by_unit(session, f, period, scope).items():
            if v[0]:
                vals[code] = _ratio(v[1] or 0, v[2] or 0) if f.denominator is not None else _num(v[1])
    # Only units with something to rank: "查处数量最多" never names a unit with 0.
    items = sorted(((c, v) for c, v in vals.items() if has_data(v) and float(v) > 0),
                   key=lambda cv: (-float(cv[1]), cv[0]))
    out, rank, prev = [], 0, None
    for i, (c, v) in enumerate(items, start=1):
        if v != prev:
            rank, prev = i, v
        out.append(Ranked(c, units.name(c), v, rank))
    return out[:top] if top else out


def yoy(current: Value, previous: Value) -> Value:
    """Year-over-year change in percent (positive = up); NO_DATA without both values or with a 0 base."""
    if not has_data(current) or not has_data(previous) or not previous:
        return NO_DATA
    return round(100.0 * (float(current) - float(previous)) / float(previous), 1)


# ---------------------------------------------------------------- drill-down


@dataclass
class RowsPage:
    figure: Figure
    columns: list[str]
    rows: list[dict[str, Any]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def drilldown(session: Session, f: Figure, scope: Scope | None, period: Period, *, page: int = 1,
              per_page: int = 50) -> RowsPage | None:
    """The rows behind the figure (for a rate: the denominator's rows), newest first; None = no table."""
    t = table_of(f, session)
    if t is None:
        return None
    page, per_page = max(1, page), min(max(1, per_page), 500)
    conds = _filters(f, t, scope, period)
    m = f.denominator if f.denominator is not None else f.measure
    conds.append(_mwhere(m, t))
    total = session.execute(select(func.count()).select_from(t).where(*conds)).scalar_one()
    pk = list(t.primary_key.columns)
    stmt = (select(t).where(*conds).order_by(t.c[f.date_col].desc(), *pk)
            .limit(per_page).offset((page - 1) * per_page))
    columns = [c.name for c in t.columns]
    rows = [dict(r._mapping) for r in session.execute(stmt)]
    return RowsPage(f, columns, rows, int(total), page, per_page)


def get(figure_id: str) -> Figure:
    from zhifa.shared.errors import NotFound

    f = FIGURES.get(figure_id)
    if f is None:
        raise NotFound(f"统计指标不存在：{figure_id}", en=f"Figure not found: {figure_id}")
    return f
