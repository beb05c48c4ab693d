"""A sync stopped at one precise point, then one more sync (issue 12, the battery's kill -9 trials):
nothing the server has may be missing afterwards. Each test stops the run where a kill left a gap
(a cancel at that point leaves the cache as a kill would: every page before it committed), over
real HTTP against the demo server."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from modconsole.demo.server import DemoServer
from modconsole.errors import Cancelled
from modconsole.tasks import CancelToken, Progress
from tests.core.outbox_support import demo_rows
from tests.core.sync_support import engine_for, sync


def _live(path: Path, sql: str, *args: object) -> set[int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {int(r[0]) for r in con.execute(sql, args)}
    finally:
        con.close()


def test_a_first_sync_stopped_after_the_topic_walk_still_lists_deleted_topics(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    """The walk of every topic completed its pass with its last page; the staff's deleted list came
    after it. A run killed between the two never read that list again: deleted topics (and their
    posts, which no other list shows) were missing for good."""
    deleted = {r[0] for r in demo_rows(demo_server, "SELECT id FROM topics WHERE deleted_at IS NOT NULL")}
    assert deleted
    posts = {
        r[0]
        for r in demo_rows(
            demo_server,
            "SELECT p.id FROM posts p JOIN topics t ON t.id = p.topic_id WHERE t.deleted_at IS NOT NULL",
        )
    }
    path = tmp_path / "cache.sqlite3"
    engine, client, cache = engine_for(demo_server, path, "admin", reports=())
    token = CancelToken()

    def stop_after_the_walk(p: Progress) -> None:
        # the walk's last page (the categories without accepted answers) is committed; stop there
        if p.stage == "topics" and demo_server.requests[-1].path == "/filter.json":
            token.cancel()

    try:
        with pytest.raises(Cancelled):
            engine.run_once(token, stop_after_the_walk)
        assert not deleted & _live(path, "SELECT id FROM topics")  # the kill's state: not read yet
        assert sync(engine).finished
        cached = _live(path, "SELECT id FROM topics WHERE gone_since IS NULL AND deleted_at IS NOT NULL")
        assert cached == deleted
        assert posts <= _live(path, "SELECT id FROM posts WHERE gone_since IS NULL")
    finally:
        cache.close()
        client.close()
