"""Demo activity: a few weeks of the bureau's work done through the platform's own services, so that a
demo shows cases, work orders, complaints, barriers, inspections, training and held vehicles — not only
detector output. Every change goes through the same verbs (and audit) a user's click would; a refusal
by a rule is counted, never bypassed."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from zhifa.bootstrap import Container
from zhifa.db.session import unit_of_work
from zhifa.shared.access import Actor, Role
from zhifa.shared.calendar import cn_calendar
from zhifa.shared.errors import ZhifaError

PROVINCE = "410000"


def _actor(username: str, role: Role) -> Actor:
    return Actor(username=username, role=role, unit_code=PROVINCE, unit_codes=None, display_name=username)


OFFICER = _actor("officer_ha", Role.OFFICER)
SUPERVISOR = _actor("supervisor_ha", Role.SUPERVISOR)
ANALYST = _actor("analyst_ha", Role.ANALYST)


def run_activity(container: Container, *, now: datetime, seed: int = 7) -> Counter[str]:
    """Do the work; returns counts of what was done and of what the rules refused (by kind)."""
    rng = random.Random(seed)
    done: Counter[str] = Counter()
    db = container.db

    def attempt(kind: str, fn: Callable[[Any], Any]) -> Any:
        try:
            with unit_of_work(db) as s:
                out = fn(s)
            done[kind] += 1
            return out
        except ZhifaError:
            done[f"{kind}:refused"] += 1
            return None

    _cases(container, attempt, rng, now)
    _interceptions(container, attempt, now)
    _complaints_and_orders(container, attempt, rng, now)
    _supervision(attempt, now)
    _training(attempt, now)
    _held(attempt, now)
    return done


def _cases(container: Container, attempt: Callable[..., Any], rng: random.Random, now: datetime) -> None:
    """Officers review overload leads: most confirmed (a case and a notice), some rejected with a reason."""
    from zhifa.cases import service as cases
    from zhifa.leads.orm import Lead
    from zhifa.overload import service as overload

    with unit_of_work(container.db) as s:
        ids = list(s.execute(select(Lead.lead_id).where(Lead.rule == "overload", Lead.status == "open")
                             .order_by(Lead.start).limit(40)).scalars())
    for i, lead_id in enumerate(ids):
        decision = "rejected" if i % 7 == 3 else "confirmed"
        reason = "复核照片，车牌识别错误" if decision == "rejected" else None
        res = attempt("lead_review", lambda s, lid=lead_id, d=decision, r=reason: overload.review(
            s, actor=OFFICER, lead_id=lid, decision=d, reason=r, now=now,
            documents_dir=container.settings.documents_dir))
        case_id = getattr(res, "case_id", None)
        if not case_id:
            continue
        for target in ("investigating", "notified")[: rng.randint(0, 2)]:
            attempt("case_step", lambda s, t=target, c=case_id: cases.advance(
                s, actor=OFFICER, case_id=c, target=t, now=now))


def _interceptions(container: Container, attempt: Callable[..., Any], now: datetime) -> None:
    """Toll stations answer the interception tasks the replay dispatched: the first open task of each
    watch-list entry is answered (查获 for most, 未发现 for some); answering one withdraws its siblings."""
    from zhifa.interception import service as interception
    from zhifa.interception.orm import InterceptTask

    with unit_of_work(container.db) as s:
        tasks = s.execute(select(InterceptTask.task_id, InterceptTask.entry_id).where(InterceptTask.status == "open")
                          .order_by(InterceptTask.entry_id, InterceptTask.eta)).all()
    seen: set[str] = set()
    for i, (task_id, entry_id) in enumerate(tasks):
        if entry_id in seen:
            continue
        seen.add(entry_id)
        if i % 4 == 3:
            attempt("intercept_not_seen", lambda s, t=task_id: interception.report_outcome(
                s, actor=OFFICER, task_id=t, outcome="not_seen", now=now))
        else:
            attempt("intercepted", lambda s, t=task_id: interception.report_outcome(
                s, actor=OFFICER, task_id=t, outcome="intercepted", findings="车辆在收费站出口被拦截，驾驶人配合检查",
                now=now))


PLACES = [(113.66, 34.76), (114.35, 34.80), (112.45, 34.62), (113.30, 33.75), (114.39, 36.10), (113.93, 35.30),
          (114.03, 33.58), (111.20, 34.78), (112.54, 33.00), (115.65, 34.41), (114.08, 32.15), (114.65, 33.62)]
TEXTS = {
    "barrier": "村口新设限高架，货车和校车无法通行",
    "illegal_operation": "每天早上有私家车在路口拉客去郑州",
    "overload": "砂石厂夜间装载明显超载的货车出厂",
    "enforcement_conduct": "检测站工作人员态度生硬",
    "road_environment": "有人在公路上打场晒粮，占用车道",
}


def _complaints_and_orders(container: Container, attempt: Callable[..., Any], rng: random.Random,
                           now: datetime) -> None:
    from zhifa.complaints import service as complaints

    uploads = container.settings.data_dir / "uploads"
    barrier_ids = []
    for i, (lon, lat) in enumerate(PLACES[:8]):
        b = attempt("barrier", lambda s, lon=lon, lat=lat, i=i: complaints.register_barrier(
            s, actor=OFFICER, name=f"乡道限高架{i + 1}", road=f"X{100 + i}", lon=lon + 0.02, lat=lat + 0.02,
            owner="乡镇人民政府", height_limit_mm=2200 + 100 * i, width_limit_mm=None,
            status="approved" if i % 3 == 0 else "pending", approval_no=f"豫路审〔2022〕{i + 1}号" if i % 3 == 0 else None,
            signboard=i % 3 == 0, today=now.date(), now=now))
        if b is not None:
            barrier_ids.append(b.barrier_id)
    for bid in barrier_ids[1::3]:
        attempt("barrier_illegal", lambda s, b=bid: complaints.set_barrier_status(
            s, actor=OFFICER, barrier_id=b, status="illegal", today=now.date(), now=now))
        attempt("barrier_removed", lambda s, b=bid: complaints.set_barrier_status(
            s, actor=OFFICER, barrier_id=b, status="removed", today=now.date(), now=now))
    received = []
    for i in range(30):
        cat = rng.choice(list(TEXTS))
        lon, lat = rng.choice(PLACES)
        real = i % 4 == 0
        sub = complaints.Submission(category=cat, description=TEXTS[cat], lon=lon + rng.uniform(-0.2, 0.2),
                                    lat=lat + rng.uniform(-0.2, 0.2), real_name=real,
                                    reporter_name="张先生" if real else None,
                                    reporter_phone=f"138{rng.randrange(10**8):08d}" if real else None,
                                    opinion_incident=cat == "enforcement_conduct" and i % 2 == 0)
        c = attempt("complaint", lambda s, sub=sub: complaints.submit(s, sub=sub, photos=[], uploads_dir=uploads,
                                                                       now=now - timedelta(days=rng.randint(1, 20))))
        if c is not None and c.merged_into is None:
            received.append(c.complaint_id)
    for i, cid in enumerate(received):
        if i % 5 == 4:
            continue  # some are still waiting
        attempt("complaint_accept", lambda s, c=cid: complaints.accept(s, actor=SUPERVISOR, complaint_id=c, now=now,
                                                                        calendar=cn_calendar()))
        if i % 3 != 2:
            attempt("complaint_resolve", lambda s, c=cid: complaints.resolve(
                s, actor=SUPERVISOR, complaint_id=c, result="已核查处理并回复举报人", now=now))


def _supervision(attempt: Callable[..., Any], now: datetime) -> None:
    from zhifa.supervision import service as sup

    cal = cn_calendar()
    rnd = attempt("inspection", lambda s: sup.start_inspection(
        s, actor=SUPERVISOR, title="“五一”执法作风暗访", kind="secret", units_visited=["410100", "410181", "410300"],
        start=now.date() - timedelta(days=10), end=now.date() - timedelta(days=6), now=now))
    if rnd is not None:
        for unit, text in (("410100", "检测站未公示收费依据"), ("410181", "执法记录仪未全程开启"),
                           ("410300", "案卷证据目录不全")):
            f = attempt("finding", lambda s, u=unit, t=text: sup.record_finding(
                s, actor=SUPERVISOR, round_id=rnd.round_id, unit_code=u, description=t, calendar=cal, now=now))
            if f is not None and unit != "410300":
                attempt("rectified", lambda s, fid=f.finding_id: sup.mark_rectified(s, actor=SUPERVISOR,
                                                                                    finding_id=fid, now=now))
    attempt("interview", lambda s: sup.record_interview(s, actor=SUPERVISOR, unit_code="410300", subject="洛阳市执法支队",
                                                        reason="工单超期未办结", held_on=now.date(), now=now))
    attempt("accountability", lambda s: sup.record_accountability(
        s, actor=SUPERVISOR, unit_code="410300", officer_name="李某", kind="organisational", measure="诫勉谈话",
        reason="执法不规范", decided_on=now.date(), now=now))
    attempt("joint_operation", lambda s: sup.record_joint_operation(
        s, actor=SUPERVISOR, title="打非治违联合专项行动", partners=["公安交警"], areas=["410100", "410200"],
        start=now.date() - timedelta(days=14), end=now.date() - timedelta(days=7), vehicles_checked=640,
        vehicles_handled=37, case_ids=[], now=now))
    attempt("sweep", lambda s: sup.sweep(s, actor=SUPERVISOR, calendar=cal, now=now))


def _training(attempt: Callable[..., Any], now: datetime) -> None:
    from zhifa.training import service as training

    course = attempt("course", lambda s: training.create_course(
        s, actor=SUPERVISOR, title="行政处罚法（2021修订）要点", category="law", hours=8, mode="offline", now=now))
    if course is None:
        return
    ses = attempt("training_session", lambda s: training.schedule_session(
        s, actor=SUPERVISOR, course_id=course.course_id, starts_on=now.date() - timedelta(days=5),
        ends_on=now.date() - timedelta(days=4), place="省厅培训中心", now=now))
    if ses is not None:
        attempt("attendance", lambda s: training.record_attendance(
            s, actor=SUPERVISOR, session_id=ses.session_id, usernames=["officer_zz", "officer_gy"], now=now))


def _held(attempt: Callable[..., Any], now: datetime) -> None:
    from zhifa.org.orm import Site
    from zhifa.overload import held

    def first_station(s: Any) -> str:
        return str(s.execute(select(Site.site_id).where(Site.kind == "check_station").order_by(Site.site_id)
                             .limit(1)).scalar_one())

    for i, (plate, days_ago) in enumerate((("豫K5P821", 30), ("豫N7C305", 3), ("皖L66218", 20))):
        h = attempt("held", lambda s, p=plate, d=days_ago: held.hold(
            s, actor=OFFICER, plate=p, plate_color="yellow", station_id=first_station(s), reason="超限货物未卸载",
            now=now - timedelta(days=d)))
        if h is not None and i == 0:
            attempt("held_cleared", lambda s, hid=h.held_id: held.clear(
                s, actor=OFFICER, held_id=hid, service_note="协助联系车主卸载并接受处理（一对一服务）", now=now))
    attempt("held_sweep", lambda s: held.sweep_overdue(s, actor=OFFICER, now=now))


def activity_day(sim_dir: Path) -> date | None:
    """The last simulated day (activity happens the morning after it)."""
    days = sorted(p.stem for p in (sim_dir / "records" / "gantry_pass").glob("*.parquet"))
    return date.fromisoformat(days[-1]) if days else None
