from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from zhifa.interception.matcher import MalformedRecord, Matcher, in_hours, parse_hours, parse_record
from zhifa.interception.model import MatchKind, Record, WatchEntry
from zhifa.shared.clock import TZ

T0 = datetime(2022, 3, 1, 9, 0, tzinfo=TZ)


def entry(plate="豫A12345", color="blue", eid="e1", **kw) -> WatchEntry:
    kw.setdefault("valid_from", T0 - timedelta(days=1))
    kw.setdefault("valid_to", T0 + timedelta(days=1))
    return WatchEntry(entry_id=eid, plate=plate, plate_color=color, **kw)


def rec(plate="豫A12345", color="blue", rid="r1", t=T0, site="G1", kind="gantry", **kw) -> Record:
    return Record(record_id=rid, kind=kind, site_id=site, event_time=t, plate=plate, plate_color=color, **kw)


def test_exact_hit_has_confidence_one():
    m = Matcher([entry()])
    hits = m.match(rec())
    assert len(hits) == 1
    assert hits[0].kind is MatchKind.EXACT and hits[0].confidence == 1.0


def test_same_plate_other_colour_is_another_vehicle():
    m = Matcher([entry()])
    assert m.match(rec(color="yellow")) == []


def test_lookalike_hit_below_one():
    m = Matcher([entry(plate="豫A80251")])
    hits = m.match(rec(plate="豫AB0Z51"))  # 8→B, 2→Z
    assert len(hits) == 1
    assert hits[0].kind is MatchKind.LOOKALIKE
    assert 0.3 <= hits[0].confidence < 1.0


def test_lookalike_chinese_province_confusion():
    m = Matcher([entry(plate="川A12345")])
    hits = m.match(rec(plate="州A12345"))
    assert [h.kind for h in hits] == [MatchKind.LOOKALIKE]


def test_lookalike_refused_on_class_or_axle_mismatch_and_on_too_many_subs():
    m = Matcher([entry(plate="豫A80251", vehicle_class=15, axle_count=5)])
    assert m.match(rec(plate="豫AB0251", rid="a", vehicle_class=1)) == []
    assert m.match(rec(plate="豫AB0251", rid="b", vehicle_class=15, axle_count=2)) == []
    hit = m.match(rec(plate="豫AB0251", rid="c", vehicle_class=15, axle_count=5))
    assert len(hit) == 1
    # unknown class on the record: still a candidate, with lower confidence than a confirmed one
    weaker = m.match(rec(plate="豫AB0251", rid="d"))
    assert weaker[0].confidence < hit[0].confidence
    # three substitutions are more than max_subs=2
    assert m.match(rec(plate="豫AB0Z5I", rid="e")) == []


def test_confirmed_lookalike_scores_above_unconfirmed():
    m = Matcher([entry(plate="豫A80251", eid="x", vehicle_class=15, axle_count=5)])
    a = m.match(rec(plate="豫AB0251", rid="1", vehicle_class=15, axle_count=5))[0].confidence
    b = m.match(rec(plate="豫AB0Z51", rid="2", vehicle_class=15, axle_count=5))[0].confidence
    assert a > b  # one substitution beats two


def test_lookalike_colour_constrains_format():
    # an 8-character plate on a blue reading cannot be the listed NEV plate
    m = Matcher([entry(plate="豫AD12345", color="green")])
    assert m.match(rec(plate="豫A012345", color="blue")) == []
    assert len(m.match(rec(plate="豫A012345", color="green", rid="2"))) == 1


def test_expired_entry_stops_matching_by_event_time():
    m = Matcher([entry(valid_to=T0)])
    assert m.match(rec(t=T0)) == []  # valid_to is exclusive
    late_but_inside = rec(rid="r2", t=T0 - timedelta(minutes=5), arrived_at=T0 + timedelta(minutes=30))
    hits = m.match(late_but_inside)
    assert len(hits) == 1 and hits[0].late  # matched by event time, flagged late


def test_not_yet_valid():
    m = Matcher([entry(valid_from=T0 + timedelta(hours=1))])
    assert m.match(rec()) == []


def test_scope_stations_and_hours():
    m = Matcher([entry(scope_stations=frozenset({"S1"}), scope_hours=(time(22), time(6)))])
    night = T0.replace(hour=23)
    assert m.match(rec(site="S2", t=night, rid="a")) == []
    assert m.match(rec(site="S1", t=T0, rid="b")) == []  # 09:00 is outside 22-06
    assert len(m.match(rec(site="S1", t=night, rid="c"))) == 1
    assert len(m.match(rec(site="S1", t=T0.replace(hour=5), rid="d"))) == 1


