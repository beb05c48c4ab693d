"""Honest, live numbers (issue 13 part 5): which periods a first sync has completed, the marker in
the figures, the chart CSV and the monthly report, live changes at most once a second, and the
rollups a whole posts walk keeps per page equal to a computation from scratch.

The partial caches come from a real first sync over HTTP against the demo community, stopped in
the posts walk through the engine's progress hook (called after each committed page)."""

from __future__ import annotations

import itertools
import json
import random
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from modconsole.analytics import compute, last_months, load_settings, monthly_report, series_csv
from modconsole.analytics.coverage import read_coverage
from modconsole.analytics.dashboard import load_dashboard
from modconsole.analytics.periods import month_key
from modconsole.analytics.snapshots import freeze_closed_months
from modconsole.cache import repo
from modconsole.cache.db import Cache
from modconsole.changes import Changes, ChangesThrottle
from modconsole.demo.server import DemoServer
from modconsole.errors import Cancelled
from modconsole.tasks import CancelToken, Progress
from tests.core.sync_support import engine_for


def _server(server: DemoServer, sql: str) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True)
    try:
        return [tuple(r) for r in con.execute(sql)]
    finally:
        con.close()


def _now(server: DemoServer) -> Any:
    from datetime import UTC, datetime

    (raw,) = _server(server, "SELECT value FROM meta WHERE key = 'now'")[0]
    return datetime.fromisoformat(json.loads(raw).replace("Z", "+00:00")).astimezone(UTC)


def _stopped_in_posts(
    server: DemoServer, cache_path: Path, share: float
) -> tuple[Cache, Any, list[Progress]]:
    """A first sync stopped once the posts walk has done ``share`` of its ids."""
    engine, client, cache = engine_for(server, cache_path)
    token = CancelToken()
    seen: list[Progress] = []

    def hook(p: Progress) -> None:
        seen.append(p)
        if p.stage == "posts" and p.total and p.done >= share * p.total:
            token.cancel()

    with pytest.raises(Cancelled):
        engine.run_once(token, hook)
    return cache, (engine, client), seen


