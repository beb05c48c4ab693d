"""Accepted answers in the cache's ``solutions`` table (issue 12, battery findings): a first sync
killed and resumed could leave a topic that says solved, its accepted post flagged, and no
``solutions`` row — and neither an incremental sync nor ``--rescan`` re-derived it; an answer
replaced by another moderator (no bump) was never seen, not even by ``--rescan``, and an
incremental sync did not look at solved topics at all.

Each test builds that state in a real cache synced over HTTP from the demo server, then runs
one more sync."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from modconsole.demo.server import DemoServer
from tests.core.outbox_support import accepted_post, answerable, demo_rows
from tests.core.sync_support import act, engine_for, sync


def _solutions(path: Path, topic_id: int) -> set[int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            int(r[0]) for r in con.execute("SELECT post_id FROM solutions WHERE topic_id = ?", (topic_id,))
        }
    finally:
        con.close()


def _damage(path: Path, topic_id: int, *, flag: int) -> None:
    """The state a kill left: the post still flagged, the topic's flag as given, no solutions row."""
    con = sqlite3.connect(path)
    try:
        with con:
            con.execute("DELETE FROM solutions WHERE topic_id = ?", (topic_id,))
            con.execute("UPDATE topics SET has_accepted_answer = ? WHERE id = ?", (flag, topic_id))
    finally:
        con.close()


def _solved_topic(server: DemoServer, path: Path) -> tuple[int, int]:
    ((topic, _, _), *_) = answerable(server, solved=True, limit=1)
    post = accepted_post(server, topic)
    assert post is not None
    assert _solutions(path, topic) == {post}
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert con.execute("SELECT accepted_answer FROM posts WHERE id = ?", (post,)).fetchone() == (1,)
    finally:
        con.close()
    return topic, post


def test_solved_topic_without_a_solutions_row_is_filled_by_one_incremental_sync(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, path, "moderator", reports=())
    try:
        assert sync(engine).finished
        topic, post = _solved_topic(demo_server, path)
        _damage(path, topic, flag=1)
        report = sync(engine)
        assert report.finished and not report.rescanned
        assert _solutions(path, topic) == {post}
    finally:
        cache.close()
        client.close()


def test_a_listing_that_flips_the_solved_flag_records_the_solution(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, path, "moderator", reports=())
    try:
        assert sync(engine).finished
        topic, post = _solved_topic(demo_server, path)
        _damage(path, topic, flag=0)  # the posts were cached while the topic still said unsolved
    finally:
        cache.close()
        client.close()
    engine, client, cache = engine_for(demo_server, path, "moderator", reports=(), force_rescan=True)
    try:
        report = sync(engine)
        assert report.finished and report.rescanned
        assert _solutions(path, topic) == {post}
    finally:
        cache.close()
        client.close()


def _replace_answer(
    server: DemoServer, path: Path, *, last_poster: bool, besides: int = 0
) -> tuple[int, int]:
    """moderator2 accepts another author's reply on a solved topic (no bump); ``last_poster``: the
    new answerer is the topic's last poster (listed as "Most Recent Poster, Accepted Answer")."""
    last = (
        "(SELECT l.user_id FROM posts l WHERE l.topic_id = t.id AND l.post_type = 1 "
        "AND l.deleted_at IS NULL ORDER BY l.post_number DESC LIMIT 1)"
    )
    (topic, old, new), *_ = demo_rows(
        server,
        "SELECT t.id, s.post_id, p.id FROM topics t JOIN solutions s ON s.topic_id = t.id "
        "JOIN posts a ON a.id = s.post_id JOIN posts p ON p.topic_id = t.id "
        "WHERE t.deleted_at IS NULL AND t.closed = 0 AND t.archived = 0 AND p.post_number > 1 "
        "AND p.post_type = 1 AND p.deleted_at IS NULL AND p.user_id IS NOT NULL AND t.id != ? "
        f"AND p.user_id NOT IN (t.user_id, a.user_id) AND p.user_id {'IS' if last_poster else 'IS NOT'} "
        f"{last} ORDER BY t.id, p.post_number",
        besides,
    )
    assert _solutions(path, topic) == {old}
    act(server, "moderator2", "POST", "/solution/accept.json", {"id": new})
    assert accepted_post(server, topic) == new
    return topic, new


