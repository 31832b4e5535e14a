"""Verbs of road administration. Keyword-only `actor=`; each runs in the caller's unit of work and writes
its audit event there."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from shapely.geometry import LineString, Point, box, mapping
from sqlalchemy import extract, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zhifa.roads import geo, rules
from zhifa.roads.model import (
    AD_STATUS_EN,
    AD_STATUS_ZH,
    CATALOGUE_FOR_CATEGORY,
    FINDING_CATEGORY_ZH,
    FINDING_TRANSITIONS,
    REMOTE_SENSING_RULE,
    TASK_TRANSITIONS,
    AdStatus,
    FindingCategory,
    FindingStatus,
    RoadClass,
    RoundStatus,
    TaskStatus,
)
from zhifa.roads.orm import (
    AdFacility,
    ChangeTask,
    Finding,
    ModelRoadCandidate,
    ModelRoadRound,
    Patrol,
    RectificationNotice,
    Road,
)
from zhifa.roads.ruledata import RECTIFICATION, control_zone_rules_on, model_road_params_on
from zhifa.shared import audit
from zhifa.shared.access import Actor, Role, check_visible, require_role, require_staff, scope
from zhifa.shared.clock import TZ
from zhifa.shared.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from zhifa.shared.ids import new_id

MAX_PHOTO_BYTES = 6 * 1024 * 1024
MAX_PHOTOS = 6
PHOTO_TYPES = {b"\xff\xd8\xff": ("image/jpeg", "jpg"), b"\x89PNG": ("image/png", "png"), b"RIFF": ("image/webp", "webp")}


class FileStore:
    """Content-addressed files (photos, image chips) under a directory: name = SHA-256."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def put(self, data: bytes, ext: str) -> str:
        sha = hashlib.sha256(data).hexdigest()
        path = self.root / sha[:2] / f"{sha}.{ext}"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
        return sha

    def path(self, sha: str) -> Path | None:
        if not sha or not all(c in "0123456789abcdef" for c in sha) or len(sha) != 64:
            return None
        hits = list((self.root / sha[:2]).glob(f"{sha}.*"))
        return hits[0] if hits else None


def store_for(data_dir: Path) -> FileStore:
    return FileStore(Path(data_dir) / "roads" / "files")


# ---------------------------------------------------------------- roads


def _line_length_m(line_lonlat: LineString) -> int:
    m, _ = geo.to_metric(line_lonlat)
    return int(round(m.length))


def create_road(session: Session, *, actor: Actor, code: str, name: str, section: str, road_class: str,
                unit_code: str, geometry: str, now: datetime, road_land_half_m: float | None = None,
                road_id: str | None = None) -> Road:
    require_role(actor, Role.ADMIN, Role.OFFICER, Role.SUPERVISOR)
    check_visible(actor, unit_code, "执法机构", what_en="Enforcement unit")
    try:
        cls = RoadClass(road_class)
    except ValueError as exc:
        raise ValidationFailed(f"公路等级不正确：{road_class}", en=f"Invalid road class: {road_class}") from exc
    try:
        line = geo.parse_geojson(geometry)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValidationFailed("路段几何须为 GeoJSON LineString（经纬度）", en="The section geometry must be a GeoJSON LineString (longitude/latitude)") from exc
    if line.geom_type != "LineString" or len(line.coords) < 2:
        raise ValidationFailed("路段几何须为至少两点的 LineString", en="The section geometry must be a LineString of at least two points")
    if not all(100 <= x <= 125 and 20 <= y <= 45 for x, y in line.coords):
        raise ValidationFailed("路段坐标超出范围（须为经纬度）", en="Section coordinates out of range (they must be longitude/latitude)")
    road = Road(road_id=road_id or new_id()[:16], code=code.strip().upper(), name=name.strip(), section=section.strip(),
                road_class=cls.value, unit_code=unit_code, geometry=geo.dump_geojson(line),
                road_land_half_m=road_land_half_m, length_m=_line_length_m(line), created_at=now)
    session.add(road)
    session.flush()
    audit.record(session, actor=actor, action="roads.create_road", object_type="road", object_id=road.road_id,
                 after={"code": road.code, "section": road.section, "class": road.road_class}, unit_code=unit_code, now=now)
    return road


def list_roads(session: Session, *, actor: Actor) -> list[Road]:
    stmt = scope(select(Road), actor, Road.unit_code).order_by(Road.code, Road.section)
    return list(session.execute(stmt).scalars())


def access_road(session: Session, actor: Actor, road_id: str) -> Road:
    road = session.get(Road, road_id)
    if road is None:
        raise NotFound("路段不存在", en="Road section not found")
    check_visible(actor, road.unit_code, "路段", what_en="Road section")
    return road


def road_zone(road: Road, day: date, epsg: str | None = None) -> tuple[rules.ZoneGeometry, str]:
    """The road's land and control zone in metres (UTM, or the CRS given) under the rules in force on `day`."""
    line = geo.parse_geojson(road.geometry)
    line_m, epsg = geo.to_metric(line, epsg)
    return rules.control_zone(line_m, road.road_class, control_zone_rules_on(day), road.road_land_half_m), epsg


