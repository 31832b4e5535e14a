"""Verbs of the watch-list and the interception loop: 布控 → 命中 → 拦截任务 → 反馈, and 抄告.

Each verb takes `actor=` and runs inside the caller's unit of work; each writes its audit event in the
same session. The live path (`commit_hits`) writes one audit event per committed batch.
"""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from zhifa.interception import ruledata
from zhifa.interception.matcher import PLATE_COLORS, parse_hours
from zhifa.interception.model import (
    FORWARDED_TRANSITIONS,
    TASK_TRANSITIONS,
    ExitPrediction,
    ForwardedStatus,
    Hit,
    Outcome,
    TaskStatus,
    WatchEntry,
    WatchSource,
    WatchStatus,
)
from zhifa.interception.orm import (
    ForwardedLead,
    InterceptTask,
    StreamDeadLetter,
    WatchHit,
    WatchLastSeen,
    WatchlistEntry,
)
from zhifa.interception.rules import ExitGraph, is_late_answer, predict_exits, response_deadline
from zhifa.shared import audit
from zhifa.shared.access import SYSTEM, Actor, Role, check_visible, require_role, scope
from zhifa.shared.clock import aware
from zhifa.shared.errors import IllegalTransition, NotFound, ValidationFailed, ZhifaError
from zhifa.shared.ids import new_id

WATCH_COLUMNS = ("entry_id", "plate", "plate_color", "reason", "source", "issued_by_unit", "priority",
                 "valid_from", "valid_to", "status")
OPTIONAL_COLUMNS = ("legal_basis", "case_no", "approver", "scope_stations", "scope_hours", "vehicle_class",
                    "axle_count", "source_ref")
MIN_DISPATCH_CONFIDENCE = 0.5
# expiry is decided by valid_to at match time, so a file's "expired" is stored as is (active, past valid_to)
STATUS_ON_IMPORT = {"active": "active", "expired": "active", "revoked": "revoked", "cancelled": "revoked"}
MAX_VALIDITY_DAYS = 366


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def normalise_plate(plate: str) -> str:
    """The shared plate normaliser (zhifa.shared.plates) when present, else trimmed upper case."""
    if _has("zhifa.shared.plates"):
        from zhifa.shared import plates

        return plates.normalise(plate)
    return "".join(plate.split()).upper()


def _check_plate(plate: str, color: str) -> str:
    if not plate or not plate.strip():
        raise ValidationFailed("车牌号不能为空", en="The plate number is required")
    if color not in PLATE_COLORS:
        raise ValidationFailed(f"车牌颜色无效: {color}", en=f"Invalid plate colour: {color}")
    p = normalise_plate(plate)
    if _has("zhifa.shared.plates"):
        from zhifa.shared import plates

        why = plates.explain(p, color)
        if why:
            raise ValidationFailed(f"车牌号 {plate} 无效: {why[0]}", en=f"Plate number {plate} is invalid: {why[1]}")
    elif len(p) not in (7, 8) or (len(p) == 8 and color not in ("green", "yellow_green")):
        raise ValidationFailed(f"车牌号格式无效: {plate}", en=f"Invalid plate number format: {plate}")
    return p


def _entry_dict(e: WatchlistEntry) -> dict[str, Any]:
    return {c: getattr(e, c) for c in WATCH_COLUMNS + OPTIONAL_COLUMNS}


# --------------------------------------------------------------------------------------------------
# watch-list
# --------------------------------------------------------------------------------------------------
def _build_entry(
    *,
    actor: Actor,
    plate: str,
    plate_color: str,
    reason: str,
    source: str,
    valid_to: datetime | None,
    valid_from: datetime | None,
    now: datetime,
    priority: int = 2,
    issued_by_unit: str | None = None,
    legal_basis: str | None = None,
    case_no: str | None = None,
    approver: str | None = None,
    scope_stations: Sequence[str] | None = None,
    scope_hours: str | None = None,
    vehicle_class: int | None = None,
    axle_count: int | None = None,
    source_ref: str | None = None,
    entry_id: str | None = None,
    status: str = WatchStatus.ACTIVE.value,
    require_basis: bool = True,
) -> WatchlistEntry:
    p = _check_plate(plate, plate_color)
    if not (reason or "").strip():
        raise ValidationFailed("布控须填写事由", en="A watch-list entry needs a reason")
    try:
        src = WatchSource(source)
    except ValueError as e:
        raise ValidationFailed(f"布控来源无效: {source}", en=f"Invalid watch-list source: {source}") from e
    if valid_to is None:
        raise ValidationFailed("布控须设定截止时间", en="A watch-list entry needs an end time")
    vf = aware(valid_from) if valid_from else now
    vt = aware(valid_to)
    if vt <= vf:
        raise ValidationFailed("布控截止时间须晚于起始时间", en="The end time of a watch-list entry must be later than its start time")
    if vt - vf > timedelta(days=MAX_VALIDITY_DAYS):
        raise ValidationFailed(f"布控期限不得超过 {MAX_VALIDITY_DAYS} 天", en=f"A watch-list entry may last at most {MAX_VALIDITY_DAYS} days")
    if require_basis and src is WatchSource.MANUAL and not ((legal_basis or "").strip() or (case_no or "").strip()):
        raise ValidationFailed("人工布控须填写法律依据或案件编号", en="A manual watch-list entry needs a legal basis or a case number")
    if int(priority) not in (1, 2, 3):
        raise ValidationFailed("优先级须为 1、2 或 3", en="The priority must be 1, 2 or 3")
    unit = issued_by_unit or actor.unit_code
    if not actor.can_see_unit(unit):
        raise ValidationFailed(f"无权以单位 {unit} 名义布控", en=f"You may not issue watch-list entries on behalf of unit {unit}")
    try:
        parse_hours(scope_hours)
    except ValueError as e:
        raise ValidationFailed(str(e), en=f"The time window must be HH:MM-HH:MM: {scope_hours!r}") from e
    if status not in STATUS_ON_IMPORT:
        raise ValidationFailed(f"状态无效: {status}", en=f"Invalid status: {status}")
    status = STATUS_ON_IMPORT[status]
    return WatchlistEntry(
        entry_id=entry_id or new_id()[:24],
        plate=p,
        plate_color=plate_color,
        reason=reason.strip(),
        source=src.value,
        issued_by_unit=unit,
        priority=int(priority),
        valid_from=vf,
        valid_to=vt,
        status=status,
        legal_basis=(legal_basis or "").strip() or None,
        case_no=(case_no or "").strip() or None,
        approver=(approver or "").strip() or None,
        scope_stations=list(scope_stations) if scope_stations else None,
        scope_hours=(scope_hours or "").strip() or None,
        vehicle_class=int(vehicle_class) if vehicle_class not in (None, "") else None,
        axle_count=int(axle_count) if axle_count not in (None, "") else None,
        source_ref=source_ref,
        created_by=actor.username,
        created_at=now,
    )


