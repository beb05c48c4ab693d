"""A full first sync over loopback reproduces the demo server's state, table by table, on both
platforms; the queue is complete early and its SLA clocks run from the cache; an incremental sync
with no change costs at most 3 requests."""

from __future__ import annotations

from pathlib import Path

from modconsole import clock
from modconsole.demo.server import DemoServer
from modconsole.services import triage
from modconsole.tasks import CancelToken
from modconsole.workspace import Workspace
from tests.core.community import Community
from tests.core.sync_support import cached_tables, differences, engine_for, sync

OPEN = frozenset(s for s in triage.QueueState if s is not triage.QueueState.SOLVED)
UNANSWERED = frozenset({triage.QueueState.NO_REPLY, triage.QueueState.ASKER_ONLY})


def _queue(ws: Workspace, states: frozenset[triage.QueueState]) -> dict[int, triage.QueueRow]:
    q = triage.TriageQuery(filter=triage.QueueFilter(states=states), sla_settings=ws.sla())
    with ws.cache.read() as conn:
        return {r.topic_id: r for r in triage.page(conn, q.at(clock.now()), limit=1000).rows}


def test_full_sync_reproduces_the_server(community: Community) -> None:
    several: tuple[int, set[int]] | None = None
    if community.capabilities.multiple_accepted_answers:  # a second accepted answer on one question
        ((tid, (first, second)),) = community.questions_with_answers()
        community.teammate_accepts(first)
        community.teammate_accepts(second)
        several = tid, {first, second}
    cache_path = community.tmp_path / "admin.sqlite3"
    with community.open("admin", cache_path, **community.FULL_MIRROR) as ws:
        report = ws.engine.run_once(CancelToken())
        assert report.finished and report.first_sync and report.queue_complete
        expected = community.expected_tables()
        assert differences(expected, community.cached_tables(cache_path)) == {}
        assert report.changes.touches("posts") and report.counts["posts"] == len(expected["posts"])
        if several is not None:  # the cache keeps the set
            tid, accepted = several
            assert {p for p, t in community.cached_tables(cache_path)["solutions"] if t == tid} == accepted

        again = ws.engine.run_once(CancelToken())
        assert again.finished and not again.first_sync
        assert again.requests_total <= 3, again.requests
        assert not again.changes.touches_any(["topics", "posts", "users", "badges", "user_badges"])
        assert differences(expected, community.cached_tables(cache_path)) == {}
    # a rescan re-lists everything and finds nothing changed either (nothing marked gone)
    with community.open("admin", cache_path, force_rescan=True, **community.FULL_MIRROR) as ws:
        rescan = ws.engine.run_once(CancelToken())
        assert rescan.rescanned and rescan.finished
        assert not rescan.changes.touches_any(["topics", "posts", "users", "badges", "user_badges"])
    assert differences(expected, community.cached_tables(cache_path)) == {}


def test_a_new_reply_and_accepts_arrive_in_one_incremental_sync(community: Community) -> None:
    (t1, (a1, _)), (t2, _) = community.questions_with_answers(2)
    with community.open(sync=True) as ws:
        community.teammate_accepts(a1)
        new = community.reply_as("admin", t2, "Try the new setting, then restart the sync.")
        community.teammate_accepts(new)
        report = ws.sync()
        assert report.finished and not report.first_sync
        assert {t1, t2} <= report.changes.topic_ids and new in report.changes.post_ids
        with ws.cache.read() as conn:
            assert conn.exec_driver_sql(f"SELECT topic_id FROM posts WHERE id = {new}").all() == [(t2,)]
        assert _solved(ws, t1, t2) == {t1: {a1}, t2: {new}}
        community.teammate_accepts(new, status="pending")  # and an unaccept takes it out again
        ws.sync()
        assert _solved(ws, t1, t2) == {t1: {a1}, t2: set()}


def _solved(ws: Workspace, *topic_ids: int) -> dict[int, set[int]]:
    """The cached accepted answers of these topics (their flag agreeing)."""
    out: dict[int, set[int]] = {}
    with ws.cache.read() as conn:
        for tid in topic_ids:
            out[tid] = {
                r[0]
                for r in conn.exec_driver_sql(
                    f"SELECT post_id FROM solutions WHERE topic_id = {tid} AND gone_since IS NULL"
                )
            }
            flag = conn.exec_driver_sql(f"SELECT has_accepted_answer FROM topics WHERE id = {tid}").scalar()
            assert bool(flag) == bool(out[tid]), tid
    return out


def test_queue_is_complete_after_a_few_requests(community: Community) -> None:
    with community.open("admin", stop_after_queue=True) as ws:
        early = ws.engine.run_once(CancelToken())
        assert early.queue_complete and not early.finished
        assert set(_queue(ws, OPEN)) == community.open_questions()
        unanswered = community.unanswered_questions()
        assert unanswered and community.open_questions() - unanswered
        early_unanswered = set(_queue(ws, UNANSWERED))
        # where the asker spoke last a list cannot tell whether someone else answered in between:
        # such topics stay in the unanswered queue until their posts arrive (never the reverse)
        with ws.cache.read() as conn:
            unsure = {
                r[0]
                for r in conn.exec_driver_sql(
                    "SELECT id FROM topics WHERE first_response_at IS NULL AND last_reply_by_asker = 1"
                )
            }
        assert unanswered <= early_unanswered and early_unanswered - unanswered <= unsure

    with community.open("admin") as ws:
        full = ws.engine.run_once(CancelToken())
        assert full.finished and full.first_sync
        assert early.requests_until_queue is not None
        assert early.requests_until_queue <= max(5, 0.10 * (early.requests_total + full.requests_total))
        queue = _queue(ws, OPEN)
        assert set(queue) == community.open_questions()
        assert {t for t, r in queue.items() if r.state in UNANSWERED} == unanswered
        # the SLA clock runs from the cache: on every question nobody has answered, due in order
        running = [r for r in queue.values() if r.sla.level.running]
        assert {r.topic_id for r in running} == unanswered and all(r.asker for r in running)
        dues = [r.sla.due_at for r in _queue(ws, OPEN).values() if r.sla.level.running]
        assert dues == sorted(dues)  # type: ignore[type-var]


def test_without_close_actions_only_those_posts_are_left_out(demo_server: DemoServer, tmp_path: Path) -> None:
    """Discourse: its "closed" notes are small-action posts a sync may skip."""
    full_path, lean_path = tmp_path / "full.sqlite3", tmp_path / "lean.sqlite3"
    engine, client, cache = engine_for(demo_server, full_path, "admin")
    lean, lean_client, lean_cache = engine_for(demo_server, lean_path, "admin", fetch_close_actions=False)
    try:
        full_report, lean_report = sync(engine), sync(lean)
        assert lean_report.finished
        assert lean_report.requests["reconcile"] < full_report.requests["reconcile"]
        full_tables, lean_tables = cached_tables(full_path), cached_tables(lean_path)
        left_out = full_tables["posts"] - lean_tables["posts"]
        assert left_out and all(r[6] == 3 and r[7] == "closed.enabled" for r in left_out)
        assert lean_tables["posts"] <= full_tables["posts"]
        assert {k: v for k, v in lean_tables.items() if k != "posts"} == {
            k: v for k, v in full_tables.items() if k != "posts"
        }
        assert sync(lean).requests_total <= 3  # and it does not keep trying
    finally:
        for c in (cache, lean_cache):
            c.close()
        for cl in (client, lean_client):
            cl.close()
