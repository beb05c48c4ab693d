"""Accepted answers in the cache's ``solutions`` table (issue 12, battery finding): a first sync
killed and resumed could leave a topic that says solved, its accepted post flagged, and no
``solutions`` row — and neither an incremental sync nor ``--rescan`` re-derived it.

Each test builds that state in a real cache synced over HTTP from the demo server, then runs
one more sync."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from modconsole.demo.server import DemoServer
from tests.core.outbox_support import accepted_post, answerable
from tests.core.sync_support import engine_for, sync


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
