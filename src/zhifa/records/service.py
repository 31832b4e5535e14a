"""Verbs of the records slice: ingest a file (records or registries), list the quarantine.

`ingest_file` is one transaction: the batch row, the quarantined rows and the audit event are
committed together, and the lake's part files are renamed into place just before the commit (and
removed again if the commit fails), so a failed ingest leaves neither half a file nor half a batch.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhifa.db.session import unit_of_work
from zhifa.records import lake
from zhifa.records.ingest import RawFile, match_spec, read_file
from zhifa.records.orm import IngestBatch, Quarantine
from zhifa.records.schemas import RECORD_TABLES, TableSpec
from zhifa.records.validate import REASON, ROW_NO, Context, validate
from zhifa.shared import audit
from zhifa.shared.access import Actor, Role, require_role
from zhifa.shared.errors import ValidationFailed
from zhifa.shared.ids import new_id

ALL_SPECS: list[TableSpec] = []


def _specs() -> list[TableSpec]:
    if not ALL_SPECS:
        from zhifa.vehicles.registry import DISPATCH_TABLES, REGISTRY_TABLES

        ALL_SPECS.extend([*RECORD_TABLES.values(), *REGISTRY_TABLES.values(), *DISPATCH_TABLES.values()])
    return ALL_SPECS


@dataclass
class IngestReport:
    file: str
    table: str
    batch_id: str
    rows_read: int
    ingested: int
    duplicates: int
    quarantined: int
    updated: int = 0  # registries: rows that changed an existing entry
    files: list[str] = field(default_factory=list)
    reasons: dict[str, int] = field(default_factory=dict)  # the first reason of each quarantined row, counted

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def known_sites(session: Session) -> dict[str, str]:
    from zhifa.org.orm import Site

    return {sid: kind for sid, kind in session.execute(select(Site.site_id, Site.kind))}


def _raw_json(bad: pl.DataFrame, columns: list[str]) -> pl.Series:
    return bad.select(pl.struct([pl.col(c) for c in columns]).struct.json_encode().alias("raw"))["raw"]


def _quarantine_rows(
    session: Session, spec: TableSpec, raw: RawFile, bad: pl.DataFrame, batch_id: str, now: datetime
) -> tuple[int, int, dict[str, int]]:
    """Insert bad rows not already quarantined for this table (same raw cells); returns (new, seen, reasons)."""
    if bad.height == 0:
        return 0, 0, {}
    columns = [c for c in raw.frame.columns if c != ROW_NO]
    texts = _raw_json(bad, columns).to_list()
    digests = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    existing: set[str] = set()
    uniq = sorted(set(digests))
    for i in range(0, len(uniq), 500):
        existing.update(
            session.execute(
                select(Quarantine.raw_sha1).where(
                    Quarantine.table_name == spec.name, Quarantine.raw_sha1.in_(uniq[i : i + 500])
                )
            ).scalars()
        )
    rows = []
    reasons: dict[str, int] = {}
    record_ids = bad["record_id"].to_list() if "record_id" in bad.columns else [None] * bad.height
    seen = 0
    for row_no, reason, rid, text, digest in zip(
        bad[ROW_NO].to_list(), bad[REASON].to_list(), record_ids, texts, digests, strict=True
    ):
        if digest in existing:
            seen += 1
            continue
        existing.add(digest)
        key = reason.split(":", 1)[0]
        reasons[key] = reasons.get(key, 0) + 1
        rows.append(
            dict(
                table_name=spec.name,
                source_file=str(raw.path),
                row_no=int(row_no),
                record_id=(rid[:128] if isinstance(rid, str) else None),
                reason=reason,
                raw=text,
                raw_sha1=digest,
                batch_id=batch_id,
                created_at=now,
            )
        )
    for i in range(0, len(rows), 5000):
        session.execute(Quarantine.__table__.insert(), rows[i : i + 5000])
    return len(rows), seen, reasons


def _dedup_records(lake_dir: Path, spec: TableSpec, good: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Drop rows whose natural key repeats within the batch or is in the lake already (same days)."""
    key = list(spec.natural_key)
    before = good.height
    good = good.unique(subset=key, keep="first", maintain_order=True)
    assert spec.time_column
    days = good.select(pl.col(spec.time_column).dt.date().unique()).to_series().to_list()
    existing_files = lake.part_files(lake_dir, spec.name, days)
    if existing_files:
        seen = lake.scan(lake_dir, spec.name, days).select(key).collect()
        if seen.height:
            good = good.join(seen, on=key, how="anti", nulls_equal=True)
    return good, before - good.height


