"""The day ledger is shared by every process that spends the key's day (issue 13.4): the app and a
``modconsole sync`` in a terminal, or two syncs. Each adds its requests to the cache's rows (one
statement that increments); none writes its own view of the whole day over the others'."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from modconsole import clock, settings
from modconsole.api import ApiClient, Budget, HostPacer
from modconsole.cache.db import Cache
from modconsole.demo.server import DemoServer
from modconsole.sync.plan import DAY, DAY_RESERVE, DayBudgetSpent, DayLedger, SyncPlan
from tests.core.sync_support import FAST_RETRY, credentials, identity

ROOT = Path(__file__).resolve().parents[2]

_SPENDER = textwrap.dedent(
    """
    import sys
    from modconsole import clock
    from modconsole.cache.db import Cache
    from modconsole.sync.plan import DayLedger

    path, n = sys.argv[1], int(sys.argv[2])
    with Cache.open(path) as cache:
        ledger = DayLedger.load(cache)  # as a sync does when it starts
        print("ready", flush=True)
        sys.stdin.readline()  # both processes start spending together
        for _ in range(n):
            ledger.record(1, clock.timestamp())
            ledger.save(cache)
    """
)


def test_two_processes_each_spending_n_requests_leave_2n_in_the_ledger(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with Cache.open(path) as cache:  # created and migrated once, before the two start
        DayLedger().save(cache)
    n = 60
    env = {**os.environ, clock.ENV_VAR: clock.env_value(), "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _SPENDER, str(path), str(n)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for _ in range(2)
    ]
    try:
        for p in procs:
            assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        for p in procs:
            assert p.wait(timeout=120) == 0
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
            for stream in (p.stdin, p.stdout):
                if stream is not None:
                    stream.close()
    with Cache.open(path) as cache:
        assert len(DayLedger.load(cache)) == 2 * n


def test_a_save_adds_what_was_recorded_and_takes_back_the_other_processes_requests(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with Cache.open(path) as a_cache, Cache.open(path) as b_cache:  # two processes' own connections
        a, b = DayLedger.load(a_cache), DayLedger.load(b_cache)  # both start on an empty day
        now = clock.timestamp()
        a.record(7, now)
        a.save(a_cache, now)
        b.record(5, now)
        assert b.used(now) == 5  # not saved yet: B knows only its own
        b.save(b_cache, now)
        assert b.used(now) == 12  # A's seven came back with the save
        a.record(1, now + 60)
        a.save(a_cache, now + 60)
        assert a.used(now + 60) == 13
        assert len(DayLedger.load(b_cache)) == 13
        # a minute that left the day is dropped from the shared rows as well
        b.save(b_cache, now + DAY + 61)
        assert len(DayLedger.load(a_cache)) == 1


def _client(server: DemoServer, per_day: int) -> ApiClient:
    budget = Budget(per_minute=None, per_day=per_day, margin=0.0)
    return ApiClient(
        server.base_url, credentials(identity(server, "moderator")), pacer=HostPacer(budget), retry=FAST_RETRY
    )


def test_two_syncs_on_one_key_do_not_spend_more_than_its_day_together(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """The app and a terminal sync plan against the same key: what one spent, the other sees."""
    path = tmp_path / "c.sqlite3"
    with Cache.open(path) as cache:
        settings.store(cache, DAY_RESERVE, 5)  # a day of 25, the syncs' share 20
    with (
        _client(demo_server, 25) as app_client,
        _client(demo_server, 25) as cli_client,
        Cache.open(path) as app_cache,
        Cache.open(path) as cli_cache,
    ):
        app = SyncPlan(app_client, app_cache)
        cli = SyncPlan(cli_client, cli_cache)  # started while the app's day was still empty
        assert app.left_today() == cli.left_today() == 20

        for _ in range(14):  # the app takes 14 of the 20
            app.before_request()
            app_client.get_json("/site.json")
        app.observe()  # books its last request (and adds it to the cache: the day is near its end)
        with pytest.raises(DayBudgetSpent):
            for _ in range(100):
                cli.before_request()
                cli_client.get_json("/site.json")
        assert cli_client.stats().requests_sent == 6  # what the app left, not a day of its own
        assert len(DayLedger.load(app_cache)) == 20
        with pytest.raises(DayBudgetSpent):
            app.before_request()  # and the app sees the terminal's requests too


def test_the_ledger_a_cache_kept_in_its_settings_moves_into_the_table(tmp_path: Path) -> None:
    """Migration 0011: the old JSON value's minutes and counts, unchanged, and the settings row gone."""
    from alembic import command
    from sqlalchemy import text

    from modconsole.cache.db import alembic_config

    path = tmp_path / "c.sqlite3"
    with Cache.open(path) as cache:
        with cache.write() as conn:
            conn.execute(
                text("INSERT INTO day_ledger (minute, requests) VALUES (29460000, 17), (29460001, 3)")
            )
            command.downgrade(alembic_config(conn), "0010")  # the ledger as the previous version kept it
        with cache.read() as conn:
            old = conn.execute(text("SELECT value_json FROM settings WHERE key = 'sync.day_ledger'")).scalar()
        assert old is not None and '"29460000":17' in old.replace(" ", "")
    with Cache.open(path) as cache:  # opening it upgrades it again
        with cache.read() as conn:
            rows = conn.execute(text("SELECT minute, requests FROM day_ledger ORDER BY minute")).all()
            gone = conn.execute(text("SELECT count(*) FROM settings WHERE key = 'sync.day_ledger'")).scalar()
        assert [tuple(r) for r in rows] == [(29460000, 17), (29460001, 3)] and gone == 0
