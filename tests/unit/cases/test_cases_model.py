import itertools

import pytest

from zhifa.cases.model import TRANSITIONS, CaseStatus, Procedure, allowed_targets, is_allowed

PAIRS = list(itertools.product(CaseStatus, CaseStatus, Procedure))
ALLOWED = [(a, b, p) for a, b, p in PAIRS if p in TRANSITIONS.get((a, b), frozenset())]
FORBIDDEN = [(a, b, p) for a, b, p in PAIRS if p not in TRANSITIONS.get((a, b), frozenset())]


def test_table_has_both_kinds():
    assert len(ALLOWED) > 15 and len(FORBIDDEN) > 150


@pytest.mark.parametrize(("frm", "to", "proc"), ALLOWED)
def test_allowed(frm, to, proc):
    assert is_allowed(frm, to, proc)
    assert to in allowed_targets(frm, proc)


@pytest.mark.parametrize(("frm", "to", "proc"), FORBIDDEN)
def test_forbidden(frm, to, proc):
    assert not is_allowed(frm, to, proc)
    assert to not in allowed_targets(frm, proc)


def test_archived_is_final_and_no_state_leads_to_itself():
    for proc in Procedure:
        assert allowed_targets(CaseStatus.ARCHIVED, proc) == []
    assert all(a is not b for a, b in TRANSITIONS)


def test_summary_procedure_skips_notice_and_review():
    assert is_allowed(CaseStatus.REGISTERED, CaseStatus.DECIDED, Procedure.SUMMARY)
    assert not is_allowed(CaseStatus.REGISTERED, CaseStatus.DECIDED, Procedure.ORDINARY)
    assert not is_allowed(CaseStatus.REGISTERED, CaseStatus.INVESTIGATING, Procedure.SUMMARY)


def test_every_status_is_reachable_from_registered_in_the_ordinary_procedure():
    seen, todo = {CaseStatus.REGISTERED}, [CaseStatus.REGISTERED]
    while todo:
        for nxt in allowed_targets(todo.pop(), Procedure.ORDINARY):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == set(CaseStatus)
