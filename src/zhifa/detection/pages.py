"""The trajectory view: any vehicle's passes of a day on the map (Leaflet, offline)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zhifa.shared.plates import COLOR_LABELS
from zhifa.web.deps import StaffActor, add_messages, render
from zhifa.web.i18n import get_lang, labels

router = APIRouter()


add_messages(
    zh={
        "traj.title": "车辆轨迹",
        "traj.plate": "车牌号",
        "traj.color": "车牌颜色",
        "traj.day": "日期",
        "traj.search": "查询",
        "traj.trip": "行程",
        "traj.time": "时间",
        "traj.site": "站点",
        "traj.kind": "类型",
        "traj.plate_read": "识别车牌",
        "traj.note": "备注",
        # texts the page script writes (passed as data-* attributes of the table)
        "traj.js.failed": "查询失败",
        "traj.js.count": "{plate} {day} 共 {n} 条通行记录",
        "traj.js.none": "当日无通行记录",
        "traj.js.gap": "长时间无记录后出现（轨迹中断）",
        "traj.js.misread": " 误识别为 {plate}",
        "traj.js.gantry": "门架",
        "traj.js.entry": "入口",
        "traj.js.exit": "出口",
    },
    en={
        "traj.title": "Vehicle trajectory",
        "traj.plate": "Plate",
        "traj.color": "Plate colour",
        "traj.day": "Date",
        "traj.search": "Show",
        "traj.trip": "Trip",
        "traj.time": "Time",
        "traj.site": "Site",
        "traj.kind": "Type",
        "traj.plate_read": "Plate as read",
        "traj.note": "Note",
        "traj.js.failed": "The query failed",
        "traj.js.count": "{plate} {day}: {n} passes",
        "traj.js.none": "No passes on that day",
        "traj.js.gap": "Seen again after a long gap (trajectory interrupted)",
        "traj.js.misread": " misread as {plate}",
        "traj.js.gantry": "Gantry",
        "traj.js.entry": "Entry",
        "traj.js.exit": "Exit",
    },
)


@router.get("/trajectory")
def trajectory_page(request: Request, actor: StaffActor, plate: str = "", color: str = "blue", day: str = "") -> Response:
    lang = get_lang(request)
    return render(request, "detection/trajectory.html", {
        "plate": plate, "color": color, "day": day,
        "colors": labels(COLOR_LABELS, lang),
    })
