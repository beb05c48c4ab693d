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
    "up_to",
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
    partial: bool = False  # the day, week or month is still running (its figures are "so far")

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


def buckets(period: Period, granularity: Granularity, *, today: date | None = None) -> list[Bucket]:
    """Buckets covering ``period``; the first and last are clipped to it.

    With ``today``, a bucket whose day, week or month has not ended by the end of ``today`` is
    marked ``partial`` (its figures are "so far"); buckets that would start after ``today`` are
    not made at all (no future days drawn as zeros).
    """
    out: list[Bucket] = []
    stop = period.end if today is None else min(period.end, today + timedelta(days=1))

    def add(key: str, start: date, natural_end: date) -> None:
        end = min(natural_end, stop)
        partial = today is not None and natural_end > today  # it includes today, which is running
        out.append(Bucket(key, max(start, period.start), end, partial))

    if granularity == "day":
        d = period.start
        while d < stop:
            add(d.isoformat(), d, d + timedelta(days=1))
            d += timedelta(days=1)
    elif granularity == "week":
        d = period.start - timedelta(days=period.start.weekday())
        while d < stop:
            y, w, _ = d.isocalendar()
            add(f"{y}-W{w:02d}", d, d + timedelta(days=7))
            d += timedelta(days=7)
    elif granularity == "month":
        d = date(period.start.year, period.start.month, 1)
        while d < stop:
            nxt = add_months(d, 1)
            add(month_key(d), d, nxt)
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
    """The ``n`` calendar months ending with the month of ``today``: the current month is included
    up to the end of ``today`` (so far), never past it."""
    end = add_months(date(today.year, today.month, 1), 1)
    return Period(add_months(end, -n), min(end, today + timedelta(days=1)))


def up_to(period: Period, today: date) -> Period:
    """``period`` cut at the end of ``today`` (no future days); unchanged when it ended before."""
    end = max(today + timedelta(days=1), period.start + timedelta(days=1))
    return Period(period.start, min(period.end, end))
