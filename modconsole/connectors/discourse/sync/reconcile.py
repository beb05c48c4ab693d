"""Stage ``reconcile``: topics whose cached posts do not match their counts, and orphan posts."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, RowMapping, text

from modconsole.cache import repo
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse.parse import parse_topic_posts, parse_topic_view
from modconsole.connectors.discourse.sync.base import Stage
from modconsole.connectors.discourse.sync.run import post_row, topic_row
from modconsole.errors import NotFound, PermissionDenied


class ReconcileStage(Stage):
    """Stage ``reconcile``."""

    _NEEDS_SQL = """
        SELECT t.id,
          printf('%d|%d|%s|%d|%s|%d', COALESCE(t.highest_post_number, 0), COALESCE(t.posts_count, 0),
                 COALESCE(t.bumped_at, ''), t.has_accepted_answer, COALESCE(t.deleted_at, ''),
                 t.closed) AS sig,
          c.hw_value AS stored,
          COALESCE(t.highest_post_number, 0) AS hpn, COALESCE(t.posts_count, 0) AS pc, t.has_accepted_answer,
          t.bumped_at,
          (SELECT count(DISTINCT p.post_number) FROM posts p WHERE p.topic_id = t.id
             AND p.gone_since IS NULL AND p.post_number <= COALESCE(t.highest_post_number, 0)) AS numbers,
          (SELECT count(*) FROM posts p WHERE p.topic_id = t.id AND p.gone_since IS NULL
             AND p.deleted_at IS NULL AND p.post_type IN (1, 4)) AS counted,
          (SELECT count(*) FROM posts p WHERE p.topic_id = t.id AND p.gone_since IS NULL
             AND p.accepted_answer = 1) AS accepted,
          (SELECT max(p.created_at) FROM posts p WHERE p.topic_id = t.id AND p.gone_since IS NULL
             AND p.post_type = 1 AND p.deleted_at IS NULL) AS last_created,
          (SELECT max(p.post_number) FROM posts p WHERE p.topic_id = t.id
             AND p.gone_since IS NULL) AS max_number,
          t.closed AS closed
        FROM topics t LEFT JOIN sync_cursors c ON c.resource = 'stream:' || t.id
        WHERE t.gone_since IS NULL AND t.id IN (SELECT value FROM json_each(:ids))
        ORDER BY t.id
    """

    def _needing(self, conn: Connection, ids: Sequence[int]) -> list[int]:
        out = []
        for r in conn.execute(text(self._NEEDS_SQL), {"ids": json.dumps(list(ids))}).mappings():
            if r["stored"] == r["sig"]:
                continue
            counts_differ = (
                r["counted"] != r["pc"]
                or (bool(r["has_accepted_answer"]) and r["accepted"] == 0)
                or (not r["has_accepted_answer"] and r["accepted"] > 0)
                or r["last_created"] is None
                or (r["bumped_at"] is not None and str(r["bumped_at"]) > str(r["last_created"]))
            )
            if counts_differ or (r["numbers"] < r["hpn"] and self._gap_wanted(r)):
                out.append(int(r["id"]))
        return out

    def _gap_wanted(self, r: RowMapping) -> bool:
        """Whether a topic whose counts all agree with the cache is re-read for a gap in its post
        numbers. Every post ``posts_count`` counts is cached, the solution matches and the last
        post explains the bump: the gap can only hold posts no list counts — deleted posts (staff
        can read them), small-action notes ("closed", …) or whispers a key may not see. None of
        them is shown as content, so a first sync does not read ~3 % of all topics again for them
        (``fetch_deleted_posts`` / ``fetch_close_actions`` do, for a full mirror)."""
        # the trailing "closed" note is missing: the closed flag already says it
        trailing_close = bool(r["closed"]) and r["max_number"] == r["hpn"] - 1
        if trailing_close and r["numbers"] == r["hpn"] - 1:  # and it is the only gap
            return self._opts.fetch_close_actions
        return self._opts.fetch_deleted_posts or (self._opts.fetch_close_actions and trailing_close)

    def _resolve_orphans(self) -> None:
        """Posts whose topic the cache does not know — a list skipped the topic while it changed
        under the cursor, or the topic was created after the list was read — get their topic read
        (one ``/t/{id}.json`` each, only for such topics). A topic the key can no longer open takes
        its orphan posts with it (``gone_since``): none is left."""
        run = self._run
        assert run is not None
        with self._cache.read() as conn:
            ids = [
                int(r[0])
                for r in conn.execute(
                    text(
                        # NOT IN (…) is a set built once (~1 ms per 20,000 posts; NOT EXISTS: 20)
                        "SELECT DISTINCT topic_id FROM posts WHERE topic_id NOT IN (SELECT id FROM topics) "
                        "AND gone_since IS NULL ORDER BY topic_id"
                    )
                )
            ]
        for i, tid in enumerate(ids):
            try:
                self.reconcile_topic(tid)
            except PermissionDenied:
                with self._cache.write() as conn:
                    self._orphans_gone(conn, tid)
            self._emit(i + 1, len(ids), "topics known only by their posts")
        if ids:
            run.notes.append(f"reconcile: {len(ids)} topic(s) known only by their posts were read")

    def _orphans_gone(self, conn: Connection, topic_id: int) -> None:
        gone = conn.execute(
            text(
                "UPDATE posts SET gone_since = :now WHERE topic_id = :t AND gone_since IS NULL "
                "AND NOT EXISTS (SELECT 1 FROM topics WHERE id = :t) RETURNING id"
            ),
            {"now": self._now(), "t": topic_id},
        ).all()
        if gone:
            self._changed("posts", [int(r[0]) for r in gone])
            repo.refresh_fts(conn, post_ids=[int(r[0]) for r in gone])

    def sync_reconcile(self, *, scan_all: bool) -> None:
        self._resolve_orphans()
        with self._cache.write() as conn:
            # No request: a topic that says solved, with its flagged post cached, lacks a solutions
            # row only if the cache was left so by an older run; re-derive those topics.
            unrecorded = [
                int(r[0])
                for r in conn.execute(
                    text(
                        "SELECT DISTINCT p.topic_id FROM posts p JOIN topics t ON t.id = p.topic_id "
                        "WHERE p.accepted_answer = 1 AND p.gone_since IS NULL AND t.has_accepted_answer = 1 "
                        "AND t.gone_since IS NULL "
                        "AND NOT EXISTS (SELECT 1 FROM solutions s WHERE s.post_id = p.id)"
                    )
                )
            ]
            if unrecorded:
                self.stages.solutions.sync_solutions(conn, unrecorded)
        with self._cache.read() as conn:
            dirty_cur = self._cursor(conn, "topics:dirty")
            scan_cur = self._cursor(conn, "topics:reconcile")
        dirty = sorted(json.loads(dirty_cur.pass_page_token)) if dirty_cur.pass_page_token else []
        if dirty:
            with self._cache.read() as conn:
                need = self._needing(conn, dirty)
            for i, tid in enumerate(need):
                self.reconcile_topic(tid)
                self._emit(i + 1, len(need))
            with self._cache.write() as conn:
                repo.put_cursor(conn, replace(self._cursor(conn, "topics:dirty"), pass_page_token=None))
        run = self._run
        assert run is not None
        for tid in sorted(run.answer_replaced):
            self.reconcile_topic(tid)
        run.answer_replaced.clear()
        scanning = scan_all or scan_cur.last_complete_pass_at is None or scan_cur.pass_id is not None
        if not scanning:
            return
        after = int(scan_cur.pass_page_token or 0) if scan_cur.pass_id is not None else 0
        with self._cache.write() as conn:
            repo.put_cursor(
                conn,
                replace(
                    self._cursor(conn, "topics:reconcile"),
                    pass_id=scan_cur.pass_id or uuid.uuid4().hex,
                    pass_page_token=str(after),
                ),
            )
        with self._cache.read() as conn:
            all_ids = [
                int(r[0])
                for r in conn.execute(
                    text("SELECT id FROM topics WHERE id > :a AND gone_since IS NULL ORDER BY id"),
                    {"a": after},
                )
            ]
            need = []
            for i in range(0, len(all_ids), 2000):
                need.extend(self._needing(conn, all_ids[i : i + 2000]))
        for i, tid in enumerate(need):
            self.reconcile_topic(tid, token_resource="topics:reconcile")
            self._emit(i + 1, len(need))
        with self._cache.write() as conn:
            repo.put_cursor(conn, self._pass_done(self._cursor(conn, "topics:reconcile")))

    def reconcile_topic(self, topic_id: int, *, token_resource: str | None = None) -> None:
        """Re-read one topic's view and stream; fetch posts the cache lacks; mark vanished ones."""
        staff = self._capability("staff")
        path = ep.topic(topic_id).path
        params: dict[str, Any] = {"show_deleted": "true"} if staff else {}
        try:
            view = self._get(path, params or None, parse_topic_view)
        except NotFound:
            with self._cache.write() as conn:
                n = conn.execute(
                    text("UPDATE topics SET gone_since = :now WHERE id = :id AND gone_since IS NULL"),
                    {"now": self._now(), "id": topic_id},
                ).rowcount
                if n:
                    self._changed("topics", [topic_id])
                    repo.refresh_fts(conn, topic_ids=[topic_id])
                self._orphans_gone(conn, topic_id)
                if token_resource:
                    cur = self._cursor(conn, token_resource)
                    repo.put_cursor(conn, replace(cur, pass_page_token=str(topic_id)))
            return
        stream = [int(i) for i in (view.get("post_stream", {}).get("stream") or []) if isinstance(i, int)]
        chunk = [p for p in view["post_stream"].get("posts", []) if isinstance(p, Mapping)]
        rows = [post_row(p, f"GET {path}", topic_id) for p in chunk]
        have_chunk = {int(r["id"]) for r in rows}
        with self._cache.read() as conn:
            cached = {
                int(r[0])
                for r in conn.execute(
                    text("SELECT id FROM posts WHERE topic_id = :t AND gone_since IS NULL"), {"t": topic_id}
                )
            }
        missing = [i for i in stream if i not in have_chunk and i not in cached]
        last = stream[-1] if stream else None
        # the last post is cached (not in this chunk): fetched again only if edited since (a bump)
        cached_last = last is not None and last not in have_chunk and last not in missing
        if cached_last and not self._bump_explained(topic_id, int(last or 0), rows):
            missing.append(int(last or 0))
        for start in range(0, len(missing), 100):
            route = ep.topic_posts(topic_id).path
            batch: dict[str, Any] = {"post_ids[]": missing[start : start + 100]}
            data = self._get(route, batch, parse_topic_posts)
            rows.extend(
                post_row(p, f"GET {route}", topic_id)
                for p in data["post_stream"].get("posts", [])
                if isinstance(p, Mapping)
            )
        topic = {
            **topic_row(view),
            "has_accepted_answer": bool(view.get("accepted_answer") or view.get("has_accepted_answer")),
            "deleted_at": view.get("deleted_at"),
        }
        if isinstance(view.get("user_id"), int):
            topic["user_id"] = view["user_id"]
        acc = view.get("accepted_answer")
        acc_number = acc.get("post_number") if isinstance(acc, Mapping) else None
        with self._cache.write() as conn:
            self._changed("topics", repo.upsert_topics(conn, [topic]))
            in_stream = set(stream)
            if not view.get("post_stream", {}).get("isMegaTopic") and stream:
                vanished = [i for i in cached if i not in in_stream]
                if vanished:
                    conn.execute(
                        text(
                            "UPDATE posts SET gone_since = :now WHERE gone_since IS NULL "
                            "AND id IN (SELECT value FROM json_each(:ids))"
                        ),
                        {"now": self._now(), "ids": json.dumps(vanished)},
                    )
                    self._changed("posts", vanished)
                    repo.refresh_fts(conn, post_ids=vanished)
            if rows:
                self._changed("posts", repo.upsert_posts(conn, rows))
                repo.refresh_fts(conn, post_ids=[int(r["id"]) for r in rows])
            # the view is the authority on which post is the solution
            conn.execute(
                text(
                    "UPDATE posts SET accepted_answer = (post_number IS :n) WHERE topic_id = :t "
                    "AND accepted_answer IS NOT (post_number IS :n)"
                ),
                {"n": acc_number, "t": topic_id},
            )
            accepted = conn.execute(
                text("SELECT id FROM posts WHERE topic_id = :t AND post_number IS :n AND :n IS NOT NULL"),
                {"t": topic_id, "n": acc_number},
            ).scalar()
            conn.execute(
                text("UPDATE topics SET accepted_post_id = :p WHERE id = :t AND accepted_post_id IS NOT :p"),
                {"p": accepted, "t": topic_id},
            )
            self.stages.solutions.sync_solutions(conn, [topic_id])
            if isinstance(acc, Mapping) and accepted is not None and acc.get("accepter_username"):
                conn.execute(
                    text("UPDATE solutions SET accepter_username = :a WHERE post_id = :p"),
                    {"a": acc.get("accepter_username"), "p": accepted},
                )
            repo.refresh_fts(conn, topic_ids=[topic_id])
            repo.refresh_derived(conn, [topic_id])
            sig = conn.execute(
                text(
                    "SELECT printf('%d|%d|%s|%d|%s|%d', COALESCE(highest_post_number, 0), "
                    "COALESCE(posts_count, 0), COALESCE(bumped_at, ''), has_accepted_answer, "
                    "COALESCE(deleted_at, ''), closed) FROM topics WHERE id = :t"
                ),
                {"t": topic_id},
            ).scalar()
            repo.put_cursor(
                conn,
                replace(
                    self._cursor(conn, f"stream:{topic_id}"), hw_value=str(sig), last_complete_pass_at=None
                ),
            )
            if token_resource:
                cur = self._cursor(conn, token_resource)
                repo.put_cursor(conn, replace(cur, pass_page_token=str(topic_id)))

    def _bump_explained(self, topic_id: int, last_id: int, chunk: Sequence[Mapping[str, Any]]) -> bool:
        """Whether the cache explains the topic's ``bumped_at`` (as its last list item said; a
        topic view has none): a post created at or after it, or the last post (``last_id``, cached)
        edited at or after it. Otherwise the last post was edited since it was cached — the one
        change that bumps a topic without a new post — and is fetched again."""
        with self._cache.read() as conn:
            bumped = conn.execute(
                text("SELECT bumped_at FROM topics WHERE id = :t"), {"t": topic_id}
            ).scalar()
            if bumped is None:
                return True  # nothing to explain (a topic known only from its view)
            newest = conn.execute(
                text(
                    "SELECT max(created_at) FROM posts WHERE topic_id = :t AND gone_since IS NULL "
                    "AND post_type = 1 AND deleted_at IS NULL"
                ),
                {"t": topic_id},
            ).scalar()
            last_updated = conn.execute(
                text("SELECT updated_at FROM posts WHERE id = :p AND gone_since IS NULL"), {"p": last_id}
            ).scalar()
        seen = [str(v) for v in (newest, last_updated) if v is not None]
        seen += [str(p["created_at"]) for p in chunk if p.get("created_at") and p.get("post_type", 1) == 1]
        return any(v >= str(bumped) for v in seen)
