"""Periods and buckets (UTC): any period, split by day, ISO week or calendar month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

__all__ = [
    "Bucket",
    "Granularity",
    "Period",
    "add_months",
    "buckets",
    "iso",
    "last_months",
    "month_key",
    "month_period",
]

Granularity = Literal["day", "week", "month"]
GRANULARITIES: tuple[Granularity, ...] = ("day", "week", "month")


def iso(d: date) -> str:
    """The cache's timestamp prefix for midnight UTC of ``d`` (compares with stored ISO strings)."""
    return f"{d.isoformat()}T00:00:00.000Z"


def add_months(d: date, n: int) -> date:
    m = d.year * 12 + d.month - 1 + n
    return date(m // 12, m % 12 + 1, 1)


def month_key(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


@dataclass(frozen=True, order=True)
class Period:
    """``[start, end)`` in whole UTC days."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"empty period {self.start} .. {self.end}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def previous(self) -> Period:
        """The period just before, of the same length (whole months when this is whole months)."""
        if self.month_aligned:
            n = (self.end.year * 12 + self.end.month) - (self.start.year * 12 + self.start.month)
            return Period(add_months(self.start, -n), self.start)
        return Period(self.start - timedelta(days=self.days), self.start)

    @property
    def month_aligned(self) -> bool:
        return self.start.day == 1 and self.end.day == 1

    def label(self) -> str:
        last = self.end - timedelta(days=1)
        if self.month_aligned and add_months(self.start, 1) == self.end:
            return self.start.strftime("%B %Y")
        return f"{self.start:%d %b %Y} – {last:%d %b %Y}"


@dataclass(frozen=True)
class Bucket:
    key: str  # 'YYYY-MM-DD' | 'YYYY-Www' | 'YYYY-MM'
    start: date
    end: date  # exclusive

    @property
    def start_iso(self) -> str:
        return iso(self.start)

    @property
    def end_iso(self) -> str:
        return iso(self.end)

    @property
    def epoch(self) -> float:
        """Start as epoch seconds (chart x values)."""
        return datetime(self.start.year, self.start.month, self.start.day, tzinfo=UTC).timestamp()

    @property
    def is_month(self) -> bool:
        return self.start.day == 1 and self.end == add_months(self.start, 1)

    @property
    def month_aligned(self) -> bool:
        return self.start.day == 1 and self.end.day == 1


def buckets(period: Period, granularity: Granularity) -> list[Bucket]:
    """Buckets covering ``period``; the first and last are clipped to it."""
    out: list[Bucket] = []
    if granularity == "day":
        d = period.start
        while d < period.end:
            out.append(Bucket(d.isoformat(), d, d + timedelta(days=1)))
            d += timedelta(days=1)
    elif granularity == "week":
        d = period.start - timedelta(days=period.start.weekday())
        while d < period.end:
            y, w, _ = d.isocalendar()
            out.append(Bucket(f"{y}-W{w:02d}", max(d, period.start), min(d + timedelta(days=7), period.end)))
            d += timedelta(days=7)
    elif granularity == "month":
        d = date(period.start.year, period.start.month, 1)
        while d < period.end:
            nxt = add_months(d, 1)
            out.append(Bucket(month_key(d), max(d, period.start), min(nxt, period.end)))
            d = nxt
    else:
        raise ValueError(f"unknown granularity {granularity!r}")
    return out


def month_period(month: str) -> Period:
    """``'YYYY-MM'`` → that calendar month."""
    y, m = (int(x) for x in month.split("-"))
    start = date(y, m, 1)
    return Period(start, add_months(start, 1))


def last_months(n: int, today: date) -> Period:
    """The ``n`` calendar months ending with the month of ``today`` (the current month included)."""
    end = add_months(date(today.year, today.month, 1), 1)
    return Period(add_months(end, -n), end)
