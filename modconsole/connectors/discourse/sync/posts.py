"""Stage ``posts``: the ``/posts.json`` tail, newest first, and what the cache derives from posts."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, text

from modconsole.cache import repo
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse.parse import parse_latest_posts
from modconsole.connectors.discourse.sync.base import Stage
from modconsole.connectors.discourse.sync.run import post_row


class PostsStage(Stage):
    """Stage ``posts``."""

    def apply_posts(self, conn: Connection, rows: list[dict[str, Any]], *, derive: bool = True) -> set[int]:
        changed = repo.upsert_posts(conn, rows)
        topic_ids = {int(r["topic_id"]) for r in rows}
        self._changed("posts", changed)
        repo.refresh_fts(conn, post_ids=changed)
        self.stages.solutions.sync_solutions(conn, topic_ids)
        if derive:
            repo.refresh_derived(conn, topic_ids)
        if changed:
            self._flag("kpis", 0)
            assert self._run is not None
            self._run.kinds.add("kpis")
        return topic_ids

    def sync_posts(self, *, full: bool, restart: bool = False) -> None:
        """The ``/posts.json`` tail. ``full``: down to the first post; else down to ``hw_id``."""
        with self._cache.write() as conn:
            cur = self._cursor(conn, "posts:latest")
            if restart or cur.pass_id is None:
                cur = replace(
                    cur,
                    pass_id=uuid.uuid4().hex,
                    pass_page_token=None,
                    pass_target_id=None,
                    pass_target_value="full" if full or cur.hw_id is None else "tail",
                    pass_started_server_time=self._now(),
                )
                repo.put_cursor(conn, cur)
        floor = 0 if cur.pass_target_value == "full" else int(cur.hw_id or 0)
        before: int | None = int(cur.pass_page_token) if cur.pass_page_token else None
        target = cur.pass_target_id
        total = (target or 0) - floor if target else None
        while True:
            params = {"before": before} if before is not None else None
            data = self._get(ep.latest_posts().path, params, parse_latest_posts)
            items = [p for p in data.get("latest_posts", []) if isinstance(p, Mapping)]
            rows = [post_row(p, ep.latest_posts().label) for p in items]
            ids = [int(r["id"]) for r in rows]
            if target is None:
                target = max(ids) if ids else max(floor, before or 0)
                total = target - floor
            if ids:
                nxt = min(ids) - 1
            elif before is None:
                nxt = 0
            else:  # sparse page of an older server: step down over the gap
                nxt = before - 50
            reached = nxt <= floor or (not ids and before is None)
            # A whole walk defers the queue fields and rollups to its end (a topic's posts are
            # spread over many pages: recomputing it on each would cost far more than once).
            whole = cur.pass_target_value == "full"
            finish = reached and not whole
            with self._cache.write() as conn:  # the page and its cursor advance, together
                fresh = [r for r in rows if int(r["id"]) > floor]
                if fresh:
                    touched = self.apply_posts(conn, fresh, derive=not whole)
                    if whole:  # the figures follow the walk: days, months and topics it completed
                        repo.refresh_walked(conn, fresh)
                    if not whole:
                        # A topic list can skip a topic that moved under its cursor; the tail (an
                        # id-keyed, stable cursor) cannot: topics with new posts are checked by
                        # reconcile, which re-reads only those whose counts then disagree.
                        self.stages.lists.add_dirty(conn, touched)
                c = self._cursor(conn, "posts:latest")
                if finish:
                    self.complete_posts(conn, c, target)
                else:
                    repo.put_cursor(conn, replace(c, pass_page_token=str(nxt), pass_target_id=target))
            if reached and whole:
                self.derive_all()  # idempotent: a crash here redoes it after one more (empty) page
                with self._cache.write() as conn:
                    self.complete_posts(conn, self._cursor(conn, "posts:latest"), target)
            self._emit(max(0, (target or 0) - max(nxt, floor)), total)
            if reached:
                return
            before = nxt

    def complete_posts(self, conn: Connection, cur: repo.CursorState, target: int | None) -> None:
        repo.put_cursor(
            conn,
            self._pass_done(
                cur,
                hw_id=max(int(cur.hw_id or 0), int(target or 0)),
                pass_target_id=None,
                pass_target_value=None,
                consecutive_failures=0,
                last_error=None,
            ),
        )

    def derive_all(self, batch: int = 1000) -> None:
        """Queue fields and rollups of every topic with cached posts, in short transactions."""
        with self._cache.read() as conn:
            ids = [
                int(r[0]) for r in conn.execute(text("SELECT DISTINCT topic_id FROM posts ORDER BY topic_id"))
            ]
        for i in range(0, len(ids), batch):
            if self._run is not None:
                self._run.token.raise_if_cancelled()
            with self._cache.write() as conn:
                repo.refresh_derived(conn, ids[i : i + batch])
            self._emit(min(len(ids), i + batch), len(ids), "queue fields and rollups")