def add_watch_entry(
    session: Session,
    *,
    actor: Actor,
    plate: str,
    plate_color: str,
    reason: str,
    source: str = "manual",
    valid_to: datetime | None,
    now: datetime,
    valid_from: datetime | None = None,
    **extra: Any,
) -> WatchlistEntry:
    """List one vehicle. Validity is mandatory; manual entries need a legal basis or a case number."""
    require_role(actor, Role.ANALYST)
    e = _build_entry(actor=actor, plate=plate, plate_color=plate_color, reason=reason, source=source,
                     valid_to=valid_to, valid_from=valid_from, now=now, **extra)
    session.add(e)
    session.flush()
    audit.record(session, actor=actor, action="interception.watch_add", object_type="watch_entry",
                 object_id=e.entry_id, after=_entry_dict(e), unit_code=e.issued_by_unit, now=now)
    return e


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    errors_en: list[tuple[int, str]] = field(default_factory=list)  # the same rows, in English

    def errors_in(self, lang: str) -> list[tuple[int, str]]:
        """The row errors in the interface language (`zh` | `en`)."""
        return self.errors_en if lang == "en" and len(self.errors_en) == len(self.errors) else self.errors

    @property
    def ok(self) -> bool:
        return not self.errors


def import_watchlist(session: Session, *, actor: Actor, frame: Any, now: datetime, partial: bool = False) -> ImportReport:
    """Import a Polars DataFrame in the schemas.md watchlist columns (plus optional extras).

    Every bad row is reported with its row number (1 = first data row). Nothing is imported when a row
    is bad, unless `partial=True`, which imports the good rows.
    """
    require_role(actor, Role.ANALYST)
    missing = [c for c in ("plate", "plate_color", "reason", "valid_to") if c not in frame.columns]
    if missing:
        raise ValidationFailed(f"缺少列: {', '.join(missing)}", en=f"Missing columns: {', '.join(missing)}")
    rep = ImportReport()
    good: list[WatchlistEntry] = []
    seen_ids: set[str] = set()
    existing_ids: set[str] = set()
    if "entry_id" in frame.columns:
        ids = [i for i in frame["entry_id"].to_list() if i]
        for i in range(0, len(ids), 500):
            existing_ids.update(session.execute(
                select(WatchlistEntry.entry_id).where(WatchlistEntry.entry_id.in_(ids[i:i + 500]))).scalars())
    for n, row in enumerate(frame.iter_rows(named=True), start=1):
        try:
            eid = row.get("entry_id") or None
            if eid and (eid in existing_ids or eid in seen_ids):
                raise ValidationFailed(f"布控编号重复: {eid}", en=f"Duplicate watch-list entry ID: {eid}")
            stations = row.get("scope_stations")
            if isinstance(stations, str):
                stations = [s.strip() for s in stations.replace("；", ";").replace(",", ";").split(";") if s.strip()]
            e = _build_entry(
                actor=actor,
                plate=str(row.get("plate") or ""),
                plate_color=str(row.get("plate_color") or ""),
                reason=str(row.get("reason") or ""),
                source=str(row.get("source") or "manual"),
                valid_from=_as_dt(row.get("valid_from"), "valid_from"),
                valid_to=_as_dt(row.get("valid_to"), "valid_to"),
                now=now,
                priority=int(row.get("priority") or 2),
                issued_by_unit=(str(row["issued_by_unit"]) if row.get("issued_by_unit") else None),
                legal_basis=row.get("legal_basis"),
                case_no=row.get("case_no"),
                approver=row.get("approver"),
                scope_stations=stations,
                scope_hours=row.get("scope_hours"),
                vehicle_class=row.get("vehicle_class"),
                axle_count=row.get("axle_count"),
                source_ref=row.get("source_ref"),
                entry_id=eid,
                status=str(row.get("status") or "active"),
                require_basis=False,  # the schemas.md file has no legal-basis column; it is optional there
            )
            if eid:
                seen_ids.add(eid)
            good.append(e)
        except (ValidationFailed, ValueError, TypeError) as ex:
            rep.errors.append((n, getattr(ex, "message", None) or str(ex)))
            rep.errors_en.append((n, ex.text("en") if isinstance(ex, ZhifaError) else str(ex)))
    if rep.errors and not partial:
        audit.record(session, actor=actor, action="interception.watch_import_refused", object_type="watch_import",
                     object_id=now.isoformat(), after={"rows": frame.height, "bad_rows": len(rep.errors)}, now=now)
        return rep
    session.add_all(good)
    session.flush()
    rep.imported = len(good)
    audit.record(session, actor=actor, action="interception.watch_import", object_type="watch_import",
                 object_id=now.isoformat(),
                 after={"imported": rep.imported, "bad_rows": len(rep.errors),
                        "entry_ids": [e.entry_id for e in good][:1000]}, now=now)
    return rep


