"""Everything the dashboard page shows, computed in one read (runs on a worker thread)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from modconsole import clock
from modconsole.analytics.breakdown import BreakdownRow, breakdowns
from modconsole.analytics.coverage import Coverage
from modconsole.analytics.kpis import KpiResult, compute_with_questions
from modconsole.analytics.periods import Granularity, Period, add_months, month_key
from modconsole.analytics.settings import load_settings
from modconsole.analytics.snapshots import SnapshotDiff, frozen, snapshot_diffs

__all__ = ["DashboardData", "load_dashboard"]


@dataclass(frozen=True)
class DashboardData:
    result: KpiResult
    diffs: tuple[SnapshotDiff, ...]
    by_category: tuple[BreakdownRow, ...]
    by_company: tuple[BreakdownRow, ...]
    currency: str
    employees: str  # the employee rule, in words

    @property
    def coverage(self) -> Coverage:
        """What the cache held completely (a first sync may still be running)."""
        return self.result.coverage


def load_dashboard(
    conn: Connection,
    period: Period,
    granularity: Granularity,
    *,
    now: datetime | None = None,
    with_breakdowns: bool = True,
) -> DashboardData:
    now = now or clock.now()
    settings = load_settings(conn)
    result, questions, employees = compute_with_questions(conn, settings, period, granularity, now=now)
    # the frozen months this period shows whole (a month cut by the period is not compared)
    months = []
    d = period.start if period.start.day == 1 else add_months(period.start, 1)
    while add_months(d, 1) <= period.end:
        months.append(month_key(d))
        d = add_months(d, 1)
    snaps = frozen(conn, months)
    # whole, closed months of a monthly series are today's recomputation already: not done twice
    known: dict[str, dict[str, float | None]] = {}
    if granularity == "month":
        r = result
        for i, b in enumerate(r.buckets):
            if b.is_month and not b.partial and b.key in snaps:
                known[b.key] = {k: v[i] for k, v in r.series.items()}
    diffs = tuple(snapshot_diffs(conn, settings, now, snaps=snaps, known=known)) if snaps else ()
    cats: tuple[BreakdownRow, ...] = ()
    cos: tuple[BreakdownRow, ...] = ()
    if with_breakdowns:
        # the period's questions and employees as the KPIs read them (the breakdowns' own source)
        by_cat, by_co = breakdowns(conn, settings, result.period, employees=employees, questions=questions)
        cats, cos = tuple(by_cat), tuple(by_co)
    return DashboardData(result, diffs, cats, cos, settings.currency, settings.employees.describe())
