"""First-response SLA on business hours (Qt-free).

A question's clock starts when it is asked and runs only during working hours (working days,
a daily window, a time zone, holidays). Holidays are the public holidays of a country (and
optionally one of its regions), computed by the ``holidays`` package for the years a calculation
touches, plus the calendar's own list of extra days off. Each category may have its own target in
*business* hours. The clock stops at the first reply from someone other than the asker
(``topics.first_response_at``).

All arithmetic is exact and monotonic: ``due_at(created)`` never decreases when ``created``
grows, which is what lets the triage queue sort and filter by SLA in SQL (per target, the
order of due times is the order of creation times; "overdue" is ``created_at <= cutoff``).
"""

from __future__ import annotations

import enum
import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from modconsole.errors import InvalidInput
from modconsole.i18n import QT_TRANSLATE_NOOP

__all__ = [
    "SlaLevel",
    "SlaSettings",
    "SlaStatus",
    "add_business_seconds",
    "business_seconds_between",
    "countries",
    "format_duration",
    "parse_ts",
    "public_holidays",
    "subdivisions",
    "subtract_business_seconds",
    "to_ts",
]

_MAX_DAYS = 3700  # a walk never needs more than ~10 years of calendar days


class SlaLevel(enum.StrEnum):
    """Where a question stands against its first-response target."""

    OVERDUE = "overdue"  # clock running, target passed
    DUE_SOON = "due_soon"  # clock running, little time left
    OK = "ok"  # clock running, time left
    MET = "met"  # first response within the target
    BREACHED = "breached"  # first response, but after the target
    NONE = "none"  # solved without a response from others, or no timestamp

    @property
    def running(self) -> bool:
        return self in (SlaLevel.OVERDUE, SlaLevel.DUE_SOON, SlaLevel.OK)

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    SlaLevel.OVERDUE: QT_TRANSLATE_NOOP("core", "Overdue"),
    SlaLevel.DUE_SOON: QT_TRANSLATE_NOOP("core", "Due soon"),
    SlaLevel.OK: QT_TRANSLATE_NOOP("core", "On time"),
    SlaLevel.MET: QT_TRANSLATE_NOOP("core", "Met"),
    SlaLevel.BREACHED: QT_TRANSLATE_NOOP("core", "Missed"),
    SlaLevel.NONE: "—",
}