def _as_dt(v: Any, name: str) -> datetime | None:
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        return aware(v)
    try:
        return aware(datetime.fromisoformat(str(v)))
    except ValueError as e:
        raise ValidationFailed(f"{name} 不是有效时间: {v}", en=f"{name} is not a valid time: {v}") from e


def access_watch_entry(session: Session, actor: Actor, entry_id: str) -> WatchlistEntry:
    e = session.get(WatchlistEntry, entry_id)
    if e is None:
        raise NotFound("布控记录不存在", en="Watch-list entry not found")
    check_visible(actor, e.issued_by_unit, "布控记录", what_en="Watch-list entry")
    return e


def revoke_watch_entry(session: Session, *, actor: Actor, entry_id: str, reason: str, now: datetime) -> WatchlistEntry:
    require_role(actor, Role.ANALYST)
    e = access_watch_entry(session, actor, entry_id)
    if e.status == WatchStatus.REVOKED.value:
        raise IllegalTransition("布控已撤销", en="The watch-list entry has already been revoked")
    if not (reason or "").strip():
        raise ValidationFailed("撤销布控须填写理由", en="Revoking a watch-list entry needs a reason")
    e.status, e.revoked_at, e.revoke_reason = WatchStatus.REVOKED.value, now, reason.strip()
    audit.record(session, actor=actor, action="interception.watch_revoke", object_type="watch_entry",
                 object_id=e.entry_id, before={"status": "active"}, after={"status": e.status},
                 reason=e.revoke_reason, unit_code=e.issued_by_unit, now=now)
    return e


def search_watchlist(
    session: Session,
    *,
    actor: Actor,
    now: datetime,
    plate: str | None = None,
    status: str | None = None,  # active | expired | revoked
    source: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[WatchlistEntry], int]:
    """Search the list within the actor's jurisdiction. Every search is audited (who looked for what)."""
    stmt = scope(select(WatchlistEntry), actor, WatchlistEntry.issued_by_unit)
    if plate:
        stmt = stmt.where(WatchlistEntry.plate.contains(normalise_plate(plate)))
    if status == "active":
        stmt = stmt.where(WatchlistEntry.status == "active", WatchlistEntry.valid_from <= now,
                          WatchlistEntry.valid_to > now)
    elif status == "expired":
        stmt = stmt.where(WatchlistEntry.status == "active", WatchlistEntry.valid_to <= now)
    elif status == "revoked":
        stmt = stmt.where(WatchlistEntry.status == "revoked")
    if source:
        stmt = stmt.where(WatchlistEntry.source == source)
    total = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = list(session.execute(stmt.order_by(WatchlistEntry.created_at.desc())
                                .limit(min(limit, 1000)).offset(offset)).scalars())
    audit.record(session, actor=actor, action="interception.watch_search", object_type="watchlist",
                 object_id="search", after={"plate": plate, "status": status, "source": source,
                                            "results": int(total)}, now=now)
    return rows, int(total)


def effective_status(e: WatchlistEntry, now: datetime) -> str:
    if e.status == WatchStatus.REVOKED.value:
        return "revoked"
    if e.valid_to <= now:
        return "expired"
    if e.valid_from > now:
        return "pending"
    return "active"


_MATCH_COLUMNS = (WatchlistEntry.entry_id, WatchlistEntry.plate, WatchlistEntry.plate_color, WatchlistEntry.valid_from,
                  WatchlistEntry.valid_to, WatchlistEntry.priority, WatchlistEntry.vehicle_class,
                  WatchlistEntry.axle_count, WatchlistEntry.scope_stations, WatchlistEntry.scope_hours,
                  WatchlistEntry.issued_by_unit, WatchlistEntry.status)


def load_watch_entries(session: Session, *, now: datetime, keep_expired_for: timedelta = timedelta(days=2),
                       changed_since: datetime | None = None) -> list[WatchEntry]:
    """Entries for the matcher. Recently expired ones stay in so late records match by event time.

    With `changed_since`, only entries created or revoked since then (revoked ones come back with
    active=False, so the matcher drops them).
    """
    stmt = select(*_MATCH_COLUMNS)
    if changed_since is None:
        stmt = stmt.where(WatchlistEntry.status == WatchStatus.ACTIVE.value,
                          WatchlistEntry.valid_to > now - keep_expired_for)
    else:
        stmt = stmt.where(or_(WatchlistEntry.created_at >= changed_since, WatchlistEntry.revoked_at >= changed_since))
    out = []
    for (eid, plate, color, vf, vt, prio, vc, ax, stations, hours, unit, status) in session.execute(stmt).tuples():
        out.append(WatchEntry(
            entry_id=eid, plate=plate, plate_color=color, valid_from=vf, valid_to=vt, priority=prio,
            vehicle_class=vc, axle_count=ax, scope_stations=frozenset(stations) if stations else None,
            scope_hours=parse_hours(hours), unit_code=unit, active=status == WatchStatus.ACTIVE.value))
    return out


def to_watch_entry(r: WatchlistEntry) -> WatchEntry:
    return WatchEntry(
        entry_id=r.entry_id,
        plate=r.plate,
        plate_color=r.plate_color,
        valid_from=r.valid_from,
        valid_to=r.valid_to,
        priority=r.priority,
        vehicle_class=r.vehicle_class,
        axle_count=r.axle_count,
        scope_stations=frozenset(r.scope_stations) if r.scope_stations else None,
        scope_hours=parse_hours(r.scope_hours),
        unit_code=r.issued_by_unit,
        active=r.status == WatchStatus.ACTIVE.value,
    )


# --------------------------------------------------------------------------------------------------
# the live path: hits → tasks
# --------------------------------------------------------------------------------------------------
@dataclass
class StationInfo:
    unit_code: str
    team_id: str | None