def zone_geojson(road: Road, day: date) -> dict[str, Any]:
    """Road land and control zone as lon/lat GeoJSON for the map."""
    z, epsg = road_zone(road, day)
    return {
        "road_land": mapping(geo.to_lonlat(z.road_land.simplify(0.5), epsg)),
        "control_zone": mapping(geo.to_lonlat(z.control_zone.simplify(0.5), epsg)),
        "width_m": z.width_m,
        "road_land_half_m": z.road_land_half_m,
        "rule_version": z.rule_version,
    }


def locate(road: Road, lon: float, lat: float, day: date) -> dict[str, Any]:
    """Where a point lies relative to a road: distance to the centre line, in road land / zone / outside."""
    z, epsg = road_zone(road, day)
    pt_m = geo.to_crs(Point(lon, lat), geo.WGS84, epsg)
    line_m = geo.to_crs(geo.parse_geojson(road.geometry), geo.WGS84, epsg)
    return {"distance_m": round(pt_m.distance(line_m), 1), "where": rules.where_in_zone(pt_m, z)}


# demo sections near real cities (approximate alignments drawn for the demo, not survey data)
DEMO_ROADS: tuple[dict[str, Any], ...] = (
    {"road_id": "G107-ZZ", "code": "G107", "name": "国道107线", "section": "郑州新郑段 K688–K700", "road_class": "national",
     "unit_code": "410184", "coords": [(113.733, 34.465), (113.741, 34.430), (113.752, 34.396), (113.760, 34.362)]},
    {"road_id": "G4-XC", "code": "G4", "name": "京港澳高速", "section": "许昌段 K730–K745", "road_class": "expressway",
     "unit_code": "411000", "coords": [(113.808, 34.095), (113.815, 34.050), (113.822, 34.000), (113.830, 33.960)]},
    {"road_id": "S312-LY", "code": "S312", "name": "省道312线", "section": "洛阳偃师段 K12–K26", "road_class": "provincial",
     "unit_code": "410307", "coords": [(112.700, 34.720), (112.760, 34.727), (112.830, 34.731), (112.880, 34.735)]},
    {"road_id": "X021-KF", "code": "X021", "name": "县道021线", "section": "开封祥符段 K0–K9", "road_class": "county",
     "unit_code": "410212", "coords": [(114.420, 34.800), (114.460, 34.780), (114.500, 34.765)]},
    {"road_id": "Y008-NY", "code": "Y008", "name": "乡道008线", "section": "南阳卧龙段 K0–K6", "road_class": "township",
     "unit_code": "411303", "coords": [(112.480, 33.010), (112.510, 33.000), (112.540, 32.995)]},
)


def seed_demo_roads(session: Session, *, actor: Actor, now: datetime) -> int:
    n = 0
    for d in DEMO_ROADS:
        if session.get(Road, d["road_id"]) is not None:
            continue
        create_road(session, actor=actor, code=d["code"], name=d["name"], section=d["section"],
                    road_class=d["road_class"], unit_code=d["unit_code"], road_id=d["road_id"],
                    geometry=json.dumps({"type": "LineString", "coordinates": d["coords"]}), now=now)
        n += 1
    return n


# ---------------------------------------------------------------- patrols (idempotent uploads)


def _valid_uuid(value: str, what: str, what_en: str) -> str:
    import uuid

    try:
        return str(uuid.UUID(str(value)))
    except ValueError as exc:
        raise ValidationFailed(f"{what}标识不正确", en=f"Invalid {what_en} ID") from exc


CLOCK_SKEW = timedelta(minutes=10)  # a handheld's clock may run this far ahead of the server's


def _aware(ts: datetime | None, now: datetime) -> datetime:
    """The handheld's own time of the record (it may be uploaded hours later); naive = Asia/Shanghai."""
    if ts is None:
        return now
    ts = ts.replace(tzinfo=TZ) if ts.tzinfo is None else ts
    if ts > now + CLOCK_SKEW:
        raise ValidationFailed("记录时间晚于服务器时间，请校准手持终端时钟", en="The record time is later than the server time; please correct the handheld's clock")
    return ts


def start_patrol(session: Session, *, actor: Actor, client_uuid: str, road_id: str, started_at: datetime | None,
                 now: datetime, note: str | None = None) -> tuple[Patrol, bool]:
    """Start (or, for a repeated upload, return) the patrol with this client id. Returns (patrol, created)."""
    require_role(actor, Role.OFFICER, Role.SUPERVISOR)
    cid = _valid_uuid(client_uuid, "巡查", "patrol")
    existing = session.execute(select(Patrol).where(Patrol.client_uuid == cid)).scalar_one_or_none()
    if existing is not None:
        check_visible(actor, existing.unit_code, "巡查", what_en="Patrol")
        return existing, False
    road = access_road(session, actor, road_id)
    patrol = Patrol(patrol_id=new_id()[:24], client_uuid=cid, road_id=road.road_id, unit_code=road.unit_code,
                    officer=actor.username, started_at=_aware(started_at, now), ended_at=None, note=note,
                    received_at=now)
    try:
        with session.begin_nested():
            session.add(patrol)
    except IntegrityError:  # the same upload, concurrently
        again = session.execute(select(Patrol).where(Patrol.client_uuid == cid)).scalar_one()
        return again, False
    audit.record(session, actor=actor, action="roads.start_patrol", object_type="patrol", object_id=patrol.patrol_id,
                 after={"road_id": road.road_id, "client_uuid": cid}, unit_code=road.unit_code, now=now)
    return patrol, True


