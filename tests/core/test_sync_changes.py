"""Changes made on the server between syncs, through its HTTP API as other identities, reach the
cache: the cheap incremental catches new topics, replies, badge grants and accepted or unaccepted
answers; the metadata rescan catches deletions of a post and a topic and a category move; an edit
of an earlier post changes nothing any list shows and is caught by the deep rescan."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from modconsole.demo.server import DemoServer
from tests.core.community import drop_trailing_deleted
from tests.core.sync_support import act, cached_tables, differences, engine_for, expected_tables, sync


def _one(db: Path, sql: str) -> Any:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = con.execute(sql).fetchone()
        assert row is not None, sql
        return row
    finally:
        con.close()


def _cached(cache: Path, sql: str, *args: Any) -> Any:
    con = sqlite3.connect(f"file:{cache}?mode=ro", uri=True)
    try:
        return con.execute(sql, args).fetchone()
    finally:
        con.close()


LIVE = "t.deleted_at IS NULL AND t.visible = 1 AND t.archetype = 'regular'"


def test_server_changes_reach_the_cache(demo_server: DemoServer, tmp_path: Path) -> None:
    db = demo_server.db_path
    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path, "admin")
    try:
        first = sync(engine)
        assert first.finished

        qa = _one(db, "SELECT id FROM categories WHERE enable_accepted_answers = 1 ORDER BY id")[0]
        other_cat = _one(
            db, f"SELECT id FROM categories WHERE id != {qa} AND read_restricted = 0 ORDER BY id"
        )[0]
        edit_post, edit_topic = _one(
            db,
            "SELECT p.id, p.topic_id FROM posts p JOIN topics t ON t.id = p.topic_id "
            f"WHERE {LIVE} AND p.post_number = 2 AND p.post_type = 1 AND p.deleted_at IS NULL "
            "AND t.highest_post_number >= 4 ORDER BY t.id LIMIT 1",
        )
        accept_post, accept_topic = _one(
            db,
            "SELECT p.id, p.topic_id FROM posts p JOIN topics t ON t.id = p.topic_id "
            f"JOIN categories c ON c.id = t.category_id WHERE {LIVE} AND c.enable_accepted_answers = 1 "
            "AND p.post_number = 2 AND p.post_type = 1 AND p.deleted_at IS NULL AND t.closed = 0 "
            "AND NOT EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id) "
            f"AND t.id != {edit_topic} ORDER BY t.id LIMIT 1",
        )
        del_post, del_post_topic = _one(
            db,
            "SELECT p.id, p.topic_id FROM posts p JOIN topics t ON t.id = p.topic_id "
            f"WHERE {LIVE} AND p.post_number = 2 AND p.post_type = 1 AND p.deleted_at IS NULL "
            f"AND t.highest_post_number >= 4 AND t.id NOT IN ({edit_topic}, {accept_topic}) "
            "AND NOT EXISTS (SELECT 1 FROM solutions s WHERE s.post_id = p.id) ORDER BY t.id LIMIT 1",
        )
        used = f"{edit_topic}, {accept_topic}, {del_post_topic}"
        del_topic = _one(
            db, f"SELECT t.id FROM topics t WHERE {LIVE} AND t.id NOT IN ({used}) ORDER BY t.id"
        )[0]
        move_topic = _one(
            db,
            f"SELECT t.id FROM topics t WHERE {LIVE} AND t.id NOT IN ({used}, {del_topic}) "
            f"AND t.category_id != {other_cat} ORDER BY t.id DESC",
        )[0]
        badge, grantee = _one(
            db,
            "SELECT b.id, u.username FROM badges b, users u WHERE b.query IS NULL AND b.enabled = 1 "
            "AND b.listable = 1 AND u.deleted_at IS NULL AND u.staged = 0 AND NOT EXISTS "
            "(SELECT 1 FROM user_badges ub WHERE ub.badge_id = b.id AND ub.user_id = u.id) "
            "ORDER BY b.id, u.id",
        )

        # -- new topic and a reply (member and moderator2), a badge grant by moderator2
        created = act(
            demo_server,
            "member",
            "POST",
            "/posts.json",
            {
                "title": "Sync test: payroll export stops at 1000 rows",
                "raw": "Our export stops at row 1000, why?",
                "category": qa,
            },
        )
        new_topic = int(created["topic_id"])
        reply = act(
            demo_server,
            "moderator2",
            "POST",
            "/posts.json",
            {"topic_id": new_topic, "raw": "Use the paged export; it has no row limit."},
        )
        act(demo_server, "moderator2", "POST", "/user_badges.json", {"username": grantee, "badge_id": badge})

        inc = sync(engine)
        assert inc.finished and not inc.rescanned
        assert _cached(cache_path, "SELECT title FROM topics WHERE id = ?", new_topic) is not None
        assert _cached(cache_path, "SELECT id FROM posts WHERE id = ?", int(reply["id"])) is not None
        assert (
            _cached(
                cache_path,
                "SELECT 1 FROM user_badges ub JOIN users u ON u.id = ub.user_id "
                "WHERE ub.badge_id = ? AND u.username = ? AND ub.gone_since IS NULL",
                badge,
                grantee,
            )
            is not None
        )
        assert new_topic in inc.changes.topic_ids and int(reply["id"]) in inc.changes.post_ids
        # cost follows the change: activity page, posts tail page, badges, its grants, users page
        assert inc.requests_total <= 8, inc.requests

        # -- changes no list shows as a bump
        act(
            demo_server,
            "moderator2",
            "PUT",
            f"/posts/{edit_post}.json",
            {"post[raw]": "Edited later: use v2."},
        )
        act(demo_server, "moderator2", "POST", "/solution/accept.json", {"id": accept_post})
        act(demo_server, "moderator2", "DELETE", f"/posts/{del_post}.json")
        act(demo_server, "admin", "DELETE", f"/t/{del_topic}.json")
        act(demo_server, "moderator2", "PUT", f"/t/-/{move_topic}.json", {"category_id": other_cat})

        quiet = sync(engine)  # no rescan due: what bumps, sits in the overlap window or (un)solves
        assert quiet.finished and not quiet.rescanned
        assert _cached(cache_path, "SELECT post_id FROM solutions WHERE topic_id = ?", accept_topic) == (
            accept_post,
        )

        rescan = engine_for(demo_server, cache_path, "admin", force_rescan=True)
        try:
            r = sync(rescan[0])
        finally:
            rescan[2].close()
            rescan[1].close()
        assert r.rescanned and r.finished
        assert _cached(cache_path, "SELECT post_id FROM solutions WHERE topic_id = ?", accept_topic) == (
            accept_post,
        )
        assert _cached(cache_path, "SELECT deleted_at IS NOT NULL FROM posts WHERE id = ?", del_post) == (1,)
        assert _cached(cache_path, "SELECT deleted_at IS NOT NULL FROM topics WHERE id = ?", del_topic) == (
            1,
        )
        assert _cached(cache_path, "SELECT category_id FROM topics WHERE id = ?", move_topic) == (other_cat,)
        edited = _cached(cache_path, "SELECT cooked FROM posts WHERE id = ?", edit_post)[0]

        deep = engine_for(demo_server, cache_path, "admin", force_rescan=True, deep_rescan=True)
        try:
            d = sync(deep[0])
        finally:
            deep[2].close()
            deep[1].close()
        assert d.finished
        cooked = _cached(cache_path, "SELECT cooked FROM posts WHERE id = ?", edit_post)[0]
        assert "Edited later" in cooked and "Edited later" not in edited
        expected = drop_trailing_deleted(db, expected_tables(db, admin=True))
        assert differences(expected, cached_tables(cache_path)) == {}
    finally:
        cache.close()
        client.close()


def test_an_accept_or_unaccept_elsewhere_reaches_the_cache_on_the_next_incremental_sync(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """Accepting or unaccepting an answer bumps nothing (CONTRACT §3.6), yet the queue and the
    solved figures depend on it: the next incremental sync (no rescan) re-reads those topics."""
    from tests.core.outbox_support import accepted_post, answerable

    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path, "moderator")
    try:
        assert sync(engine).finished
        ((open_topic, answer, _),) = answerable(demo_server, solved=False, limit=1)
        ((solved_topic, _, _),) = answerable(demo_server, solved=True, limit=1)
        solution = accepted_post(demo_server, solved_topic)
        assert _cached(cache_path, "SELECT has_accepted_answer FROM topics WHERE id = ?", open_topic) == (0,)
        assert _cached(cache_path, "SELECT post_id FROM solutions WHERE topic_id = ?", solved_topic) == (
            solution,
        )

        act(demo_server, "moderator2", "POST", "/solution/accept.json", {"id": answer})
        act(demo_server, "moderator2", "POST", "/solution/unaccept.json", {"id": solution})

        inc = sync(engine)
        assert inc.finished and not inc.rescanned
        solved = "SELECT has_accepted_answer FROM topics WHERE id = ?"
        solution_of = "SELECT post_id FROM solutions WHERE topic_id = ?"
        assert _cached(cache_path, solved, open_topic) == (1,)
        assert _cached(cache_path, solution_of, open_topic) == (answer,)
        assert _cached(cache_path, solved, solved_topic) == (0,)
        assert _cached(cache_path, solution_of, solved_topic) is None
        assert {open_topic, solved_topic} <= inc.changes.topic_ids

        # the cost: the unsolved list (one page here) and one read of the topic that left it
        assert inc.requests["unsolved"] == 2, inc.requests
        assert inc.requests["solutions"] == 1, inc.requests  # the accepted_solutions report moved
        quiet = sync(engine)  # nothing changed since: the report says so, no list is walked
        assert quiet.requests["solutions"] == 1, quiet.requests
        assert quiet.requests.get("unsolved", 0) == quiet.requests.get("solved", 0) == 0, quiet.requests
        assert quiet.requests.get("reconcile", 0) == 0, quiet.requests
        assert not quiet.changes.touches_any(["topics", "posts"])
    finally:
        cache.close()
        client.close()
