"""Stage ``bulk``: topics, posts and grants through the Data Explorer's mirror queries (:mod:`.bulk`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlalchemy import text

from modconsole.cache import repo
from modconsole.connectors.discourse.sync import bulk
from modconsole.connectors.discourse.sync.base import Stage


class BulkStage(Stage):
    """Stage ``bulk``."""

    def find_bulk(self) -> Any:
        """The mirror queries this key may run (``bulk.Source``), or ``None`` with a note."""
        run = self._run
        assert run is not None
        before = self._requests()  # finding the queries is no stage of its own (no progress shown)
        source = bulk.find(self, self._client, admin=self._capability("admin"))
        run.stage_requests["bulk"] = run.stage_requests.get("bulk", 0) + self._requests() - before
        return source

    def queue_from_bulk(self) -> None:
        """The bulk stage listed every topic with its posts: the open-questions queue is complete."""
        run = self._run
        assert run is not None
        with self._cache.write() as conn:
            cur = self._cursor(conn, "topics:queue")
            repo.put_cursor(conn, replace(cur, pass_id=None, last_complete_pass_at=self._now()))
        run.queue_complete = True
        run.requests_until_queue = self._requests()

    def no_topics(self) -> bool:
        with self._cache.read() as conn:
            return conn.execute(text("SELECT 1 FROM topics LIMIT 1")).first() is None

    def sync_bulk(self, source: Any, after_topics: Callable[[], None] | None = None) -> bool:
        """Topics and posts through the Data Explorer (:mod:`.bulk`); ``False``: use REST."""
        done: list[bool] = []
        self._stage("bulk", lambda: done.append(bulk.run_stage(self, self._client, source, after_topics)))
        return bool(done and done[0])
