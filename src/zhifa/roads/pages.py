"""Pages of road administration: the handheld patrol page (works offline), sections with coverage and
archives, findings, remote-sensing review, the advertising campaign, model roads."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from zhifa.roads import messages as _messages  # noqa: F401 - registers the pages' texts
from zhifa.roads import service
from zhifa.roads.model import (
    AD_STATUS_EN,
    AD_STATUS_ZH,
    FINDING_CATEGORY_EN,
    FINDING_CATEGORY_ZH,
    FINDING_STATUS_EN,
    FINDING_STATUS_ZH,
    ROAD_CLASS_EN,
    ROAD_CLASS_ZH,
)
from zhifa.roads.ruledata import control_zone_rules_on
from zhifa.shared.calendar import cn_calendar
from zhifa.shared.clock import TZ
from zhifa.web.deps import ClockDep, Csrf, DbSession, StaffActor, register_nav, render, templates
from zhifa.web.i18n import get_lang, labels_from, pick

router = APIRouter(include_in_schema=False)

register_nav("roads", "路政巡查（手持）", "Patrol (handheld)", "/roads/patrol", roles=("officer", "supervisor"), order=10)
register_nav("roads", "路段与档案", "Sections & archives", "/roads", order=20)
register_nav("roads", "巡查发现问题", "Patrol findings", "/roads/findings", order=30)
register_nav("roads", "遥感变化核查", "Remote-sensing review", "/roads/changes", order=40)
register_nav("roads", "公路广告清理", "Roadside ads campaign", "/roads/ads", order=50)
register_nav("roads", "示范路评定", "Model roads", "/roads/model", order=60)

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"

# English wording of the legal source of each control-zone rule version (ruledata keeps the Chinese one).
CONTROL_ZONE_SOURCE_EN = {
    "cz-2011.1": "Regulations on Highway Safety Protection (State Council Decree No. 593), Article 11: expressways "
    "at least 30 m, national roads 20 m, provincial roads 15 m, county roads 10 m, township roads 5 m",
}


def _units(s) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from zhifa.org.orm import Unit

    return {u.unit_code: u.name for u in s.execute(select(Unit)).scalars()}


# ---------------------------------------------------------------- handheld patrol page


@router.get("/roads/patrol")
def patrol_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep) -> Response:
    day = clock.now().astimezone(TZ).date()
    roads = service.list_roads(s, actor=actor)
    data = []
    for r in roads:
        z = service.zone_geojson(r, day)
        data.append({"road_id": r.road_id, "label": f"{r.code} {r.section}", "class": r.road_class,
                     "line": json.loads(r.geometry), "zone": z["control_zone"], "land": z["road_land"],
                     "width_m": z["width_m"]})
    return render(request, "roads/patrol.html", {
        "roads": roads, "roads_json": json.dumps(data, ensure_ascii=False).replace("<", "\\u003c"),
        "categories": labels_from(FINDING_CATEGORY_ZH, FINDING_CATEGORY_EN, get_lang(request)),
    }, headers={"Cache-Control": "no-cache"})


@router.get("/roads/patrol-sw.js")
def patrol_service_worker() -> Response:
    """The service worker, served from /roads/ so that its scope covers the patrol page."""
    body = (STATIC / "patrol-sw.js").read_text(encoding="utf-8")
    return Response(body, media_type="text/javascript", headers={"Cache-Control": "no-cache"})


@router.get("/roads/patrol.css")
def patrol_css() -> Response:
    body = templates.env.loader.get_source(templates.env, "roads/patrol.css")[0]  # type: ignore[union-attr]
    return Response(body, media_type="text/css", headers={"Cache-Control": "no-cache"})


# ---------------------------------------------------------------- sections, coverage, archives


@router.get("/roads")
def roads_page(request: Request, actor: StaffActor, s: DbSession, clock: ClockDep, month: str = "") -> Response:
    today = clock.now().astimezone(TZ).date()
    try:
        y, m = (int(x) for x in month.split("-")) if month else (today.year, today.month)
        date(y, m, 1)
    except ValueError:
        y, m = today.year, today.month
    rows = service.coverage(s, actor=actor, year=y, month=m)
    rules = control_zone_rules_on(today)
    lang = get_lang(request)
    return render(request, "roads/index.html", {
        "rows": rows, "year": y, "month": m, "units": _units(s), "class_zh": labels_from(ROAD_CLASS_ZH, ROAD_CLASS_EN, lang),
        "widths": rules.widths_m, "rules": rules, "years": list(range(today.year, today.year - 4, -1)),
        "rule_source": pick(lang, rules.source, CONTROL_ZONE_SOURCE_EN.get(rules.version, "")),
    })


@router.get("/roads/{road_id}/archive.pdf")
def archive_pdf_page(request: Request, road_id: str, year: int, actor: StaffActor, s: DbSession,
                     clock: ClockDep) -> Response:
    from zhifa.roads.api import archive_pdf

    return archive_pdf(request, road_id, year, actor, s, clock)


# ---------------------------------------------------------------- findings


@router.get("/roads/findings")
def findings_page(request: Request, actor: StaffActor, s: DbSession, status: str = "") -> Response:
    rows = service.list_findings(s, actor=actor, status=status or None)
    roads = {r.road_id: r for r in service.list_roads(s, actor=actor)}
    lang = get_lang(request)
    return render(request, "roads/findings.html", {
        "rows": rows, "roads": roads, "status": status, "units": _units(s),
        "category_zh": labels_from(FINDING_CATEGORY_ZH, FINDING_CATEGORY_EN, lang),
        "status_zh": labels_from(FINDING_STATUS_ZH, FINDING_STATUS_EN, lang),
    })


@router.post("/roads/findings/{finding_id}/notice")
def findings_notice(finding_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                    party_name: Annotated[str, Form(max_length=128)],
                    requirement: Annotated[str, Form(max_length=2000)] = "") -> Response:
    service.issue_notice(s, actor=actor, finding_id=finding_id, party_name=party_name, requirement=requirement,
                         now=clock.now(), calendar=cn_calendar())
    return RedirectResponse("/roads/findings", status_code=303)


@router.post("/roads/findings/{finding_id}/case")
def findings_case(finding_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                  party_name: Annotated[str, Form(max_length=128)], proposed_fine_yuan: Annotated[int, Form(ge=0)],
                  party_kind: Annotated[str, Form(max_length=16)] = "person",
                  band_code: Annotated[str, Form(max_length=8)] = "") -> Response:
    c = service.open_case_for_finding(s, actor=actor, finding_id=finding_id, party_name=party_name,
                                      party_kind=party_kind, proposed_fine_yuan=proposed_fine_yuan, now=clock.now(),
                                      band_code=band_code or None)
    return RedirectResponse(f"/cases/{c.case_id}", status_code=303)


@router.post("/roads/findings/{finding_id}/resolve")
def findings_resolve(finding_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                     reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    service.resolve_finding(s, actor=actor, finding_id=finding_id, reason=reason or "已整改", now=clock.now())
    return RedirectResponse("/roads/findings", status_code=303)


# ---------------------------------------------------------------- remote sensing


@router.get("/roads/changes")
def changes_page(request: Request, actor: StaffActor, s: DbSession, status: str = "open") -> Response:
    rows = service.list_tasks(s, actor=actor, status=status or None)
    roads = {r.road_id: r for r in service.list_roads(s, actor=actor)}
    return render(request, "roads/changes.html", {"rows": rows, "roads": roads, "status": status, "units": _units(s)})


@router.post("/roads/changes/{task_id}/resolve")
def changes_resolve(task_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                    outcome: Annotated[str, Form(max_length=16)], note: Annotated[str, Form(max_length=2000)] = "") -> Response:
    service.resolve_task(s, actor=actor, task_id=task_id, confirmed=outcome == "confirmed", note=note, now=clock.now())
    return RedirectResponse("/roads/changes", status_code=303)


# ---------------------------------------------------------------- advertising campaign


@router.get("/roads/ads")
def ads_page(request: Request, actor: StaffActor, s: DbSession, city: str = "") -> Response:
    return render(request, "roads/ads.html", {
        "progress": service.campaign_by_city(s, actor=actor), "per_year": service.cleared_per_year(s, actor=actor),
        "rows": service.list_ads(s, actor=actor, city_code=city or None, limit=200), "city": city,
        "units": _units(s), "status_zh": labels_from(AD_STATUS_ZH, AD_STATUS_EN, get_lang(request)), "roads": service.list_roads(s, actor=actor),
    })


@router.post("/roads/ads")
def ads_create(actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
               unit_code: Annotated[str, Form(max_length=6)], owner: Annotated[str, Form(max_length=128)],
               lon: Annotated[float, Form()], lat: Annotated[float, Form()],
               kind: Annotated[str, Form(max_length=32)] = "单立柱广告牌",
               road_id: Annotated[str, Form(max_length=32)] = "") -> Response:
    service.register_ad(s, actor=actor, unit_code=unit_code, owner=owner, kind=kind, lon=lon, lat=lat,
                        now=clock.now(), road_id=road_id or None)
    return RedirectResponse("/roads/ads", status_code=303)


@router.post("/roads/ads/{ad_id}/status")
def ads_status(ad_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
               status: Annotated[str, Form(max_length=16)], permit_ref: Annotated[str, Form(max_length=64)] = "") -> Response:
    service.set_ad_status(s, actor=actor, ad_id=ad_id, status=status, now=clock.now(), permit_ref=permit_ref or None)
    return RedirectResponse("/roads/ads", status_code=303)


# ---------------------------------------------------------------- model roads


@router.get("/roads/model")
def model_page(request: Request, actor: StaffActor, s: DbSession, round_id: str = "") -> Response:
    rounds = service.list_rounds(s, actor=actor)
    current = next((r for r in rounds if r.round_id == round_id), rounds[0] if rounds else None)
    cands = service.candidates(s, actor=actor, round_id=current.round_id) if current else []
    return render(request, "roads/model.html", {
        "rounds": rounds, "current": current, "cands": cands, "roads": service.list_roads(s, actor=actor),
        "units": _units(s),
    })


@router.post("/roads/model")
def model_create(actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf, year: Annotated[int, Form(ge=2000, le=2100)],
                 title: Annotated[str, Form(max_length=128)] = "") -> Response:
    r = service.create_round(s, actor=actor, year=year, title=title, now=clock.now())
    return RedirectResponse(f"/roads/model?round_id={r.round_id}", status_code=303)


@router.post("/roads/model/{round_id}/nominate")
def model_nominate(round_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                   road_id: Annotated[str, Form(max_length=32)]) -> Response:
    service.nominate(s, actor=actor, round_id=round_id, road_id=road_id, now=clock.now())
    return RedirectResponse(f"/roads/model?round_id={round_id}", status_code=303)


@router.post("/roads/model/{round_id}/score")
def model_score(round_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf,
                candidate_id: Annotated[str, Form(max_length=32)], kind: Annotated[str, Form(max_length=16)],
                score: Annotated[float, Form()]) -> Response:
    service.add_score(s, actor=actor, candidate_id=candidate_id, kind=kind, score=score, now=clock.now())
    return RedirectResponse(f"/roads/model?round_id={round_id}", status_code=303)


@router.post("/roads/model/{round_id}/publish")
def model_publish(round_id: str, actor: StaffActor, s: DbSession, clock: ClockDep, _: Csrf) -> Response:
    service.publish_round(s, actor=actor, round_id=round_id, now=clock.now())
    return RedirectResponse(f"/roads/model?round_id={round_id}", status_code=303)