def test_one_incremental_sync_sees_an_answer_replaced_by_another_author(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, path, "moderator", reports=())
    try:
        assert sync(engine).finished
        quiet = sync(engine)
        replaced = [_replace_answer(demo_server, path, last_poster=False)]
        replaced.append(_replace_answer(demo_server, path, last_poster=True, besides=replaced[0][0]))
        report = sync(engine)
        assert report.finished and not report.rescanned
        for topic, new in replaced:
            assert _solutions(path, topic) == {new}
        # the signal's price: one report in every incremental sync; the lists only when it moved
        assert quiet.requests["solutions"] == 1 and "solved" not in quiet.requests, quiet.requests
        assert report.requests["solutions"] == 1 and report.requests["solved"] == 1, report.requests
        assert report.requests["reconcile"] == len(replaced), report.requests
    finally:
        cache.close()
        client.close()


def test_a_rescan_sees_an_answer_replaced_by_another_author(demo_server: DemoServer, tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, path, "moderator", reports=())
    try:
        assert sync(engine).finished
    finally:
        cache.close()
        client.close()
    topic, new = _replace_answer(demo_server, path, last_poster=False)
    engine, client, cache = engine_for(demo_server, path, "moderator", reports=(), force_rescan=True)
    try:
        report = sync(engine)
        assert report.finished and report.rescanned
        assert _solutions(path, topic) == {new}
    finally:
        cache.close()
        client.close()


def test_a_deep_rescan_sees_an_answer_replaced_by_the_same_author(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """No list shows which of an author's posts is the answer; the posts tail does (each post's
    ``accepted_answer``), so the deep rescan is where such a replacement converges."""
    path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, path, "moderator", reports=())
    try:
        assert sync(engine).finished
    finally:
        cache.close()
        client.close()
    (topic, old, new), *_ = demo_rows(
        demo_server,
        "SELECT t.id, s.post_id, p.id FROM topics t JOIN solutions s ON s.topic_id = t.id "
        "JOIN posts a ON a.id = s.post_id JOIN posts p ON p.topic_id = t.id AND p.user_id = a.user_id "
        "WHERE t.deleted_at IS NULL AND t.closed = 0 AND t.archived = 0 AND p.post_number > 1 "
        "AND p.post_type = 1 AND p.deleted_at IS NULL AND p.id != a.id ORDER BY t.id, p.post_number",
    )
    assert _solutions(path, topic) == {old}
    act(demo_server, "moderator2", "POST", "/solution/accept.json", {"id": new})
    assert accepted_post(demo_server, topic) == new
    engine, client, cache = engine_for(
        demo_server, path, "moderator", reports=(), force_rescan=True, deep_rescan=True
    )
    try:
        report = sync(engine)
        assert report.finished and report.rescanned
        assert _solutions(path, topic) == {new}
    finally:
        cache.close()
        client.close()


def test_an_unchanged_incremental_after_a_rest_first_sync_walks_no_answer_list(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """Issue 13 part 1, found on ``large`` (723 requests instead of 3): the REST first sync reads
    the ``accepted_solutions`` report after the queue walk, when the cache holds only the open
    questions. There, answers were accepted before the oldest open question was asked: a window
    that started at the oldest cached topic left them out, the incremental's window (every topic
    cached by then) took them in, and the fingerprints differed — both answer lists walked."""
    (oldest_accept,) = demo_rows(demo_server, "SELECT substr(min(accepted_at), 1, 10) FROM solutions")[0]
    # the open questions asked up to the day after the first accept are gone (deleted)
    old_questions = demo_rows(
        demo_server,
        "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id "
        "WHERE c.enable_accepted_answers = 1 AND t.archetype = 'regular' AND t.deleted_at IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id) "
        "AND date(t.created_at) <= date(?, '+1 day')",
        oldest_accept,
    )
    assert old_questions
    for (tid,) in old_questions:
        act(demo_server, "moderator", "DELETE", f"/t/{tid}.json")
    ((oldest_open,),) = demo_rows(
        demo_server,
        "SELECT substr(min(t.created_at), 1, 10) FROM topics t JOIN categories c ON c.id = t.category_id "
        "WHERE c.enable_accepted_answers = 1 AND t.archetype = 'regular' AND t.deleted_at IS NULL "
        "AND t.visible = 1 AND NOT EXISTS (SELECT 1 FROM solutions s WHERE s.topic_id = t.id)",
    )
    assert oldest_open > oldest_accept  # as on large: the queue's oldest is younger than answers

    path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(
        demo_server, path, "moderator", reports=(), bulk=False, fetch_close_actions=False
    )
    try:
        first = sync(engine)
        assert first.finished and first.requests["queue"] >= 1, first.requests  # the REST path
        quiet = sync(engine)
        assert quiet.requests.get("unsolved", 0) == quiet.requests.get("solved", 0) == 0, quiet.requests
        assert quiet.requests_total <= 3, quiet.requests
    finally:
        cache.close()
        client.close()
