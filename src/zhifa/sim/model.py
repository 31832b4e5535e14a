"""Simulator parameters, vehicle categories, output columns (schemas.md) and the run report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Vehicle categories (simulator-internal).
CAR, TAXI, RIDE, BUS, TRUCK, HAZMAT, OVERSIZE, BLACK = range(8)
CATEGORY_NAMES = ("car", "taxi", "ride_hailing", "bus", "truck", "hazmat", "oversize", "illegal_passenger")

# Planted-violation tags on trips (0 = none).
TAG_NONE, TAG_OFF_ROUTE, TAG_BEYOND, TAG_OFF_WINDOW, TAG_EXCEEDS, TAG_NO_PERMIT = range(6)
TAG_KIND = {
    TAG_OFF_ROUTE: "oversize_off_route",
    TAG_BEYOND: "oversize_beyond_route",
    TAG_OFF_WINDOW: "oversize_off_window",
    TAG_EXCEEDS: "oversize_exceeds_permit",
    TAG_NO_PERMIT: "oversize_no_permit",
}

TRUTH_KINDS = (
    "overload", "overload_100t", "illegal_passenger", "gps_off", "oversize_off_route",
    "oversize_beyond_route", "oversize_off_window", "oversize_exceeds_permit", "oversize_no_permit",
    "watchlisted",
)

# Output columns, exactly as schemas.md.
RECORD_COLUMNS: dict[str, tuple[str, ...]] = {
    "gantry_pass": ("record_id", "gantry_id", "pass_time", "plate", "plate_color", "vehicle_class",
                    "axle_count", "direction", "media"),
    "toll_txn": ("record_id", "station_id", "lane", "event", "event_time", "plate", "plate_color",
                 "vehicle_class", "axle_count", "gross_weight_kg", "entry_station_id", "entry_time"),
    "wim": ("record_id", "site_id", "measured_at", "plate", "plate_color", "axle_count", "vehicle_kind",
            "single_drive_axle", "single_tyre_axles", "gross_weight_kg", "axle_weights_kg", "speed_kmh",
            "length_mm", "width_mm", "height_mm", "lane", "evidence"),
    "static_weigh": ("record_id", "station_id", "measured_at", "plate", "plate_color", "axle_count",
                     "vehicle_kind", "gross_weight_kg", "length_mm", "width_mm", "height_mm", "officer_id"),
    "gps_point": ("plate", "plate_color", "ts", "lon", "lat", "speed_kmh"),
}
RECORD_TIME_COLUMN = {"gantry_pass": "pass_time", "toll_txn": "event_time", "wim": "measured_at",
                      "static_weigh": "measured_at", "gps_point": "ts"}
REGISTRY_COLUMNS: dict[str, tuple[str, ...]] = {
    # + the registry's optional technical parameters (zhifa.vehicles.registry, docs/adr/0005)
    "vehicles": ("plate", "plate_color", "vehicle_class", "axle_count", "vehicle_kind", "owner_name",
                 "owner_kind", "enterprise_id", "use", "transport_permit_no", "registered_unit_code",
                 "single_drive_axle", "single_tyre_axles"),
    "enterprises": ("enterprise_id", "name", "kind", "unit_code", "licence_no", "key_source"),
    "drivers": ("driver_id", "name", "qualification_no", "enterprise_id"),
    "passenger_whitelist": ("plate", "plate_color", "enterprise_id", "route_from", "route_to",
                            "valid_from", "valid_to"),
    "oversize_permits": ("permit_no", "class", "plate", "plate_color", "trailer_plate", "enterprise_id",
                         "cargo", "length_mm", "width_mm", "height_mm", "gross_weight_kg", "axle_count",
                         "route", "valid_from", "valid_to", "allowed_hours"),
    "watchlist": ("entry_id", "plate", "plate_color", "reason", "source", "issued_by_unit", "priority",
                  "valid_from", "valid_to", "status"),
}
TRUTH_COLUMNS = ("kind", "plate", "plate_color", "start", "end", "detail")


@dataclass(frozen=True)
class SimConfig:
    """Rates and noise levels. Scale 1.0 = one Henan day of about 15 M gantry passes."""

    gantry_passes_per_day: float = 15e6
    # trip shares by category (ordinary traffic)
    share_car: float = 0.58
    share_taxi: float = 0.02
    share_ride: float = 0.04
    share_truck: float = 0.30
    share_hazmat: float = 0.02
    share_bus: float = 0.03
    travel_share: float = 0.6  # share of a pool that travels on a given day
    overload_share: float = 0.05  # truck trips loaded over their limit
    ton100_share: float = 0.0005  # truck trips of 100 t or more (at least one a day)
    refuse_share: float = 0.3  # overloaded trucks turned back at the entry weighing
    wim_share: float = 0.35  # truck trips that pass a WIM point on the feeder road
    check_share: float = 0.01  # truck trips weighed at a check station
    wim_error: float = 0.02  # relative s.d. of WIM gross (≈ ±4% at 2 s.d.)
    entry_error: float = 0.01  # relative s.d. of entry weighing
    cpc_share: float = 0.32  # vehicles without OBU (camera / CPC read)
    misread_rate: float = 0.02  # camera-read passes misread via OCR confusions
    unread_rate: float = 0.003  # camera-read passes with an empty plate
    miss_rate: float = 0.01  # gantry passes lost
    gps_off_share: float = 0.02  # key-vehicle trips (≥ 50 min) with a GPS-off gap
    illegal_per_scale: float = 600.0  # 黑客车 at scale 1
    oversize_per_scale: float = 2000.0  # permitted oversize vehicles at scale 1
    no_permit_per_scale: float = 300.0
    watch_per_scale: float = 300.0
    lag_median_s: float = 4.0
    lag_tail_share: float = 0.03


@dataclass
class SimReport:
    out_dir: Path
    days: int
    scale: float
    seed: int
    network_source: str
    records: dict[str, int] = field(default_factory=dict)
    registries: dict[str, int] = field(default_factory=dict)
    truth: dict[str, int] = field(default_factory=dict)
    truth_dropped: int = 0
    seconds: float = 0.0

    @property
    def total_records(self) -> int:
        return sum(self.records.values())

    @property
    def records_per_second(self) -> float:
        return self.total_records / self.seconds if self.seconds else 0.0
