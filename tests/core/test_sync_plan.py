"""Sync planned by the day (issue 13.4): the key's day budget is kept in a persisted ledger, the
sync leaves the reserve for the app's own actions, stops cleanly when its share is spent, says when
it resumes, and a later run resumes without repeating work; progress values carry the plan."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from modconsole import clock, settings
from modconsole.api import ApiClient, Budget, HostPacer
from modconsole.cache.db import Cache
from modconsole.demo.server import DemoServer
from modconsole.errors import InvalidInput
from modconsole.sync import SyncEngine, SyncOptions
from modconsole.sync.plan import (
    DAY,
    DAY_RESERVE,
    DayLedger,
    SyncProgress,
    estimate_costs,
    simulate_wall_time,
)
from modconsole.sync.plan import Counts as PlanCounts
from modconsole.tasks import CancelToken, Progress
from tests.core.sync_support import FAST_RETRY, cached_tables, credentials, identity

DAY_LIMIT = 25
RESERVE = 5  # the sync's share: 20 requests a day


def _client(server: DemoServer, role: str, per_day: int | None) -> ApiClient:
    budget = Budget(per_minute=None, per_day=per_day, margin=0.0)
    return ApiClient(
        server.base_url, credentials(identity(server, role)), pacer=HostPacer(budget), retry=FAST_RETRY
    )


def _run(
    server: DemoServer, cache_path: Path, per_day: int | None, seen: list[Progress] | None = None
) -> object:
    """One sync run as a fresh process would do it: a new client, the cache opened again."""
    with _client(server, "moderator", per_day) as client, Cache.open(cache_path) as cache:
        if per_day is not None:
            settings.store(cache, DAY_RESERVE, RESERVE)
        engine = SyncEngine(client, cache, options=SyncOptions(bulk=False, retry_wait=0.01))
        return engine.run_once(CancelToken(), seen.append if seen is not None else lambda p: None)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _sent(server: DemoServer) -> list[tuple[str, str, str]]:
    """The requests the server answered; a report's dates follow the clock (the days the run waited)."""
    return [
        (r.method, r.path, _DATE.sub("DATE", r.query))
        for r in server.requests
        if not r.path.startswith("/_demo/")
    ]


