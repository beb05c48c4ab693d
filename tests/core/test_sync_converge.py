"""A mirror that converges (issue 12, finding 2): lists that change under the sync's cursor, a first
sync resumed after the community moved on, and posts whose topic the cache does not know.

Every test drives a real sync over HTTP against the demo server; the community is changed on the
server *between the sync's requests* through the engine's progress hook (called after each page is
committed), which is where a real moderator's long first sync meets other people's activity."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from modconsole.demo import core
from modconsole.demo.server import DemoServer
from modconsole.errors import Cancelled
from modconsole.tasks import CancelToken, Progress
from tests.core.community import Community
from tests.core.sync_support import act, engine_for

PER_PAGE = 10
"""Small pages: the tiny community's ~50 open questions span several pages."""


def _server_rows(server: DemoServer, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True)
    try:
        return [tuple(r) for r in con.execute(sql, args)]
    finally:
        con.close()


_UNSOLVED = (
    "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id "
    "WHERE t.archetype = 'regular' AND t.deleted_at IS NULL AND c.enable_accepted_answers = 1 "
    "AND NOT EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id)"
)


def _server_open_questions(server: DemoServer) -> set[int]:
    return {int(r[0]) for r in _server_rows(server, _UNSOLVED)}


def _server_topics(server: DemoServer) -> set[int]:
    return {int(r[0]) for r in _server_rows(server, "SELECT id FROM topics WHERE archetype = 'regular'")}


def _server_users(server: DemoServer) -> set[int]:
    return {int(r[0]) for r in _server_rows(server, "SELECT id FROM users WHERE deleted_at IS NULL")}


