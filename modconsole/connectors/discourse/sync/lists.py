"""Stages ``queue``, ``topics`` and ``activity``: walking Discourse's topic lists."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, text

from modconsole.cache import repo
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse.parse import parse_topic_list
from modconsole.connectors.discourse.sync.base import Stage
from modconsole.connectors.discourse.sync.run import FULL, PARTS, QUEUE_MODE, iso, parse_iso, topic_row
from modconsole.errors import NotFound, Rejected


class TopicListStage(Stage):
    """Stages ``queue``, ``topics`` and ``activity``."""

    def list_page(
        self, params: dict[str, Any], *, path: str | None = None
    ) -> tuple[list[dict[str, Any]], dict[int, str], bool]:
        """One topic list page: (items, side-loaded usernames by id, has more)."""
        data = self._get(path or ep.latest().path, params, parse_topic_list)
        tl = data["topic_list"]
        items = [t for t in tl.get("topics", []) if isinstance(t, dict)]
        users = {
            int(u["id"]): str(u["username"])
            for u in data.get("users", []) or []
            if isinstance(u, Mapping) and isinstance(u.get("id"), int) and u.get("username")
        }
        return items, users, bool(tl.get("more_topics_url"))

    def apply_topics(
        self,
        conn: Connection,
        items: Sequence[Mapping[str, Any]],
        users: Mapping[int, str],
        *,
        pass_id: str | None = None,
    ) -> set[int]:
        """Upsert list items; provisional queue fields for topics without cached posts; returns the
        ids whose change-detection keys moved (new, bumped, counts, solution, closed)."""
        rows = [topic_row(t) for t in items]
        ids = [int(r["id"]) for r in rows]
        before = {
            int(r[0]): tuple(r[1:])
            for r in conn.execute(
                text(
                    "SELECT id, bumped_at, posts_count, highest_post_number, has_accepted_answer, closed, "
                    "category_id, gone_since FROM topics WHERE id IN (SELECT value FROM json_each(:ids))"
                ),
                {"ids": json.dumps(ids)},
            )
        }
        changed = repo.upsert_topics(conn, rows)
        moved: set[int] = set()
        for r in rows:
            tid = int(r["id"])
            old = before.get(tid)
            new = (
                r.get("bumped_at"),
                r.get("posts_count"),
                r.get("highest_post_number"),
                r.get("has_accepted_answer"),
                r.get("closed"),
                r.get("category_id"),
                None,
            )
            if old is None or any(
                n is not None and (bool(o) if isinstance(n, bool) else o) != n
                for o, n in zip(old, new, strict=True)
            ):
                moved.add(tid)
            if old is not None and old[6] is not None:
                moved.add(tid)
        if pass_id is not None:
            repo.mark_seen(conn, "topics", ids, pass_id)
        # The flag decides which flagged posts are solutions: a list that flips it after the posts
        # were cached (a first sync killed and resumed) must re-derive them, or none is recorded.
        self.stages.solutions.sync_solutions(conn, [int(r["id"]) for r in rows if "has_accepted_answer" in r])
        self._note_replaced_answers(conn, items)
        self._provisional_queue(conn, items, users)
        self._changed("topics", changed)
        repo.refresh_fts(conn, topic_ids=changed)
        with_posts = [
            int(r[0])
            for r in conn.execute(
                text(
                    "SELECT DISTINCT topic_id FROM posts "
                    "WHERE topic_id IN (SELECT value FROM json_each(:ids))"
                ),
                {"ids": json.dumps(sorted(changed))},
            )
        ]
        repo.refresh_derived(conn, with_posts)
        return moved

    def _note_replaced_answers(self, conn: Connection, items: Sequence[Mapping[str, Any]]) -> None:
        """discourse-solved lists the accepted answer's author among a topic's ``posters`` (description
        "Accepted Answer"). Replacing the answer bumps nothing, but an author other than the cached
        solution's says it was replaced: the reconcile stage re-reads such topics. Free (lists already
        read); blind to a replacement by the same author and to a translated description."""
        authors: dict[int, int] = {}
        for t in items:
            for p in (t.get("posters") or ()) if t.get("has_accepted_answer") else ():
                if (
                    isinstance(p, Mapping)
                    and isinstance(p.get("user_id"), int)
                    and "Accepted Answer" in str(p.get("description") or "")
                ):
                    authors[int(t["id"])] = int(p["user_id"])
        if not authors or self._run is None:
            return
        cached: dict[int, set[int]] = {}
        for tid, uid in conn.execute(
            text(
                "SELECT topic_id, user_id FROM solutions WHERE user_id IS NOT NULL "
                "AND topic_id IN (SELECT value FROM json_each(:ids))"
            ),
            {"ids": json.dumps(sorted(authors))},
        ):
            cached.setdefault(int(tid), set()).add(int(uid))
        self._run.answer_replaced.update(t for t, u in cached.items() if authors[t] not in u)

    @staticmethod
    def _provisional_queue(
        conn: Connection, items: Sequence[Mapping[str, Any]], users: Mapping[int, str]
    ) -> None:
        """Queue fields from what a list item says, for topics whose posts are not cached yet.

        ``others_replies`` is 1 when a poster other than the asker is listed (a lower bound),
        ``first_response_at`` is then the topic's ``last_posted_at`` (an upper bound), and
        ``last_reply_by_asker`` compares the last poster with the asker. ``refresh_derived``
        replaces all of them as soon as the topic's posts are cached.
        """
        params = []
        for t in items:
            posters = [p for p in t.get("posters") or [] if isinstance(p, Mapping)]
            asker = next(
                (p.get("user_id") for p in posters if "Original Poster" in str(p.get("description") or "")),
                None,
            )
            others = [p.get("user_id") for p in posters if p.get("user_id") not in (None, asker)]
            replies = max(0, int(t.get("posts_count") or 1) - 1)
            asker_name = users.get(asker) if isinstance(asker, int) else None
            last_name = t.get("last_poster_username")
            has_reply = replies > 0
            params.append(
                {
                    "id": t["id"],
                    "fr": t.get("last_posted_at") if others else None,
                    "fid": others[0] if others else None,
                    "ar": max(0, replies - (1 if others else 0)),
                    "orep": 1 if others else 0,
                    "lra": t.get("last_posted_at") if has_reply else None,
                    "lrba": (
                        (asker_name is not None and last_name == asker_name) or not others
                        if has_reply
                        else None
                    ),
                }
            )
        if params:
            conn.execute(
                text(
                    "UPDATE topics SET first_response_at = :fr, first_responder_id = :fid, "
                    "asker_replies = :ar, "
                    "others_replies = :orep, last_reply_at = :lra, last_reply_by_asker = :lrba "
                    "WHERE id = :id AND NOT EXISTS (SELECT 1 FROM posts p WHERE p.topic_id = topics.id)"
                ),
                params,
            )

    def _walk_list(
        self,
        resource: str,
        parts: Sequence[tuple[str, dict[str, Any]]],
        *,
        total: int | None = None,
        track_seen: bool = False,
        on_page: Callable[[Connection, set[int], list[dict[str, Any]]], None] | None = None,
        mode: str | None = None,
        finish: bool = True,
    ) -> tuple[str, set[int], bool]:
        """Page one or more topic lists (``parts``: path and params) to their ends, committing each
        page with its cursor (token ``part:page``). Returns (pass id, moved topic ids, whether this
        call started the pass). ``mode`` names the lists and their order: a pass an earlier version
        began with another mode (order) restarts at its first page, since its saved page number
        means nothing in the new order. ``finish=False``: the last page leaves the pass open (its
        token past the last part) for the caller to complete after its own closing steps; a run
        killed before them resumes there."""
        with self._cache.read() as conn:
            cur = self._cursor(conn, resource)
        started = cur.pass_id is None or cur.pass_target_value != mode
        pass_id = cur.pass_id or uuid.uuid4().hex
        part, page = 0, 0
        if not started and cur.pass_page_token:
            a, _, b = cur.pass_page_token.partition(":")
            part, page = (int(a), int(b)) if b else (0, int(a))
        if started:
            with self._cache.write() as conn:
                repo.put_cursor(
                    conn,
                    replace(
                        self._cursor(conn, resource),
                        pass_id=pass_id,
                        pass_page_token="0:0",
                        pass_target_value=mode,
                        pass_started_server_time=self._now(),
                    ),
                )
        moved_all: set[int] = set()
        done = 0
        while part < len(parts):
            path, params = parts[part]
            items, users, more = self.list_page(
                {**params, "page": page, "per_page": self._opts.per_page}, path=path
            )
            end_of_part = not more or not items
            nxt = (part + 1, 0) if end_of_part else (part, page + 1)
            last = nxt[0] >= len(parts)
            with self._cache.write() as conn:
                moved = self.apply_topics(conn, items, users, pass_id=pass_id if track_seen else None)
                if on_page is not None:
                    on_page(conn, moved, items)
                moved_all |= moved
                cur = self._cursor(conn, resource)
                repo.put_cursor(
                    conn,
                    replace(cur, pass_page_token=f"{nxt[0]}:{nxt[1]}")
                    if not last or not finish
                    else self._pass_done(
                        cur, pass_target_value=None, consecutive_failures=0, last_error=None
                    ),
                )
            done += len(items)
            self._emit(done, total)
            part, page = nxt
        return pass_id, moved_all, started

    def sync_queue(self) -> None:
        run = self._run
        assert run is not None
        try:
            self._walk_list(
                "topics:queue",
                [(ep.latest().path, {"status": "unsolved", "order": "created", "ascending": "true"})],
                mode=QUEUE_MODE,
            )
        except Rejected:  # no discourse-solved on this site: there is no unsolved list
            run.notes.append(
                "queue: the site has no 'unsolved' list (discourse-solved off); listed with the rest"
            )
            with self._cache.write() as conn:
                cur = self._cursor(conn, "topics:queue")
                repo.put_cursor(
                    conn,
                    replace(cur, pass_id=None, hw_value="unavailable", last_complete_pass_at=self._now()),
                )
        run.queue_complete = True

    def _topic_total(self) -> int | None:
        with self._cache.read() as conn:
            n = conn.execute(text("SELECT sum(topic_count) FROM categories")).scalar()
        return int(n) if n else None

    def add_dirty(self, conn: Connection, ids: Iterable[int]) -> None:
        new = set(ids)
        if not new:
            return
        cur = self._cursor(conn, "topics:dirty")
        have = set(json.loads(cur.pass_page_token)) if cur.pass_page_token else set()
        repo.put_cursor(conn, replace(cur, pass_page_token=json.dumps(sorted(have | new))))

    def sync_listing(self, *, rescan: bool) -> None:
        """Every topic (``order=created``), the deleted list for staff, and gone detection."""
        run = self._run
        assert run is not None

        def dirty(conn: Connection, moved: set[int], _items: list[dict[str, Any]]) -> None:
            if rescan:
                self.add_dirty(conn, moved)

        with self._cache.read() as conn:
            cur = self._cursor(conn, "topics:listing")
            cats = [
                (int(r[0]), str(r[1]))
                for r in conn.execute(
                    text(
                        "SELECT id, slug FROM categories WHERE gone_since IS NULL AND accepts_answers = 0 "
                        "ORDER BY id"
                    )
                )
            ]
            queue_cur = self._cursors().get("topics:queue")
            queue_done = (
                queue_cur is not None
                and queue_cur.last_complete_pass_at is not None
                and queue_cur.pass_id is None
                and queue_cur.hw_value != "unavailable"
            )
        mode = cur.pass_target_value if cur.pass_id is not None else None
        if mode not in (PARTS, FULL):  # idle, or a pass begun in the older (newest-first) order
            mode = PARTS if not rescan and queue_done else FULL
        if mode == PARTS:
            # The queue already listed the unsolved topics of accepted-answer categories: the rest
            # is the solved topics plus the categories without accepted answers.
            parts: list[tuple[str, dict[str, Any]]] = [
                (ep.latest().path, {"status": "solved", "order": "created", "ascending": "true"})
            ]
            if cats:  # one /filter.json list for all of them (``=slug``: without subcategories)
                q = "category:" + ",".join(f"={slug}" for _, slug in cats) + " order:created-asc"
                parts.append((ep.filter_topics().path, {"q": q}))
        else:
            parts = [(ep.latest().path, {"order": "created", "ascending": "true"})]
        try:
            # finish=False: the pass completes only after the deleted list and the gone marks below;
            # a run killed between them must not skip those steps for good
            pass_id, moved, _ = self._walk_list(
                "topics:listing",
                parts,
                total=self._topic_total(),
                track_seen=True,
                on_page=dirty,
                mode=mode,
                finish=False,
            )
        except (Rejected, NotFound):
            if mode != PARTS:
                raise
            with self._cache.write() as conn:  # no 'solved' or /filter here: list everything instead
                cur = self._cursor(conn, "topics:listing")
                repo.put_cursor(
                    conn, replace(cur, pass_id=None, pass_page_token=None, pass_target_value=None)
                )
            pass_id, moved, _ = self._walk_list(
                "topics:listing",
                [(ep.latest().path, {"order": "created", "ascending": "true"})],
                total=self._topic_total(),
                track_seen=True,
                on_page=dirty,
                mode=FULL,
                finish=False,
            )
        if moved and rescan:
            run.topics_moved = True
        staff = self._capability("staff")
        listed_deleted: set[int] = set()
        if staff:
            page = 0
            while True:
                items, users, more = self.list_page(
                    {"status": "deleted", "order": "created", "page": page, "per_page": self._opts.per_page}
                )
                ids = [int(t["id"]) for t in items]
                with self._cache.write() as conn:
                    self.apply_topics(conn, items, users)
                    repo.mark_seen(conn, "topics", ids, pass_id)
                    known = {
                        int(r[0])
                        for r in conn.execute(
                            text(
                                "SELECT id FROM topics WHERE deleted_at IS NOT NULL "
                                "AND id IN (SELECT value FROM json_each(:ids))"
                            ),
                            {"ids": json.dumps(ids)},
                        )
                    }
                    listed_deleted |= set(ids) - known
                if not more or not items:
                    break
                page += 1
        with self._cache.write() as conn:
            # Only a full listing proves absence (the partitioned first listing relies on the queue).
            gone = repo.mark_unseen_gone(conn, "topics", pass_id, self._now()) if mode == FULL else set()
            if gone:
                self._changed("topics", gone)
            # topics listed as live again lose a stale deleted_at
            undeleted = [
                int(r[0])
                for r in conn.execute(
                    text("SELECT id FROM topics WHERE seen_in_pass = :p AND deleted_at IS NOT NULL"),
                    {"p": pass_id},
                )
            ]
        # Confirm: deleted topics (staff see deleted_at) and topics not listed at all (404/410).
        for tid in sorted(listed_deleted | gone | set(undeleted)):
            self.stages.reconcile.reconcile_topic(tid)
        with self._cache.write() as conn:
            cur = self._cursor(conn, "topics:activity")
            hw = conn.execute(text("SELECT max(bumped_at) FROM topics WHERE gone_since IS NULL")).scalar()
            if hw is not None and (cur.hw_value is None or str(hw) > cur.hw_value):
                repo.put_cursor(conn, replace(cur, hw_value=str(hw), last_complete_pass_at=self._now()))
            listing = self._cursor(conn, "topics:listing")
            repo.put_cursor(
                conn,
                self._pass_done(listing, pass_target_value=None, consecutive_failures=0, last_error=None),
            )

    def sync_activity(self) -> None:
        """Topics bumped since the watermark (minus the overlap), newest first."""
        run = self._run
        assert run is not None
        with self._cache.read() as conn:
            cur = self._cursor(conn, "topics:activity")
        hw = parse_iso(cur.hw_value) if cur.hw_value else None
        floor = iso(hw - timedelta(seconds=self._opts.overlap_seconds)) if hw else None
        page = 0
        newest = cur.hw_value
        while True:
            items, users, more = self.list_page(
                {"order": "activity", "page": page, "per_page": self._opts.per_page}
            )
            with self._cache.write() as conn:
                moved = self.apply_topics(conn, items, users)
                self.add_dirty(conn, moved)
            if moved:
                run.topics_moved = True
            for t in items:
                b = t.get("bumped_at")
                if isinstance(b, str) and (newest is None or b > newest):
                    newest = b
            unpinned = [t for t in items if not t.get("pinned")]
            oldest = min((str(t.get("bumped_at") or "") for t in unpinned), default="")
            if not more or not items or floor is None or (unpinned and oldest < floor):
                break
            page += 1
        with self._cache.write() as conn:
            cur = self._cursor(conn, "topics:activity")
            repo.put_cursor(conn, replace(cur, hw_value=newest, last_complete_pass_at=self._now()))
