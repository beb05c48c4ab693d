"""A first sync at the REST floor, with nothing lost (issue 13, part 1): a topic whose counts all
match the cache is not read again for a gap in its post numbers (a deleted post), a re-read topic's
last post is fetched again only when the cache does not explain the topic's bump, the holders of
automatic badges are not listed (they are read when a moderator opens the badge), and an unchanged
incremental sync does not read the badge list before its interval."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from modconsole.demo.server import DemoServer
from modconsole.services.moderation import ModerationService
from modconsole.services.recognition import RecognitionService
from modconsole.sync import SyncOptions
from modconsole.tasks import CancelToken
from tests.core.sync_support import cached_tables, engine_for, expected_tables, sync

_TOPIC = re.compile(r"^/t/(\d+)\.json$")
LEAN = {"fetch_close_actions": False, "fetch_deleted_posts": False}  # the defaults of a real sync


def _server(db: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [tuple(r) for r in con.execute(sql, args)]
    finally:
        con.close()


def _cache(path: Path, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [tuple(r) for r in con.execute(sql, args)]
    finally:
        con.close()


def _topics_read(server: DemoServer) -> list[int]:
    return [int(m.group(1)) for r in server.requests if (m := _TOPIC.match(r.path))]


def test_defaults_leave_gaps_and_automatic_holders_to_demand() -> None:
    opts = SyncOptions()
    assert not opts.fetch_deleted_posts and not opts.fetch_close_actions


def test_a_deleted_post_gap_is_not_read_again_when_the_counts_match(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    db = demo_server.db_path
    # live, listed topics with a deleted post before their last one: a gap in post numbers, while
    # posts_count (which leaves deleted posts out) matches what /posts.json brings
    gaps = {
        int(r[0])
        for r in _server(
            db,
            "SELECT DISTINCT t.id FROM topics t JOIN posts p ON p.topic_id = t.id "
            "WHERE t.archetype = 'regular' AND t.deleted_at IS NULL AND t.visible = 1 "
            "AND p.deleted_at IS NOT NULL AND p.post_number < t.highest_post_number "
            "AND NOT EXISTS (SELECT 1 FROM posts h WHERE h.topic_id = t.id AND h.hidden = 1)",
        )
    }
    assert gaps, "the tiny demo has topics with a deleted post in the middle"
    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path, "admin", **LEAN)
    try:
        demo_server.clear_requests()
        report = sync(engine)
        assert report.finished
        assert not set(_topics_read(demo_server)) & gaps
        # nothing lost: every post that is not deleted (nor a "closed" note) is mirrored
        expected = expected_tables(db, admin=True)["posts"]
        live = {r for r in expected if r[10] is None and r[6] != 3}
        got = cached_tables(cache_path)["posts"]
        assert live <= got <= expected
        assert report.requests["reconcile"] < 10, report.requests
    finally:
        cache.close()
        client.close()


def test_a_reread_topic_fetches_its_cached_last_post_only_for_an_unexplained_bump(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    db = demo_server.db_path
    ((tid, last_id),) = _server(
        db,
        "SELECT t.id, (SELECT max(p.id) FROM posts p WHERE p.topic_id = t.id AND p.post_type = 1 "
        "AND p.deleted_at IS NULL) FROM topics t WHERE t.archetype = 'regular' AND t.deleted_at IS NULL "
        "AND t.visible = 1 AND t.closed = 0 AND t.posts_count > 20 ORDER BY t.id LIMIT 1",
    )
    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path, "admin", **LEAN)
    try:
        assert sync(engine).finished
        demo_server.clear_requests()
        engine.refresh(CancelToken(), topic_ids=[tid])  # past the first chunk of 20: last post cached
        paths = [r.path for r in demo_server.requests]
        assert paths == [f"/t/{tid}.json"], paths

        # the list said the topic was bumped after the cached last post was written (an edit of
        # the last post bumps it): that post is read again
        with cache.write() as conn:
            conn.exec_driver_sql(
                "UPDATE posts SET cooked = '<p>stale</p>', updated_at = created_at WHERE id = ?", (last_id,)
            )
            conn.exec_driver_sql(
                "UPDATE topics SET bumped_at = '2030-01-01T00:00:00.000Z' WHERE id = ?", (tid,)
            )
        demo_server.clear_requests()
        engine.refresh(CancelToken(), topic_ids=[tid])
        paths = [r.path for r in demo_server.requests]
        assert paths == [f"/t/{tid}.json", f"/t/{tid}/posts.json"], paths
        assert _cache(cache_path, "SELECT cooked != '<p>stale</p>' FROM posts WHERE id = ?", last_id) == [
            (1,)
        ]
    finally:
        cache.close()
        client.close()


def _automatic(db: Path) -> dict[int, int]:
    """Automatic badges (a query or a system badge) with holders: id → grants."""
    return {
        int(r[0]): int(r[1])
        for r in _server(
            db,
            "SELECT b.id, count(*) FROM badges b JOIN user_badges ub ON ub.badge_id = b.id "
            "WHERE b.query IS NOT NULL OR b.system = 1 GROUP BY b.id",
        )
    }


def test_a_first_sync_lists_no_automatic_badge_holders(demo_server: DemoServer, tmp_path: Path) -> None:
    db = demo_server.db_path
    automatic = _automatic(db)
    assert automatic
    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path, "admin", **LEAN)
    try:
        demo_server.clear_requests()
        report = sync(engine)
        assert report.finished
        listed = {
            int(r.query.split("badge_id=")[1].split("&")[0])
            for r in demo_server.requests
            if r.path == "/user_badges.json"
        }
        assert not listed & set(automatic), listed
        held = {int(r[0]) for r in _cache(cache_path, "SELECT DISTINCT badge_id FROM user_badges")}
        assert not held & set(automatic)
        # their badges are there, with the forum's counts; the holders of manual badges too
        counts = dict(_cache(cache_path, "SELECT id, grant_count FROM badges"))
        assert all(counts[b] == n for b, n in automatic.items())
        assert cached_tables(cache_path)["user_badges"] == expected_tables(db, admin=True)["user_badges"]
    finally:
        cache.close()
        client.close()


def test_automatic_badge_holders_are_fetched_when_the_badge_is_opened(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    db = demo_server.db_path
    automatic = _automatic(db)
    badge = max(automatic, key=lambda b: automatic[b])  # e.g. Basic User
    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path, "admin", **LEAN)
    try:
        assert sync(engine).finished
        ident = demo_server.credentials.admin
        mod = ModerationService(cache, me=ident.username, site_url=demo_server.base_url, client=client)
        rec = RecognitionService(cache, mod)
        info = rec.badge(badge)
        assert not info.holders_listed and info.grant_count == automatic[badge]
        assert rec.grantees(badge) == []
        assert all(b.holders_listed for b in rec.catalog() if b.manual)

        report = engine.fetch_badge_holders(CancelToken(), badge)
        assert report.changes.touches("user_badges")
        holders = {
            int(r[0]) for r in _server(db, "SELECT user_id FROM user_badges WHERE badge_id = ?", badge)
        }
        assert {g.user_id for g in rec.grantees(badge)} == holders
        assert rec.badge(badge).holders_listed
        # still listed after the next sync; other automatic badges still wait for their turn
        sync(engine)
        assert rec.badge(badge).holders_listed
        assert not rec.badge(min(set(automatic) - {badge})).holders_listed
    finally:
        cache.close()
        client.close()


def test_an_unchanged_incremental_sync_leaves_the_badge_list_to_its_interval(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path, "admin", **LEAN)
    try:
        assert sync(engine).finished
        quiet = sync(engine)
        # activity, the accepted-solutions report (the answer lists run only when it moved), users
        assert quiet.requests_total <= 3, quiet.requests
        assert "badges" not in quiet.requests  # read again once topics move or its interval ends
        # the badge list is still read when its interval has passed
        again = engine_for(demo_server, cache_path, "admin", badges_interval_seconds=0, **LEAN)
        try:
            assert sync(again[0]).requests.get("badges") == 1
        finally:
            again[2].close()
            again[1].close()
    finally:
        cache.close()
        client.close()