@dataclass(frozen=True)
class SlaSettings:
    """Working time and targets. Defaults: Mon–Fri 09:00–17:00 UTC, 8 business hours.

    ``country`` (ISO 3166 code) and ``subdivision`` (the package's code of a state, province or
    region) add that place's public holidays; ``holidays`` are extra days off of one's own."""

    timezone: str = "UTC"
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0
    day_start: time = time(9, 0)
    day_end: time = time(17, 0)
    default_target_hours: float = 8.0
    category_targets: Mapping[int, float] = field(default_factory=dict)
    due_soon_fraction: float = 0.25  # "due soon" when at most this share of the target is left
    holidays: frozenset[date] = frozenset()
    country: str | None = None
    subdivision: str | None = None

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(f"Unknown time zone {self.timezone!r}.") from None
        country = (self.country or "").strip().upper() or None
        subdivision = (self.subdivision or "").strip() or None
        if country is None and subdivision is not None:
            raise InvalidInput("Choose a country for the region's public holidays.")
        if country is not None:
            known = _supported()
            if country not in known:
                raise InvalidInput(f"No public holidays are known for the country code {country!r}.")
            if subdivision is not None:
                codes = {c.upper(): c for c in known[country]}
                if subdivision.upper() not in codes:
                    raise InvalidInput(
                        f"{subdivision!r} is not a region of {country} with its own public holidays."
                    )
                subdivision = codes[subdivision.upper()]
        object.__setattr__(self, "country", country)
        object.__setattr__(self, "subdivision", subdivision)
        if not self.workdays or not set(self.workdays) <= set(range(7)):
            raise InvalidInput("Choose at least one working day.")
        if self.day_end <= self.day_start:
            raise InvalidInput("The working day must end after it starts.")
        targets = [self.default_target_hours, *self.category_targets.values()]
        if any(t <= 0 for t in targets):
            raise InvalidInput("SLA targets must be positive.")
        if not 0 <= self.due_soon_fraction < 1:
            raise InvalidInput("The 'due soon' share must be between 0 and 1.")
        # Freeze the mapping so the settings stay hashable and immutable.
        object.__setattr__(self, "category_targets", dict(sorted(self.category_targets.items())))

    def __hash__(self) -> int:
        return hash(
            (
                self.timezone,
                self.workdays,
                self.day_start,
                self.day_end,
                self.default_target_hours,
                tuple(self.category_targets.items()),
                self.due_soon_fraction,
                self.holidays,
                self.country,
                self.subdivision,
            )
        )

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def target_seconds(self, category_id: int | None) -> float:
        hours = self.category_targets.get(category_id) if category_id is not None else None
        return float(hours if hours is not None else self.default_target_hours) * 3600.0

    def is_holiday(self, day: date) -> bool:
        """A day off: one of the calendar's own holidays or a public holiday of its place."""
        if day in self.holidays:
            return True
        return self.country is not None and day in _public_days(self.country, self.subdivision, day.year)

    def holidays_between(self, first: date, end: date) -> frozenset[date]:
        """Every day off in ``[first, end)``: own and public holidays."""
        out = {d for d in self.holidays if first <= d < end}
        if self.country is not None:
            for year in range(first.year, end.year + 1):
                out.update(d for d in _public_days(self.country, self.subdivision, year) if first <= d < end)
        return frozenset(out)

    def special_targets(self) -> dict[float, tuple[int, ...]]:
        """Target seconds → categories whose explicit target differs from the default."""
        out: dict[float, list[int]] = {}
        for cid, hours in self.category_targets.items():
            if hours != self.default_target_hours:
                out.setdefault(hours * 3600.0, []).append(cid)
        return {k: tuple(v) for k, v in out.items()}

    # -- persistence (plain JSON, for a settings file or QSettings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "timezone": self.timezone,
            "workdays": sorted(self.workdays),
            "day_start": self.day_start.strftime("%H:%M"),
            "day_end": self.day_end.strftime("%H:%M"),
            "default_target_hours": self.default_target_hours,
            "category_targets": {str(k): v for k, v in self.category_targets.items()},
            "due_soon_fraction": self.due_soon_fraction,
            "holidays": sorted(d.isoformat() for d in self.holidays),
            "country": self.country,
            "subdivision": self.subdivision,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SlaSettings:
        d = cls()
        try:
            return cls(
                timezone=str(data.get("timezone", d.timezone)),
                workdays=frozenset(int(x) for x in data.get("workdays", sorted(d.workdays))),
                day_start=time.fromisoformat(str(data.get("day_start", "09:00"))),
                day_end=time.fromisoformat(str(data.get("day_end", "17:00"))),
                default_target_hours=float(data.get("default_target_hours", d.default_target_hours)),
                category_targets={
                    int(k): float(v) for k, v in dict(data.get("category_targets", {})).items()
                },
                due_soon_fraction=float(data.get("due_soon_fraction", d.due_soon_fraction)),
                holidays=frozenset(date.fromisoformat(str(x)) for x in data.get("holidays", [])),
                country=_optional_text(data.get("country")),
                subdivision=_optional_text(data.get("subdivision")),
            )
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"The SLA settings are not valid: {exc}") from None

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> SlaSettings:
        try:
            data = json.loads(text)
        except ValueError:
            raise InvalidInput("The SLA settings are not valid JSON.") from None
        if not isinstance(data, dict):
            raise InvalidInput("The SLA settings must be a JSON object.")
        return cls.from_dict(data)

    # -- the clock

    def status(
        self,
        created_at: datetime | None,
        first_response_at: datetime | None,
        category_id: int | None,
        now: datetime,
        *,
        solved: bool = False,
    ) -> SlaStatus:
        if created_at is None:
            return SlaStatus(SlaLevel.NONE, None, None)
        target = self.target_seconds(category_id)
        day = _day_seconds(self)
        due = add_business_seconds(created_at, target, self)
        if first_response_at is not None:
            level = SlaLevel.MET if first_response_at <= due else SlaLevel.BREACHED
            return SlaStatus(level, due, business_seconds_between(created_at, first_response_at, self), day)
        if solved:
            return SlaStatus(SlaLevel.NONE, due, None)
        if now >= due:
            return SlaStatus(SlaLevel.OVERDUE, due, -business_seconds_between(due, now, self), day)
        left = business_seconds_between(now, due, self)
        level = SlaLevel.DUE_SOON if left <= target * self.due_soon_fraction else SlaLevel.OK
        return SlaStatus(level, due, left, day)

    def cutoff(self, now: datetime, category_id: int | None, level: SlaLevel) -> datetime:
        """The latest creation time at which a running clock is at ``level`` or worse at ``now``.

        ``OVERDUE``: ``due(created) <= now`` ⟺ ``created <= cutoff``. ``DUE_SOON``: overdue or due
        soon ⟺ ``created <= cutoff``.
        """
        target = self.target_seconds(category_id)
        if level is SlaLevel.OVERDUE:
            return subtract_business_seconds(now, target, self)
        if level is SlaLevel.DUE_SOON:
            return subtract_business_seconds(now, target * (1 - self.due_soon_fraction), self)
        raise ValueError(f"no cutoff for {level}")


