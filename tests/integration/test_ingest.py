"""Ingest end to end on SQLite and the lake: dedup, quarantine, batches, malformed files."""

from __future__ import annotations

import csv
import json
from datetime import datetime

import polars as pl
import pytest
from sqlalchemy import func, select

from zhifa.db.session import unit_of_work
from zhifa.org.orm import Site, Unit
from zhifa.records import lake
from zhifa.records.orm import IngestBatch, Quarantine
from zhifa.records.service import ingest_file, list_quarantine
from zhifa.shared.access import SYSTEM
from zhifa.shared.clock import TZ
from zhifa.shared.errors import ValidationFailed
from zhifa.shared.orm import AuditEvent

NOW = datetime(2022, 3, 3, 9, 0, tzinfo=TZ)
HEADER = [
    "record_id",
    "gantry_id",
    "pass_time",
    "plate",
    "plate_color",
    "vehicle_class",
    "axle_count",
    "direction",
    "media",
]


def rows(n: int = 6):
    out = []
    for i in range(n):
        out.append(
            [
                f"r{i}",
                "G1",
                f"2022-03-0{1 + i % 2}T0{i % 10}:00:00+08:00",
                f"豫A1234{i % 10}",
                "blue",
                "1",
                "2",
                "1",
                "obu",
            ]
        )
    return out


def write_csv(path, header, body, encoding="utf-8"):
    with path.open("w", newline="", encoding=encoding) as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(body)
    return path


@pytest.fixture
def sites(container):
    with unit_of_work(container.db) as s:
        s.add(Unit(unit_code="410000", name="河南省", level="province"))
        s.flush()
        for sid, kind in [("G1", "gantry"), ("G2", "gantry"), ("T1", "toll_station"), ("W1", "wim")]:
            s.add(Site(site_id=sid, kind=kind, name=sid, unit_code="410000", lon=113.6, lat=34.7))
    return container


def ingest(container, path, **kw):
    return ingest_file(container, path, actor=SYSTEM, now=NOW, **kw)


def lake_rows(container, table="gantry_pass"):
    return lake.read(container.settings.lake_dir, table)


def test_a_clean_csv_lands_in_the_lake_by_day(sites, tmp_path):
    rep = ingest(sites, write_csv(tmp_path / "g.csv", HEADER, rows(6)))
    assert (rep.table, rep.rows_read, rep.ingested, rep.duplicates, rep.quarantined) == (
        "gantry_pass",
        6,
        6,
        0,
        0,
    )
    got = lake_rows(sites)
    assert sorted(got["record_id"].to_list()) == [f"r{i}" for i in range(6)]
    assert got.group_by("day").len().height == 2
    assert set(got["batch_id"].to_list()) == {rep.batch_id}


def test_reingesting_the_same_file_adds_nothing(sites, tmp_path):
    body = rows(6) + [["bad1", "G9", "2022-03-01T08:00:00+08:00", "豫A12345", "blue", "1", "2", "1", "obu"]]
    f = write_csv(tmp_path / "g.csv", HEADER, body)
    first = ingest(sites, f)
    files_before = sorted(p.name for p in sites.settings.lake_dir.rglob("*.parquet"))
    second = ingest(sites, f)
    assert (first.ingested, first.quarantined) == (6, 1)
    assert (second.ingested, second.quarantined, second.duplicates) == (0, 0, 7)
    assert lake_rows(sites).height == 6
    assert sorted(p.name for p in sites.settings.lake_dir.rglob("*.parquet")) == files_before
    with unit_of_work(sites.db) as s:
        assert s.scalar(select(func.count()).select_from(Quarantine)) == 1


def test_duplicates_within_a_file_and_across_files_are_counted_once(sites, tmp_path):
    body = rows(4)
    ingest(sites, write_csv(tmp_path / "a.csv", HEADER, body[:3]))
    rep = ingest(sites, write_csv(tmp_path / "b.csv", HEADER, body + [body[3]]))
    assert (rep.ingested, rep.duplicates) == (1, 4)
    assert lake_rows(sites)["record_id"].n_unique() == 4 == lake_rows(sites).height