def test_a_partly_synced_cache_marks_the_months_the_walk_has_not_completed(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    cache, (engine, client), seen = _stopped_in_posts(demo_server, tmp_path / "c.sqlite3", 0.4)
    now = _now(demo_server)
    try:
        with cache.read() as conn:
            cov = read_coverage(conn)
            assert cov.syncing and not cov.history_complete and not cov.members_complete
            assert cov.history_from is not None
            # the claim: every counted post the server has from history_from on is cached
            cached = {int(r[0]) for r in conn.execute(text("SELECT id FROM posts"))}
            start = cov.history_from.isoformat()
            on_server = {
                int(r[0])
                for r in _server(
                    demo_server,
                    "SELECT p.id FROM posts p JOIN topics t ON t.id = p.topic_id "
                    f"WHERE p.created_at >= '{start}' AND p.post_type = 1 AND p.deleted_at IS NULL "
                    "AND p.hidden = 0 AND t.visible = 1 AND t.deleted_at IS NULL AND t.archetype = 'regular'",
                )
            }
            assert on_server and on_server <= cached
            older = _server(demo_server, f"SELECT count(*) FROM posts WHERE created_at < '{start}'")[0][0]
            assert older > 0  # the walk stopped with history left: the test means something

            period = last_months(24, now.date())
            result = compute(conn, load_settings(conn), period, "month", now=now)
            complete_from = cov.history_month
            assert complete_from is not None
            for i, b in enumerate(result.buckets):
                want = b.key >= complete_from
                assert result.bucket_complete(i, "new_posts") is want, b.key
                assert result.bucket_complete(i, "active_contributors") is want, b.key
                # who is an employee (users, groups) is not known yet: no question figure is final
                assert result.bucket_complete(i, "questions_asked") is False
                assert result.bucket_complete(i, "signups") is False  # users not synced yet
                assert result.bucket_complete(i, "unanswered_backlog") is False  # counts all history
            assert result.incomplete
            assert not result.period_complete("new_posts")  # 24 months reach before the walk

            # the chart export says which rows are not final
            rows = [r.split(",") for r in series_csv(result, ["questions_asked"]).strip().splitlines()]
            assert rows[0][-1] == "synced"
            rows = [r.split(",") for r in series_csv(result, ["new_posts"]).strip().splitlines()]
            marks = {r[1]: r[-1] for r in rows[1:]}
            assert {k for k, v in marks.items() if v == "complete"} == {
                k for k in marks if k >= complete_from
            }

            # the monthly report of a month the walk has not completed is marked, and not frozen
            month = month_key(date(cov.history_from.year, cov.history_from.month, 1))
            report = monthly_report(conn, load_settings(conn), month, now=now)
            assert not report.complete
            assert "Incomplete: the first sync is still running" in report.to_markdown()
            assert f"history to {complete_from}" in report.to_markdown()
            assert ",incomplete" in report.to_csv() and report.to_csv().splitlines()[0].endswith(",synced")
            data = load_dashboard(conn, period, "month", now=now)
            assert data.coverage == cov
        with cache.write() as conn:
            assert freeze_closed_months(conn, load_settings(conn), now) == []
            assert conn.execute(text("SELECT count(*) FROM kpi_snapshots")).scalar() == 0

        # progress reports carried what the run had written: the figures could follow it
        live = [p.changes for p in seen if p.stage == "posts" and p.changes]
        assert live and all(c.touches("kpis") for c in live)

        # the first sync finishes: every period is complete, and the report is final
        partial = result
        assert any(partial.bucket_complete(i, "new_posts") for i in range(len(partial.buckets)))
        assert engine.run_once(CancelToken()).finished
        with cache.read() as conn:
            assert not read_coverage(conn).syncing
            result = compute(conn, load_settings(conn), last_months(24, now.date()), "month", now=now)
            # what the walk had marked complete was already final (the figures followed it per page)
            for kid in ("new_posts", "new_topics", "new_replies", "active_contributors", "posts_per_active"):
                for i, b in enumerate(partial.buckets):
                    if partial.bucket_complete(i, kid):
                        assert partial.series[kid][i] == result.series[kid][i], (kid, b.key)
            assert not result.incomplete and all(
                result.bucket_complete(i, k) for i in range(len(result.buckets)) for k in result.series
            )
            assert monthly_report(conn, load_settings(conn), month, now=now).complete
    finally:
        client.close()
        cache.close()


def test_a_cache_no_sync_wrote_claims_nothing(tmp_path: Path) -> None:
    cache = Cache.open(tmp_path / "c.sqlite3")
    try:
        with cache.read() as conn:
            assert not read_coverage(conn).syncing
    finally:
        cache.close()


# ---------------------------------------------------------------- live changes: at most once a second


def test_the_throttle_passes_changes_at_most_once_a_second_and_loses_none() -> None:
    th = ChangesThrottle(1.0)
    t0 = 1_000.0
    assert th.offer(Changes(topic_ids={1}), t0) == Changes(topic_ids={1})  # the first passes at once
    assert th.offer(Changes(post_ids={2}), t0 + 0.2) is None  # held
    assert th.offer(Changes.of("users"), t0 + 0.99) is None
    out = th.offer(None, t0 + 1.0)  # a second later: everything held, merged by the Changes rule
    assert out == Changes(post_ids={2}) | Changes.of("users")
    assert th.offer(None, t0 + 5.0) is None  # nothing held, nothing passes
    assert th.offer(Changes(topic_ids={3}), t0 + 5.5) == Changes(topic_ids={3})
    assert th.offer(Changes.of("kpis"), t0 + 5.6) is None
    assert th.flush() == Changes.of("kpis") and th.flush() == Changes()


@given(st.lists(st.floats(min_value=0.0, max_value=3.0), min_size=1, max_size=60))
def test_passes_are_a_second_apart_whatever_the_page_rhythm(gaps: list[float]) -> None:
    th = ChangesThrottle(1.0)
    t, passed, offered = 0.0, [], Changes()
    got = Changes()
    for i, gap in enumerate(gaps):
        t += gap
        c = Changes(post_ids={i})
        offered = offered | c
        out = th.offer(c, t)
        if out is not None:
            passed.append(t)
            got = got | out
    got = got | th.flush()
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(passed))
    assert got == offered  # nothing is lost


# ---------------------------------------------------------------- per-page rollups = from scratch


def _rollups(conn: Any) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    daily = {tuple(r) for r in conn.execute(text("SELECT day, posts, topics FROM daily_posts"))}
    um = {
        tuple(r) for r in conn.execute(text("SELECT month, user_id, posts, topics, replies FROM user_month"))
    }
    qf = {
        tuple(r)
        for r in conn.execute(
            text(
                "SELECT q.topic_id, q.ttfr_ms, q.responder_id FROM question_facts q JOIN posts p "
                "ON p.topic_id = q.topic_id AND p.post_number = 1"
            )
        )
    }
    return daily, um, qf