def test_late_flag_uses_horizon():
    m = Matcher([entry()], late_after=timedelta(minutes=2))
    on_time = m.match(rec(rid="a", arrived_at=T0 + timedelta(seconds=74)))[0]
    late = m.match(rec(rid="b", arrived_at=T0 + timedelta(minutes=3)))[0]
    assert not on_time.late and on_time.lag_s == pytest.approx(74)
    assert late.late


def test_idempotent_per_record_id_and_forget():
    m = Matcher([entry()])
    assert len(m.match(rec())) == 1
    assert m.match(rec()) == []
    assert m.stats.duplicates == 1
    m.forget("r1")
    assert len(m.match(rec())) == 1


def test_unreadable_plate_and_revoked_entry():
    m = Matcher([entry(), entry(plate="豫B11111", eid="e2", active=False)])
    assert m.match(rec(plate="")) == []
    assert m.match(rec(plate="豫B11111", rid="x")) == []
    m.remove("e1")
    assert m.match(rec(rid="y")) == []


def test_probe_finds_exact_and_lookalike_candidates():
    m = Matcher([entry(plate="豫A80251")])
    assert m.probe(["豫A99999", "豫A80251", "豫AB0251", ""]) == [1, 2]


def test_parse_record_gantry_and_toll_and_malformed():
    g = parse_record({"record_id": "1", "gantry_id": "G1", "pass_time": "2022-03-01T09:00:00",
                      "plate": " 豫a12345 ", "plate_color": "0", "vehicle_class": "11", "axle_count": ""})
    assert g.kind == "gantry" and g.plate == "豫A12345" and g.plate_color == "blue"
    assert g.event_time.tzinfo is not None and g.vehicle_class == 11 and g.axle_count is None
    t = parse_record({"record_id": "2", "station_id": "S1", "event": "exit",
                      "event_time": "2022-03-01T09:00:00+08:00", "plate": "", "plate_color": ""})
    assert t.kind == "exit" and t.plate == ""
    for bad, why in [({"gantry_id": "G"}, "record_id"), ({"record_id": "x"}, "gantry_id"),
                     ({"record_id": "x", "gantry_id": "G", "pass_time": "yesterday"}, "pass_time"),
                     ({"record_id": "x", "station_id": "S", "event": "pass", "event_time": "2022-03-01"}, "event"),
                     ({"record_id": "x", "gantry_id": "G", "pass_time": "2022-03-01", "plate": "豫A1",
                       "plate_color": "purple"}, "颜色")]:
        with pytest.raises(MalformedRecord) as ei:
            parse_record(bad)
        assert why in ei.value.reason


def test_hours_helpers():
    assert parse_hours("22:00-06:00") == (time(22), time(6))
    assert parse_hours("") is None
    with pytest.raises(ValueError):
        parse_hours("night")
    assert in_hours(T0.replace(hour=8), (time(8), time(18)))
    assert not in_hours(T0.replace(hour=18), (time(8), time(18)))


def test_vectorised_probe_and_match_frame_agree_with_the_dict_path():
    import random

    import polars as pl

    from zhifa.shared.plates import canonical_key

    rng = random.Random(1)
    serial = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    listed = ["豫A" + "".join(rng.choice(serial) for _ in range(5)) for _ in range(300)]
    m = Matcher([entry(plate=p, eid=f"e{i}") for i, p in enumerate(listed)])
    reads = [rng.choice(listed) if rng.random() < 0.2 else "豫A" + "".join(rng.choice(serial) for _ in range(5))
             for _ in range(3000)]
    reads[7] = reads[7][:-1] + {"8": "B", "B": "8", "0": "D", "D": "0"}.get(reads[7][-1], reads[7][-1])
    reads[9] = None  # unreadable
    mask = m.probe_series(pl.Series(reads, dtype=pl.String)).to_list()
    assert [i for i, x in enumerate(mask) if x] == m.probe([r or "" for r in reads])
    assert all(canonical_key(reads[i]) in {canonical_key(p) for p in listed} for i, x in enumerate(mask) if x)
    frame = pl.DataFrame({"record_id": [str(i) for i in range(len(reads))], "gantry_id": ["G1"] * len(reads),
                          "pass_time": [T0] * len(reads), "plate": reads, "plate_color": ["blue"] * len(reads)})
    fast = {(h.record.record_id, h.entry.entry_id) for h in Matcher(m.entries()).match_frame(frame)}
    slow = {(h.record.record_id, h.entry.entry_id) for h in Matcher(m.entries()).match_many(
        parse_record(r) for r in frame.iter_rows(named=True))}
    assert fast == slow and len(fast) > 500
    m.add(entry(plate="豫A99999", eid="new"))  # the key series follows index changes
    assert m.probe_series(pl.Series(["豫A99999"])).to_list() == [True]
