"""Stages ``solutions``, ``unsolved`` and ``solved``: accepted answers, which bump nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import Connection, text

from modconsole import clock
from modconsole.cache import repo
from modconsole.connectors.discourse.sync.base import Stage
from modconsole.connectors.discourse.sync.run import day, parse_iso
from modconsole.errors import Rejected

# Where the accepted_solutions window starts while the oldest topic is not known yet: before any
# community this console serves (Discourse appeared in 2013; a forum imported with older dates
# has its answers walked once more, then the oldest cached topic starts the window).
HISTORY_START = date(2000, 1, 1)


class SolutionsStage(Stage):
    """Stages ``solutions``, ``unsolved`` and ``solved``."""

    def sync_unsolved(self) -> None:
        """Accepting or unaccepting an answer bumps nothing (CONTRACT §3.6): the activity list
        misses it, yet the queue and the solved figures depend on it. The unsolved list (the
        queue; ⌈unsolved/100⌉ requests) shows both. A topic that joined it lost its answer
        (``has_accepted_answer`` moved: the reconcile stage re-reads it); one that left it since
        the last walk was solved — or deleted, moved, made invisible — and is re-read here."""
        with self._cache.read() as conn:
            if self._cursor(conn, "topics:queue").hw_value == "unavailable":
                return  # no discourse-solved on this site
            last = self._cursor(conn, "topics:unsolved").hw_value
            if last:
                before = {int(i) for i in json.loads(last)}
            else:  # no walk remembered yet: the unsolved topics the cache shows
                before = {
                    int(r[0])
                    for r in conn.execute(
                        text(
                            "SELECT t.id FROM topics t JOIN categories c ON c.id = t.category_id "
                            "WHERE c.accepts_answers = 1 AND t.has_accepted_answer = 0 "
                            "AND t.deleted_at IS NULL AND t.gone_since IS NULL AND t.visible = 1"
                        )
                    )
                }
        listed: set[int] = set()
        page = 0
        while True:
            try:
                items, users, more = self.stages.lists.list_page(
                    {"status": "unsolved", "order": "created", "page": page, "per_page": self._opts.per_page}
                )
            except Rejected:  # discourse-solved was turned off since the first sync
                return
            with self._cache.write() as conn:
                self.stages.lists.add_dirty(conn, self.stages.lists.apply_topics(conn, items, users))
            listed.update(int(t["id"]) for t in items)
            self._emit(len(listed), None)
            if not more or not items:
                break
            page += 1
        with self._cache.read() as conn:
            left = [
                int(r[0])
                for r in conn.execute(
                    text(
                        "SELECT id FROM topics WHERE id IN (SELECT value FROM json_each(:ids)) "
                        "AND has_accepted_answer = 0 AND deleted_at IS NULL AND gone_since IS NULL "
                        "ORDER BY id"
                    ),
                    {"ids": json.dumps(sorted(before - listed))},
                )
            ]
        for i, tid in enumerate(left):
            self.stages.reconcile.reconcile_topic(tid)
            self._emit(i + 1, len(left))
        with self._cache.write() as conn:
            cur = self._cursor(conn, "topics:unsolved")
            repo.put_cursor(
                conn, replace(cur, hw_value=json.dumps(sorted(listed)), last_complete_pass_at=self._now())
            )

    def check_solutions(self) -> None:
        assert self._run is not None
        self._run.solutions_moved = self._solutions_moved()

    def _solutions_moved(self) -> bool:
        """Whether answers were accepted, unaccepted or replaced since the lists were last walked.

        Accepts bump nothing (CONTRACT §3.6), so only walking the unsolved and solved lists finds
        them — ⌈unsolved/100⌉ + ⌈solved/100⌉ requests, about a thousand on a 100k-topic site,
        every sync. One request tells first: discourse-solved's ``accepted_solutions`` report
        (solutions per day, §7) over the site's whole history changes with every accept (+1
        today), unaccept (−1 on the day it was accepted) and replacement (both). Unchanged: the
        walks are skipped. Blind to changes that cancel out in one day's count (an answer accepted
        and another unaccepted, both accepted today); those wait for the next change or the
        daily rescan. Without the report (no staff key, older plugin) the lists are walked."""
        if not self._capability("staff"):
            return True
        with self._cache.read() as conn:
            stored = self._cursor(conn, "solutions:signal").hw_value
            listed = self._cursor(conn, "topics:listing").last_complete_pass_at is not None
            first = conn.execute(text("SELECT min(created_at) FROM topics")).scalar()
        end = (parse_iso(self._now()) or clock.now()).date()
        oldest = parse_iso(first) if isinstance(first, str) else None
        start = (oldest.date() if oldest is not None else end) - timedelta(days=1)
        if not listed:
            # The window must hold every accept before the cache holds every topic: a REST first
            # sync reads the report after the queue walk, with only the open questions cached, and
            # answers accepted before the oldest of those was asked (issue 13, ``large``) were left
            # out of its fingerprint, only to appear in the next sync's — both lists walked again
            # for nothing. Days without an accept are left out of the fingerprint, so the windows
            # differ and the fingerprints agree.
            start = min(start, HISTORY_START)
        report = self.stages.reports.read_report("accepted_solutions", start, end)
        if report is None:
            return True
        points = sorted((day(p.x), p.y) for s in report.series[:1] for p in s.points if p.y)
        fingerprint = hashlib.sha256(json.dumps(points).encode()).hexdigest()
        assert self._run is not None
        self._run.solutions_signal = fingerprint
        return stored != fingerprint

    def remember_solutions_signal(self) -> None:
        """Both walks finished: the report read before them is what the cache now shows."""
        assert self._run is not None
        if self._run.solutions_signal is None:
            return
        with self._cache.write() as conn:
            cur = self._cursor(conn, "solutions:signal")
            repo.put_cursor(
                conn, replace(cur, hw_value=self._run.solutions_signal, last_complete_pass_at=self._now())
            )

    def sync_solved(self) -> None:
        """An answer replaced by another moderator's accept bumps nothing and keeps the topic on
        the solved list; its one list-level trace is the answerer among the item's ``posters``
        ("Accepted Answer", CONTRACT §3.1). Walking the solved list (⌈solved/100⌉ requests) lets
        ``_note_replaced_answers`` send each topic whose listed answerer is not the cached
        solution's author to the reconcile stage. Blind to a new answer by the same author: no
        list or site-wide route shows which post it is (only ``/t/{id}.json`` per topic and
        ``/solution/by_user.json`` per user); a deep rescan's posts tail (``accepted_answer``) or
        any other re-read of the topic brings it."""
        with self._cache.read() as conn:
            if self._cursor(conn, "topics:queue").hw_value == "unavailable":
                return  # no discourse-solved on this site
        page, seen = 0, 0
        while True:
            try:
                items, users, more = self.stages.lists.list_page(
                    {
                        "status": "solved",
                        "order": "created",
                        "ascending": "true",
                        "page": page,
                        "per_page": self._opts.per_page,
                    }
                )
            except Rejected:  # discourse-solved was turned off since the first sync
                return
            with self._cache.write() as conn:
                self.stages.lists.add_dirty(conn, self.stages.lists.apply_topics(conn, items, users))
            seen += len(items)
            self._emit(seen, None)
            if not more or not items:
                break
            page += 1

    def sync_solutions(self, conn: Connection, topic_ids: Iterable[int]) -> None:
        """``solutions`` = posts flagged ``accepted_answer`` in topics that say they have one."""
        ids = json.dumps(sorted(set(topic_ids)))
        rows = [
            {"post_id": int(r[0]), "topic_id": int(r[1]), "post_number": r[2], "user_id": r[3]}
            for r in conn.execute(
                text(
                    "SELECT p.id, p.topic_id, p.post_number, p.user_id FROM posts p "
                    "LEFT JOIN topics t ON t.id = p.topic_id "
                    "WHERE p.topic_id IN (SELECT value FROM json_each(:ids)) AND p.accepted_answer = 1 "
                    "AND p.gone_since IS NULL AND COALESCE(t.has_accepted_answer, 1) = 1"
                ),
                {"ids": ids},
            )
        ]
        changed = repo.upsert_solutions(conn, rows)
        keep = json.dumps([r["post_id"] for r in rows])
        removed = conn.execute(
            text(
                "DELETE FROM solutions WHERE topic_id IN (SELECT value FROM json_each(:ids)) "
                "AND post_id NOT IN (SELECT value FROM json_each(:keep)) RETURNING topic_id"
            ),
            {"ids": ids, "keep": keep},
        ).all()
        if changed or removed:
            self._changed("topics", [r["topic_id"] for r in rows if r["post_id"] in changed])
            self._changed("topics", [int(r[0]) for r in removed])
            self._flag("kpis", 0)