def end_patrol(session: Session, *, actor: Actor, client_uuid: str, ended_at: datetime | None, now: datetime) -> Patrol:
    cid = _valid_uuid(client_uuid, "巡查", "patrol")
    patrol = session.execute(select(Patrol).where(Patrol.client_uuid == cid)).scalar_one_or_none()
    if patrol is None:
        raise NotFound("巡查不存在", en="Patrol not found")
    check_visible(actor, patrol.unit_code, "巡查", what_en="Patrol")
    if patrol.ended_at is not None:
        return patrol  # repeated upload
    end = _aware(ended_at, now)
    if end < patrol.started_at:
        raise ValidationFailed("结束时间早于开始时间", en="The end time is earlier than the start time")
    patrol.ended_at = end
    audit.record(session, actor=actor, action="roads.end_patrol", object_type="patrol", object_id=patrol.patrol_id,
                 after={"ended_at": end}, unit_code=patrol.unit_code, now=now)
    return patrol


def _photo_kind(data: bytes) -> tuple[str, str]:
    for magic, kind in PHOTO_TYPES.items():
        if data.startswith(magic):
            return kind
    raise ValidationFailed("照片须为 JPEG、PNG 或 WebP 图像", en="Photos must be JPEG, PNG or WebP images")


def record_finding(session: Session, *, actor: Actor, client_uuid: str, patrol_uuid: str, category: str,
                   lon: float, lat: float, note: str, photos: Sequence[bytes], recorded_at: datetime | None,
                   now: datetime, store: FileStore) -> tuple[Finding, bool]:
    """Store a finding once: a repeated upload with the same client id returns the stored one."""
    require_role(actor, Role.OFFICER, Role.SUPERVISOR)
    cid = _valid_uuid(client_uuid, "发现问题", "finding")
    existing = session.execute(select(Finding).where(Finding.client_uuid == cid)).scalar_one_or_none()
    if existing is not None:
        check_visible(actor, existing.unit_code, "发现问题", what_en="Finding")
        return existing, False
    pid = _valid_uuid(patrol_uuid, "巡查", "patrol")
    patrol = session.execute(select(Patrol).where(Patrol.client_uuid == pid)).scalar_one_or_none()
    if patrol is None:
        raise NotFound("巡查不存在（请先同步巡查开始记录）", en="Patrol not found (sync the start of the patrol first)")
    check_visible(actor, patrol.unit_code, "巡查", what_en="Patrol")
    try:
        cat = FindingCategory(category)
    except ValueError as exc:
        raise ValidationFailed(f"问题类别不正确：{category}", en=f"Invalid finding category: {category}") from exc
    if not (-180 <= lon <= 180 and -90 <= lat <= 90) or not (100 <= lon <= 125 and 20 <= lat <= 45):
        raise ValidationFailed("位置坐标不正确", en="Invalid location coordinates")
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed(f"照片最多 {MAX_PHOTOS} 张", en=f"At most {MAX_PHOTOS} photos")
    meta = []
    for data in photos:
        if len(data) > MAX_PHOTO_BYTES:
            raise ValidationFailed(f"单张照片不超过 {MAX_PHOTO_BYTES // 1024 // 1024} MB", en=f"Each photo may be at most {MAX_PHOTO_BYTES // 1024 // 1024} MB")
        ctype, ext = _photo_kind(data)
        meta.append({"sha256": store.put(data, ext), "bytes": len(data), "type": ctype})
    f = Finding(finding_id=new_id()[:24], client_uuid=cid, patrol_id=patrol.patrol_id, road_id=patrol.road_id,
                unit_code=patrol.unit_code, officer=actor.username, category=cat.value, lon=float(lon), lat=float(lat),
                note=(note or "").strip()[:2000], photos=meta, recorded_at=_aware(recorded_at, now), received_at=now,
                status=FindingStatus.OPEN.value)
    try:
        with session.begin_nested():
            session.add(f)
    except IntegrityError:
        again = session.execute(select(Finding).where(Finding.client_uuid == cid)).scalar_one()
        return again, False
    audit.record(session, actor=actor, action="roads.record_finding", object_type="road_finding",
                 object_id=f.finding_id, after={"category": cat.value, "lon": lon, "lat": lat, "photos": len(meta),
                                                "client_uuid": cid}, unit_code=f.unit_code, now=now)
    return f, True


def access_finding(session: Session, actor: Actor, finding_id: str) -> Finding:
    f = session.get(Finding, finding_id)
    if f is None:
        raise NotFound("发现问题记录不存在", en="Finding not found")
    check_visible(actor, f.unit_code, "发现问题记录", what_en="Finding")
    return f


def list_findings(session: Session, *, actor: Actor, road_id: str | None = None, status: str | None = None,
                  year: int | None = None, limit: int = 200) -> list[Finding]:
    stmt = scope(select(Finding), actor, Finding.unit_code)
    if road_id:
        stmt = stmt.where(Finding.road_id == road_id)
    if status:
        stmt = stmt.where(Finding.status == status)
    if year:
        stmt = stmt.where(extract("year", Finding.recorded_at) == year)
    return list(session.execute(stmt.order_by(Finding.recorded_at.desc()).limit(limit)).scalars())


