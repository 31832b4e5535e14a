"""Scheduled work of cases: the daily deadline sweep (reminders before, overdue flags after)."""

from __future__ import annotations

from zhifa.bootstrap import Container
from zhifa.cases.service import SweepReport, sweep_deadlines
from zhifa.db.session import unit_of_work


def run_deadline_sweep(container: Container) -> SweepReport:
    """One transaction; safe to run as often as wanted (alerts are unique per case, deadline, kind, due)."""
    with unit_of_work(container.db) as s:
        return sweep_deadlines(s, container.clock.now())