def test_bad_rows_are_quarantined_with_reason_and_raw_cells(sites, tmp_path):
    body = rows(2) + [["r9", "G1", "2022-03-01T08:00:00+08:00", "豫A12345", "blue", "13", "2", "1", "obu"]]
    rep = ingest(sites, write_csv(tmp_path / "g.csv", HEADER, body))
    assert rep.quarantined == 1
    with unit_of_work(sites.db) as s:
        (q,) = list_quarantine(s, actor=SYSTEM, table="gantry_pass")
        assert q.row_no == 3 and q.record_id == "r9" and q.batch_id == rep.batch_id
        assert "axle_count: 轴数与车型不符" in q.reason
        assert json.loads(q.raw)["vehicle_class"] == "13"


def test_each_batch_writes_one_batch_row_and_one_audit_event(sites, tmp_path):
    rep = ingest(sites, write_csv(tmp_path / "g.csv", HEADER, rows(3)))
    with unit_of_work(sites.db) as s:
        b = s.get(IngestBatch, rep.batch_id)
        assert (b.rows_read, b.rows_ingested, b.rows_quarantined) == (3, 3, 0)
        events = s.execute(select(AuditEvent).where(AuditEvent.action == "records.ingest")).scalars().all()
        assert [e.object_id for e in events] == [rep.batch_id]


def test_parquet_and_json_lines_files_load_like_csv(sites, tmp_path):
    frame = pl.DataFrame([dict(zip(HEADER, r, strict=True)) for r in rows(4)])
    frame.with_columns(pl.col("vehicle_class", "axle_count", "direction").cast(pl.Int64)).write_parquet(
        tmp_path / "g.parquet"
    )
    rep = ingest(sites, tmp_path / "g.parquet")
    assert (rep.table, rep.ingested) == ("gantry_pass", 4)
    more = pl.DataFrame([dict(zip(HEADER, r, strict=True)) for r in rows(6)])
    more.write_ndjson(tmp_path / "g.jsonl")
    rep2 = ingest(sites, tmp_path / "g.jsonl")
    assert (rep2.ingested, rep2.duplicates) == (2, 4)


