"""Everything the dashboard page shows, computed in one read (runs on a worker thread)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from modconsole import clock
from modconsole.analytics.breakdown import BreakdownRow, breakdown
from modconsole.analytics.kpis import KpiResult, compute
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
    result = compute(conn, settings, period, granularity, now=now)
    months = []
    d = period.start.replace(day=1)
    while d < period.end:
        months.append(month_key(d))
        d = add_months(d, 1)
    have = [m for m in months if m in frozen(conn, months)]
    diffs = tuple(snapshot_diffs(conn, settings, now, have)) if have else ()
    cats: tuple[BreakdownRow, ...] = ()
    cos: tuple[BreakdownRow, ...] = ()
    if with_breakdowns:
        cats = tuple(breakdown(conn, settings, period, "category", now=now))
        cos = tuple(breakdown(conn, settings, period, "company", now=now))
    return DashboardData(result, diffs, cats, cos, settings.currency, settings.employees.describe())