def list_patrols(session: Session, *, actor: Actor, road_id: str | None = None, limit: int = 200) -> list[Patrol]:
    stmt = scope(select(Patrol), actor, Patrol.unit_code)
    if road_id:
        stmt = stmt.where(Patrol.road_id == road_id)
    return list(session.execute(stmt.order_by(Patrol.started_at.desc()).limit(limit)).scalars())


def _move_finding(f: Finding, target: FindingStatus) -> None:
    if target not in FINDING_TRANSITIONS[FindingStatus(f.status)]:
        raise IllegalTransition(f"发现问题当前状态为“{f.status}”，不能转为“{target.value}”", en=f"The finding is “{f.status}” and cannot move to “{target.value}”")
    f.status = target.value


def issue_notice(session: Session, *, actor: Actor, finding_id: str, party_name: str, requirement: str,
                 now: datetime, calendar: Any, working_days: int | None = None) -> RectificationNotice:
    """责令改正通知 (《公路安全保护条例》 and 《公路法》 require removal within a time limit); the deadline
    counts working days on the holiday calendar."""
    require_role(actor, Role.OFFICER)
    f = access_finding(session, actor, finding_id)
    if not party_name.strip():
        raise ValidationFailed("须填写当事人", en="The party is required")
    _move_finding(f, FindingStatus.NOTICE)
    days = working_days or RECTIFICATION.default_working_days
    from zhifa.shared.numbering import next_number

    year = now.astimezone(TZ).year
    no = next_number(session, kind="road_notice", unit_code=f.unit_code, year=year)
    n = RectificationNotice(notice_id=new_id()[:24], number=f"路政改〔{year}〕{f.unit_code}-{no:04d}", finding_id=f.finding_id,
                            unit_code=f.unit_code, party_name=party_name.strip(),
                            requirement=requirement.strip() or f"限期改正：{FINDING_CATEGORY_ZH[FindingCategory(f.category)]}",
                            due_on=calendar.add_working_days(now.astimezone(TZ).date(), days), issued_at=now,
                            officer=actor.username, rule_version=RECTIFICATION.version)
    session.add(n)
    f.notice_id = n.notice_id
    session.flush()
    audit.record(session, actor=actor, action="roads.issue_notice", object_type="road_finding", object_id=f.finding_id,
                 before={"status": "open"}, after={"status": f.status, "notice": n.number, "due_on": n.due_on},
                 unit_code=f.unit_code, now=now)
    return n


def open_case_for_finding(session: Session, *, actor: Actor, finding_id: str, party_name: str, party_kind: str,
                          proposed_fine_yuan: int, now: datetime, facts: str | None = None,
                          band_code: str | None = None) -> Any:
    """A road-domain case (路政四违, L1) through the cases slice, under the catalogue item of the category."""
    from zhifa.cases.service import open_case

    f = access_finding(session, actor, finding_id)
    if f.case_id:
        raise Conflict(f"该问题已立案（案件 {f.case_id}）", en=f"A case has already been opened for this finding (case {f.case_id})")
    before = f.status
    _move_finding(f, FindingStatus.CASE)
    road = session.get(Road, f.road_id)
    text = facts or (f"{road.code if road else ''} {road.section if road else ''} 巡查发现"
                     f"{FINDING_CATEGORY_ZH[FindingCategory(f.category)]}（{f.lon:.5f}, {f.lat:.5f}）。{f.note}")
    case = open_case(session, actor=actor, catalogue_code=CATALOGUE_FOR_CATEGORY[FindingCategory(f.category)],
                     proposed_fine_yuan=proposed_fine_yuan, facts=text, party_name=party_name, party_kind=party_kind,
                     act_on=f.recorded_at.astimezone(TZ).date(), now=now, unit_code=f.unit_code, band_code=band_code)
    f.case_id = case.case_id
    audit.record(session, actor=actor, action="roads.open_case", object_type="road_finding", object_id=f.finding_id,
                 before={"status": before}, after={"status": f.status, "case_id": case.case_id},
                 unit_code=f.unit_code, now=now)
    return case


def resolve_finding(session: Session, *, actor: Actor, finding_id: str, reason: str, now: datetime) -> Finding:
    require_role(actor, Role.OFFICER, Role.SUPERVISOR)
    f = access_finding(session, actor, finding_id)
    before = f.status
    _move_finding(f, FindingStatus.RESOLVED)
    audit.record(session, actor=actor, action="roads.resolve_finding", object_type="road_finding",
                 object_id=f.finding_id, before={"status": before}, after={"status": f.status}, reason=reason,
                 unit_code=f.unit_code, now=now)
    return f


@dataclass(frozen=True)
class CoverageRow:
    road: Road
    patrols: int
    days: int
    coverage: float
    findings: int


