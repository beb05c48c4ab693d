"""Formatting and exports: a chart's series as CSV, the monthly report as CSV and Markdown."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from modconsole import clock
from modconsole.analytics.definitions import (
    CHANGE_RULE,
    DEFINITIONS_VERSION,
    GROUPS,
    KPIS,
    format_value,
    kpi,
)
from modconsole.analytics.kpis import KpiResult, compute
from modconsole.analytics.periods import month_period
from modconsole.analytics.settings import AnalyticsSettings
from modconsole.analytics.snapshots import frozen
from modconsole.csvsafe import SafeWriter

__all__ = [
    "CHANGE_RULE",
    "MonthlyReport",
    "ReportLine",
    "format_change",
    "format_value",
    "monthly_report",
    "series_csv",
]


SMALL_BASE = 20.0  # a previous count below this is too small for a percentage to mean anything
LARGE_MULTIPLE = 10.0  # from this multiple on, a change reads as "N×" rather than "N00 %"


def format_change(
    kpi_id: str, change: float | None, previous: float | None = None, current: float | None = None
) -> str:
    """The change vs the previous period, as the rule :data:`CHANGE_RULE` words it.

    ``previous`` is the previous period's value; without it only the plain percentage is known.
    """
    if previous == 0 and current:
        return "new"  # nothing before: any value is new, not "+∞ %"
    if change is None:
        return ""
    arrow = "▲" if change > 0 else "▼" if change < 0 else "■"
    if previous is None:
        return f"{arrow} {abs(change) * 100:.0f} %"
    base = format_value(kpi_id, previous)
    small = kpi(kpi_id).unit == "count" and abs(previous) < SMALL_BASE
    multiple = 1 + change  # current / previous
    if multiple >= LARGE_MULTIPLE or (small and change > 0):
        return f"{arrow} {multiple:.1f}× (from {base})".replace(".0×", "×")
    if small:
        return f"{arrow} {abs(change) * 100:.0f} % (from {base})"
    return f"{arrow} {abs(change) * 100:.0f} %"


CSV_UNITS: dict[str, tuple[str, float]] = {
    "count": ("count", 1.0),
    "percent": ("%", 1.0),
    "seconds": ("hours", 1 / 3600),  # as the charts draw durations
    "ratio": ("ratio", 1.0),
    "money": ("money", 1.0),
    "score": ("score", 1.0),
}


def _csv_column(kpi_id: str) -> tuple[str, float]:
    """``('ttfr_median [hours]', 1/3600)``: the header names the unit the values are written in."""
    try:
        unit, factor = CSV_UNITS[kpi(kpi_id).unit]
    except KeyError:
        return kpi_id, 1.0
    return f"{kpi_id} [{unit}]", factor


def series_csv(result: KpiResult, kpi_ids: Sequence[str]) -> str:
    """The chart's data: one row per bucket — the period, the bucket (key, first and last day, whether
    it is still running: ``so_far``), epoch seconds, then one column per KPI whose header names its
    unit (durations in hours, as the charts draw them), and ``synced``: ``complete``, or
    ``incomplete`` while a first sync has not yet brought every figure of that bucket in."""
    buf = io.StringIO()
    w = SafeWriter(buf, lineterminator="\n")
    columns = [_csv_column(k) for k in kpi_ids]
    last_day = result.period.end - timedelta(days=1)
    period = f"{result.period.start.isoformat()}..{last_day.isoformat()}"
    w.writerow(
        ["period", "bucket", "start", "end", "so_far", "epoch_seconds", *(c for c, _ in columns), "synced"]
    )
    for i, b in enumerate(result.buckets):
        end = b.end - timedelta(days=1)
        so_far = "yes" if b.partial else "no"
        row: list[object] = [period, b.key, b.start.isoformat(), end.isoformat(), so_far, int(b.epoch)]
        for k, (_, factor) in zip(kpi_ids, columns, strict=True):
            v = result.series[k][i]
            row.append("" if v is None else _plain(v * factor))
        complete = all(result.bucket_complete(i, k) for k in kpi_ids)
        row.append("complete" if complete else "incomplete")
        w.writerow(row)
    return buf.getvalue()


def _plain(v: float) -> int | float:
    """A number stays a number (a negative one is not a formula): 3.0 -> 3, 1/3 -> 0.333333."""
    return int(v) if float(v).is_integer() else round(v, 6)


@dataclass(frozen=True)
class ReportLine:
    kpi: str
    title: str
    group: str
    value: float | None  # the frozen value for a frozen month, else the computed one
    previous: float | None
    recomputed: float | None  # today's recomputation (differs from value when a snapshot drifted)
    frozen: bool
    complete: bool = True  # False: a first sync has not yet brought in everything this figure counts

    @property
    def drifted(self) -> bool:
        return self.frozen and not _eq(self.value, self.recomputed)


def _eq(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


@dataclass(frozen=True)
class MonthlyReport:
    month: str
    lines: tuple[ReportLine, ...]
    generated_at: str
    currency: str = "USD"
    definitions_version: int = DEFINITIONS_VERSION
    history_month: str | None = None  # while a first sync runs: the oldest month it has completed

    @property
    def complete(self) -> bool:
        return all(ln.complete for ln in self.lines)

    def incomplete_note(self) -> str:
        """One line saying the report is not final yet ("" when it is)."""
        if self.complete:
            return ""
        reached = f"history to {self.history_month}" if self.history_month else "no month complete yet"
        return (
            f"Incomplete: the first sync is still running ({reached}). Figures marked * count only "
            "what is synced so far; they are not final and are not frozen."
        )

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = SafeWriter(buf, lineterminator="\n")
        w.writerow(
            [
                "month",
                "group",
                "kpi",
                "title",
                "value",
                "previous_month",
                "frozen",
                "recomputed",
                "unit",
                "synced",
            ]
        )
        for ln in self.lines:
            w.writerow(
                [
                    self.month,
                    GROUPS[ln.group],
                    ln.kpi,
                    ln.title,
                    "" if ln.value is None else _plain(ln.value),
                    "" if ln.previous is None else _plain(ln.previous),
                    "yes" if ln.frozen else "no",
                    "" if ln.recomputed is None else _plain(ln.recomputed),
                    kpi(ln.kpi).unit,
                    "complete" if ln.complete else "incomplete",
                ]
            )
        return buf.getvalue()

    def to_markdown(self) -> str:
        title = month_period(self.month).label()
        out = [f"# Community report — {title}", ""]
        stamp = self.generated_at[:16].replace("T", " ")
        out.append(f"Generated {stamp} UTC · definitions v{self.definitions_version}")
        out.append("")
        if not self.complete:
            out += [f"> **{self.incomplete_note()}**", ""]
        for g, gname in GROUPS.items():
            lines = [ln for ln in self.lines if ln.group == g]
            if not lines:
                continue
            out += [f"## {gname}", "", "| KPI | Value | Previous month | Change |", "|---|---:|---:|---:|"]
            for ln in lines:
                ch = None
                if ln.value is not None and ln.previous not in (None, 0):
                    assert ln.previous is not None
                    ch = (ln.value - ln.previous) / abs(ln.previous)
                mark = (" ⚠" if ln.drifted else "") + ("" if ln.complete else " *")
                cur = format_value(ln.kpi, ln.value, currency=self.currency)
                prev = format_value(ln.kpi, ln.previous, currency=self.currency)
                change = format_change(ln.kpi, ch, ln.previous, ln.value)
                out.append(f"| {ln.title}{mark} | {cur} | {prev} | {change} |")
            out.append("")
        drifted = [ln for ln in self.lines if ln.drifted]
        if drifted:
            out += ["## Changed since the month was frozen", ""]
            for ln in drifted:
                out.append(
                    f"- {ln.title}: frozen {format_value(ln.kpi, ln.value, currency=self.currency)}, "
                    f"recomputed today {format_value(ln.kpi, ln.recomputed, currency=self.currency)}"
                )
            out.append("")
        out += ["## Definitions", ""]
        for k in KPIS:
            if any(ln.kpi == k.id for ln in self.lines):
                out.append(f"- **{k.title}**: {k.definition}")
        return "\n".join(out) + "\n"


def monthly_report(
    conn: Connection, settings: AnalyticsSettings, month: str, *, now: datetime | None = None
) -> MonthlyReport:
    """All KPIs of one month; a frozen month reports its frozen values (and today's, if they differ)."""
    now = now or clock.now()
    result = compute(conn, settings, month_period(month), "month", now=now)
    snap = frozen(conn, [month]).get(month)
    prev_key = result.period.previous().start.isoformat()[:7]
    prev_snap = frozen(conn, [prev_key]).get(prev_key)
    lines = []
    for k in KPIS:
        current = result.totals.get(k.id)
        if snap is not None and k.id in snap.values:
            value, is_frozen = snap.values[k.id], True
        else:
            value, is_frozen = current, False
        if prev_snap is not None and k.id in prev_snap.values:
            previous = prev_snap.values[k.id]
        else:
            previous = result.previous.get(k.id)
        complete = result.period_complete(k.id) or is_frozen  # a frozen month was complete when frozen
        lines.append(ReportLine(k.id, k.title, k.group, value, previous, current, is_frozen, complete))
    return MonthlyReport(
        month, tuple(lines), now.isoformat(), settings.currency, history_month=result.coverage.history_month
    )