@dataclass(frozen=True, slots=True)
class SlaStatus:
    """``seconds``: business seconds left (running, negative when overdue) or taken (met/missed)."""

    level: SlaLevel
    due_at: datetime | None
    seconds: float | None
    day_seconds: float = 8 * 3600  # the length of one business day of the calendar that measured it

    def describe(self) -> str:
        """``Due in 3h 10m``, ``Overdue by 2 business days``, ``Met · 1h 5m`` (business time)."""
        if self.level is SlaLevel.NONE or self.seconds is None:
            return "—"
        if self.level is SlaLevel.OVERDUE:
            return f"Overdue by {format_business(-self.seconds, self.day_seconds)}"
        if self.level.running:
            return f"Due in {format_business(self.seconds, self.day_seconds)}"
        return f"{self.level.label} · {format_business(self.seconds, self.day_seconds)}"


# ---------------------------------------------------------------- business-time arithmetic


@functools.lru_cache(maxsize=8192)
def _window(day: date, s: SlaSettings) -> tuple[datetime, datetime, float] | None:
    """The working window (local, aware) of ``day`` and its length, or ``None`` on a day off.

    Remembered: every SLA read-out walks the same few weeks of days, and building the aware
    datetimes and asking the holiday calendar was most of the queue's per-row SLA cost."""
    if day.weekday() not in s.workdays or s.is_holiday(day):
        return None
    tz = s.tz
    open_, close = datetime.combine(day, s.day_start, tzinfo=tz), datetime.combine(day, s.day_end, tzinfo=tz)
    return open_, close, _span(open_, close)


def _windows_forward(start_local: datetime, s: SlaSettings) -> Iterable[tuple[datetime, datetime]]:
    """Working windows (local, aware) from the day of ``start_local`` on, clipped at its start."""
    day = start_local.date()
    for _ in range(_MAX_DAYS):
        window = _window(day, s)
        if window is not None:
            open_, close, _length = window
            if close > start_local:
                yield max(open_, start_local), close
        day += timedelta(days=1)
    raise InvalidInput("The SLA calendar has no working time.")


def _windows_backward(end_local: datetime, s: SlaSettings) -> Iterable[tuple[datetime, datetime]]:
    day = end_local.date()
    for _ in range(_MAX_DAYS):
        window = _window(day, s)
        if window is not None:
            open_, close, _length = window
            if open_ < end_local:
                yield open_, min(close, end_local)
        day -= timedelta(days=1)
    raise InvalidInput("The SLA calendar has no working time.")


def _span(a: datetime, b: datetime) -> float:
    # Aware datetimes subtract in absolute time, so DST days are 23 or 25 hours long as they should.
    return (b.astimezone(UTC) - a.astimezone(UTC)).total_seconds()