def coverage(session: Session, *, actor: Actor, year: int, month: int) -> list[CoverageRow]:
    """Patrol coverage per section in a month: days with at least one patrol / days of the month."""
    roads = list_roads(session, actor=actor)
    start = datetime(year, month, 1, tzinfo=TZ)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=TZ)
    pstmt = scope(select(Patrol.road_id, Patrol.started_at), actor, Patrol.unit_code).where(
        Patrol.started_at >= start, Patrol.started_at < end)
    days: dict[str, set[date]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for rid, ts in session.execute(pstmt):
        days[rid].add(ts.astimezone(TZ).date())
        counts[rid] += 1
    fstmt = scope(select(Finding.road_id, func.count()), actor, Finding.unit_code).where(
        Finding.recorded_at >= start, Finding.recorded_at < end).group_by(Finding.road_id)
    fcount = dict(session.execute(fstmt).all())
    return [CoverageRow(r, counts[r.road_id], len(days[r.road_id]), rules.coverage(days[r.road_id], year, month),
                        int(fcount.get(r.road_id, 0))) for r in roads]


# ---------------------------------------------------------------- archives


def archive(session: Session, *, actor: Actor, road_id: str, year: int) -> dict[str, Any]:
    """The electronic archives of one section and year: the supervision-inspection log (监督检查日志档案)
    and the road-environment survey (路域环境调查档案)."""
    road = access_road(session, actor, road_id)
    start = datetime(year, 1, 1, tzinfo=TZ)
    end = datetime(year + 1, 1, 1, tzinfo=TZ)
    patrols = list(session.execute(select(Patrol).where(Patrol.road_id == road.road_id, Patrol.started_at >= start,
                                                        Patrol.started_at < end).order_by(Patrol.started_at)).scalars())
    findings = list(session.execute(select(Finding).where(Finding.road_id == road.road_id, Finding.recorded_at >= start,
                                                          Finding.recorded_at < end).order_by(Finding.recorded_at)).scalars())
    by_patrol: dict[str, int] = defaultdict(int)
    for f in findings:
        by_patrol[f.patrol_id] += 1
    notices = {n.finding_id: n for n in session.execute(
        select(RectificationNotice).where(RectificationNotice.finding_id.in_([f.finding_id for f in findings] or [""])))
        .scalars()}
    tasks = list(session.execute(select(ChangeTask).where(ChangeTask.road_id == road.road_id,
                                                          ChangeTask.detected_at >= start, ChangeTask.detected_at < end)
                                 .order_by(ChangeTask.detected_at)).scalars())
    by_cat: dict[str, int] = defaultdict(int)
    for f in findings:
        by_cat[f.category] += 1
    months = []
    for m in range(1, 13):
        ds = {p.started_at.astimezone(TZ).date() for p in patrols if p.started_at.astimezone(TZ).month == m}
        months.append({"month": m, "patrols": sum(1 for p in patrols if p.started_at.astimezone(TZ).month == m),
                       "days": len(ds), "coverage": rules.coverage(ds, year, m)})
    zone = zone_geojson(road, date(year, 12, 31))
    return {"road": road, "year": year, "patrols": patrols, "findings": findings, "notices": notices, "tasks": tasks,
            "patrol_findings": by_patrol, "by_category": dict(by_cat), "months": months, "zone": zone,
            "category_zh": {k.value: v for k, v in FINDING_CATEGORY_ZH.items()}}


# ---------------------------------------------------------------- remote sensing


@dataclass
class DetectionReport:
    detections: int
    in_zone: int
    tasks_created: int
    duplicates: int
    leads_created: int
    seconds: float
    tasks: list[str] = field(default_factory=list)


def roads_over(session: Session, *, actor: Actor, bounds: tuple[float, float, float, float], crs: str) -> list[Road]:
    """Sections whose line comes near an image footprint (given in the image CRS)."""
    foot = geo.to_lonlat(box(*bounds), crs).buffer(0.01)
    return [r for r in list_roads(session, actor=actor) if geo.parse_geojson(r.geometry).intersects(foot)]


def run_detection(session: Session, *, actor: Actor, path_a: Path, path_b: Path, now: datetime, store: FileStore,
                  params: Any = None, progress: Any = None) -> DetectionReport:
    """Detect new structures between two dates; each one in a road's protected area becomes a patrol task and
    a lead (rule `new_building_in_control_zone`) with before/after chips. A rerun of the same pair adds nothing."""
    import time

    from zhifa.leads.model import LeadDraft
    from zhifa.leads.orm import Lead
    from zhifa.leads.service import store_leads
    from zhifa.roads import changes

    require_role(actor, Role.ANALYST, Role.OFFICER, Role.SUPERVISOR)
    params = params or changes.DetectParams()
    t0 = time.perf_counter()
    info = changes.check_pair(path_a, path_b, params)  # refuse before any work
    day = now.astimezone(TZ).date()
    roads = roads_over(session, actor=actor, bounds=info.bounds, crs=info.crs)
    zones = []
    for r in roads:
        z, _ = road_zone(r, day, info.crs)
        zones.append((r.road_id, z))
    _, dets = changes.detect(path_a, path_b, zones, params, progress=progress)
    by_id = {r.road_id: r for r in roads}
    pair_key = hashlib.sha256(f"{info.crs}|{info.bounds}|{info.date_before}|{info.date_after}".encode()).hexdigest()[:16]
    created = dup = 0
    drafts = []
    new_tasks: list[ChangeTask] = []
    for d in dets:
        if not d.road_id:
            continue
        road = by_id[d.road_id]
        c = d.polygon.centroid
        key = f"rs:{road.road_id}:{round(c.x / 5)}:{round(c.y / 5)}:{info.date_after or pair_key}"
        if session.execute(select(ChangeTask.task_id).where(ChangeTask.dedup_key == key)).first():
            dup += 1
            continue
        before_png, after_png = changes.chips(path_a, path_b, d.polygon)
        poly_ll = geo.to_lonlat(d.polygon, info.crs)
        cll = poly_ll.centroid
        task = ChangeTask(task_id=new_id()[:24], dedup_key=key, lead_id=None, road_id=road.road_id,
                          unit_code=road.unit_code, polygon=geo.dump_geojson(poly_ll), lon=cll.x, lat=cll.y,
                          area_m2=d.area_m2, where=d.where or "control_zone", chip_before=store.put(before_png, "png"),
                          chip_after=store.put(after_png, "png"), date_before=info.date_before,
                          date_after=info.date_after, rule_version=f"{zones[0][1].rule_version}+{params.version}",
                          status=TaskStatus.OPEN.value, detected_at=now, resolved_at=None, resolution=None)
        session.add(task)
        new_tasks.append(task)
        created += 1
        where_zh = "公路用地" if task.where == "road_land" else "建筑控制区"
        acquired = datetime.fromisoformat(info.date_after).replace(tzinfo=TZ) if info.date_after else now
        drafts.append(LeadDraft(
            rule=REMOTE_SENSING_RULE, plate=None, plate_color=None, start=acquired, end=acquired,
            unit_code=road.unit_code, dedup_key=key, score=min(1.0, d.mean_diff / 100),
            explanation=f"卫星遥感：{road.code} {road.section} {where_zh}内新增建（构）筑物约 {d.area_m2:.0f} 平方米"
                        f"（{info.date_before} → {info.date_after}）",
            evidence={"task_id": task.task_id, "road_id": road.road_id, "polygon": json.loads(task.polygon),
                      "area_m2": d.area_m2, "where": task.where, "chip_before": task.chip_before,
                      "chip_after": task.chip_after},
            rule_version=task.rule_version))
    session.flush()
    rep = store_leads(session, actor=actor, drafts=drafts, now=now, source=f"remote_sensing:{pair_key}")
    if drafts:
        lead_ids = dict(session.execute(select(Lead.dedup_key, Lead.lead_id).where(
            Lead.dedup_key.in_([d.dedup_key for d in drafts]))).all())
        for t in new_tasks:
            t.lead_id = lead_ids.get(t.dedup_key)
    audit.record(session, actor=actor, action="roads.detect_changes", object_type="change_run", object_id=pair_key,
                 after={"detections": len(dets), "in_zone": sum(1 for d in dets if d.road_id), "tasks": created,
                        "duplicates": dup}, now=now)
    return DetectionReport(len(dets), sum(1 for d in dets if d.road_id), created, dup, rep.created,
                           round(time.perf_counter() - t0, 2), [t.task_id for t in new_tasks])


def list_tasks(session: Session, *, actor: Actor, status: str | None = None, limit: int = 200) -> list[ChangeTask]:
    stmt = scope(select(ChangeTask), actor, ChangeTask.unit_code)
    if status:
        stmt = stmt.where(ChangeTask.status == status)
    return list(session.execute(stmt.order_by(ChangeTask.detected_at.desc(), ChangeTask.task_id).limit(limit)).scalars())


def access_task(session: Session, actor: Actor, task_id: str) -> ChangeTask:
    t = session.get(ChangeTask, task_id)
    if t is None:
        raise NotFound("遥感核查任务不存在", en="Remote-sensing review task not found")
    check_visible(actor, t.unit_code, "遥感核查任务", what_en="Remote-sensing review task")
    return t


def resolve_task(session: Session, *, actor: Actor, task_id: str, confirmed: bool, note: str, now: datetime) -> ChangeTask:
    """After the field check: confirmed (a violation to handle) or dismissed (a false alarm); the lead follows."""
    require_role(actor, Role.OFFICER, Role.ANALYST, Role.SUPERVISOR)
    t = access_task(session, actor, task_id)
    target = TaskStatus.CONFIRMED if confirmed else TaskStatus.DISMISSED
    if target not in TASK_TRANSITIONS[TaskStatus(t.status)]:
        raise IllegalTransition("该任务已核查", en="This task has already been reviewed")
    if not confirmed and not note.strip():
        raise ValidationFailed("误报须说明理由", en="A false alarm needs a reason")
    t.status = target.value
    t.resolved_at = now
    t.resolution = note.strip()
    audit.record(session, actor=actor, action="roads.resolve_task", object_type="road_change_task", object_id=t.task_id,
                 before={"status": "open"}, after={"status": t.status}, reason=note, unit_code=t.unit_code, now=now)
    return t


# ---------------------------------------------------------------- advertising clean-up


def register_ad(session: Session, *, actor: Actor, unit_code: str, owner: str, kind: str, lon: float, lat: float,
                now: datetime, road_id: str | None = None, status: str = AdStatus.TO_CLEAR.value,
                permit_ref: str | None = None) -> AdFacility:
    require_role(actor, Role.OFFICER, Role.SUPERVISOR)
    check_visible(actor, unit_code, "执法机构", what_en="Enforcement unit")
    from zhifa.org.orm import Unit

    unit = session.get(Unit, unit_code)
    if unit is None:
        raise NotFound("执法机构不存在", en="Enforcement unit not found")
    if not owner.strip():
        raise ValidationFailed("须填写广告设施所有人", en="The owner of the advertising facility is required")
    try:
        st = AdStatus(status)
    except ValueError as exc:
        raise ValidationFailed(f"状态不正确：{status}", en=f"Invalid status: {status}") from exc
    if st is AdStatus.APPROVED and not (permit_ref or "").strip():
        raise ValidationFailed("许可保留的设施须填写许可文号", en="A facility kept under permit needs its permit number")
    if road_id:
        access_road(session, actor, road_id)
    city = unit.city_code or unit.unit_code
    ad = AdFacility(ad_id=new_id()[:24], unit_code=unit_code, city_code=city, road_id=road_id, owner=owner.strip(),
                    kind=kind.strip() or "其他", lon=float(lon), lat=float(lat), status=st.value, permit_ref=permit_ref,
                    registered_at=now, cleared_on=now.astimezone(TZ).date() if st is AdStatus.CLEARED else None,
                    updated_at=now)
    session.add(ad)
    session.flush()
    audit.record(session, actor=actor, action="roads.register_ad", object_type="road_ad", object_id=ad.ad_id,
                 after={"owner": ad.owner, "status": ad.status}, unit_code=unit_code, now=now)
    return ad


def set_ad_status(session: Session, *, actor: Actor, ad_id: str, status: str, now: datetime,
                  permit_ref: str | None = None, reason: str | None = None) -> AdFacility:
    require_role(actor, Role.OFFICER, Role.SUPERVISOR)
    ad = session.get(AdFacility, ad_id)
    if ad is None:
        raise NotFound("广告设施不存在", en="Advertising facility not found")
    check_visible(actor, ad.unit_code, "广告设施", what_en="Advertising facility")
    try:
        target = AdStatus(status)
    except ValueError as exc:
        raise ValidationFailed(f"状态不正确：{status}", en=f"Invalid status: {status}") from exc
    if not rules.ad_transition_allowed(ad.status, target.value):
        raise IllegalTransition(f"广告设施状态“{AD_STATUS_ZH[ad.status]}”不能改为“{AD_STATUS_ZH[target.value]}”", en=f"An advertising facility that is “{AD_STATUS_EN[ad.status]}” cannot become “{AD_STATUS_EN[target.value]}”")
    if target is AdStatus.APPROVED and not (permit_ref or ad.permit_ref or "").strip():
        raise ValidationFailed("许可保留的设施须填写许可文号", en="A facility kept under permit needs its permit number")
    before = ad.status
    ad.status = target.value
    ad.permit_ref = permit_ref or ad.permit_ref
    ad.cleared_on = now.astimezone(TZ).date() if target is AdStatus.CLEARED else ad.cleared_on
    ad.updated_at = now
    audit.record(session, actor=actor, action="roads.set_ad_status", object_type="road_ad", object_id=ad.ad_id,
                 before={"status": before}, after={"status": ad.status}, reason=reason, unit_code=ad.unit_code, now=now)
    return ad


def list_ads(session: Session, *, actor: Actor, city_code: str | None = None, status: str | None = None,
             limit: int = 500) -> list[AdFacility]:
    stmt = scope(select(AdFacility), actor, AdFacility.unit_code)
    if city_code:
        stmt = stmt.where(AdFacility.city_code == city_code)
    if status:
        stmt = stmt.where(AdFacility.status == status)
    return list(session.execute(stmt.order_by(AdFacility.registered_at.desc()).limit(limit)).scalars())


def campaign_by_city(session: Session, *, actor: Actor) -> list[tuple[str, str, rules.CampaignProgress]]:
    """(city code, city name, progress) for every city with facilities, lowest clearance rate first."""
    from zhifa.org.orm import Unit

    stmt = scope(select(AdFacility.city_code, AdFacility.status), actor, AdFacility.unit_code)
    by_city: dict[str, list[str]] = defaultdict(list)
    for city, st in session.execute(stmt):
        by_city[city].append(st)
    names = dict(session.execute(select(Unit.unit_code, Unit.name).where(Unit.unit_code.in_(list(by_city) or [""]))).all())
    out = [(c, names.get(c, c), rules.campaign_progress(sts)) for c, sts in by_city.items()]
    return sorted(out, key=lambda x: (x[2].rate if x[2].rate is not None else 2.0, x[0]))


def cleared_per_year(session: Session, *, actor: Actor) -> dict[int, int]:
    stmt = scope(select(AdFacility.cleared_on), actor, AdFacility.unit_code).where(AdFacility.cleared_on.is_not(None))
    out: dict[int, int] = defaultdict(int)
    for (d,) in session.execute(stmt):
        out[d.year] += 1
    return dict(sorted(out.items()))


# ---------------------------------------------------------------- model roads


def create_round(session: Session, *, actor: Actor, year: int, title: str, now: datetime) -> ModelRoadRound:
    require_role(actor, Role.SUPERVISOR)
    params = model_road_params_on(date(year, 1, 1))
    rnd = ModelRoadRound(round_id=new_id()[:24], year=year, title=title.strip() or f"{year}年路政执法示范路评定",
                         unit_code=actor.unit_code, status=RoundStatus.OPEN.value, params_version=params.version,
                         created_at=now, published_at=None)
    session.add(rnd)
    session.flush()
    audit.record(session, actor=actor, action="roads.create_round", object_type="model_road_round",
                 object_id=rnd.round_id, after={"year": year, "params": params.version}, now=now)
    return rnd


def access_round(session: Session, actor: Actor, round_id: str) -> ModelRoadRound:
    rnd = session.get(ModelRoadRound, round_id)
    if rnd is None:
        raise NotFound("评定批次不存在", en="Evaluation round not found")
    check_visible(actor, rnd.unit_code, "评定批次", what_en="Evaluation round")
    return rnd


def list_rounds(session: Session, *, actor: Actor) -> list[ModelRoadRound]:
    require_staff(actor)
    return list(session.execute(select(ModelRoadRound).order_by(ModelRoadRound.year.desc(),
                                                                ModelRoadRound.created_at.desc())).scalars())


def nominate(session: Session, *, actor: Actor, round_id: str, road_id: str, now: datetime) -> ModelRoadCandidate:
    rnd = access_round(session, actor, round_id)
    if rnd.status != RoundStatus.OPEN.value:
        raise IllegalTransition("评定结果已公布，不能再申报", en="The results have been published; no more sections can be nominated")
    road = access_road(session, actor, road_id)
    if session.execute(select(ModelRoadCandidate).where(ModelRoadCandidate.round_id == round_id,
                                                        ModelRoadCandidate.road_id == road_id)).first():
        raise Conflict("该路段已申报", en="This section has already been nominated")
    c = ModelRoadCandidate(candidate_id=new_id()[:24], round_id=round_id, road_id=road.road_id, unit_code=road.unit_code,
                           professional_scores=[], public_scores=[], total=None, rank=None, designated=None)
    session.add(c)
    session.flush()
    audit.record(session, actor=actor, action="roads.nominate", object_type="model_road_candidate",
                 object_id=c.candidate_id, after={"round": round_id, "road": road_id}, unit_code=road.unit_code, now=now)
    return c


def add_score(session: Session, *, actor: Actor, candidate_id: str, kind: str, score: float, now: datetime) -> ModelRoadCandidate:
    """A professional evaluator's score (supervisors) or a public score (collected survey, entered by staff)."""
    c = session.get(ModelRoadCandidate, candidate_id)
    if c is None:
        raise NotFound("候选路段不存在", en="Candidate section not found")
    rnd = access_round(session, actor, c.round_id)
    if rnd.status != RoundStatus.OPEN.value:
        raise IllegalTransition("评定结果已公布，不能再评分", en="The results have been published; no more scores can be entered")
    if not 0 <= score <= 100:
        raise ValidationFailed("评分须在 0–100 之间", en="Scores must be between 0 and 100")
    if kind == "professional":
        require_role(actor, Role.SUPERVISOR)
        c.professional_scores = [*c.professional_scores, float(score)]
    elif kind == "public":
        require_role(actor, Role.SUPERVISOR, Role.OFFICER)
        c.public_scores = [*c.public_scores, float(score)]
    else:
        raise ValidationFailed("评分类型须为 professional 或 public", en="The score type must be professional or public")
    audit.record(session, actor=actor, action="roads.add_score", object_type="model_road_candidate",
                 object_id=c.candidate_id, after={"kind": kind, "score": score}, unit_code=c.unit_code, now=now)
    return c


def candidates(session: Session, *, actor: Actor, round_id: str) -> list[tuple[ModelRoadCandidate, Road]]:
    access_round(session, actor, round_id)
    rows = session.execute(select(ModelRoadCandidate, Road).join(Road, Road.road_id == ModelRoadCandidate.road_id)
                           .where(ModelRoadCandidate.round_id == round_id)).all()
    return sorted(((c, r) for c, r in rows), key=lambda x: (x[0].rank or 10**6, x[1].code))


def publish_round(session: Session, *, actor: Actor, round_id: str, now: datetime) -> list[rules.CandidateScore]:
    require_role(actor, Role.SUPERVISOR)
    rnd = access_round(session, actor, round_id)
    if rnd.status != RoundStatus.OPEN.value:
        raise IllegalTransition("评定结果已公布", en="The results have already been published")
    cands = list(session.execute(select(ModelRoadCandidate).where(ModelRoadCandidate.round_id == round_id)).scalars())
    if not cands:
        raise ValidationFailed("没有候选路段", en="There are no candidate sections")
    params = model_road_params_on(date(rnd.year, 1, 1))
    scores = rules.score_candidates([(c.candidate_id, c.professional_scores, c.public_scores) for c in cands], params)
    by = {s.key: s for s in scores}
    for c in cands:
        s = by[c.candidate_id]
        c.total, c.rank, c.designated = s.total, s.rank, s.designated
    rnd.status = RoundStatus.PUBLISHED.value
    rnd.published_at = now
    audit.record(session, actor=actor, action="roads.publish_round", object_type="model_road_round",
                 object_id=rnd.round_id, after={"designated": sum(1 for s in scores if s.designated),
                                                "params": params.version}, now=now)
    return scores
