from sqlalchemy import update

from zhifa.db.session import unit_of_work
from zhifa.shared.access import SYSTEM
from zhifa.shared.audit import record, verify_chain
from zhifa.shared.orm import AuditEvent


def _write(db, n):
    for i in range(n):
        with unit_of_work(db) as s:
            record(s, actor=SYSTEM, action="test.write", object_type="thing", object_id=str(i), after={"i": i})


def test_an_untouched_chain_verifies(db):
    _write(db, 5)
    with unit_of_work(db) as s:
        rep = verify_chain(s)
    assert rep.ok and rep.checked == 5


def test_an_altered_row_is_reported_as_the_first_broken_link(db):
    _write(db, 5)
    with unit_of_work(db) as s:
        s.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(after={"i": 99}))
    with unit_of_work(db) as s:
        rep = verify_chain(s)
    assert not rep.ok and rep.first_broken_seq == 3


def test_a_rolled_back_change_leaves_no_audit_row(db):
    try:
        with unit_of_work(db) as s:
            record(s, actor=SYSTEM, action="x", object_type="t", object_id="1")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    with unit_of_work(db) as s:
        assert verify_chain(s).checked == 0
