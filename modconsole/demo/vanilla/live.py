"""Live mode for the Vanilla demo: the Discourse demo's activity (questions, replies by peers and
employees, reactions, accepted answers, signups, badge grants by other staff), written into Vanilla's
tables too, so question statuses, reactions and answer statuses stay right."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from modconsole.demo import core
from modconsole.demo.live import LiveActivity
from modconsole.demo.vanilla.store import recalc_question

if TYPE_CHECKING:
    from modconsole.demo.vanilla.server import VanillaDemoServer

MEMBER = "deleted_at IS NULL AND active = 1 AND admin = 0 AND moderator = 0"


class VanillaLiveActivity(LiveActivity):
    def __init__(self, server: VanillaDemoServer, *, events_per_minute: float, seed: int) -> None:
        super().__init__(server, events_per_minute=events_per_minute, seed=seed)  # type: ignore[arg-type]

    def step(self, con: sqlite3.Connection) -> str:
        kind = self.rng.choices(
            ["question", "reply", "employee_reply", "react", "accept", "signup", "badge"],
            weights=[3, 4, 2, 5, 1, 1, 1],
        )[0]
        if kind in ("signup", "badge"):
            return self._base_kind(con, kind)
        if kind == "question":
            u = self._pick(con, f"SELECT id FROM users WHERE {MEMBER} AND is_employee = 0")
            c = self._pick(
                con, "SELECT id FROM categories WHERE read_restricted = 0 AND enable_accepted_answers = 1"
            )
            if u is None or c is None:
                return "none"
            tid = core.create_topic(
                con,
                int(u[0]),
                f"How do I {self._text(3).lower()}?",
                self._text(30),
                int(c[0]),
                is_question=True,
            )
            recalc_question(con, tid)
        elif kind in ("reply", "employee_reply"):
            t = self._pick(
                con,
                "SELECT t.id, t.is_question FROM topics t JOIN categories c ON c.id = t.category_id "
                "WHERE t.deleted_at IS NULL AND t.closed = 0 AND c.read_restricted = 0 AND t.created_at >= ?",
                (core.days_ago_iso(60),),
            )
            emp = 1 if kind == "employee_reply" else 0
            u = self._pick(
                con, f"SELECT id FROM users WHERE deleted_at IS NULL AND active = 1 AND is_employee = {emp}"
            )
            if t is None or u is None:
                return "none"
            core.create_post(con, int(u[0]), int(t[0]), self._text(25))
            if t[1]:
                recalc_question(con, int(t[0]))
        elif kind == "react":
            p = self._pick(
                con,
                "SELECT p.id, p.user_id, p.topic_id, p.post_number FROM posts p "
                "JOIN topics t ON t.id = p.topic_id WHERE p.deleted_at IS NULL AND p.post_type = 1 "
                "AND t.deleted_at IS NULL AND p.created_at >= ?",
                (core.days_ago_iso(30),),
            )
            u = self._pick(con, f"SELECT id FROM users WHERE {MEMBER}")
            if p is None or u is None or p[1] == u[0]:
                return "none"
            rtype, rid = ("discussion", int(p[2])) if p[3] == 1 else ("comment", int(p[0]))
            con.execute(
                "INSERT OR REPLACE INTO vanilla_reactions"
                "(record_type, record_id, user_id, urlcode, date_inserted) VALUES (?,?,?,?,?)",
                (
                    rtype,
                    rid,
                    int(u[0]),
                    self.rng.choice(("Like", "Like", "Insightful", "Agree")),
                    core.now_iso(),
                ),
            )
        else:  # accept: the asker accepts an answer on a recent question without one
            a = self._pick(
                con,
                "SELECT p.id, t.id, t.user_id FROM posts p JOIN topics t ON t.id = p.topic_id "
                "JOIN vanilla_questions q ON q.discussion_id = t.id "
                "WHERE q.status_id = 2 AND t.created_at >= ? AND p.post_number > 1 AND p.post_type = 1 "
                "AND p.deleted_at IS NULL AND p.user_id <> t.user_id",
                (core.days_ago_iso(90),),
            )
            if a is None:
                return "none"
            con.execute(
                "INSERT OR REPLACE INTO vanilla_answers(comment_id, status, date_accepted, accept_user_id) "
                "VALUES (?, 'accepted', ?, ?)",
                (int(a[0]), core.now_iso(), a[2]),
            )
            recalc_question(con, int(a[1]))
        return kind

    def _base_kind(self, con: sqlite3.Connection, kind: str) -> str:
        """Signups and badge grants (by staff other than the printed identities): as on Discourse."""
        if kind == "signup":
            n = con.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM users").fetchone()[0]
            comp = self._pick(con, "SELECT id, domain FROM companies WHERE kind = 'customer'")
            domain = comp[1] if comp else "example.com"
            core.create_user(
                con,
                f"newcomer{n}",
                f"Newcomer {n}",
                f"newcomer{n}@{domain}",
                company_id=comp[0] if comp else None,
            )
            return kind
        b = self._pick(
            con, "SELECT id FROM badges WHERE enabled = 1 AND query IS NULL AND multiple_grant = 0"
        )
        staff = self._pick(
            con,
            "SELECT id FROM users WHERE (admin = 1 OR moderator = 1) AND deleted_at IS NULL "
            "AND id NOT IN (SELECT user_id FROM vanilla_tokens WHERE role LIKE 'demo:%')",
        )
        u = b and self._pick(
            con,
            f"SELECT id FROM users WHERE {MEMBER} AND id NOT IN "
            "(SELECT user_id FROM user_badges WHERE badge_id = ?)",
            (b[0],),
        )
        if b is None or not u:
            return "none"
        core.grant_badge(con, int(b[0]), int(u[0]), int(staff[0]) if staff else -1)
        return kind
