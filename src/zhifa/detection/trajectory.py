"""Trajectories: a vehicle's gantry and toll passes of a day joined into trips (entry, gantries, exit).

Written once as Ibis expressions so that DuckDB and Spark run the same query and give the same trips:
a lag and a running sum over a window per (plate, plate_color) ordered by time, then a group-by with
argmin/argmax. Times are carried as integer epoch seconds (`t`) so that no engine-specific timestamp
arithmetic is involved.

- A gap longer than `gap_s` between two passes starts a new trip. A trip that starts (or ends) at such a
  gap without an entry (exit) record is *marked* (`gap_before` / `gap_after`): it is never silently joined
  across the gap.
- A toll `entry` always starts a trip; a toll `exit` always ends one.
- Missed gantries are tolerated: nothing requires consecutive gantries to be adjacent on the network, so a
  missing read only makes one time step longer.
- OCR-misread plates are reconciled (`reconcile_plates`) when the misread plate has the same canonical key
  (OCR confusion classes, rules.md §6.5) and colour as a vehicle seen regularly that day, is itself seen
  only once or twice, and every misread pass lies inside that vehicle's trip time span.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

# rules.md §6.5: each confusion class maps to one representative character
OCR_CLASSES: dict[str, str] = {
    "D": "0",
    "Q": "0",
    "O": "0",
    "B": "8",
    "I": "1",
    "7": "1",
    "T": "1",
    "Z": "2",
    "S": "5",
    "G": "6",
    "A": "4",
}

PASS_COLUMNS = (
    "record_id",
    "source",
    "site_id",
    "t",
    "plate",
    "plate_color",
    "vehicle_class",
    "axle_count",
    "kind",
)


@dataclass(frozen=True)
class TripParams:
    gap_s: int = 2 * 3600  # a longer silence between two passes starts a new trip
    misread_max_passes: int = 2  # a plate seen at most this often may be a misread
    owner_min_passes: int = 3  # the vehicle it is folded into must be seen at least this often
    misread_slack_s: int = 30 * 60  # a misread pass must lie within the owner's span ± slack


def _canon_table() -> dict[str, str]:
    try:
        from zhifa.shared.plates import CONFUSIONS

        return {c: cls[0] for cls in CONFUSIONS for c in cls[1:]}
    except ImportError:  # pragma: no cover - the shared module is part of the foundation
        return dict(OCR_CLASSES)


def canonical_key_expr(plate: ir.StringValue) -> ir.StringValue:
    """Ibis twin of `zhifa.shared.plates.canonical_key`: confusable characters folded together."""
    table = _canon_table()
    return plate.translate("".join(table), "".join(table.values()))


def canonical_key_py(plate: str) -> str:
    """Pure-Python key (the shared helper); tests check the Ibis expression agrees with it."""
    from zhifa.shared.plates import canonical_key

    return canonical_key(plate)


def _epoch(col: ir.Value) -> ir.IntegerValue:
    return col.epoch_seconds().cast("int64")


def unify_passes(gantry: ir.Table, toll: ir.Table | None = None) -> ir.Table:
    """Gantry passes and toll entries/exits in one shape (PASS_COLUMNS); unreadable plates dropped."""
    g = gantry.select(
        record_id=gantry.record_id.cast("string"),
        source=ibis.literal("gantry_pass"),
        site_id=gantry.gantry_id.cast("string"),
        t=_epoch(gantry.pass_time),
        plate=gantry.plate.cast("string"),
        plate_color=gantry.plate_color.cast("string"),
        vehicle_class=gantry.vehicle_class.cast("int32"),
        axle_count=gantry.axle_count.cast("int32"),
        kind=ibis.literal("gantry"),
    )
    parts = [g]
    if toll is not None:
        parts.append(
            toll.select(
                record_id=toll.record_id.cast("string"),
                source=ibis.literal("toll_txn"),
                site_id=toll.station_id.cast("string"),
                t=_epoch(toll.event_time),
                plate=toll.plate.cast("string"),
                plate_color=toll.plate_color.cast("string"),
                vehicle_class=toll.vehicle_class.cast("int32"),
                axle_count=toll.axle_count.cast("int32"),
                kind=toll.event.cast("string"),
            )
        )
    u = ibis.union(*parts) if len(parts) > 1 else parts[0]
    return u.filter(u.plate.notnull() & (u.plate.strip() != ""))


def reconcile_plates(passes: ir.Table, params: TripParams = TripParams()) -> ir.Table:
    """Fold passes of rarely-seen misread plates into the regularly-seen vehicle with the same key.

    Adds `plate_read` (the plate as captured) and replaces `plate` by the reconciled plate.
    """
    p = passes.mutate(ckey=canonical_key_expr(passes.plate))
    per_plate = p.group_by(["plate", "plate_color", "ckey"]).aggregate(
        n=p.count(), t_min=p.t.min(), t_max=p.t.max()
    )
    owners = per_plate.filter(per_plate.n >= params.owner_min_passes)
    # the owner of a key is its most-seen plate; more than one regular plate per key means two vehicles
    owner_stats = owners.group_by(["ckey", "plate_color"]).aggregate(
        owner_plate=owners.plate.argmax(owners.n),
        n_owners=owners.count(),
        o_min=owners.t_min.min(),
        o_max=owners.t_max.max(),
    )
    owner_stats = owner_stats.filter(owner_stats.n_owners == 1)
    rare = per_plate.filter(per_plate.n <= params.misread_max_passes)
    slack = params.misread_slack_s
    fold = rare.join(owner_stats, ["ckey", "plate_color"]).filter(
        lambda x: (x.plate != x.owner_plate)
        & (x.t_min >= x.o_min - slack)
        & (x.t_max <= x.o_max + slack)
    )
    fold = fold.select("plate", "plate_color", "owner_plate")
    j = p.left_join(fold, ["plate", "plate_color"])
    return j.select(
        record_id=j.record_id,
        source=j.source,
        site_id=j.site_id,
        t=j.t,
        plate=j.owner_plate.coalesce(j.plate),
        plate_color=j.plate_color,
        vehicle_class=j.vehicle_class,
        axle_count=j.axle_count,
        kind=j.kind,
        plate_read=j.plate,
    )


def label_trips(passes: ir.Table, params: TripParams = TripParams()) -> ir.Table:
    """Each pass with its trip: `trip_seq` (1, 2, … per vehicle) and why the trip started."""
    w = ibis.window(group_by=[passes.plate, passes.plate_color], order_by=[passes.t, passes.record_id])
    prev_t = passes.t.lag().over(w)
    prev_kind = passes.kind.lag().over(w)
    next_t = passes.t.lead().over(w)
    next_kind = passes.kind.lead().over(w)
    p = passes.mutate(prev_t=prev_t, prev_kind=prev_kind, next_t=next_t, next_kind=next_kind)
    gap_start = p.prev_t.notnull() & ((p.t - p.prev_t) > params.gap_s)
    new_trip = p.prev_t.isnull() | gap_start | (p.kind == "entry") | (p.prev_kind == "exit")
    # marked gaps: the trip boundary is a silence, not an observed exit / entry
    gap_before = gap_start & (p.kind != "entry") & (p.prev_kind != "exit")
    gap_after = (
        p.next_t.notnull() & ((p.next_t - p.t) > params.gap_s) & (p.kind != "exit") & (p.next_kind != "entry")
    )
    p = p.mutate(
        new_trip=new_trip.cast("int32"),
        gap_before=gap_before.cast("int32"),
        gap_after=gap_after.cast("int32"),
    )
    wc = ibis.cumulative_window(group_by=[p.plate, p.plate_color], order_by=[p.t, p.record_id])
    p = p.mutate(trip_seq=p.new_trip.sum().over(wc).cast("int64"))
    return p.drop("prev_t", "prev_kind", "next_t", "next_kind")


def trip_id(plate_color: ir.StringValue, plate: ir.StringValue, trip_seq: ir.IntegerValue) -> ir.StringValue:
    """`colour|plate|n`: built once per trip (after the group-by), not once per pass."""
    return plate_color.concat("|", plate, "|", trip_seq.cast("string"))


def trips_from_labelled(p: ir.Table) -> ir.Table:
    """One row per trip: start/end, entry and exit sites, pass count, gap marks."""
    trips = p.group_by(["plate", "plate_color", "trip_seq"]).aggregate(
        t_start=p.t.min(),
        t_end=p.t.max(),
        first_site=p.site_id.argmin(p.t),
        last_site=p.site_id.argmax(p.t),
        n_passes=p.count(),
        n_gantries=(p.kind == "gantry").sum().cast("int64"),
        has_entry=(p.kind == "entry").any().cast("int32"),
        has_exit=(p.kind == "exit").any().cast("int32"),
        entry_site=p.site_id.min(where=p.kind == "entry"),
        exit_site=p.site_id.max(where=p.kind == "exit"),
        gap_before=p.gap_before.max(),
        gap_after=p.gap_after.max(),
        vehicle_class=p.vehicle_class.max(),
        axle_count=p.axle_count.max(),
    )
    return trips.mutate(trip_id=trip_id(trips.plate_color, trips.plate, trips.trip_seq))


def build_trips(
    gantry: ir.Table, toll: ir.Table | None = None, params: TripParams = TripParams(), reconcile: bool = True
) -> tuple[ir.Table, ir.Table]:
    """(labelled passes, trips) for the records given; the same expression runs on every backend."""
    passes = unify_passes(gantry, toll)
    if reconcile:
        passes = reconcile_plates(passes, params)
    else:
        passes = passes.mutate(plate_read=passes.plate)
    labelled = label_trips(passes, params)
    return labelled, trips_from_labelled(labelled)


TRIP_ORDER = ["plate_color", "plate", "trip_seq"]