class StationDirectory:
    """Toll station → its unit and the enforcement team responsible (a Team of the station's unit)."""

    def __init__(self, session_factory: Callable[[], Session] | None = None) -> None:
        self._cache: dict[str, StationInfo] = {}

    def get(self, session: Session, station_id: str) -> StationInfo:
        info = self._cache.get(station_id)
        if info is None:
            from zhifa.org.orm import Site, Team

            site = session.get(Site, station_id)
            unit = site.unit_code if site is not None else "410000"
            team = session.execute(select(Team.team_id).where(Team.unit_code == unit)
                                   .order_by(Team.kind.desc(), Team.team_id).limit(1)).scalar()
            info = self._cache[station_id] = StationInfo(unit, team)
        return info


def whitelist_status(session: Session, plate: str, color: str, at: datetime) -> bool | None:
    """Passenger whitelist (M3) status from the vehicles slice; None while that registry is absent."""
    if not _has("zhifa.vehicles.service"):
        return None
    from zhifa.vehicles import service as vs

    fn = getattr(vs, "is_whitelisted", None)
    return None if fn is None else bool(fn(session, plate, color, at))


@dataclass
class CommitReport:
    hits: int = 0
    duplicates: int = 0
    tasks_created: int = 0
    tasks_updated: int = 0
    tasks_withdrawn: int = 0
    stale: int = 0
    hit_ids: list[str] = field(default_factory=list)
    task_ids: list[str] = field(default_factory=list)


def commit_hits(
    session: Session,
    *,
    hits: Sequence[Hit],
    graph: ExitGraph | None,
    stations: StationDirectory,
    now: datetime,
    actor: Actor = SYSTEM,
    min_dispatch_confidence: float = MIN_DISPATCH_CONFIDENCE,
) -> CommitReport:
    """Store hits (a (record, entry) pair already stored is a duplicate) and dispatch / update tasks.

    Per listed vehicle, the latest event time seen is the watermark: an older (out-of-order) hit is
    stored but does not move the prediction back. An exit record withdraws the tasks at other stations.
    The batch is read with three queries and written with one flush, whatever its size.
    """
    rep = CommitReport()
    if not hits:
        return rep
    with session.no_autoflush:
        rids = list({h.record.record_id for h in hits})
        eids = list({h.entry.entry_id for h in hits})
        existing: set[tuple[str, str]] = set()
        for i in range(0, len(rids), 500):
            existing.update(session.execute(select(WatchHit.record_id, WatchHit.entry_id)
                                            .where(WatchHit.record_id.in_(rids[i:i + 500]))).tuples())
        seen_by_entry: dict[str, WatchLastSeen] = {}
        open_by_entry: dict[str, dict[str, InterceptTask]] = defaultdict(dict)
        for i in range(0, len(eids), 500):
            chunk = eids[i:i + 500]
            for ls in session.execute(select(WatchLastSeen).where(WatchLastSeen.entry_id.in_(chunk))).scalars():
                seen_by_entry[ls.entry_id] = ls
            for t in session.execute(select(InterceptTask).where(
                    InterceptTask.entry_id.in_(chunk), InterceptTask.status == TaskStatus.OPEN.value)).scalars():
                open_by_entry[t.entry_id][t.station_id] = t
        whitelist: dict[tuple[str, str, object], bool | None] = {}
        hit_rows: list[dict[str, Any]] = []
        for h in sorted(hits, key=lambda h: h.record.event_time):
            key = (h.record.record_id, h.entry.entry_id)
            if key in existing:
                rep.duplicates += 1
                continue
            existing.add(key)
            r, e = h.record, h.entry
            wkey = (e.plate, e.plate_color, r.event_time.date())
            if wkey not in whitelist:
                whitelist[wkey] = whitelist_status(session, e.plate, e.plate_color, r.event_time)
            hit_id = new_id()[:24]
            hit_rows.append(dict(
                hit_id=hit_id, record_id=r.record_id, entry_id=e.entry_id, record_kind=r.kind,
                site_id=r.site_id, event_time=r.event_time, plate_read=r.plate, plate=e.plate,
                plate_color=e.plate_color, vehicle_class=r.vehicle_class, axle_count=r.axle_count,
                match_kind=h.kind.value, confidence=h.confidence, late=h.late, lag_s=h.lag_s,
                whitelisted=whitelist[wkey], unit_code=e.unit_code, created_at=now,
            ))
            rep.hits += 1
            rep.hit_ids.append(hit_id)
            seen = seen_by_entry.get(e.entry_id)
            if seen is not None and seen.event_time >= r.event_time:
                rep.stale += 1
                continue
            if seen is None:
                seen = seen_by_entry[e.entry_id] = WatchLastSeen(
                    entry_id=e.entry_id, site_id=r.site_id, event_time=r.event_time, record_id=r.record_id,
                    unit_code=e.unit_code)
                session.add(seen)
            else:
                seen.site_id, seen.event_time, seen.record_id = r.site_id, r.event_time, r.record_id
            if h.confidence < min_dispatch_confidence:
                continue
            _dispatch(session, h, hit_id, open_by_entry[e.entry_id], graph, stations, now, rep)
        if hit_rows:
            session.execute(WatchHit.__table__.insert(), hit_rows)
    session.flush()
    audit.record(session, actor=actor, action="interception.hits_commit", object_type="hit_batch",
                 object_id=rep.hit_ids[0] if rep.hit_ids else "none",
                 after={"hits": rep.hits, "duplicates": rep.duplicates, "tasks_created": rep.tasks_created,
                        "tasks_updated": rep.tasks_updated, "tasks_withdrawn": rep.tasks_withdrawn,
                        "hit_ids": rep.hit_ids[:200], "task_ids": rep.task_ids[:200]}, now=now)
    return rep


