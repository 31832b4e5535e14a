"""The trajectory view: any vehicle's passes of a day on the map (Leaflet, offline)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zhifa.shared.plates import COLOR_LABELS_ZH
from zhifa.web.deps import StaffActor, render

router = APIRouter()


@router.get("/trajectory")
def trajectory_page(request: Request, actor: StaffActor, plate: str = "", color: str = "blue", day: str = "") -> Response:
    return render(request, "detection/trajectory.html", {
        "plate": plate, "color": color, "day": day, "colors": COLOR_LABELS_ZH,
    })