def add_business_seconds(start: datetime, seconds: float, s: SlaSettings) -> datetime:
    """The instant when ``seconds`` of working time have passed since ``start`` (UTC result)."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    return _add_business_seconds(start, float(seconds), s)


@functools.lru_cache(maxsize=4096)
def _add_business_seconds(start: datetime, seconds: float, s: SlaSettings) -> datetime:
    # Remembered: a topic's due time depends on its creation instant and the calendar only, and the
    # queue asks for it once to merge the SLA streams and again for the row's status, on every page.
    # (Equal keys are the same instant: the result, in UTC, depends on nothing else.)
    left = float(seconds)
    local = start.astimezone(s.tz)
    for open_, close in _windows_forward(local, s):
        span = _span(open_, close)
        if left <= span:
            if left == 0:
                return open_.astimezone(UTC)
            return (open_.astimezone(UTC) + timedelta(seconds=left)).astimezone(UTC)
        left -= span
    raise AssertionError("unreachable")  # pragma: no cover


def subtract_business_seconds(end: datetime, seconds: float, s: SlaSettings) -> datetime:
    """The latest instant ``x`` with ``business_seconds_between(x, end) == seconds`` (UTC)."""
    if end.tzinfo is None:
        raise ValueError("end must be timezone-aware")
    left = float(seconds)
    local = end.astimezone(s.tz)
    for open_, close in _windows_backward(local, s):
        span = _span(open_, close)
        if left <= span:
            return (close.astimezone(UTC) - timedelta(seconds=left)).astimezone(UTC)
        left -= span
    raise AssertionError("unreachable")  # pragma: no cover


def _walk(a_local: datetime, end_local: datetime, s: SlaSettings) -> float:
    # The windows of _windows_forward, with a whole day's length taken as remembered.
    total = 0.0
    day = a_local.date()
    for _ in range(_MAX_DAYS):
        window = _window(day, s)
        if window is not None:
            open_, close, length = window
            if close > a_local:
                if max(open_, a_local) >= end_local:
                    return total
                if open_ >= a_local and close <= end_local:
                    total += length
                else:
                    total += _span(max(open_, a_local), min(close, end_local))
        day += timedelta(days=1)
    raise InvalidInput("The SLA calendar has no working time.")


def _day_seconds(s: SlaSettings) -> float:
    return (datetime.combine(date.min, s.day_end) - datetime.combine(date.min, s.day_start)).total_seconds()


def business_seconds_between(a: datetime, b: datetime, s: SlaSettings) -> float:
    """Working seconds in ``[a, b)``; negative when ``b < a``.

    Long spans are not walked day by day: whole weeks in the middle count ``workdays × window``
    minus the working-day holidays among them (a daylight-saving change is assumed to happen
    outside working hours, as it does everywhere at night). The first and last week are walked
    exactly.
    """
    if a.tzinfo is None or b.tzinfo is None:
        raise ValueError("datetimes must be timezone-aware")
    if b < a:
        return -business_seconds_between(b, a, s)
    tz = s.tz
    a_local, b_local = a.astimezone(tz), b.astimezone(tz)
    weeks = ((b_local.date() - a_local.date()).days - 14) // 7
    if weeks <= 0:
        return _walk(a_local, b_local, s)
    mid_start = a_local.date() + timedelta(days=7)
    mid_end = mid_start + timedelta(days=7 * weeks)
    first = _walk(a_local, datetime.combine(mid_start, time(0), tzinfo=tz), s)
    holidays = sum(1 for h in s.holidays_between(mid_start, mid_end) if h.weekday() in s.workdays)
    middle = (weeks * len(s.workdays) - holidays) * _day_seconds(s)
    last = _walk(datetime.combine(mid_end, time(0), tzinfo=tz), b_local, s)
    return first + middle + last


# ---------------------------------------------------------------- public holidays (the holidays package)


@functools.cache
def _supported() -> dict[str, tuple[str, ...]]:
    """Country code → its subdivision codes, as the ``holidays`` package knows them."""
    import holidays as holidays_pkg  # ~0.1 s: only when a calendar names a country

    return {
        code: tuple(subs)
        for code, subs in holidays_pkg.list_supported_countries().items()
        if len(code) == 2 and code.isupper()
    }


@functools.lru_cache(maxsize=512)
def _public_holidays(country: str, subdivision: str | None, year: int) -> tuple[tuple[date, str], ...]:
    # 1 AD and 9999 AD are outside every calendar the package knows: nothing to add there.
    if not 1900 <= year <= 2200:
        return ()
    import holidays as holidays_pkg

    found = holidays_pkg.country_holidays(country, subdiv=subdivision, years=year)
    return tuple(sorted((d, str(name)) for d, name in found.items() if d.year == year))


@functools.lru_cache(maxsize=512)
def _public_days(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    return frozenset(d for d, _ in _public_holidays(country, subdivision, year))


def public_holidays(country: str, subdivision: str | None, years: Iterable[int]) -> dict[date, str]:
    """The public holidays (date → name) of ``country`` (and ``subdivision``) in ``years``.

    Observed days (a holiday on a Sunday moved to Monday, where the law says so) are included.
    Raises :class:`InvalidInput` for a country or region the package does not know."""
    s = SlaSettings(country=country, subdivision=subdivision)  # validates and normalises
    assert s.country is not None
    out: dict[date, str] = {}
    for year in sorted(set(years)):
        out.update(_public_holidays(s.country, s.subdivision, year))
    return out


_SMALL_WORDS = frozenset({"and", "of", "the", "da", "de", "del", "la"})


def _country_name(module: str) -> str:
    words = module.split("_")
    return " ".join(
        w if i and w in _SMALL_WORDS else "DR" if w == "dr" else w.capitalize() for i, w in enumerate(words)
    )


@functools.cache
def countries() -> tuple[tuple[str, str], ...]:
    """``(code, English name)`` of every country with public holidays, by name."""
    from holidays import registry

    names = {entry[1]: _country_name(module) for module, entry in registry.COUNTRIES.items()}
    return tuple(sorted(((c, names.get(c, c)) for c in _supported()), key=lambda cn: cn[1].casefold()))


@functools.cache
def subdivisions(country: str) -> tuple[tuple[str, str], ...]:
    """``(code, name)`` of the regions of ``country`` with their own public holidays (may be empty)."""
    code = country.strip().upper()
    subs = _supported().get(code)
    if subs is None:
        raise InvalidInput(f"No public holidays are known for the country code {country!r}.")
    import holidays as holidays_pkg

    aliases: Mapping[str, str] = (
        getattr(holidays_pkg.country_holidays(code), "subdivisions_aliases", {}) or {}
    )
    names: dict[str, str] = {}
    for name, sub in aliases.items():
        names.setdefault(str(sub), str(name))
    return tuple((s, names.get(s, s)) for s in subs)


def _optional_text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("a country or region must be text")
    return value.strip() or None


# ---------------------------------------------------------------- helpers


def parse_ts(value: str | None) -> datetime | None:
    """Parse a cache timestamp (``2026-03-01T14:05:09.123Z``) to an aware UTC datetime."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