def _dispatch(session: Session, h: Hit, hit_id: str, open_tasks: dict[str, InterceptTask], graph: ExitGraph | None,
              stations: StationDirectory, now: datetime, rep: CommitReport) -> None:
    """Bring one vehicle's open tasks in line with the prediction from this hit (`open_tasks` is updated)."""
    r, e = h.record, h.entry
    if r.kind == "exit":
        preds = [ExitPrediction(r.site_id, 0, r.event_time)]
        gone_reason = f"车辆已从 {r.site_id} 驶离"
    else:
        preds = predict_exits(graph, r) if graph is not None else []
        gone_reason = "车辆已驶过该站，预测已更新"
    wanted = {p.station_id: p for p in preds}
    for sid in [sid for sid in open_tasks if sid not in wanted]:
        t = open_tasks.pop(sid)
        _transition(t, TaskStatus.WITHDRAWN)
        t.withdrawn_reason, t.updated_at, t.last_event_time = gone_reason, now, r.event_time
        rep.tasks_withdrawn += 1
    for sid, p in wanted.items():
        t = open_tasks.get(sid)
        if t is not None:
            t.eta, t.distance_m, t.last_event_time, t.last_hit_id = p.eta, p.distance_m, r.event_time, hit_id
            new_deadline = response_deadline(p.eta, now)
            # an escalated task keeps its (earlier) deadline: escalation is not undone by a new prediction
            t.deadline = min(t.deadline, new_deadline) if t.escalation_level else new_deadline
            t.updated_at = now
            rep.tasks_updated += 1
            continue
        info = stations.get(session, sid)
        t = InterceptTask(
            task_id=new_id()[:24], hit_id=hit_id, last_hit_id=hit_id, entry_id=e.entry_id, plate=e.plate,
            plate_color=e.plate_color, station_id=sid, team_id=info.team_id, unit_code=info.unit_code,
            priority=e.priority, distance_m=p.distance_m, eta=p.eta, deadline=response_deadline(p.eta, now),
            last_event_time=r.event_time, status=TaskStatus.OPEN.value, escalation_level=0,
            created_at=now, updated_at=now,
        )
        session.add(t)
        open_tasks[sid] = t
        rep.tasks_created += 1
        rep.task_ids.append(t.task_id)


def _transition(t: InterceptTask, target: TaskStatus) -> None:
    cur = TaskStatus(t.status)
    if target not in TASK_TRANSITIONS[cur]:
        raise IllegalTransition(f"任务状态为 {cur.value}，不能改为 {target.value}", en=f"The task is {cur.value} and cannot be changed to {target.value}")
    t.status = target.value


def record_dead_letter(session: Session, *, stream: str, message_id: str, payload: str, reason: str, now: datetime) -> bool:
    """Keep an unreadable message (or row) with its reason, once: a message re-delivered after a crash
    between the commit and the ack is not recorded again. True when it was new."""
    payload = payload[:10000]
    D = StreamDeadLetter
    if session.execute(
        select(D.id).where(D.stream == stream, D.message_id == message_id, D.payload == payload).limit(1)
    ).first():
        return False
    session.add(D(stream=stream, message_id=message_id, payload=payload, reason=reason, created_at=now))
    return True


# --------------------------------------------------------------------------------------------------
# tasks and outcomes
# --------------------------------------------------------------------------------------------------
def access_task(session: Session, actor: Actor, task_id: str) -> InterceptTask:
    t = session.get(InterceptTask, task_id)
    if t is None:
        raise NotFound("拦截任务不存在", en="Interception task not found")
    if actor.role == Role.TOLL_OPERATOR:
        if actor.site_id != t.station_id:
            raise NotFound("拦截任务不存在", en="Interception task not found")
    else:
        check_visible(actor, t.unit_code, "拦截任务", what_en="Interception task")
    return t


def list_tasks(
    session: Session,
    *,
    actor: Actor,
    status: str | None = None,
    station_id: str | None = None,
    limit: int = 200,
) -> list[InterceptTask]:
    """Tasks in the actor's jurisdiction; a toll-station operator sees only their own station's."""
    stmt = select(InterceptTask)
    if actor.role == Role.TOLL_OPERATOR:
        stmt = stmt.where(InterceptTask.station_id == (actor.site_id or "-"))
    else:
        stmt = scope(stmt, actor, InterceptTask.unit_code)
    if status:
        stmt = stmt.where(InterceptTask.status == status)
    if station_id:
        stmt = stmt.where(InterceptTask.station_id == station_id)
    stmt = stmt.order_by(InterceptTask.priority, InterceptTask.eta).limit(min(limit, 1000))
    return list(session.execute(stmt).scalars())


def report_outcome(
    session: Session,
    *,
    actor: Actor,
    task_id: str,
    outcome: Outcome | str,
    now: datetime,
    findings: str | None = None,
    case_id: str | None = None,
    reason: str | None = None,
) -> InterceptTask:
    """Close an open task with its outcome. 查获 needs findings; 放行 and 误报 need a reason."""
    require_role(actor, Role.TOLL_OPERATOR, Role.OFFICER, Role.ANALYST)
    t = access_task(session, actor, task_id)
    try:
        oc = Outcome(outcome)
    except ValueError as e:
        raise ValidationFailed(f"反馈结果无效: {outcome}", en=f"Invalid outcome: {outcome}") from e
    if oc is Outcome.INTERCEPTED and not (findings or "").strip():
        raise ValidationFailed("查获须填写查获情况", en="An interception needs a description of what was found")
    if oc in (Outcome.FALSE_HIT, Outcome.RELEASED) and not (reason or "").strip():
        raise ValidationFailed("误报或放行须填写理由", en="A false hit or a release needs a reason")
    before = {"status": t.status}
    _transition(t, TaskStatus.ANSWERED)
    t.outcome = oc.value
    t.findings = (findings or "").strip() or None
    t.case_id = (case_id or "").strip() or None
    t.outcome_reason = (reason or "").strip() or None
    t.answered_at, t.answered_by, t.updated_at = now, actor.username, now
    t.answered_late = is_late_answer(now, t.deadline)
    if oc is Outcome.INTERCEPTED:
        # the vehicle is caught: the other stations' tasks for the same vehicle are no longer needed
        for other in session.execute(select(InterceptTask).where(
                InterceptTask.entry_id == t.entry_id, InterceptTask.status == TaskStatus.OPEN.value,
                InterceptTask.task_id != t.task_id)).scalars():
            _transition(other, TaskStatus.WITHDRAWN)
            other.withdrawn_reason, other.updated_at = f"车辆已在 {t.station_id} 查获", now
    audit.record(session, actor=actor, action=f"interception.outcome_{oc.value}", object_type="intercept_task",
                 object_id=t.task_id, before=before,
                 after={"status": t.status, "outcome": t.outcome, "findings": t.findings, "case_id": t.case_id,
                        "late": t.answered_late},
                 reason=t.outcome_reason, unit_code=t.unit_code, now=now)
    return t