@dataclass
class _Dispatched:
    ingested: int
    updated: int
    refused: list[tuple[int, str]]  # (row_no, reason)


def _dispatch(session: Session, spec: TableSpec, raw: RawFile, *, actor: Actor, now: datetime) -> _Dispatched:
    """Hand a permits / watch-list file to its slice; map its report back to rows and reasons."""
    from zhifa.vehicles.registry import DISPATCH

    module, fn_name = DISPATCH[spec.name]
    fn = None
    if importlib.util.find_spec(module) is not None:
        fn = getattr(importlib.import_module(module), fn_name, None)
    if fn is None:
        raise ValidationFailed(
            f"文件 {raw.path.name}：{spec.label_zh}（{spec.name}）的导入功能尚未提供，文件未导入",
            en=f"File {raw.path.name}: importing {spec.name} files is not available yet; the file was not imported",
        )
    kwargs: dict[str, Any] = {}
    if "partial" in inspect.signature(fn).parameters:
        kwargs["partial"] = True  # like every ingest: good rows in, bad rows quarantined
    result = fn(session, actor=actor, frame=raw.frame.drop(ROW_NO), now=now, **kwargs)
    if isinstance(result, int):
        return _Dispatched(result, 0, [])
    ingested = next(
        (
            int(getattr(result, a))
            for a in ("created", "imported", "inserted", "ingested")
            if hasattr(result, a)
        ),
        0,
    )
    updated = int(getattr(result, "updated", 0) or 0)
    refused: list[tuple[int, str]] = []
    # interception reports (row_no, reason); permits report (permit_no, reason)
    for item in list(getattr(result, "errors", None) or []) + list(getattr(result, "refused", None) or []):
        key, reason = item[0], str(item[1])
        if isinstance(key, int):
            refused.append((key, reason))
            continue
        rows = []
        key_col = spec.natural_key[0]
        if key_col in raw.frame.columns:
            rows = raw.frame.filter(pl.col(key_col).cast(pl.String) == str(key))[ROW_NO].to_list()
        refused.extend((int(r), reason) for r in (rows[:1] or [0]))
    return _Dispatched(ingested, updated, refused)


def _refused_frame(raw: RawFile, refused: list[tuple[int, str]]) -> pl.DataFrame:
    """Rows another slice refused, in the shape of validation's bad rows (ROW_NO, REASON, raw cells)."""
    reasons = pl.DataFrame(
        {ROW_NO: [r for r, _ in refused], REASON: [m for _, m in refused]},
        schema={ROW_NO: pl.Int64, REASON: pl.String},
    )
    cells = raw.frame.with_columns(pl.col(ROW_NO).cast(pl.Int64)).select(
        ROW_NO, *[pl.col(c).cast(pl.String) for c in raw.frame.columns if c != ROW_NO]
    )
    return reasons.join(cells, on=ROW_NO, how="left")


