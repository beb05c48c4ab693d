"""Public holidays for the SLA calendar from the ``holidays`` package: a country and a region,
computed for the years a calculation needs, in the queue's clock and the dashboard's alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from modconsole.analytics.business import BusinessClock
from modconsole.errors import InvalidInput
from modconsole.services.sla import (
    SlaLevel,
    SlaSettings,
    add_business_seconds,
    business_seconds_between,
    countries,
    public_holidays,
    subdivisions,
)

BERLIN = ZoneInfo("Europe/Berlin")
BAVARIA = SlaSettings(timezone="Europe/Berlin", country="DE", subdivision="BY")


def test_bavaria_has_epiphany_and_berlin_does_not() -> None:
    bavaria = public_holidays("DE", "BY", [2026])
    assert bavaria[date(2026, 1, 6)] == "Epiphany"
    assert date(2026, 1, 6) not in public_holidays("DE", "BE", [2026])
    assert date(2026, 12, 25) in bavaria and date(2026, 12, 25) in public_holidays("de", None, [2026])
    assert ("BY", "Bayern") in subdivisions("DE")
    assert ("DE", "Germany") in countries() and ("GB", "United Kingdom") in countries()


def test_a_question_before_a_public_holiday_skips_it() -> None:
    asked = datetime(2026, 1, 5, 16, 0, tzinfo=BERLIN)  # Monday 16:00, Tuesday 6 January is Epiphany
    plain = replace(BAVARIA, country=None, subdivision=None)
    assert add_business_seconds(asked, 8 * 3600, plain) == datetime(2026, 1, 6, 16, 0, tzinfo=BERLIN)
    assert add_business_seconds(asked, 8 * 3600, BAVARIA) == datetime(2026, 1, 7, 16, 0, tzinfo=BERLIN)
    wednesday = datetime(2026, 1, 7, 9, 0, tzinfo=BERLIN)
    assert business_seconds_between(asked, wednesday, BAVARIA) == 3600
    assert business_seconds_between(asked, wednesday, plain) == 9 * 3600
    status = BAVARIA.status(asked, None, None, datetime(2026, 1, 6, 20, 0, tzinfo=BERLIN))
    assert status.level is not SlaLevel.OVERDUE and status.seconds == 7 * 3600


def test_public_holidays_over_long_spans_and_in_the_analytics_clock() -> None:
    a = datetime(2025, 11, 3, 9, 0, tzinfo=UTC)
    b = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
    s = SlaSettings(country="DE", subdivision="BY", holidays=frozenset({date(2026, 3, 3)}))
    walked = sum(
        business_seconds_between(a + timedelta(days=i), a + timedelta(days=i + 1), s)
        for i in range((b - a).days)
    )
    assert business_seconds_between(a, b, s) == walked  # the shortcut over whole weeks counts them too
    assert business_seconds_between(a, b, s) < business_seconds_between(a, b, SlaSettings())
    clock = BusinessClock(s, a.date(), b.date())
    assert clock.between(a.timestamp(), b.timestamp()) == walked


def test_country_and_region_are_checked_and_kept() -> None:
    with pytest.raises(InvalidInput, match="country code 'XX'"):
        SlaSettings(country="XX")
    with pytest.raises(InvalidInput, match="not a region of DE"):
        SlaSettings(country="DE", subdivision="ZZ")
    with pytest.raises(InvalidInput, match="Choose a country"):
        SlaSettings(subdivision="BY")
    s = SlaSettings(country=" de ", subdivision="by")
    assert (s.country, s.subdivision) == ("DE", "BY")
    assert SlaSettings.from_json(s.to_json()) == s
    assert SlaSettings.from_json('{"timezone": "UTC"}').country is None  # calendars saved before