def withdraw_task(session: Session, *, actor: Actor, task_id: str, reason: str, now: datetime) -> InterceptTask:
    require_role(actor, Role.ANALYST)
    t = access_task(session, actor, task_id)
    if not (reason or "").strip():
        raise ValidationFailed("撤回任务须填写理由", en="Withdrawing a task needs a reason")
    _transition(t, TaskStatus.WITHDRAWN)
    t.withdrawn_reason, t.updated_at = reason.strip(), now
    audit.record(session, actor=actor, action="interception.task_withdraw", object_type="intercept_task",
                 object_id=t.task_id, before={"status": "open"}, after={"status": t.status},
                 reason=t.withdrawn_reason, unit_code=t.unit_code, now=now)
    return t


def sweep_overdue(session: Session, *, now: datetime, actor: Actor = SYSTEM,
                  repeat_after: timedelta = timedelta(minutes=ruledata.RESPONSE_WINDOW_MIN)) -> list[InterceptTask]:
    """Escalate open tasks past their deadline: level 1 at the deadline, one more each `repeat_after`."""
    out = []
    for t in session.execute(select(InterceptTask).where(
            InterceptTask.status == TaskStatus.OPEN.value, InterceptTask.deadline < now)).scalars():
        due_level = 1 + int((now - t.deadline) / repeat_after)
        if t.escalation_level >= due_level:
            continue
        before = t.escalation_level
        t.escalation_level, t.escalated_at, t.updated_at = due_level, now, now
        audit.record(session, actor=actor, action="interception.task_escalate", object_type="intercept_task",
                     object_id=t.task_id, before={"escalation_level": before},
                     after={"escalation_level": due_level}, reason="超时未反馈", unit_code=t.unit_code, now=now)
        out.append(t)
    return out


def hits_for_entry(session: Session, *, actor: Actor, entry_id: str, now: datetime, limit: int = 100) -> list[WatchHit]:
    """Where a listed vehicle was seen: a search of the list's hits, audited."""
    e = access_watch_entry(session, actor, entry_id)
    rows = list(session.execute(select(WatchHit).where(WatchHit.entry_id == entry_id)
                                .order_by(WatchHit.event_time.desc()).limit(limit)).scalars())
    audit.record(session, actor=actor, action="interception.hit_search", object_type="watch_entry",
                 object_id=entry_id, after={"results": len(rows)}, unit_code=e.issued_by_unit, now=now)
    return rows


def live_positions(session: Session, *, actor: Actor, now: datetime) -> list[dict[str, Any]]:
    """Listed vehicles' last seen site (with coordinates) and their open task count, for the live map."""
    from zhifa.org.orm import Site

    stmt = scope(select(WatchLastSeen, WatchlistEntry, Site)
                 .join(WatchlistEntry, WatchlistEntry.entry_id == WatchLastSeen.entry_id)
                 .outerjoin(Site, Site.site_id == WatchLastSeen.site_id),
                 actor, WatchLastSeen.unit_code)
    open_counts = {eid: n for eid, n in session.execute(
        select(InterceptTask.entry_id, func.count()).where(InterceptTask.status == "open")
        .group_by(InterceptTask.entry_id)).tuples()}
    out = []
    for seen, entry, site in session.execute(stmt.order_by(WatchLastSeen.event_time.desc()).limit(500)):
        out.append({
            "entry_id": entry.entry_id, "plate": entry.plate, "plate_color": entry.plate_color,
            "priority": entry.priority, "reason": entry.reason, "site_id": seen.site_id,
            "site_name": site.name if site is not None else seen.site_id,
            "lon": site.lon if site is not None else None, "lat": site.lat if site is not None else None,
            "event_time": seen.event_time.isoformat(), "open_tasks": int(open_counts.get(entry.entry_id, 0)),
            "status": effective_status(entry, now),
        })
    return out