def _cache(path: Path, sql: str) -> set[tuple[Any, ...]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {tuple(r) for r in con.execute(sql)}
    finally:
        con.close()


def _cached_topics(path: Path) -> set[int]:
    return {int(r[0]) for r in _cache(path, "SELECT id FROM topics WHERE gone_since IS NULL")}


def _cached_open_questions(path: Path) -> set[int]:
    return {
        int(r[0])
        for r in _cache(
            path,
            "SELECT id FROM topics WHERE gone_since IS NULL AND deleted_at IS NULL "
            "AND has_accepted_answer = 0",
        )
    }


def _orphans(path: Path) -> set[int]:
    return {
        int(r[0])
        for r in _cache(
            path,
            "SELECT p.id FROM posts p WHERE p.gone_since IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM topics t WHERE t.id = p.topic_id)",
        )
    }


def _answers_in_cached_open_questions(server: DemoServer, cache_path: Path, n: int) -> list[int]:
    """Replies that can be accepted in open questions the sync has already listed (cached): the
    topics whose leaving the list shifts the unread rest of it up across the page boundary."""
    out = []
    for tid in sorted(_cached_open_questions(cache_path)):
        reply = _server_rows(
            server,
            "SELECT id FROM posts WHERE topic_id = ? AND post_number > 1 AND post_type = 1 "
            "AND deleted_at IS NULL ORDER BY post_number LIMIT 1",
            (tid,),
        )
        if reply:
            out.append(int(reply[0][0]))
        if len(out) == n:
            break
    assert len(out) == n, "the queue's first page should hold questions with replies"
    return out


def test_answers_accepted_between_queue_pages_lose_no_open_question(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """Answers accepted on topics the queue has already listed shift the rest of the unsolved list up
    across the page boundary; the sync must still end with every open question cached."""
    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path, per_page=PER_PAGE)
    fired: list[Progress] = []

    def between_pages(p: Progress) -> None:
        if p.stage == "queue" and p.done >= PER_PAGE and not fired:
            fired.append(p)
            # another moderator accepts five answers among the questions the queue has listed
            for post_id in _answers_in_cached_open_questions(demo_server, cache_path, 5):
                act(demo_server, "moderator", "POST", "/solution/accept.json", {"id": post_id})

    try:
        report = engine.run_once(CancelToken(), between_pages)
        assert fired, "the hook never ran between the queue's pages"
        assert report.finished
        missing = _server_open_questions(demo_server) - _cached_open_questions(cache_path)
        assert not missing, f"open questions missing after a finished sync: {sorted(missing)}"
        assert not _orphans(cache_path), "posts left whose topic is not cached"
        assert _server_topics(demo_server) <= _cached_topics(cache_path)
    finally:
        client.close()
        cache.close()


def test_answers_unaccepted_between_listing_pages_lose_no_topic(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """The same shift in the solved list (answers unaccepted while it is paged): every topic still
    ends up cached, solved or not."""
    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path, per_page=PER_PAGE)
    fired: list[Progress] = []

    def between_pages(p: Progress) -> None:
        if p.stage == "topics" and p.done >= PER_PAGE and not fired:
            fired.append(p)
            listed = sorted(
                int(r[0]) for r in _cache(cache_path, "SELECT id FROM topics WHERE has_accepted_answer = 1")
            )
            solved = [
                int(_server_rows(demo_server, "SELECT post_id FROM solutions WHERE topic_id = ?", (t,))[0][0])
                for t in listed[:4]
            ]
            assert len(solved) == 4, listed
            for post_id in solved:  # four answers unaccepted among the solved topics already listed
                act(demo_server, "moderator", "POST", "/solution/unaccept.json", {"id": post_id})

    try:
        report = engine.run_once(CancelToken(), between_pages)
        assert fired and report.finished
        missing = _server_topics(demo_server) - _cached_topics(cache_path)
        assert not missing, f"topics missing after a finished sync: {sorted(missing)}"
        assert not _orphans(cache_path)
    finally:
        client.close()
        cache.close()


def _new_question(server: DemoServer, title: str) -> int:
    def make(con: sqlite3.Connection) -> int:
        uid = con.execute(
            "SELECT id FROM users WHERE deleted_at IS NULL AND active = 1 AND admin = 0 "
            "AND moderator = 0 ORDER BY id LIMIT 1"
        ).fetchone()[0]
        cid = con.execute(
            "SELECT id FROM categories WHERE read_restricted = 0 AND enable_accepted_answers = 1 "
            "ORDER BY id LIMIT 1"
        ).fetchone()[0]
        return core.create_topic(con, int(uid), title, "Body of " + title, int(cid), is_question=True)

    return int(server.write(make))


def _new_users(server: DemoServer, prefix: str, n: int) -> set[int]:
    def make(con: sqlite3.Connection) -> set[int]:
        return {
            core.create_user(con, f"{prefix}{i}", f"{prefix} {i}", f"{prefix}{i}@example.org")
            for i in range(n)
        }

    return set(server.write(make))


def test_resumed_first_sync_has_what_was_created_while_interrupted(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """Interrupted in the queue, resumed after new questions were asked: all of them are cached."""
    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path, per_page=PER_PAGE)
    token = CancelToken()

    def stop_after_first_page(p: Progress) -> None:
        if p.stage == "queue" and p.done >= PER_PAGE:
            token.cancel()

    try:
        with pytest.raises(Cancelled):
            engine.run_once(token, stop_after_first_page)
        new = {_new_question(demo_server, f"Asked while the sync was interrupted {i}") for i in range(3)}
        report = engine.run_once(CancelToken())
        assert report.finished and report.first_sync
        assert new <= _cached_open_questions(cache_path)
        missing = _server_open_questions(demo_server) - _cached_open_questions(cache_path)
        assert not missing, f"open questions missing after the resumed sync: {sorted(missing)}"
        assert not _orphans(cache_path)
    finally:
        client.close()
        cache.close()


def test_resumed_user_walk_has_users_who_signed_up_while_interrupted(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """The users list is 100 a page: with more than 100 users, interrupt after its first page, let
    people sign up, resume: the new users are cached when the sync reports finished."""
    _new_users(demo_server, "earlier", 60)  # 118 users: two pages
    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path)
    token = CancelToken()

    def stop_in_users(p: Progress) -> None:
        if p.stage == "users" and p.done >= 100:
            token.cancel()

    try:
        with pytest.raises(Cancelled):
            engine.run_once(token, stop_in_users)
        new = _new_users(demo_server, "signup", 3)
        report = engine.run_once(CancelToken())
        assert report.finished
        cached = {int(r[0]) for r in _cache(cache_path, "SELECT id FROM users WHERE gone_since IS NULL")}
        assert new <= cached
        assert _server_users(demo_server) <= cached
    finally:
        client.close()
        cache.close()


def test_orphan_posts_are_resolved_by_reading_their_topic(community: Community) -> None:
    """A cache holding posts of a topic it does not know (left by an older version, or a list that
    skipped it): the next incremental sync fetches the topic (on both platforms)."""
    cache_path = community.tmp_path / "cache.sqlite3"
    with community.open("admin", cache_path, sync=True) as ws:
        victims = sorted(_cached_open_questions(cache_path))[:3]
        with ws.cache.write() as conn:
            for tid in victims:
                conn.execute(text("DELETE FROM topics WHERE id = :t"), {"t": tid})
        assert _orphans(cache_path)
        report = ws.engine.run_once(CancelToken())
        assert report.finished and not report.first_sync
        assert not _orphans(cache_path)
        assert set(victims) <= _cached_open_questions(cache_path)


def test_topics_skipped_by_the_activity_list_are_caught_by_the_posts_tail(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """Incremental: topics deleted between the activity list's pages shift bumped topics across the
    boundary; their new posts still arrive through the id-keyed ``/posts.json`` tail, and the topic
    itself is re-read, so its counts match the server's when the sync reports finished."""
    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path, per_page=PER_PAGE)
    try:
        assert engine.run_once(CancelToken()).finished
        topics = [
            int(r[0])
            for r in _server_rows(
                demo_server,
                "SELECT id FROM topics WHERE archetype = 'regular' AND deleted_at IS NULL AND closed = 0 "
                "AND pinned = 0 ORDER BY id LIMIT 15",
            )
        ]
        assert len(topics) == 15
        now = core.now_dt()

        def replies(con: sqlite3.Connection) -> None:
            uid = con.execute("SELECT id FROM users WHERE admin = 1 ORDER BY id LIMIT 1").fetchone()[0]
            for i, tid in enumerate(topics):  # topics[0] is bumped last: the top of the activity list
                core.create_post(
                    con, int(uid), tid, f"A reply {i}", when=core.iso(now - timedelta(seconds=60 - i))
                )

        demo_server.write(replies)
        newest_first = list(reversed(topics))
        real_get = client.get_json
        fired: list[int] = []

        def get_json(path: str, params: Any = None, **kw: Any) -> Any:
            out = real_get(path, params, **kw)
            if path == "/latest.json" and (params or {}).get("order") == "activity" and not fired:
                fired.append(1)  # after the activity list's first page: three of its topics deleted
                for tid in newest_first[:3]:
                    act(demo_server, "admin", "DELETE", f"/t/{tid}.json")
            return out

        client.get_json = get_json  # type: ignore[method-assign]
        report = engine.run_once(CancelToken())
        assert fired and report.finished
        ids = ",".join(map(str, topics))
        server = dict(_server_rows(demo_server, f"SELECT id, posts_count FROM topics WHERE id IN ({ids})"))
        cached = dict(_cache(cache_path, f"SELECT id, posts_count FROM topics WHERE id IN ({ids})"))
        for tid in newest_first[3:]:
            assert cached[tid] == server[tid], (
                f"topic {tid}: cached {cached[tid]} posts, server {server[tid]}"
            )
    finally:
        client.close()
        cache.close()


def test_orphan_posts_of_a_topic_the_key_cannot_open_are_marked_gone(community: Community) -> None:
    """A member's cache holds posts of a topic it does not know, and the topic has since been deleted
    (not found for a member): the posts are marked gone, not left as orphans to be retried forever."""
    cache_path = community.tmp_path / "cache.sqlite3"
    with community.open("member", cache_path, sync=True) as ws:
        victim = sorted(_cached_open_questions(cache_path))[0]
        community.delete_topic(victim)
        with ws.cache.write() as conn:
            conn.execute(text("DELETE FROM topics WHERE id = :t"), {"t": victim})
        assert _orphans(cache_path)
        report = ws.engine.run_once(CancelToken())
        assert report.finished
        assert not _orphans(cache_path)
        left = _cache(
            cache_path, f"SELECT count(*) FROM posts WHERE topic_id = {victim} AND gone_since IS NULL"
        )
        assert left == {(0,)}
        assert (
            ws.engine.run_once(CancelToken()).requests_total <= 4
        )  # not read again (Discourse: +the solved list)


def test_a_queue_pass_begun_in_the_older_order_restarts_at_its_first_page(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """A cache left mid-queue by a version that paged newest first: its saved page number means
    nothing oldest first, so the pass starts over and the queue is complete when it says so."""
    from modconsole.cache import repo
    from modconsole.connectors.discourse.sync.run import SYNC_SCHEMA_VERSION

    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path, per_page=PER_PAGE, stop_after_queue=True)
    try:
        with cache.write() as conn:
            old = repo.CursorState("topics:queue", SYNC_SCHEMA_VERSION, pass_id="old", pass_page_token="0:3")
            repo.put_cursor(conn, old)
        report = engine.run_once(CancelToken())
        assert report.queue_complete
        missing = _server_open_questions(demo_server) - _cached_open_questions(cache_path)
        assert not missing, f"open questions missing from the queue: {sorted(missing)}"
    finally:
        client.close()
        cache.close()


def test_queue_alone_is_complete_when_recent_questions_change_while_it_is_paged(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """The common activity during a first sync — recent questions answered, new ones asked — changes
    only the part of the oldest-first queue not yet read: the queue stage alone (the GUI's "get me
    started" run) already holds every open question, with nothing left for the closing pass."""
    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path, per_page=PER_PAGE, stop_after_queue=True)
    newest = _server_rows(
        demo_server, _UNSOLVED + " AND t.posts_count > 1 ORDER BY t.created_at DESC, t.id DESC LIMIT 5"
    )
    answers = [
        int(
            _server_rows(
                demo_server,
                "SELECT id FROM posts WHERE topic_id = ? AND post_number > 1 AND post_type = 1 "
                "AND deleted_at IS NULL ORDER BY post_number LIMIT 1",
                (int(r[0]),),
            )[0][0]
        )
        for r in newest
    ]
    asked: set[int] = set()

    def between_pages(p: Progress) -> None:
        if p.stage == "queue" and p.done >= PER_PAGE and not asked:
            for post_id in answers:
                act(demo_server, "moderator", "POST", "/solution/accept.json", {"id": post_id})
            asked.update(_new_question(demo_server, f"Asked while the queue was paged {i}") for i in range(2))

    try:
        report = engine.run_once(CancelToken(), between_pages)
        assert asked and report.queue_complete and not report.finished
        assert asked <= _cached_open_questions(cache_path)
        missing = _server_open_questions(demo_server) - _cached_open_questions(cache_path)
        assert not missing, f"open questions missing from the queue: {sorted(missing)}"
    finally:
        client.close()
        cache.close()


def test_users_deleted_while_a_rescan_pages_them_do_not_mark_others_gone(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """A rescan's users walk marks users it did not list as gone; users deleted on the page already
    read shift unread ones past the boundary, and those must not end up gone in the cache."""
    _new_users(demo_server, "earlier", 160)  # 218 users: three pages of 100
    cache_path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, cache_path)
    try:
        assert engine.run_once(CancelToken()).finished
        doomed = _new_users(demo_server, "leaving", 3)  # the newest: on the first page
        deleted: list[int] = []

        def between_pages(p: Progress) -> None:
            if p.stage == "users" and p.done >= 200 and not deleted:  # after the second page
                for uid in sorted(doomed):
                    act(demo_server, "admin", "DELETE", f"/admin/users/{uid}.json")
                    deleted.append(uid)

        rescan, rclient, rcache = engine_for(demo_server, cache_path, force_rescan=True)
        try:
            assert rescan.run_once(CancelToken(), between_pages).finished
        finally:
            rclient.close()
            rcache.close()
        assert deleted
        live = {int(r[0]) for r in _cache(cache_path, "SELECT id FROM users WHERE gone_since IS NULL")}
        wrongly_gone = _server_users(demo_server) - live
        assert not wrongly_gone, f"users marked gone though they exist: {sorted(wrongly_gone)}"
    finally:
        client.close()
        cache.close()