@pytest.fixture(scope="module")
def synced_posts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fully synced tiny cache, made once: its posts are re-walked page by page below."""
    from modconsole.demo.generator import generate

    work = tmp_path_factory.mktemp("walk")
    store = work / "tiny.sqlite3"
    generate(store, size="tiny", seed=7)
    server = DemoServer(store)
    server.start()
    try:
        engine, client, cache = engine_for(server, work / "cache.sqlite3")
        try:
            assert engine.run_once(CancelToken()).finished
        finally:
            client.close()
            cache.close()
    finally:
        server.stop()
    return work / "cache.sqlite3"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=3, max_value=120))
def test_rollups_kept_per_page_equal_a_computation_from_scratch(
    synced_posts: Path, tmp_path_factory: pytest.TempPathFactory, seed: int, page: int
) -> None:
    """Posts arrive newest first in pages of any size (``repo.refresh_walked`` after each, as the
    whole walk does); where the walk has been, the rollups equal ``rebuild_derived`` from scratch."""
    work = tmp_path_factory.mktemp("prop")
    src = sqlite3.connect(synced_posts)
    dst = sqlite3.connect(work / "c.sqlite3")
    src.backup(dst)
    src.close()
    dst.close()
    cache = Cache.open(work / "c.sqlite3")
    rng = random.Random(seed)
    try:
        with cache.write() as conn:
            rows = [dict(r) for r in conn.execute(text("SELECT * FROM posts ORDER BY id DESC")).mappings()]
            full = _rollups(conn)
            conn.execute(text("DELETE FROM posts"))
            conn.execute(text("DELETE FROM daily_posts"))
            conn.execute(text("DELETE FROM user_month"))
            conn.execute(
                text(
                    "UPDATE topics SET first_response_at = NULL, first_responder_id = NULL, "
                    "asker_replies = 0, others_replies = 0, last_reply_at = NULL, last_reply_by_asker = NULL"
                )
            )
        i = 0
        stop = rng.randint(len(rows) // 3, len(rows))  # anywhere in the walk, or at its end
        while i < stop:
            size = max(1, min(page + rng.randint(-2, 2), stop - i))
            chunk = rows[i : i + size]
            i += size
            with cache.write() as conn:
                repo.upsert_posts(conn, chunk)
                repo.refresh_walked(conn, chunk)
        with cache.read() as conn:
            walked = _rollups(conn)
            oldest_day = str(rows[i - 1]["created_at"])[:10]
        daily_w, um_w, qf_w = walked
        daily_f, um_f, qf_f = full
        # days after the oldest walked day and topics whose first post was walked: final
        assert {d for d in daily_w if d[0] > oldest_day} == {d for d in daily_f if d[0] > oldest_day}
        started = {int(r["topic_id"]) for r in rows[:i] if r["post_number"] == 1}
        assert qf_w == {q for q in qf_f if q[0] in started}
        # months after the oldest walked month: final
        month = oldest_day[:7]
        assert {u for u in um_w if u[0] > month} == {u for u in um_f if u[0] > month}
        if i == len(rows):  # the whole walk: everything equals the computation from scratch
            assert walked[:2] == full[:2]
    finally:
        cache.close()


# ---------------------------------------------------------------- the dashboard's breakdowns


@pytest.mark.parametrize("months", [1, 3, 12])
def test_the_dashboards_breakdowns_equal_a_standalone_computation(synced_posts: Path, months: int) -> None:
    """The dashboard makes both breakdowns from the questions its KPI pass has read; standalone
    they read their own: the rows are the same."""
    from datetime import UTC, datetime

    from modconsole.analytics.breakdown import breakdown

    now = datetime(2026, 11, 1, 12, tzinfo=UTC)
    cache = Cache.open(synced_posts)
    try:
        with cache.read() as conn:
            data = load_dashboard(conn, last_months(months, now.date()), "month", now=now)
            settings_ = load_settings(conn)
            p = data.result.period
            assert data.by_category == tuple(breakdown(conn, settings_, p, "category", now=now))
            assert data.by_company == tuple(breakdown(conn, settings_, p, "company", now=now))
            assert sum(r.questions for r in data.by_category) == data.result.totals["questions_asked"]
            assert sum(r.questions for r in data.by_company) == data.result.totals["questions_asked"]
            if months > 1:  # the demo's companies are there (November so far is one day)
                assert any(r.key is not None for r in data.by_company)
    finally:
        cache.close()
