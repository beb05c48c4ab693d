"""A full first sync over loopback reproduces the demo server's state, table by table; the queue is
complete early; an incremental sync with no change costs at most 4 requests (activity, the unsolved list,
badges, users)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from modconsole.demo.server import DemoServer
from tests.core.sync_support import cached_tables, differences, engine_for, expected_tables, sync


def _drop_trailing_deleted(store: Path, expected: dict[str, set]) -> dict[str, set]:  # type: ignore[type-arg]
    """Posts deleted *before* the first sync that were the last of their topic leave no trace in any
    list (``highest_post_number`` is reset, ``posts_count`` excludes them): no request short of
    reading every topic finds them, so a first sync does not mirror them (documented limit)."""
    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    hidden = {
        int(r[0])
        for r in con.execute(
            "SELECT p.id FROM posts p JOIN topics t ON t.id = p.topic_id "
            "WHERE p.deleted_at IS NOT NULL AND p.post_number > t.highest_post_number"
        )
    }
    con.close()
    out = dict(expected)
    out["posts"] = {r for r in expected["posts"] if r[0] not in hidden}
    return out


def test_full_sync_reproduces_the_server(demo_server: DemoServer, tmp_path: Path) -> None:
    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path, "admin")
    try:
        report = sync(engine)
        assert report.finished and report.first_sync and report.queue_complete
        expected = _drop_trailing_deleted(
            demo_server.db_path, expected_tables(demo_server.db_path, admin=True)
        )
        assert differences(expected, cached_tables(cache_path)) == {}
        # small actions and deleted-for-staff posts came through the reconcile stage
        got = cached_tables(cache_path)["posts"]
        assert any(r[6] == 3 for r in got) and any(r[10] is not None for r in got)
        assert report.changes.touches("posts") and report.counts["posts"] == len(got)
        assert any("e-mail" in n for n in report.notes)

        again = sync(engine)
        assert again.finished and not again.first_sync
        assert again.requests_total <= 5, again.requests  # activity, unsolved, solved, users, badges
        assert not again.changes.touches_any(["topics", "posts", "users", "badges", "user_badges"])
        assert differences(expected, cached_tables(cache_path)) == {}
    finally:
        cache.close()
        client.close()


def test_queue_is_complete_after_a_few_requests(demo_server: DemoServer, tmp_path: Path) -> None:
    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path, "admin", stop_after_queue=True)
    try:
        early = sync(engine)
        assert early.queue_complete and not early.finished
        con = sqlite3.connect(f"file:{demo_server.db_path}?mode=ro", uri=True)
        open_questions = {
            int(r[0])
            for r in con.execute(
                "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id "
                "WHERE c.enable_accepted_answers = 1 AND t.deleted_at IS NULL AND t.archetype = 'regular' "
                "AND NOT EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id)"
            )
        }
        no_reply = {
            int(r[0])
            for r in con.execute(
                "SELECT t.id FROM topics t WHERE NOT EXISTS (SELECT 1 FROM posts p WHERE p.topic_id = t.id "
                "AND p.post_number > 1 AND p.post_type = 1 AND p.deleted_at IS NULL "
                "AND p.user_id IS NOT t.user_id)"
            )
        }
        con.close()
        cached = sqlite3.connect(f"file:{cache_path}?mode=ro", uri=True)
        queued = {int(r[0]) for r in cached.execute("SELECT id FROM topics WHERE has_accepted_answer = 0")}
        unanswered = {
            int(r[0]) for r in cached.execute("SELECT id FROM topics WHERE first_response_at IS NULL")
        }
        # where the asker spoke last the list cannot tell whether someone else answered in between:
        # such topics stay in the unanswered queue until their posts arrive (never the reverse)
        unsure = {
            int(r[0])
            for r in cached.execute(
                "SELECT id FROM topics WHERE first_response_at IS NULL AND last_reply_by_asker = 1"
            )
        }
        cached.close()
        assert queued == open_questions
        assert open_questions & no_reply <= unanswered
        assert unanswered - (open_questions & no_reply) <= unsure
        engine2, client2, cache2 = engine_for(demo_server, cache_path, "admin")
        try:
            full = sync(engine2)
            assert full.finished and full.first_sync
            total = early.requests_total + full.requests_total
            assert early.requests_until_queue is not None
            assert early.requests_until_queue <= 0.10 * total
        finally:
            cache2.close()
            client2.close()
    finally:
        cache.close()
        client.close()


def test_without_close_actions_only_those_posts_are_left_out(demo_server: DemoServer, tmp_path: Path) -> None:
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
        assert sync(lean).requests_total <= 5  # and it does not keep trying
    finally:
        for c in (cache, lean_cache):
            c.close()
        for cl in (client, lean_client):
            cl.close()