# --------------------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------------------
@dataclass
class Figures:
    key: str
    name: str = ""
    watch_count: int = 0
    hits: int = 0
    watch_issued: int = 0
    hit_records: int = 0
    tasks: int = 0
    answered: int = 0
    intercepted: int = 0
    false_hits: int = 0
    answered_late: int = 0
    open_overdue: int = 0
    response_s: list[float] = field(default_factory=list)

    @property
    def hit_to_intercept_rate(self) -> float | None:
        return self.intercepted / self.hits if self.hits else None

    @property
    def median_response_min(self) -> float | None:
        if not self.response_s:
            return None
        s = sorted(self.response_s)
        return round(s[len(s) // 2] / 60, 1)

    @property
    def late(self) -> int:
        """Tasks answered after their deadline plus open tasks already past it (无一延迟 ⇔ 0)."""
        return self.answered_late + self.open_overdue

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "watch_count": self.watch_count, "hits": self.hits,
                "watch_issued": self.watch_issued, "hit_records": self.hit_records, "tasks": self.tasks, "answered": self.answered, "intercepted": self.intercepted,
                "false_hits": self.false_hits,
                "hit_to_intercept_rate": None if self.hit_to_intercept_rate is None else round(self.hit_to_intercept_rate, 4),
                "median_response_min": self.median_response_min, "answered_late": self.answered_late,
                "open_overdue": self.open_overdue, "late": self.late}


def figures(session: Session, *, actor: Actor, by: str, since: datetime, until: datetime, now: datetime) -> list[Figures]:
    """布控 count, hits, tasks, intercepted, hit-to-intercept rate, response time, late answers.

    `by` is station | team | city. Task figures are counted where the task was sent (the station, its
    team, its city): `watch_count` is the number of listed vehicles with a task there, `hits` the number
    of hits that dispatched those tasks (one per interception episode), `intercepted` the tasks answered
    查获, and the hit-to-intercept rate intercepted / hits. By city two issuing-side figures are added:
    `watch_issued` (entries issued by the city's units and valid in the period) and `hit_records` (all
    hit records on those entries, every gantry and lane read).
    """
    from zhifa.org.orm import Site, Team, Unit

    if by not in ("station", "team", "city"):
        raise ValidationFailed("统计维度须为 station、team 或 city", en="Figures can be grouped only by station, team or city")
    city_of: dict[str, str] = {}
    unit_names: dict[str, str] = {}
    for code, city, name in session.execute(select(Unit.unit_code, Unit.city_code, Unit.name)).tuples():
        city_of[code] = city or code
        unit_names[code] = name
    tasks = list(session.execute(scope(select(InterceptTask).where(
        InterceptTask.created_at >= since, InterceptTask.created_at < until), actor, InterceptTask.unit_code)).scalars())

    def key_of(t: InterceptTask) -> str:
        if by == "station":
            return t.station_id
        if by == "team":
            return t.team_id or f"(无队伍){t.unit_code}"
        return city_of.get(t.unit_code, t.unit_code)

    out: dict[str, Figures] = {}
    hit_keys: dict[str, set[str]] = defaultdict(set)
    entry_keys: dict[str, set[str]] = defaultdict(set)
    for t in tasks:
        k = key_of(t)
        f = out.setdefault(k, Figures(k))
        f.tasks += 1
        hit_keys[k].add(t.hit_id)
        entry_keys[k].add(t.entry_id)
        if t.status == TaskStatus.ANSWERED.value:
            f.answered += 1
            f.response_s.append((t.answered_at - t.created_at).total_seconds())
            f.answered_late += int(bool(t.answered_late))
            f.intercepted += int(t.outcome == Outcome.INTERCEPTED.value)
            f.false_hits += int(t.outcome == Outcome.FALSE_HIT.value)
        elif t.status == TaskStatus.OPEN.value and t.deadline < now:
            f.open_overdue += 1
    for k, f in out.items():
        f.hits = len(hit_keys[k])
        f.watch_count = len(entry_keys[k])
    if by == "city":
        hits = session.execute(scope(select(WatchHit.unit_code, func.count()).where(
            WatchHit.event_time >= since, WatchHit.event_time < until).group_by(WatchHit.unit_code),
            actor, WatchHit.unit_code)).tuples()
        for code, n in hits:
            k = city_of.get(code, code)
            out.setdefault(k, Figures(k)).hit_records += int(n)
        watch = session.execute(scope(select(WatchlistEntry.issued_by_unit, func.count()).where(
            WatchlistEntry.valid_from < until, WatchlistEntry.valid_to > since)
            .group_by(WatchlistEntry.issued_by_unit), actor, WatchlistEntry.issued_by_unit)).tuples()
        for code, n in watch:
            k = city_of.get(code, code)
            out.setdefault(k, Figures(k)).watch_issued += int(n)
        for k, f in out.items():
            f.name = unit_names.get(k, k)
    elif by == "station":
        for sid, name in session.execute(select(Site.site_id, Site.name).where(Site.site_id.in_(list(out)))).tuples():
            out[sid].name = name
    else:
        for tid, name in session.execute(select(Team.team_id, Team.name).where(Team.team_id.in_(list(out)))).tuples():
            out[tid].name = name
    return sorted(out.values(), key=lambda f: f.key)


# --------------------------------------------------------------------------------------------------
# forwarded leads (抄告, M2)
# --------------------------------------------------------------------------------------------------
FORWARDED_REQUIRED = ("external_ref", "source_unit", "category", "facts")
FORWARDED_DEFAULT_DAYS = 15


def receive_forwarded(session: Session, *, actor: Actor, item: dict[str, Any], now: datetime,
                      watch: bool = False, watch_days: int = 30) -> tuple[ForwardedLead, bool]:
    """Store one forwarded lead (docs/forwarded_leads.md). Returns (lead, created); a repeat is not stored twice."""
    require_role(actor, Role.ANALYST, Role.OFFICER)
    missing = [k for k in FORWARDED_REQUIRED if not str(item.get(k) or "").strip()]
    if missing:
        raise ValidationFailed(f"抄告缺少字段: {', '.join(missing)}", en=f"The forwarded lead is missing fields: {', '.join(missing)}")
    ext, src = str(item["external_ref"]).strip(), str(item["source_unit"]).strip()
    old = session.execute(select(ForwardedLead).where(ForwardedLead.source_unit == src,
                                                      ForwardedLead.external_ref == ext)).scalar()
    if old is not None:
        return old, False
    unit = str(item.get("target_unit") or actor.unit_code)
    if not actor.can_see_unit(unit):
        raise ValidationFailed(f"无权接收发往单位 {unit} 的抄告", en=f"You may not receive forwarded leads addressed to unit {unit}")
    plate, color = item.get("plate") or None, item.get("plate_color") or None
    if plate:
        plate = _check_plate(str(plate), str(color or ""))
    due = _as_dt(item.get("due_at"), "due_at") or now + timedelta(days=FORWARDED_DEFAULT_DAYS)
    lead = ForwardedLead(
        lead_id=new_id()[:24], external_ref=ext, source_unit=src,
        source_province=(item.get("source_province") or None), category=str(item["category"]).strip(),
        plate=plate, plate_color=color, occurred_at=_as_dt(item.get("occurred_at"), "occurred_at"),
        location=item.get("location") or None, facts=str(item["facts"]).strip(),
        evidence=list(item.get("evidence") or []) or None, unit_code=unit,
        status=ForwardedStatus.RECEIVED.value, due_at=due, received_at=now,
    )
    session.add(lead)
    session.flush()
    audit.record(session, actor=actor, action="interception.forwarded_receive", object_type="forwarded_lead",
                 object_id=lead.lead_id, after={"external_ref": ext, "source_unit": src, "unit_code": unit},
                 unit_code=unit, now=now)
    if watch and plate and color:
        e = add_watch_entry(session, actor=actor, plate=plate, plate_color=color, source="forwarded",
                            reason=f"抄告线索({src} {ext}): {lead.facts[:100]}", valid_to=now + timedelta(days=watch_days),
                            now=now, issued_by_unit=unit, source_ref=lead.lead_id)
        lead.watch_entry_id = e.entry_id
    return lead, True


def access_forwarded(session: Session, actor: Actor, lead_id: str) -> ForwardedLead:
    lead = session.get(ForwardedLead, lead_id)
    if lead is None:
        raise NotFound("抄告线索不存在", en="Forwarded lead not found")
    check_visible(actor, lead.unit_code, "抄告线索", what_en="Forwarded lead")
    return lead


def _forwarded_move(lead: ForwardedLead, target: ForwardedStatus) -> None:
    cur = ForwardedStatus(lead.status)
    if target not in FORWARDED_TRANSITIONS[cur]:
        raise IllegalTransition(f"抄告线索状态为 {cur.value}，不能改为 {target.value}", en=f"The forwarded lead is {cur.value} and cannot be changed to {target.value}")
    lead.status = target.value


def assign_forwarded(session: Session, *, actor: Actor, lead_id: str, unit_code: str, assignee: str | None,
                     now: datetime) -> ForwardedLead:
    require_role(actor, Role.ANALYST)
    lead = access_forwarded(session, actor, lead_id)
    if not actor.can_see_unit(unit_code):
        raise ValidationFailed(f"无权分派给单位 {unit_code}", en=f"You may not assign to unit {unit_code}")
    before = {"status": lead.status, "unit_code": lead.unit_code, "assignee": lead.assignee}
    _forwarded_move(lead, ForwardedStatus.ASSIGNED)
    lead.unit_code, lead.assignee = unit_code, (assignee or None)
    audit.record(session, actor=actor, action="interception.forwarded_assign", object_type="forwarded_lead",
                 object_id=lead.lead_id, before=before,
                 after={"status": lead.status, "unit_code": unit_code, "assignee": lead.assignee},
                 unit_code=unit_code, now=now)
    return lead


def handle_forwarded(session: Session, *, actor: Actor, lead_id: str, now: datetime) -> ForwardedLead:
    require_role(actor, Role.ANALYST, Role.OFFICER)
    lead = access_forwarded(session, actor, lead_id)
    _forwarded_move(lead, ForwardedStatus.HANDLING)
    if not lead.assignee:
        lead.assignee = actor.username
    audit.record(session, actor=actor, action="interception.forwarded_handle", object_type="forwarded_lead",
                 object_id=lead.lead_id, after={"status": lead.status}, unit_code=lead.unit_code, now=now)
    return lead


def close_forwarded(session: Session, *, actor: Actor, lead_id: str, result: str, now: datetime) -> ForwardedLead:
    require_role(actor, Role.ANALYST, Role.OFFICER)
    lead = access_forwarded(session, actor, lead_id)
    if not (result or "").strip():
        raise ValidationFailed("办结须填写办理结果", en="Closing a forwarded lead needs the result of its handling")
    before = {"status": lead.status}
    _forwarded_move(lead, ForwardedStatus.CLOSED)
    lead.result, lead.closed_at = result.strip(), now
    audit.record(session, actor=actor, action="interception.forwarded_close", object_type="forwarded_lead",
                 object_id=lead.lead_id, before=before, after={"status": lead.status, "result": lead.result},
                 unit_code=lead.unit_code, now=now)
    return lead


def list_forwarded(session: Session, *, actor: Actor, status: str | None = None, limit: int = 200) -> list[ForwardedLead]:
    stmt = scope(select(ForwardedLead), actor, ForwardedLead.unit_code)
    if status:
        stmt = stmt.where(ForwardedLead.status == status)
    return list(session.execute(stmt.order_by(ForwardedLead.received_at.desc()).limit(limit)).scalars())


def forwarded_completion(session: Session, *, actor: Actor, now: datetime) -> list[dict[str, Any]]:
    """Per unit: received, closed, closed on time, overdue open, completion rate (办结率)."""
    rows: dict[str, dict[str, Any]] = {}
    for lead in session.execute(scope(select(ForwardedLead), actor, ForwardedLead.unit_code)).scalars():
        r = rows.setdefault(lead.unit_code, {"unit_code": lead.unit_code, "received": 0, "closed": 0,
                                             "closed_on_time": 0, "overdue_open": 0})
        r["received"] += 1
        if lead.status == ForwardedStatus.CLOSED.value:
            r["closed"] += 1
            r["closed_on_time"] += int(lead.due_at is None or lead.closed_at <= lead.due_at)
        elif lead.due_at is not None and lead.due_at < now:
            r["overdue_open"] += 1
    for r in rows.values():
        r["completion_rate"] = round(r["closed"] / r["received"], 4) if r["received"] else None
    return sorted(rows.values(), key=lambda r: r["unit_code"])


def search_plate_hits(session: Session, *, actor: Actor, plate: str, now: datetime) -> list[WatchHit]:
    """Hits of one plate (listed or as read), audited like any search of the list."""
    p = normalise_plate(plate)
    stmt = scope(select(WatchHit).where(or_(WatchHit.plate == p, WatchHit.plate_read == p)), actor, WatchHit.unit_code)
    rows = list(session.execute(stmt.order_by(WatchHit.event_time.desc()).limit(200)).scalars())
    audit.record(session, actor=actor, action="interception.hit_search", object_type="watch_hits",
                 object_id="search", after={"plate": p, "results": len(rows)}, now=now)
    return rows