def test_day_budget_stops_cleanly_and_a_later_run_resumes_without_repeating_work(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    # the reference: one uninterrupted first sync of the same community by the same key
    ref_path = tmp_path / "ref.sqlite3"
    demo_server.clear_requests()
    ref = _run(demo_server, ref_path, None)
    assert ref.finished  # type: ignore[attr-defined]
    reference = Counter(_sent(demo_server))
    assert sum(reference.values()) > 2 * (DAY_LIMIT - RESERVE), "the tiny sync must span several days"

    path = tmp_path / "planned.sqlite3"
    demo_server.clear_requests()
    days = 0
    while True:
        before = len(_sent(demo_server))
        seen: list[Progress] = []
        report = _run(demo_server, path, DAY_LIMIT, seen)
        sent = len(_sent(demo_server)) - before
        assert sent <= DAY_LIMIT - RESERVE, "never more than the sync's share of a day"
        if report.finished:  # type: ignore[attr-defined]
            break
        days += 1
        assert days < 30
        resumes = report.resumes_at  # type: ignore[attr-defined]
        assert resumes is not None
        # Discourse's day is a sliding 24 hours: the first request of the window frees 24 h later
        assert timedelta(hours=23) < resumes - clock.now() <= timedelta(days=1, minutes=2)
        assert any("resumes at" in n for n in report.notes)  # type: ignore[attr-defined]
        last = seen[-1]
        assert isinstance(last, SyncProgress) and last.resumes_at == resumes and last.left_today == 0
        # the ledger is persisted: a restarted run the same day sends nothing and says the same
        again = _run(demo_server, path, DAY_LIMIT)
        assert len(_sent(demo_server)) - before == sent
        assert again.resumes_at == resumes  # type: ignore[attr-defined]
        clock.set_now(resumes + timedelta(seconds=1))
    assert days >= 2

    planned = Counter(_sent(demo_server))
    repeated = planned - reference
    assert not reference - planned, "nothing the uninterrupted sync read is left out"
    # No page is read twice: not a topic list page of the listing, not a /posts.json page, not a
    # topic (beyond the one a stop may cut through). What a resumed run adds is its catch-up with
    # the day that passed, as any sync after a pause does: the activity page, the solutions
    # report (and the answer lists when it moved), the badge list, the newest members page.
    walked = {k: n for k, n in repeated.items() if k[1] in ("/posts.json", "/latest.json")}
    catch_up = {
        k: n for k, n in walked.items() if "page=0&" in k[2] and ("status=" in k[2] or "activity" in k[2])
    }
    assert walked == catch_up, repeated
    topics = sum(n for k, n in repeated.items() if k[1].startswith("/t/"))
    assert topics <= days, repeated
    assert sum(repeated.values()) <= 5 * days, repeated
    assert cached_tables(path) == cached_tables(ref_path)


def test_reserve_is_a_setting_and_is_checked(tmp_path: Path) -> None:
    with Cache.open(tmp_path / "c.sqlite3") as cache:
        assert settings.load(cache, DAY_RESERVE) == 240
        settings.store(cache, DAY_RESERVE, 100)
        assert settings.load(cache, DAY_RESERVE) == 100
        with pytest.raises(InvalidInput):
            settings.store(cache, DAY_RESERVE, -1)
    from modconsole.commands.settings import declared

    assert "sync.day_reserve" in declared()


def test_ledger_counts_a_sliding_day() -> None:
    t0 = 1_000_000 * 60.0
    ledger = DayLedger()
    ledger.record(30, t0)
    ledger.record(20, t0 + 3600)
    assert ledger.used(t0 + 3600) == 50
    assert ledger.used(t0 + DAY + 61) == 20  # the first minute left the window
    assert ledger.frees_at(t0 + 3600, allowance=50) == t0 + 60 + DAY
    assert ledger.frees_at(t0 + 3600, allowance=50, need=30) == t0 + 60 + DAY
    assert ledger.frees_at(t0 + 3600, allowance=50, need=31) == t0 + 3600 + 60 + DAY
    assert ledger.frees_at(t0 + 3600, allowance=100) == t0 + 3600


def test_progress_is_monotone_and_has_an_eta_once_costs_are_known(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    seen: list[Progress] = []
    report = _run(demo_server, tmp_path / "c.sqlite3", 2880, seen)
    assert report.finished  # type: ignore[attr-defined]
    plans = [p for p in seen if isinstance(p, SyncProgress)]
    assert len(plans) == len(seen) > 10
    assert [p.requests for p in plans] == sorted(p.requests for p in plans)
    lefts = [p.left_today for p in plans]
    assert all(x is not None for x in lefts)
    assert lefts == sorted(lefts, reverse=True)  # type: ignore[type-var]
    assert plans[0].day_limit == 2880 - RESERVE
    # once the site's counts are in (after /site.json) every report has a cost; with no minute
    # limit (this unpaced client) the ETA follows from the rate of the first five requests
    after_site = [p for p in plans if p.stage != "site"]
    assert after_site and all(p.cost_left is not None for p in after_site)
    timed = [p for p in after_site if p.requests >= 5]
    assert timed and all(p.eta_seconds is not None and p.eta_seconds >= 0 for p in timed)
    assert plans[-1].cost_left is not None and plans[-1].cost_left <= 10
    assert all(p.cost_left == sum(n for _, n in p.stage_costs) for p in plans)
    first_posts = next(p for p in plans if p.stage == "posts")
    assert dict(first_posts.stage_costs)["posts"] >= 1 and "queue" not in dict(first_posts.stage_costs)
    assert {p.phase for p in plans} >= {"queue", "recent", "rest"}
    assert all(p.resumes_at is None for p in plans)


def test_cost_estimate_follows_the_counts() -> None:
    empty = estimate_costs(PlanCounts(topics=100_000, posts=976_000, users=20_000, groups=10, reports=9))
    assert 20_000 <= sum(empty.values()) <= 23_000  # the REST floor of `large` is 20,744
    resumed = estimate_costs(
        PlanCounts(topics=100_000, posts=976_000, users=20_000, posts_target=976_000, posts_next=488_000)
    )
    assert resumed["posts"] == 488_000 // 50
    bulk = estimate_costs(PlanCounts(topics=100_000, posts=976_000, users=20_000, bulk=True))
    assert sum(bulk.values()) < 400


def test_simulated_wall_time_follows_the_limits() -> None:
    # 20/min: the 21st request waits for the first to leave the minute
    assert simulate_wall_time(20, per_minute=20) == 0.0
    assert simulate_wall_time(21, per_minute=20) == pytest.approx(60.0, abs=0.01)
    # a day share of 100: request 101 waits a day
    t = simulate_wall_time(101, per_minute=None, per_day=110, reserve=10)
    assert t == pytest.approx(DAY, abs=0.01)
    # Data Explorer runs 5 s apart
    assert simulate_wall_time(3, per_minute=None, spacing=5.0, spaced=3) == pytest.approx(10.0, abs=0.01)


def test_cli_prints_plain_progress_lines_and_the_resume_line_when_not_a_tty(
    demo_server: DemoServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from modconsole.commands import main as cli
    from modconsole.exitcodes import ExitCode

    mod = demo_server.credentials.moderator
    monkeypatch.setenv("MODCONSOLE_API_KEY", mod.key)
    site = ["--site", demo_server.base_url, "--username", mod.username, "--unpaced", "--no-bulk"]
    code = cli.main(["sync", *site, "--day-limit", "260"])  # the sync's share: 260 - 240 = 20
    out, err = capsys.readouterr()
    assert code == ExitCode.OK, err
    lines = err.splitlines()
    progress = [ln for ln in lines if ln.startswith("sync: ") and "requests" in ln]
    assert progress and "\r" not in err  # plain lines, no bar redrawn in place
    assert progress[0].startswith("sync: site ")
    assert any("left today" in ln and "ETA" in ln for ln in progress), progress
    stop = [ln for ln in lines if "day budget is spent" in ln]
    assert len(stop) == 1 and "resumes at" in stop[0] and "UTC" in stop[0], lines
    assert "Synced" in out
    code = cli.main(["status"])
    out, _ = capsys.readouterr()
    assert code == ExitCode.OK and "the sync resumes at" in out, out

    code = cli.main(["sync", *site, "--day-limit", "0"])
    _, err = capsys.readouterr()
    assert code == ExitCode.BAD_INPUT and "--day-limit" in err and len(err.strip().splitlines()) == 1

    clock.advance(timedelta(days=1, minutes=2))
    code = cli.main(["sync", *site, "--json"])  # no day limit asked: the key's own
    out, err = capsys.readouterr()
    assert code == ExitCode.OK, err
    import json

    data = json.loads(out.strip().splitlines()[-1])
    assert data["finished"] is True and data["first_sync"] is True and data["resumes_at"] is None


def test_cli_draws_a_bar_on_a_terminal() -> None:
    import io

    from modconsole.commands.sync import _ProgressPrinter

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    printer = _ProgressPrinter(stream)
    printer(
        SyncProgress(
            "posts", 100, 1000, 40, phase="recent", left_today=2000, cost_left=60, eta_seconds=3 * 3600
        )
    )
    printer(
        SyncProgress("posts", 200, 1000, 50, phase="recent", left_today=1990, cost_left=50, eta_seconds=3000)
    )
    printer.close()
    text = stream.getvalue()
    assert "\r" in text and "50/100 req" in text and "left today 1990" in text and "ETA 50 min" in text
    assert "posts 200/1000" in text


def test_every_request_of_the_key_is_booked_once(demo_server: DemoServer, tmp_path: Path) -> None:
    """Requests between runs (a push, a re-read) count against the day too; a second engine on the
    same client books nothing twice."""
    demo_server.clear_requests()
    with _client(demo_server, "moderator", 2880) as client, Cache.open(tmp_path / "c.sqlite3") as cache:
        opts = SyncOptions(bulk=False, retry_wait=0.01)
        SyncEngine(client, cache, options=opts).run_once(CancelToken())
        for _ in range(3):  # the app's own requests between two runs
            client.get_json("/site.json")
        SyncEngine(client, cache, options=opts).run_once(CancelToken())
        assert len(DayLedger.load(cache)) == len(_sent(demo_server))
