"""Evidence bundles of off-site overload leads: the parts of each record and their SHA-256, and the check.

A part is what was received: the record, its photos, and the site with its calibration status at the
time of measurement. Each is hashed as canonical JSON (orjson, sorted keys, compact,
UTF-8) so that `verify_bundle` can recompute every hash from what the lead stores: a part changed after
the lead was drafted no longer matches its hash.

The platform's own determination of each record is not a part: it is stored once, with its rule
version, in `overload_determinations` (linked to the lead by `event_key`), and the lead carries the
deciding one (`worst`, legal basis, proposed penalty).

The parts of a day's records are prepared column-wise (Polars) and hashed in one pass; this is the
cost that decides the batch rate of `zhifa overload run` (docs/benchmarks.md).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Protocol

import orjson
import polars as pl

# the record part: the columns of schemas.md as received, with the type each is encoded as
RECORD_TYPES: dict[str, pl.DataType] = {
    "record_id": pl.String(), "site_id": pl.String(), "measured_at": pl.String(), "plate": pl.String(),
    "plate_color": pl.String(), "axle_count": pl.Int64(), "vehicle_kind": pl.String(),
    "single_drive_axle": pl.Boolean(), "single_tyre_axles": pl.Int64(), "gross_weight_kg": pl.Int64(),
    "axle_weights_kg": pl.String(), "speed_kmh": pl.Float64(), "length_mm": pl.Int64(), "width_mm": pl.Int64(),
    "height_mm": pl.Int64(), "lane": pl.String(), "evidence": pl.String(), "officer_id": pl.String(),
}
RECORD_FIELDS = tuple(RECORD_TYPES)
_OPTS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


class SiteLike(Protocol):
    name: str
    unit_code: str
    device_class: float | None
    deduct_tolerance: bool | None
    calibrated_until: Any


def canonical(obj: Any) -> bytes:
    """The canonical JSON of a value: sorted keys, compact, UTF-8."""
    return orjson.dumps(obj, option=_OPTS)


def sha(obj: Any) -> str:
    """SHA-256 of bytes, or of the canonical JSON of a value."""
    return hashlib.sha256(obj if isinstance(obj, bytes) else canonical(obj)).hexdigest()


def _record_json(columns: dict[str, pl.Expr]) -> pl.Expr:
    """A record's canonical JSON: its fields in name order, each cast to its `RECORD_TYPES` type, as
    Polars writes JSON. Drafting and `record_sha` both use it, so the hash is reproducible from the
    stored record whatever the float formatting of other encoders."""
    return pl.struct(
        [columns[k].cast(RECORD_TYPES.get(k, pl.String()), strict=False).alias(k) for k in sorted(columns)]
    ).struct.json_encode()


def record_sha(record: dict[str, Any]) -> str:
    """SHA-256 of a stored record part (see `_record_json`)."""
    frame = pl.DataFrame([record], schema={k: RECORD_TYPES.get(k, pl.String()) for k in record}, strict=False)
    text = frame.select(_record_json({k: pl.col(k) for k in record})).item()
    return hashlib.sha256(text.encode()).hexdigest()


def site_part(site_id: str | None, site: SiteLike | None) -> dict[str, Any]:
    part: dict[str, Any] = {"site_id": site_id, "known": site is not None}
    if site is not None:
        cal = site.calibrated_until
        part.update(
            name=site.name,
            unit_code=site.unit_code,
            device_class=site.device_class,
            deduct_tolerance=site.deduct_tolerance,
            calibrated_until=cal.isoformat() if cal else None,
        )
    return part


def _iso(col: str) -> pl.Expr:
    """A timestamp as `datetime.isoformat()` writes it (microseconds only when there are any)."""
    c = pl.col(col)
    return (
        pl.when(c.dt.microsecond() == 0)
        .then(c.dt.to_string("%Y-%m-%dT%H:%M:%S%:z"))
        .otherwise(c.dt.to_string("%Y-%m-%dT%H:%M:%S%.6f%:z"))
    )


def _photo_names(col: str) -> pl.Expr:
    """The file names of the record's `evidence` (a JSON list of names) when it is a plain list of
    strings without escapes; null otherwise (parsed in Python then, see `_names`)."""
    text = pl.col(col).fill_null("[]").str.strip_chars()
    plain = text.str.contains(r'^\[\s*("[^"\\]*"\s*(,\s*"[^"\\]*"\s*)*)?\]$')
    names = text.str.extract_all(r'"[^"\\]*"').list.eval(pl.element().str.slice(1, pl.element().str.len_chars() - 2))
    return pl.when(plain).then(names).otherwise(pl.lit(None, dtype=pl.List(pl.String)))


def _names(text: str | None) -> list[str]:
    try:
        names = orjson.loads(text or "[]")
    except orjson.JSONDecodeError:
        return []
    return [str(n) for n in names] if isinstance(names, list) else []


def _photo(name: str, evidence_dir: Path | None) -> dict[str, Any]:
    p = (evidence_dir / name) if evidence_dir else None
    if p is not None and p.is_file():
        return {"name": name, "sha256": sha(p.read_bytes()), "available": True}
    return {"name": name, "sha256": None, "available": False}


def record_parts(
    records: pl.DataFrame, sites: dict[str, SiteLike], evidence_dir: Path | None = None
) -> list[dict[str, Any]]:
    """The evidence part of every row of `records` (a determined frame with a `source` column), in row order."""
    names = set(records.columns)
    rec = {
        c: _iso(c) if c == "measured_at" and isinstance(records.schema[c], pl.Datetime)
        else pl.col(f"received_{c}") if f"received_{c}" in names  # as received, before a registry fill
        else pl.col(c)
        for c in RECORD_FIELDS
        if c in names
    }
    calibrated = pl.DataFrame(
        {"site_id": list(sites), "_cal": [s.calibrated_until for s in sites.values()]},
        schema={"site_id": pl.String, "_cal": records.schema.get("measured_at", pl.Datetime("us", "UTC"))},
    )
    measured = pl.col("measured_at") if "measured_at" in names else pl.lit(None, dtype=pl.Datetime("us", "UTC"))
    cols = records.select(
        _record_json(rec).alias("record"),
        (_photo_names("evidence") if "evidence" in names else pl.lit(None, dtype=pl.List(pl.String))).alias("photos"),
        (pl.col("source") if "source" in names else pl.lit(None, dtype=pl.String)).alias("source"),
        (pl.col("site_id") if "site_id" in names else pl.lit(None, dtype=pl.String)).alias("site_id"),
        measured.alias("_at"),
    ).join(calibrated, on="site_id", how="left", maintain_order="left").select(
        "record", "photos", "source", "site_id", (pl.col("_cal") >= pl.col("_at")).fill_null(False).alias("valid")
    )
    site_cache: dict[tuple[Any, bool], tuple[dict[str, Any], str]] = {}
    out = []
    for text, photos, source, sid, valid in zip(*(cols[c].to_list() for c in cols.columns), strict=True):
        record = orjson.loads(text)
        cached = site_cache.get((sid, valid))
        if cached is None:
            sp = dict(site_part(sid, sites.get(sid or "")), calibration_valid=valid)
            cached = site_cache[(sid, valid)] = (sp, sha(sp))
        out.append(
            {
                "source": source,
                "record": record,
                "record_sha256": hashlib.sha256(text.encode()).hexdigest(),
                "photos": [_photo(n, evidence_dir) for n in (_names(record.get("evidence")) if photos is None else photos)],
                "site": cached[0],
                "site_sha256": cached[1],
            }
        )
    return out


HASHING = "zhifa-evidence/2"  # written into every bundle; bundles without it were drafted by the first version


def _legacy_sha(obj: Any) -> str:
    """The first version's canonical JSON (stdlib: sorted keys, compact, UTF-8), kept to check its bundles."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def bundle_sha(parts: list[dict[str, Any]]) -> str:
    """The bundle's hash: SHA-256 of the record hashes, then the site hashes, in part order, one per line."""
    if len(parts) == 1:  # most events: one record
        return hashlib.sha256(f"{parts[0]['record_sha256']}\n{parts[0]['site_sha256']}".encode()).hexdigest()
    lines = [p["record_sha256"] for p in parts]
    lines.extend(p["site_sha256"] for p in parts)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def verify_bundle(bundle: dict[str, Any]) -> list[str]:
    """What no longer matches its hash in a stored bundle ([] when every part and the bundle match).

    Bundles of the first version (no `hashing` field) are checked with that version's formulas, so a
    lead drafted before the change does not look tampered with."""
    legacy = bundle.get("hashing") != HASHING
    problems = []
    parts = bundle.get("parts") or []
    for i, p in enumerate(parts):
        if "record" in p and p.get("record_sha256") != (_legacy_sha(p["record"]) if legacy else record_sha(p["record"])):
            problems.append(f"part {i + 1} record")
        if "site" in p and p.get("site_sha256") != (_legacy_sha(p["site"]) if legacy else sha(p["site"])):
            problems.append(f"part {i + 1} site")
        if legacy and "determination" in p and p.get("determination_sha256") != _legacy_sha(p["determination"]):
            problems.append(f"part {i + 1} determination")
    if parts:
        expected = (_legacy_sha([p["record_sha256"] for p in parts] + [p["site_sha256"] for p in parts]) if legacy
                    else bundle_sha(parts))
        if bundle.get("bundle_sha256") != expected:
            problems.append("bundle")
    return problems