def ingest_file(
    container: Any,
    path: str | Path,
    *,
    actor: Actor,
    now: datetime,
    table: str | None = None,
    fmt: str | None = None,
) -> IngestReport:
    """Read, validate and store one file; bad rows go to the quarantine with their reason.

    Records go to the lake (deduplicated on their natural key), registries are upserted, permit and
    watch-list files are handed to their slices. Raises ValidationFailed for a malformed file.
    """
    require_role(actor, Role.ANALYST, Role.SUPERVISOR)
    raw = read_file(Path(path), fmt)
    spec = match_spec(raw, _specs(), table)
    batch_id = now.strftime("%Y%m%d%H%M%S") + new_id()[:12]
    lake_dir: Path = container.settings.lake_dir
    published: list[Path] = []
    staged: list[tuple[Path, Path]] = []
    try:
        with unit_of_work(container.db) as session:
            report = IngestReport(
                file=str(raw.path),
                table=spec.name,
                batch_id=batch_id,
                rows_read=raw.frame.height,
                ingested=0,
                duplicates=0,
                quarantined=0,
            )
            if spec.kind == "dispatch":
                d = _dispatch(session, spec, raw, actor=actor, now=now)
                report.ingested, report.updated = d.ingested, d.updated
                if d.refused:
                    q_new, q_seen, reasons = _quarantine_rows(
                        session, spec, raw, _refused_frame(raw, d.refused), batch_id, now
                    )
                    report.quarantined, report.reasons = q_new, reasons
                    report.duplicates += q_seen
            else:
                sites = known_sites(session) if spec.kind == "record" else None
                extra = []
                if spec.kind == "registry":
                    from zhifa.vehicles.registry import extra_rules

                    extra = extra_rules(spec)
                result = validate(raw.frame, spec, Context(now=now, sites=sites), extra_rules=extra)
                q_new, q_seen, reasons = _quarantine_rows(session, spec, raw, result.bad, batch_id, now)
                report.quarantined, report.reasons = q_new, reasons
                report.duplicates += q_seen
                if spec.kind == "record":
                    good, dups = _dedup_records(lake_dir, spec, result.good)
                    report.duplicates += dups
                    report.ingested = good.height
                    staged = lake.stage_batch(
                        lake_dir, spec, good.with_columns(pl.lit(batch_id).alias("batch_id")), batch_id
                    )
                else:
                    from zhifa.vehicles.registry import upsert

                    up = upsert(session, spec, result.good, now=now)
                    report.ingested, report.updated = up.inserted, up.updated
                    report.duplicates += up.unchanged + (
                        result.good.height - up.inserted - up.updated - up.unchanged
                    )
            session.add(
                IngestBatch(
                    batch_id=batch_id,
                    table_name=spec.name,
                    source_file=str(raw.path),
                    file_format=raw.fmt,
                    rows_read=report.rows_read,
                    rows_ingested=report.ingested,
                    rows_duplicate=report.duplicates,
                    rows_quarantined=report.quarantined,
                    actor=actor.username,
                    created_at=now,
                )
            )
            audit.record(
                session,
                actor=actor,
                action="records.ingest",
                object_type="ingest_batch",
                object_id=batch_id,
                after={k: v for k, v in report.as_dict().items() if k != "files"},
                now=now,
            )
            session.flush()
            published = lake.publish(staged)
            report.files = [str(p) for p in published]
        return report
    except BaseException:
        lake.unpublish(published)
        lake.discard(staged)
        raise


def list_quarantine(
    session: Session, *, actor: Actor, table: str | None = None, limit: int = 50, batch_id: str | None = None
) -> list[Quarantine]:
    """Most recent quarantined rows first (province-wide data: analysts, supervisors, admins)."""
    require_role(actor, Role.ANALYST, Role.SUPERVISOR)
    stmt = select(Quarantine).order_by(Quarantine.id.desc()).limit(max(1, min(limit, 10_000)))
    if table:
        stmt = stmt.where(Quarantine.table_name == table)
    if batch_id:
        stmt = stmt.where(Quarantine.batch_id == batch_id)
    return list(session.execute(stmt).scalars())


def list_batches(session: Session, *, actor: Actor, limit: int = 50) -> list[IngestBatch]:
    require_role(actor, Role.ANALYST, Role.SUPERVISOR)
    return list(
        session.execute(select(IngestBatch).order_by(IngestBatch.created_at.desc()).limit(limit)).scalars()
    )
