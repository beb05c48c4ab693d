"""An honest dashboard (issue 15, point 5): the running period shown and marked "so far", no future
days, changes against tiny baselines not blown up into "▲ 21950 %", exports that name their units
and period, SLA read-outs in business days and hours."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from modconsole.analytics import KpiResult, format_change, kpi, series_csv
from modconsole.analytics.definitions import CHANGE_RULE
from modconsole.analytics.periods import Period, buckets, last_months, up_to
from modconsole.services.sla import SlaLevel, SlaSettings, format_business

TODAY = date(2026, 12, 7)  # a Monday, mid-month


def test_last_months_include_the_running_month_up_to_today() -> None:
    p = last_months(12, TODAY)
    assert p == Period(date(2026, 1, 1), date(2026, 12, 8))
    months = buckets(p, "month", today=TODAY)
    assert [b.key for b in months][-2:] == ["2026-11", "2026-12"]
    assert [b.partial for b in months][-2:] == [False, True]  # December is "so far"
    assert months[-1].end == date(2026, 12, 8)


def test_no_future_days() -> None:
    this_month = Period(date(2026, 12, 1), date(2027, 1, 1))
    days = buckets(this_month, "day", today=TODAY)
    assert days[-1].start == TODAY and days[-1].partial  # today is drawn, and marked
    assert not any(b.partial for b in days[:-1])
    assert all(b.start <= TODAY for b in days)
    assert len(days) == 7
    assert up_to(this_month, TODAY) == Period(date(2026, 12, 1), date(2026, 12, 8))
    past = Period(date(2026, 1, 1), date(2026, 2, 1))
    assert up_to(past, TODAY) == past
    assert not any(b.partial for b in buckets(past, "week", today=TODAY))


def test_a_change_against_a_tiny_base_shows_the_base() -> None:
    assert kpi("signups").unit == "count"
    assert format_change("signups", 218.5, previous=2, current=439) == "▲ 219.5× (from 2)"
    assert format_change("signups", None, previous=0, current=5) == "new"
    assert format_change("signups", None, previous=0, current=0) == ""
    assert format_change("signups", 0.5, previous=100, current=150) == "▲ 50 %"
    assert format_change("signups", -0.5, previous=10, current=5) == "▼ 50 % (from 10)"
    assert format_change("signups", 1.0, previous=10, current=20) == "▲ 2× (from 10)"
    assert format_change("questions_asked", 12.0, previous=300, current=3900) == "▲ 13× (from 300)"
    assert "21950" not in format_change("signups", 219.5, previous=2, current=441)
    assert "“new”" in CHANGE_RULE and "from 2" in CHANGE_RULE
    assert CHANGE_RULE in kpi("signups").tooltip()  # the rule is part of every KPI's written definition


def test_series_csv_names_units_and_period() -> None:
    p = last_months(2, TODAY)
    bs = tuple(buckets(p, "month", today=TODAY))
    series = {"ttfr_median": (7200.0, 5400.0), "questions_asked": (10.0, 3.0)}
    result = KpiResult(p, "month", bs, series, {}, {}, 0)
    rows = list(csv.reader(io.StringIO(series_csv(result, ["ttfr_median", "questions_asked"]))))
    assert rows[0] == [
        "period",
        "bucket",
        "start",
        "end",
        "so_far",
        "epoch_seconds",
        "ttfr_median [hours]",
        "questions_asked [count]",
        "synced",
    ]
    assert rows[1][:5] == ["2026-11-01..2026-12-07", "2026-11", "2026-11-01", "2026-11-30", "no"]
    assert rows[2][:5] == ["2026-11-01..2026-12-07", "2026-12", "2026-12-01", "2026-12-07", "yes"]
    assert rows[1][6:] == ["2", "10", "complete"] and rows[2][6:] == [
        "1.5",
        "3",
        "complete",
    ]  # hours, as the chart draws them


def _utc(*a: int) -> datetime:
    return datetime(*a, tzinfo=UTC)  # type: ignore[misc]


def test_sla_read_out_in_business_days_and_hours() -> None:
    s = SlaSettings(default_target_hours=8)  # 09:00–17:00 UTC, Monday–Friday
    asked = _utc(2026, 3, 9, 9)  # a Monday
    due_soon = s.status(asked, None, None, _utc(2026, 3, 9, 13, 50))
    assert due_soon.describe() == "Due in 3h 10m"
    late = s.status(asked, None, None, _utc(2026, 3, 13, 12))  # Friday noon: 3 business days and 3h late
    assert late.level is SlaLevel.OVERDUE
    assert late.describe() == "Overdue by 3 business days"
    one_day = s.status(asked, None, None, _utc(2026, 3, 11, 11))  # 1 business day and 2h late
    assert one_day.describe() == "Overdue by 1 business day 2h"
    assert format_business(130 * 8 * 3600, 8 * 3600) == "130 business days"
    assert format_business(45 * 60, 8 * 3600) == "45m"
