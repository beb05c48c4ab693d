"""The one clock: tests set it, it keeps ticking, child processes share it, and the core reads it."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from modconsole import clock
from tests.conftest import TEST_NOW


def test_tests_start_at_the_demo_communitys_now() -> None:
    from modconsole.demo.generator import DEFAULT_NOW

    assert clock.is_set()
    assert timedelta(0) <= clock.now() - TEST_NOW < timedelta(minutes=10)
    assert clock.now() - DEFAULT_NOW >= timedelta(hours=1)  # after the community was generated


def test_set_now_ticks_and_advance_moves_it() -> None:
    clock.set_now(datetime(2031, 5, 6, 7, 8, 9))  # naive means UTC
    first = clock.now()
    assert first.tzinfo is UTC and first.replace(microsecond=0) >= datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert clock.now() >= first  # it keeps ticking forward
    clock.advance(timedelta(days=2))
    assert clock.now() - first >= timedelta(days=2)
    assert abs(clock.timestamp() - clock.now().timestamp()) < 5
    clock.set_now(None)
    assert not clock.is_set()


def test_env_value_round_trip_is_exact() -> None:
    clock.set_now(datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC))
    value = clock.env_value()
    expected = clock.now()
    clock.set_now(None)
    clock.apply_env_value(value)
    assert abs((clock.now() - expected).total_seconds()) < 5
    clock.apply_env_value("2029-12-31T23:00:00+01:00")  # a plain instant: "now" from this moment
    assert clock.now().astimezone(UTC).replace(microsecond=0) >= datetime(2029, 12, 31, 22, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        clock.apply_env_value("next tuesday")


def test_a_child_process_shares_the_clock() -> None:
    code = "from modconsole import clock; print(clock.now().isoformat())"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, clock.ENV_VAR: clock.env_value()},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    child = datetime.fromisoformat(out.strip())
    assert abs((child - clock.now()).total_seconds()) < 60


def test_a_bad_environment_value_is_one_line() -> None:
    run = subprocess.run(
        [sys.executable, "-c", "import modconsole.clock"],
        env={**os.environ, clock.ENV_VAR: "yesterday"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0
    assert run.stderr.strip() == "modconsole: MODCONSOLE_NOW='yesterday' is not an ISO-8601 instant"


def test_the_core_judges_suspension_on_the_clock(demo_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The demo suspends a member for 30 days from its generation: refused now, allowed once it ends."""
    from modconsole.services.moderation import ActionRefused
    from tests.core.outbox_support import open_service

    svc, cache, client = open_service(tmp_path, demo_server, "moderator")
    try:
        with pytest.raises(ActionRefused) as refused:
            svc.award_badge("Superuser", "hugo_vogel")
        assert "@hugo_vogel is suspended until 2026-12-01" in refused.value.user_message
        assert svc.counts()["pending"] == 0
        clock.advance(timedelta(days=40))  # the suspension has ended
        svc.award_badge("Superuser", "hugo_vogel")
        assert svc.counts()["pending"] == 1
    finally:
        client.close()
        cache.close()