def to_ts(value: datetime) -> str:
    """The cache's timestamp text for an aware datetime (sorts like the stored values)."""
    v = value.astimezone(UTC)
    return v.strftime("%Y-%m-%dT%H:%M:%S.") + f"{v.microsecond // 1000:03d}Z"


def format_business(seconds: float, day_seconds: float) -> str:
    """Business time as a person reads it: ``45m``, ``3h 10m``, ``1 business day 2h``,
    ``2 business days`` — a business day is one working day of the calendar (e.g. 8 hours),
    never 24 hours of business time."""
    s = max(0, int(seconds))
    day = max(60, int(day_seconds))
    days, rem = divmod(s, day)
    if days == 0:
        return format_duration(rem)
    unit = "business day" if days == 1 else "business days"
    hours = rem // 3600
    if days >= 2 or not hours:
        return f"{days} {unit}"
    return f"{days} {unit} {hours}h"


def format_duration(seconds: float, *, compact: bool = False) -> str:
    """``45m``, ``3h 20m``, ``2d 4h`` (calendar-free: a day here is 24 hours). ``compact``
    drops the hours from two days on (``31d``)."""
    s = max(0, int(seconds))
    days, rem = divmod(s, 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    if compact and days >= 2:
        return f"{days}d"
    if days:
        return f"{days}d {hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {minutes:02d}m" if minutes else f"{hours}h"
    return f"{minutes}m"