def test_wim_json_lines_with_a_real_json_array_of_axle_weights(sites, tmp_path):
    row = dict(
        record_id="w1",
        site_id="W1",
        measured_at="2022-03-01T10:00:00+08:00",
        plate="豫A88888",
        plate_color="yellow",
        axle_count=2,
        vehicle_kind="rigid",
        single_drive_axle=None,
        single_tyre_axles=None,
        gross_weight_kg=18000,
        axle_weights_kg=[7000, 11000],
        speed_kmh=60.0,
        length_mm=None,
        width_mm=None,
        height_mm=None,
        lane="1",
        evidence=["a.jpg"],
    )
    (tmp_path / "w.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    rep = ingest(sites, tmp_path / "w.jsonl")
    assert (rep.table, rep.ingested) == ("wim", 1), rep
    assert json.loads(lake_rows(sites, "wim")["axle_weights_kg"][0]) == [7000, 11000]


def test_the_table_can_be_named_and_must_then_match(sites, tmp_path):
    f = write_csv(tmp_path / "g.csv", HEADER, rows(1))
    assert ingest(sites, f, table="gantry_pass").ingested == 1
    with pytest.raises(ValidationFailed, match="表 toll_txn"):
        ingest(sites, f, table="toll_txn")


# --- malformed files --------------------------------------------------------------------------------


def _lake_snapshot(container):
    return sorted(
        (p.relative_to(container.settings.lake_dir).as_posix(), p.stat().st_size)
        for p in container.settings.lake_dir.rglob("*")
        if p.is_file()
    )


def test_wrong_columns_are_refused_naming_file_and_columns(sites, tmp_path):
    ingest(sites, write_csv(tmp_path / "ok.csv", HEADER, rows(2)))
    before = _lake_snapshot(sites)
    header = [h if h != "media" else "medium" for h in HEADER]
    with pytest.raises(ValidationFailed) as e:
        ingest(sites, write_csv(tmp_path / "wrong.csv", header, rows(2)))
    assert (
        "wrong.csv" in e.value.message
        and "缺少列 media" in e.value.message
        and "多出列 medium" in e.value.message
    )
    assert _lake_snapshot(sites) == before


@pytest.mark.parametrize("encoding", ["gbk", "latin-1"])
def test_a_non_utf8_file_is_refused_naming_the_row_and_column(sites, tmp_path, encoding):
    ingest(sites, write_csv(tmp_path / "ok.csv", HEADER, rows(2)))
    before = _lake_snapshot(sites)
    body = [
        [
            "x1",
            "G1",
            "2022-03-01T08:00:00+08:00",
            "苏E12345" if encoding == "gbk" else "Ä12345",
            "blue",
            "1",
            "2",
            "1",
            "obu",
        ]
    ]
    with pytest.raises(ValidationFailed) as e:
        f = write_csv(tmp_path / "enc.csv", HEADER, rows(3))
        with f.open("ab") as out:  # a feed that switched encoding mid-file: row 4 is not UTF-8
            out.write((",".join(body[0]) + "\r\n").encode(encoding))
        ingest(sites, f)
    msg = e.value.message
    assert "enc.csv" in msg and "UTF-8" in msg and "列 plate" in msg
    assert "第 4 行数据" in msg
    assert _lake_snapshot(sites) == before


def test_a_truncated_parquet_file_is_refused_and_the_lake_is_untouched(sites, tmp_path):
    ingest(sites, write_csv(tmp_path / "ok.csv", HEADER, rows(2)))
    before = _lake_snapshot(sites)
    frame = pl.DataFrame([dict(zip(HEADER, r, strict=True)) for r in rows(50)])
    frame.write_parquet(tmp_path / "full.parquet")
    data = (tmp_path / "full.parquet").read_bytes()
    (tmp_path / "cut.parquet").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValidationFailed, match="cut.parquet.*Parquet"):
        ingest(sites, tmp_path / "cut.parquet")
    assert _lake_snapshot(sites) == before


def test_a_csv_cut_off_mid_row_is_refused_naming_row_and_column(sites, tmp_path):
    f = write_csv(tmp_path / "cut.csv", HEADER, rows(3))
    text = f.read_text(encoding="utf-8").rstrip("\n")
    f.write_text(text[: text.rfind(",2,1,obu")], encoding="utf-8")
    with pytest.raises(ValidationFailed) as e:
        ingest(sites, f)
    assert "cut.csv" in e.value.message and "第 3 行" in e.value.message and "axle_count" in e.value.message


def test_a_garbled_csv_row_with_too_many_fields_is_refused_naming_the_row(sites, tmp_path):
    body = rows(3)
    body[1] = body[1] + ["extra"]
    with pytest.raises(ValidationFailed, match="garbled.csv.*第 2 行数据有 10 个字段"):
        ingest(sites, write_csv(tmp_path / "garbled.csv", HEADER, body))


def test_a_broken_json_line_is_refused_naming_the_line(sites, tmp_path):
    good = json.dumps(dict(zip(HEADER, rows(1)[0], strict=True)), ensure_ascii=False)
    (tmp_path / "b.jsonl").write_text(good + "\n" + good[:30] + "\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="b.jsonl.*第 2 行不是有效的 JSON"):
        ingest(sites, tmp_path / "b.jsonl")


def test_a_failed_commit_removes_the_published_files(sites, tmp_path, monkeypatch):
    from zhifa.records import service

    def boom(*a, **k):
        raise RuntimeError("database went away")

    monkeypatch.setattr(service.audit, "record", boom)
    with pytest.raises(RuntimeError):
        ingest(sites, write_csv(tmp_path / "g.csv", HEADER, rows(4)))
    assert list(sites.settings.lake_dir.rglob("*.parquet")) == []
    assert list(sites.settings.lake_dir.rglob(".tmp-*")) == []
